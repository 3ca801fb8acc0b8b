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
    // Set when the user chose a path (the explicit one, or the environment variable) that
    // cannot be used: it is never silently replaced by another file.
    std::string refusal;
};

ModelLocation locateModel(const std::string& explicitPath);

// A message for a user without a model: the refusal of the path they chose, or where we looked
// and how to get the weights.
std::string missingModelMessage(const ModelLocation& location);

// CLIP's BPE vocabulary, needed for custom prompts only (engine/ClipTokenizer.h), looked for in
// order: an explicit path (--vocab), $QUALICLIP_VOCAB, the models folder.
inline constexpr const char* kVocabularyFileName = "bpe_simple_vocab_16e6.txt.gz";
ModelLocation locateVocabulary(const std::string& explicitPath);
// Where we looked and how to get it (`qualiclip models download`); default scoring still works.
std::string missingVocabularyMessage(const ModelLocation& location);

}  // namespace qc
