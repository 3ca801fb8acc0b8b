// The recipe's names (command line, rows, reports) and its place in the catalog key: the official
// recipe keeps the keys catalogs already hold; pyiqa's gets keys of its own.
#include <gtest/gtest.h>

#include "engine/PromptSet.h"
#include "engine/ScoringRecipe.h"

namespace qc {
namespace {

TEST(ScoringRecipe, NamesReadBack) {
    EXPECT_EQ(recipeName(ScoringRecipe::Official), "official");
    EXPECT_EQ(recipeName(ScoringRecipe::Pyiqa), "pyiqa");
    EXPECT_EQ(parseRecipe("official"), ScoringRecipe::Official);
    EXPECT_EQ(parseRecipe("pyiqa"), ScoringRecipe::Pyiqa);
    EXPECT_FALSE(parseRecipe("PyIQA").has_value());
    EXPECT_FALSE(parseRecipe("").has_value());
}

TEST(ScoringRecipe, OfficialKeepsTodaysCatalogKeysAndPyiqaGetsItsOwn) {
    EXPECT_EQ(scoringKey("abc", kDefaultPromptSetId, ScoringRecipe::Official), "abc");
    EXPECT_EQ(scoringKey("abc", "f00", ScoringRecipe::Official), "abc+prompts:f00");
    EXPECT_EQ(scoringKey("abc", kDefaultPromptSetId, ScoringRecipe::Pyiqa), "abc+recipe:pyiqa");
    EXPECT_EQ(scoringKey("abc", "learned:9f", ScoringRecipe::Pyiqa),
              "abc+prompts:learned:9f+recipe:pyiqa");
}

}  // namespace
}  // namespace qc
