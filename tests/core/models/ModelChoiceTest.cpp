// What a model name on the command line or in the window resolves to: a file, or a registry id
// installed in the models folder; QualiCLIP+ ids need their learner file and the base weights.
#include <gtest/gtest.h>

#include <filesystem>

#include "Errors.h"
#include "TestSupport.h"
#include "models/ModelChoice.h"

namespace qc {
namespace {

namespace fs = std::filesystem;

std::string oracleFile(const std::string& name) { return (test::oracleDir() / name).string(); }

#define EXPECT_CONTAINS(text, part) \
    EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST(ModelChoice, AFileIsItselfAndAnUnknownNameIsRefused) {
    QCI_REQUIRE_ORACLE();
    test::TempDir folder;
    std::string problem;
    const auto file =
        chooseModel(oracleFile("tiny_qualiclip.pth"), problem, folder.path().string());
    ASSERT_TRUE(file.has_value()) << problem;
    EXPECT_EQ(file->weightsPath, oracleFile("tiny_qualiclip.pth"));
    EXPECT_FALSE(file->isQualiClipPlus());
    EXPECT_FALSE(chooseModel("no-such-model", problem, folder.path().string()).has_value());
    EXPECT_CONTAINS(problem, "no model in the registry has that id");
}

TEST(ModelChoice, AQualiclipPlusIdNamesWhatIsMissingAndHowToGetIt) {
    QCI_REQUIRE_ORACLE();
    test::TempDir folder;
    std::string problem;
    EXPECT_FALSE(chooseModel("qualiclip+-koniq", problem, folder.path().string()).has_value());
    EXPECT_CONTAINS(problem, "qualiclip models download qualiclip+-koniq");
    EXPECT_CONTAINS(problem, "QualiCLIP+_koniq.pth");
    fs::copy_file(oracleFile("qualiclip_plus_params.pth"), folder.path() / "QualiCLIP+_koniq.pth");
    EXPECT_FALSE(chooseModel("qualiclip+-koniq", problem, folder.path().string()).has_value());
    EXPECT_CONTAINS(problem, "weights of 'qualiclip'");
    fs::copy_file(oracleFile("text_multihead_qualiclip.pth"), folder.path() / "qualiclip.pth");
    const auto choice = chooseModel("qualiclip+-koniq", problem, folder.path().string());
    ASSERT_TRUE(choice.has_value()) << problem;
    EXPECT_TRUE(choice->isQualiClipPlus());
    EXPECT_EQ(choice->id, "qualiclip+-koniq");
    EXPECT_EQ(choice->weightsPath, (folder.path() / "qualiclip.pth").string());
    EXPECT_EQ(choice->promptLearnerPath, (folder.path() / "QualiCLIP+_koniq.pth").string());

    const std::string vocabulary = oracleFile("bpe_simple_vocab_16e6.txt.gz");
    const auto plus = loadChosenModel(*choice, {}, std::nullopt, vocabulary);
    EXPECT_EQ(plus->info().recipe, ScoringRecipe::Pyiqa);
    EXPECT_EQ(plus->info().promptSet, "learned:" + sha256OfFile(choice->promptLearnerPath));
    EXPECT_EQ(plus->info().pairs.size(), 7u);
    try {
        loadChosenModel(*choice, {}, ScoringRecipe::Official, vocabulary);
        FAIL() << "no error";
    } catch (const QualiClipError& e) {
        EXPECT_CONTAINS(e.what(), "only by pyiqa's recipe");
    }
}

TEST(ModelChoice, TheRecipeIsAppliedToPlainWeights) {
    QCI_REQUIRE_ORACLE();
    std::string problem;
    const auto choice = chooseModel(oracleFile("tiny_qualiclip.pth"), problem);
    ASSERT_TRUE(choice.has_value()) << problem;
    EXPECT_EQ(loadChosenModel(*choice, {}, std::nullopt)->info().recipe, ScoringRecipe::Official);
    const auto pyiqa = loadChosenModel(*choice, {}, ScoringRecipe::Pyiqa);
    EXPECT_EQ(pyiqa->info().recipe, ScoringRecipe::Pyiqa);
    EXPECT_EQ(pyiqa->info().promptSet, kDefaultPromptSetId);
}

}  // namespace
}  // namespace qc
