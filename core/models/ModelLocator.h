// ModelLocator: where the QualiCLIP weights are looked for, in order: an explicit path
// (--model, File > Open model), $QUALICLIP_MODEL, then the app's data folder
// ($XDG_DATA_HOME/qualiclip/models/qualiclip.pth, ~/.local/share/... by default; the same folder
// Qt's QStandardPaths::AppDataLocation gives the GUI).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace qc {

inline constexpr const char* kWeightsUrl =
    "https://github.com/miccunifi/QualiCLIP/releases/download/weights/qualiclip.pth";

std::string defaultModelsFolder();  // $XDG_DATA_HOME/qualiclip/models

struct ModelLocation {
    std::optional<std::string> path;      // the first candidate that exists
    std::vector<std::string> candidates;  // everything looked at, in order
};

ModelLocation locateModel(const std::string& explicitPath);

// A message for a user without a model: where we looked and how to get the weights.
std::string missingModelMessage(const ModelLocation& location);

}  // namespace qc
