// ScoringRecipe: how image-text cosines become a score. Two recipes give different numbers from
// the same weights, so the recipe is part of every row, catalog key and report:
// - official: the authors' hub model (miccunifi/QualiCLIP hubconf.py): logits = 100 x cosine,
//   softmax within each antonym pair, mean of the positive probabilities. The default, and the
//   numbers the conformance tests pin.
// - pyiqa: pyiqa's `qualiclip` (chaofengc/IQA-PyTorch, pyiqa/archs/qualiclip_arch.py), the numbers
//   most papers report: logits = exp(logit_scale of the checkpoint) x cosine / temperature 2, the
//   prompt features normalised again. QualiCLIP+ (engine/PromptLearner.h) always scores this way.
//
// Plain values and pure functions: any thread.
#pragma once

#include <optional>
#include <string>

namespace qc {

enum class ScoringRecipe { Official, Pyiqa };

inline constexpr const char* kOfficialRecipeName = "official";
inline constexpr double kPyiqaTemperature = 2.0;  // QualiCLIP.__init__(temperature=2) in pyiqa

std::string recipeName(ScoringRecipe recipe);                       // "official", "pyiqa"
std::optional<ScoringRecipe> parseRecipe(const std::string& name);  // nullopt for anything else

}  // namespace qc
