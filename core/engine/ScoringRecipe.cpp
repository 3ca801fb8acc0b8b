#include "engine/ScoringRecipe.h"

namespace qc {

std::string recipeName(ScoringRecipe recipe) {
    return recipe == ScoringRecipe::Pyiqa ? "pyiqa" : kOfficialRecipeName;
}

std::optional<ScoringRecipe> parseRecipe(const std::string& name) {
    if (name == kOfficialRecipeName) return ScoringRecipe::Official;
    if (name == "pyiqa") return ScoringRecipe::Pyiqa;
    return std::nullopt;
}

}  // namespace qc
