// PromptSet: a named list of antonym prompt pairs to score with instead of QualiCLIP's 7 stored
// ones ("Well-exposed photo." vs "Overexposed photo."), and its text file format (.prompts):
//
//   # exposure questions
//   well_exposed: Well-exposed photo. | Overexposed photo.
//   not_dark:     Bright photo.       | Underexposed, dark photo.
//
// one pair per line, "name: positive | negative"; '#' starts a comment line; blank lines are
// ignored. Names are letters, digits, '_', '-' and '.', unique within the set: they label output
// columns and --pair. A set is identified by the SHA-256 of its normalised text (one
// "name: positive | negative" line per pair, single spaces), so the same questions written with
// other spacing or comments share scores in the catalog; the stored 7 pairs are "default".
//
// Plain values and pure functions: any thread.
#pragma once

#include <string>
#include <vector>

#include "engine/Prompts.h"
#include "engine/ScoringRecipe.h"

namespace qc {

inline constexpr const char* kDefaultPromptSetId = "default";

struct PromptSet {
    std::string name;  // shown in the window; not part of the identity
    std::vector<PromptPair> pairs;
};

// Throws PromptError "<source> line N: <problem>" (source names the file or the editor).
PromptSet parsePromptSet(const std::string& text, const std::string& source);
PromptSet readPromptSetFile(const std::string& path);  // name = the file's stem
// Writes atomically (FILE.part, then rename); throws PromptError naming the file.
void writePromptSetFile(const std::string& path, const PromptSet& set);
std::string formatPromptSet(const PromptSet& set);  // the file text, with a header comment

std::string normalisedPromptSetText(const PromptSet& set);
std::string promptSetId(const PromptSet& set);  // lowercase hex SHA-256 of the normalised text
// The empty string when name is a valid pair name, else why not.
std::string pairNameProblem(const std::string& name);
// The problem of a whole set (no pairs, a bad or repeated name, an empty prompt, '|' or a line
// break inside a prompt), or "" when it can be scored.
std::string promptSetProblem(const PromptSet& set);

// Starting points for the window's editor: exposure, colour, noise, compression, sharpness.
std::vector<PromptSet> starterPromptSets();

// The catalog's key for scores: the checkpoint's SHA-256 alone for the stored prompts (as
// before custom prompts existed), "<sha256>+prompts:<set id>" for a custom set, and
// "+recipe:pyiqa" appended for pyiqa's recipe (the official one adds nothing, so older
// catalogs stay valid).
std::string scoringKey(const std::string& modelSha256, const std::string& promptSetId,
                       ScoringRecipe recipe = ScoringRecipe::Official);

}  // namespace qc
