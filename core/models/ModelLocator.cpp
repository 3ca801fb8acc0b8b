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

// explicitPath alone when given (an explicit choice is never silently replaced by another
// file), else the environment variable, then the file in the models folder.
ModelLocation locateFile(const std::string& explicitPath, const char* environmentVariable, const char* fileName) {
    ModelLocation location;
    if (!explicitPath.empty()) {
        location.candidates.push_back(explicitPath);
    } else {
        if (const char* env = std::getenv(environmentVariable); env && *env)
            location.candidates.push_back(env);
        location.candidates.push_back((std::filesystem::path(defaultModelsFolder()) / fileName).string());
    }
    for (const std::string& candidate : location.candidates) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) {
            location.path = candidate;
            break;
        }
    }
    return location;
}

}  // namespace

ModelLocation locateModel(const std::string& explicitPath) {
    return locateFile(explicitPath, "QUALICLIP_MODEL", "qualiclip.pth");
}

ModelLocation locateVocabulary(const std::string& explicitPath) {
    return locateFile(explicitPath, "QUALICLIP_VOCAB", kVocabularyFileName);
}

std::string missingVocabularyMessage(const ModelLocation& location) {
    std::string message = "custom prompts need CLIP's vocabulary (" + std::string(kVocabularyFileName) +
                          ", 1.3 MB, MIT licence); not found. Looked at:\n";
    for (const std::string& c : location.candidates) message += "  " + c + "\n";
    return message + "Get it with `qualiclip models download` (it fetches the model and the vocabulary), "
                     "or pass --vocab PATH, or set QUALICLIP_VOCAB. Scoring with the model's own prompts "
                     "works without it.";
}

std::string missingModelMessage(const ModelLocation& location) {
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
