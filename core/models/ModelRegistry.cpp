#include "models/ModelRegistry.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "Errors.h"
#include "ModelRegistryData.h"  // generated from models/registry.json (core/CMakeLists.txt)

namespace qc {
namespace {

bool isLowerHex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// A file name we may join to the models folder: no folders, no hidden files, a .pth.
bool isPlainModelFileName(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
           name.front() != '.' && name.size() > 4 && name.compare(name.size() - 4, 4, ".pth") == 0;
}

std::string requiredString(const nlohmann::json& entry, const char* key, const std::string& where) {
    if (!entry.contains(key) || !entry.at(key).is_string() || entry.at(key).get<std::string>().empty())
        throw QualiClipError("model registry: " + where + " has no '" + key + "'");
    return entry.at(key).get<std::string>();
}

bool isPlainFileName(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
           name.front() != '.';
}

RegistryFile parseRegistryFile(const nlohmann::json& item, const std::string& named) {
    if (!item.is_object()) throw QualiClipError("model registry: " + named + ": a 'files' item is not an object");
    RegistryFile f;
    f.role = requiredString(item, "role", named + " files");
    f.fileName = requiredString(item, "file", named + " file '" + f.role + "'");
    const std::string where = named + " file '" + f.fileName + "'";
    if (!isPlainFileName(f.fileName) || f.fileName.size() < 4 || f.fileName.compare(f.fileName.size() - 4, 4, ".pth") == 0)
        throw QualiClipError("model registry: " + where + " must be a plain file name, not a .pth");
    f.url = requiredString(item, "url", where);
    if (f.url.rfind("https://", 0) != 0 && f.url.rfind("http://", 0) != 0)
        throw QualiClipError("model registry: " + where + ": url must be http or https");
    f.sha256 = requiredString(item, "sha256", where);
    if (!isLowerHex64(f.sha256)) throw QualiClipError("model registry: " + where + ": sha256 must be 64 lowercase hex digits");
    f.licence = requiredString(item, "licence", where);
    if (item.contains("size") && !item.at("size").is_null()) {
        if (!item.at("size").is_number_integer() || item.at("size").get<int64_t>() <= 0)
            throw QualiClipError("model registry: " + where + ": size must be a positive integer or null");
        f.size = item.at("size").get<int64_t>();
    }
    return f;
}

}  // namespace

std::optional<RegistryFile> RegistryEntry::file(const std::string& role) const {
    for (const RegistryFile& f : files)
        if (f.role == role) return f;
    return std::nullopt;
}

std::vector<RegistryEntry> parseModelRegistry(const std::string& json) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json);
    } catch (const nlohmann::json::exception& e) {
        throw QualiClipError(std::string("model registry: not valid JSON (") + e.what() + ")");
    }
    if (!doc.is_object() || !doc.contains("models") || !doc.at("models").is_array())
        throw QualiClipError("model registry: no 'models' list");
    std::vector<RegistryEntry> entries;
    for (const nlohmann::json& item : doc.at("models")) {
        const std::string where = "entry " + std::to_string(entries.size() + 1);
        if (!item.is_object()) throw QualiClipError("model registry: " + where + " is not an object");
        RegistryEntry e;
        e.id = requiredString(item, "id", where);
        const std::string named = "entry '" + e.id + "'";
        e.name = requiredString(item, "name", named);
        e.fileName = requiredString(item, "file", named);
        if (!isPlainModelFileName(e.fileName))
            throw QualiClipError("model registry: " + named + ": file '" + e.fileName +
                                 "' must be a plain file name ending in .pth");
        e.url = requiredString(item, "url", named);
        if (e.url.rfind("https://", 0) != 0 && e.url.rfind("http://", 0) != 0)
            throw QualiClipError("model registry: " + named + ": url must be http or https");
        e.licence = requiredString(item, "licence", named);
        e.citation = requiredString(item, "citation", named);
        if (item.contains("size") && !item.at("size").is_null()) {
            if (!item.at("size").is_number_integer() || item.at("size").get<int64_t>() <= 0)
                throw QualiClipError("model registry: " + named + ": size must be a positive integer or null");
            e.size = item.at("size").get<int64_t>();
        }
        if (item.contains("sha256") && !item.at("sha256").is_null()) {
            e.sha256 = item.at("sha256").is_string() ? item.at("sha256").get<std::string>() : std::string();
            if (!isLowerHex64(e.sha256))
                throw QualiClipError("model registry: " + named + ": sha256 must be 64 lowercase hex digits or null");
        }
        if (item.contains("files")) {
            if (!item.at("files").is_array()) throw QualiClipError("model registry: " + named + ": 'files' is not a list");
            for (const nlohmann::json& file : item.at("files")) e.files.push_back(parseRegistryFile(file, named));
        }
        if (item.contains("base")) e.base = requiredString(item, "base", named);
        for (const RegistryEntry& other : entries)
            if (other.id == e.id) throw QualiClipError("model registry: id '" + e.id + "' appears twice");
        entries.push_back(std::move(e));
    }
    if (entries.empty()) throw QualiClipError("model registry: no models");
    for (const RegistryEntry& e : entries) {
        if (e.base.empty()) continue;
        const auto base = std::find_if(entries.begin(), entries.end(), [&](const RegistryEntry& b) { return b.id == e.base; });
        if (base == entries.end() || base->isPromptLearner())
            throw QualiClipError("model registry: entry '" + e.id + "': base '" + e.base +
                                 "' is not a model with weights of its own in the registry");
    }
    return entries;
}

const std::vector<RegistryEntry>& modelRegistry() {
    // A broken registry is a build error in practice: the registry test parses the same text.
    static const std::vector<RegistryEntry> entries = parseModelRegistry(kBuiltinRegistryJson);
    return entries;
}

std::optional<RegistryEntry> findRegistryEntry(const std::string& id) {
    for (const RegistryEntry& e : modelRegistry())
        if (e.id == id) return e;
    return std::nullopt;
}

std::optional<RegistryEntry> findRegistryEntryByFile(const std::string& fileName) {
    for (const RegistryEntry& e : modelRegistry())
        if (e.fileName == fileName) return e;
    return std::nullopt;
}

}  // namespace qc
