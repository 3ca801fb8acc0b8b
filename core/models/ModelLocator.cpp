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

ModelLocation locateModel(const std::string& explicitPath) {
    ModelLocation location;
    if (!explicitPath.empty()) {
        // An explicit choice is never silently replaced by another file.
        location.candidates.push_back(explicitPath);
    } else {
        if (const char* env = std::getenv("QUALICLIP_MODEL"); env && *env)
            location.candidates.push_back(env);
        location.candidates.push_back(
            (std::filesystem::path(defaultModelsFolder()) / "qualiclip.pth").string());
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
