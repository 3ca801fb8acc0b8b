#include "models/ModelLocator.h"

#include <cstdlib>
#include <filesystem>

namespace qc {

std::string defaultModelsFolder() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    std::filesystem::path base;
    if (xdg && *xdg) {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        base = std::filesystem::path(home ? home : ".") / ".local" / "share";
    }
    return (base / "qualiclip" / "models").string();
}

namespace {

// Why `path` cannot be opened as a file, in words.
std::string whyNotAFile(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) return "does not exist";
    if (std::filesystem::is_directory(status)) return "is a folder, not a file";
    return "is not a regular file";
}

// The path the user chose (explicitPath, else the environment variable) alone: a choice is never
// silently replaced by another file. Without a choice, the file in the models folder.
ModelLocation locateFile(const std::string& explicitPath, const char* environmentVariable, const char* fileName,
                         const char* what) {
    ModelLocation location;
    const char* env = std::getenv(environmentVariable);
    const bool fromEnvironment = explicitPath.empty() && env && *env;
    const std::string chosen = fromEnvironment ? std::string(env) : explicitPath;
    location.candidates.push_back(
        chosen.empty() ? (std::filesystem::path(defaultModelsFolder()) / fileName).string() : chosen);
    std::error_code ec;
    if (std::filesystem::is_regular_file(location.candidates.front(), ec)) {
        location.path = location.candidates.front();
    } else if (!chosen.empty()) {
        location.refusal = std::string(what) + " '" + chosen + "'" +
                           (fromEnvironment ? std::string(" (from $") + environmentVariable + ")" : "") + " " +
                           whyNotAFile(chosen);
    }
    return location;
}

}  // namespace

ModelLocation locateModel(const std::string& explicitPath) {
    return locateFile(explicitPath, "QUALICLIP_MODEL", "qualiclip.pth", "model file");
}

ModelLocation locateVocabulary(const std::string& explicitPath) {
    return locateFile(explicitPath, "QUALICLIP_VOCAB", kVocabularyFileName, "vocabulary file");
}

std::string missingVocabularyMessage(const ModelLocation& location) {
    if (!location.refusal.empty())
        return location.refusal + ". Get CLIP's vocabulary with `qualiclip models download`; scoring with the "
                                  "model's own prompts works without it.";
    std::string message = "custom prompts need CLIP's vocabulary (" + std::string(kVocabularyFileName) +
                          ", 1.3 MB, MIT licence); not found. Looked at:\n";
    for (const std::string& c : location.candidates) message += "  " + c + "\n";
    return message + "Get it with `qualiclip models download` (it fetches the model and the vocabulary), "
                     "or pass --vocab PATH, or set QUALICLIP_VOCAB. Scoring with the model's own prompts "
                     "works without it.";
}

std::string missingModelMessage(const ModelLocation& location) {
    if (!location.refusal.empty()) return location.refusal;
    std::string message = "no QualiCLIP model found. Looked at:\n";
    for (const std::string& c : location.candidates) message += "  " + c + "\n";
    message +=
        "The weights (qualiclip.pth, ~400 MB, licence CC BY-NC 4.0) are published by the authors at\n  " +
        std::string(kWeightsUrl) +
        "\nSave the file as " + defaultModelsFolder() +
        "/qualiclip.pth, or pass --model PATH, or set QUALICLIP_MODEL.";
    return message;
}

}  // namespace qc
