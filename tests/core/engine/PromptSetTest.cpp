// .prompts parsing and writing, set identity, and PromptSetEncoder + QualiClipModel::withPrompts
// against the official recipe (oracle custom_prompt_scores) through the engine, not the CLI.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Errors.h"
#include "TestSupport.h"
#include "engine/PromptSet.h"
#include "engine/PromptSetEncoder.h"

namespace qc {
namespace {

std::string problemOf(const std::string& text) {
    try {
        parsePromptSet(text, "'x.prompts'");
    } catch (const PromptError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(PromptSetTest, ParsesPairsIgnoringCommentsAndBlankLines) {
    const PromptSet set = parsePromptSet(
        "# exposure\n\nwell_exposed: Well-exposed photo. | Overexposed photo.\n"
        "  not_dark :Bright photo.|Underexposed, dark photo.  \n",
        "test");
    ASSERT_EQ(set.pairs.size(), 2u);
    EXPECT_EQ(set.pairs[0].key, "well_exposed");
    EXPECT_EQ(set.pairs[0].positive, "Well-exposed photo.");
    EXPECT_EQ(set.pairs[0].negative, "Overexposed photo.");
    EXPECT_EQ(set.pairs[1].key, "not_dark");
    EXPECT_EQ(set.pairs[1].positive, "Bright photo.");
    EXPECT_EQ(set.pairs[1].negative, "Underexposed, dark photo.");
}

TEST(PromptSetTest, ErrorsNameTheLineAndTheProblem) {
    EXPECT_EQ(problemOf("a: x | y\nno colon here\n"),
              "'x.prompts' line 2: expected \"name: positive | negative\", found no ':'");
    EXPECT_EQ(problemOf("a: x  y\n"),
              "'x.prompts' line 1: expected \"name: positive | negative\", found no '|'");
    EXPECT_EQ(problemOf("a: x | y | z\n"), "'x.prompts' line 1: more than one '|'");
    EXPECT_EQ(problemOf("# c\na: x | y\na: p | q\n"),
              "'x.prompts' line 3: the pair name 'a' is used twice");
    EXPECT_EQ(
        problemOf("a b: x | y\n"),
        "'x.prompts' line 1: the pair name 'a b' may hold only letters, digits, '_', '-' and '.'");
    EXPECT_EQ(problemOf("a: | y\n"), "'x.prompts' line 1: the positive prompt of 'a' is empty");
    EXPECT_EQ(problemOf("mean: x | y\n"),
              "'x.prompts' line 1: 'mean' is reserved (it means the mean over pairs)");
    EXPECT_EQ(problemOf("# only a comment\n\n"),
              "'x.prompts': no prompt pairs (lines \"name: positive | negative\")");
}

TEST(PromptSetTest, IdentityIgnoresSpacingAndCommentsButNotWordsOrOrder) {
    const PromptSet a = parsePromptSet("x: Sharp image. | Blurry image.\ny: Good. | Bad.\n", "a");
    const PromptSet b =
        parsePromptSet("# other comment\n x :  Sharp   image.|Blurry image.\n\ny:Good.|Bad.", "b");
    const PromptSet swapped =
        parsePromptSet("y: Good. | Bad.\nx: Sharp image. | Blurry image.\n", "c");
    const PromptSet other =
        parsePromptSet("x: Sharp image. | Blurry photo.\ny: Good. | Bad.\n", "d");
    EXPECT_EQ(promptSetId(a), promptSetId(b));
    EXPECT_NE(promptSetId(a), promptSetId(swapped));
    EXPECT_NE(promptSetId(a), promptSetId(other));
    EXPECT_EQ(promptSetId(a).size(), 64u);
    EXPECT_EQ(normalisedPromptSetText(a), "x: Sharp image. | Blurry image.\ny: Good. | Bad.\n");
    EXPECT_EQ(scoringKey("abc", kDefaultPromptSetId), "abc");
    EXPECT_EQ(scoringKey("abc", promptSetId(a)), "abc+prompts:" + promptSetId(a));
}

TEST(PromptSetTest, WrittenFileReadsBackAsTheSameSet) {
    test::TempDir dir;
    for (const PromptSet& starter : starterPromptSets()) {
        EXPECT_EQ(promptSetProblem(starter), "") << starter.name;
        const std::string path = dir.file(starter.name + ".prompts");
        writePromptSetFile(path, starter);
        const PromptSet back = readPromptSetFile(path);
        EXPECT_EQ(back.name, starter.name);
        EXPECT_EQ(promptSetId(back), promptSetId(starter));
        EXPECT_FALSE(std::filesystem::exists(path + ".part"));
    }
    EXPECT_THROW(
        writePromptSetFile(dir.file("bad.prompts"), PromptSet{"bad", {{"a", "x | y", "z"}}}),
        PromptError);
    EXPECT_FALSE(std::filesystem::exists(dir.file("bad.prompts")));
    EXPECT_THROW(readPromptSetFile(dir.file("missing.prompts")), PromptError);
}

// The engine path the CLI and the window share: encoder -> withPrompts -> run, on the oracle's
// multi-head checkpoint, against custom_prompt_scores.
TEST(PromptSetEncoderTest, CustomSetsScoreAsTheOfficialRecipe) {
    QCI_REQUIRE_ORACLE();
    std::ifstream in(test::oracleDir() / "expected_text_multihead.json");
    const nlohmann::json expected = nlohmann::json::parse(in);
    const auto model =
        QualiClipModel::load((test::oracleDir() / "text_multihead_qualiclip.pth").string());
    const auto encoder = PromptSetEncoder::forModel(
        *model, (test::oracleDir() / "bpe_simple_vocab_16e6.txt.gz").string());
    for (const auto& [setName, pairs] : expected.at("custom_prompt_sets").items()) {
        PromptSet set{setName, {}};
        for (const auto& p : pairs)
            set.pairs.push_back({p.at("name"), p.at("positive"), p.at("negative")});
        const auto custom = encoder->modelFor(model, set);
        EXPECT_EQ(custom->info().promptSet, promptSetId(set));
        EXPECT_EQ(custom->info().pairs.size(), set.pairs.size());
        EXPECT_EQ(model->info().promptSet, kDefaultPromptSetId);  // the base model is unchanged
        for (const auto& [image, perSet] : expected.at("custom_prompt_scores").items()) {
            cv::Mat bgr = cv::imread((test::oracleDir() / "images" / (image + ".png")).string(),
                                     cv::IMREAD_COLOR);
            cv::Mat rgb;
            cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
            ForwardOptions options;
            options.dense = true;
            const NetworkOutput out = custom->run(rgb, options);
            const auto& want = perSet.at(setName);
            EXPECT_NEAR(out.score, want.at("score").get<double>(), 1e-5) << setName << " " << image;
            for (size_t k = 0; k < set.pairs.size(); ++k)
                EXPECT_NEAR(out.pairProbabilities[k], want.at("pair_probs")[k].get<double>(), 2e-5);
            EXPECT_EQ(out.densePairs.size(), set.pairs.size());
        }
    }
}

TEST(PromptSetEncoderTest, FeaturesAreComputedOncePerSet) {
    QCI_REQUIRE_ORACLE();
    const auto model = QualiClipModel::load((test::oracleDir() / "tiny_qualiclip.pth").string());
    const auto encoder = PromptSetEncoder::forModel(
        *model, (test::oracleDir() / "bpe_simple_vocab_16e6.txt.gz").string());
    const PromptSet set = starterPromptSets().front();
    const auto first = encoder->features(set);
    const auto second = encoder->features(set);
    ASSERT_EQ(first.size(), 2 * set.pairs.size());
    EXPECT_EQ(first, second);
    EXPECT_EQ(encoder->cachedSets(), 1u);
    encoder->features(starterPromptSets().back());
    EXPECT_EQ(encoder->cachedSets(), 2u);
    EXPECT_THROW(encoder->features(PromptSet{"empty", {}}), PromptError);
    PromptSet tooLong{"long",
                      {{"x", std::string(400, 'a') + " " + std::string(400, 'b'), "short"}}};
    for (int i = 0; i < 80; ++i) tooLong.pairs[0].positive += " word";
    EXPECT_THROW(encoder->features(tooLong), PromptError);
}

}  // namespace
}  // namespace qc
