#include "models/InstalledModels.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "Errors.h"

namespace qc {
namespace fs = std::filesystem;
namespace {

std::string nowUtc() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

nlohmann::json toJson(const InstalledRecord& r) {
    return {{"file", r.fileName}, {"id", r.id},         {"sha256", r.sha256}, {"first_sha256", r.firstSha256},
            {"size", r.size},     {"url", r.url},       {"installed_at", r.installedAt}};
}

InstalledRecord fromJson(const nlohmann::json& j) {
    InstalledRecord r;
    r.fileName = j.value("file", "");
    r.id = j.value("id", "");
    r.sha256 = j.value("sha256", "");
    r.firstSha256 = j.value("first_sha256", r.sha256);
    r.size = j.value("size", int64_t{0});
    r.url = j.value("url", "");
    r.installedAt = j.value("installed_at", "");
    return r;
}

void writeRecords(const std::string& folder, const std::vector<InstalledRecord>& records) {
    nlohmann::json list = nlohmann::json::array();
    for (const InstalledRecord& r : records) list.push_back(toJson(r));
    const fs::path target = fs::path(folder) / kInstalledRecordFile;
    const fs::path temporary = fs::path(folder) / (std::string(kInstalledRecordFile) + ".tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << nlohmann::json{{"format", 1}, {"models", list}}.dump(2) << "\n";
        out.close();
        if (!out) throw QualiClipError("cannot write '" + temporary.string() + "' (disk full?)");
    }
    std::error_code ec;
    fs::rename(temporary, target, ec);
    if (ec) throw QualiClipError("cannot write '" + target.string() + "': " + ec.message());
}

}  // namespace

std::vector<InstalledRecord> readInstalledRecords(const std::string& folder) {
    std::vector<InstalledRecord> records;
    std::ifstream in(fs::path(folder) / kInstalledRecordFile, std::ios::binary);
    if (!in) return records;
    try {
        const nlohmann::json doc = nlohmann::json::parse(in);
        for (const nlohmann::json& j : doc.at("models"))
            if (j.is_object() && !j.value("file", "").empty()) records.push_back(fromJson(j));
    } catch (const nlohmann::json::exception&) {
        records.clear();  // a damaged record only costs the hash history
    }
    return records;
}

std::string recordInstalledModel(const std::string& folder, InstalledRecord record) {
    std::vector<InstalledRecord> records = readInstalledRecords(folder);
    if (record.installedAt.empty()) record.installedAt = nowUtc();
    record.firstSha256 = record.sha256;
    std::string warning;
    auto it = std::find_if(records.begin(), records.end(),
                           [&](const InstalledRecord& r) { return r.fileName == record.fileName; });
    if (it != records.end()) {
        record.firstSha256 = it->firstSha256.empty() ? it->sha256 : it->firstSha256;
        if (!record.firstSha256.empty() && record.firstSha256 != record.sha256)
            warning = "the downloaded '" + record.fileName + "' differs from the first download (SHA-256 " +
                      record.sha256 + ", first seen " + record.firstSha256 +
                      "): the published file has changed, or one of the downloads was tampered with; "
                      "scores may differ from earlier ones";
        *it = record;
    } else {
        records.push_back(record);
    }
    writeRecords(folder, records);
    return warning;
}

bool changedSinceRecorded(const InstalledModel& model) {
    if (!model.record) return false;
    if (model.record->size != model.size) return true;
    std::tm tm{};
    std::istringstream text(model.record->installedAt);
    text >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    if (text.fail()) return false;
    std::error_code ec;
    const auto written = fs::last_write_time(model.path, ec);
    if (ec) return false;
    const auto writtenSystem = std::chrono::time_point_cast<std::chrono::seconds>(
        written - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    // The download renames its finished file just before recording it: allow a few seconds.
    return writtenSystem.time_since_epoch().count() > static_cast<int64_t>(timegm(&tm)) + 5;
}

std::optional<InstalledRecord> installedRecordOf(const std::string& path) {
    const fs::path file(path);
    for (const InstalledRecord& r : readInstalledRecords(file.parent_path().string()))
        if (r.fileName == file.filename().string()) return r;
    return std::nullopt;
}

std::vector<InstalledModel> listInstalledModels(const std::string& folder) {
    std::vector<InstalledModel> models;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return models;
    const std::vector<InstalledRecord> records = readInstalledRecords(folder);
    for (const fs::directory_entry& item : fs::directory_iterator(folder, ec)) {
        if (!item.is_regular_file(ec) || item.path().extension() != ".pth") continue;
        InstalledModel m;
        m.path = item.path().string();
        m.fileName = item.path().filename().string();
        m.size = static_cast<int64_t>(item.file_size(ec));
        for (const InstalledRecord& r : records)
            if (r.fileName == m.fileName) m.record = r;
        m.entry = findRegistryEntryByFile(m.fileName);
        models.push_back(std::move(m));
    }
    std::sort(models.begin(), models.end(),
              [](const InstalledModel& a, const InstalledModel& b) { return a.fileName < b.fileName; });
    return models;
}

std::string removeInstalledModel(const std::string& folder, const std::string& fileName) {
    if (fileName.empty() || fileName.find('/') != std::string::npos) return "'" + fileName + "' is not a model file name";
    const fs::path path = fs::path(folder) / fileName;
    std::error_code ec;
    if (!fs::remove(path, ec) || ec)
        return "cannot delete '" + path.string() + "'" + (ec ? ": " + ec.message() : ": no such file");
    std::vector<InstalledRecord> records = readInstalledRecords(folder);
    const auto kept = std::remove_if(records.begin(), records.end(),
                                     [&](const InstalledRecord& r) { return r.fileName == fileName; });
    if (kept != records.end()) {
        records.erase(kept, records.end());
        try {
            writeRecords(folder, records);
        } catch (const QualiClipError& e) {
            return e.what();
        }
    }
    return {};
}

std::string formatBytes(int64_t bytes) {
    char buffer[32];
    if (bytes < 1000) std::snprintf(buffer, sizeof buffer, "%lld B", static_cast<long long>(bytes));
    else if (bytes < 1000 * 1000) std::snprintf(buffer, sizeof buffer, "%.1f kB", bytes / 1e3);
    else if (bytes < int64_t{1000} * 1000 * 1000) std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / 1e6);
    else std::snprintf(buffer, sizeof buffer, "%.2f GB", bytes / 1e9);
    return buffer;
}

}  // namespace qc
