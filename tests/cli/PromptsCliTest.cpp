// `qualiclip score --prompts`: the real binary, end to end against the official recipe applied to
// custom antonym prompt sets (oracle expected_text_multihead.json, custom_prompt_scores: two sets,
// three images, on text_multihead_qualiclip.pth), and its errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "CliTestSupport.h"

namespace qc {
namespace {

using test::runQualiclip;
using test::RunResult;
using test::oracleFile;

// The oracle's set written as a .prompts file, with a comment and a blank line as people write
// them.
std::string writePromptsFile(const test::TempDir& dir, const std::string& name,
                             const nlohmann::json& pairs) {
    const std::string path = dir.file(name + ".prompts");
    std::ofstream out(path);
    out << "# " << name << " (from the conformance oracle)\n\n";
    for (const auto& p : pairs)
        out << p.at("name").get<std::string>() << ":  " << p.at("positive").get<std::string>()
            << " | " << p.at("negative").get<std::string>() << "\n";
    return path;
}

QStringList scoreArgs(const std::string& promptsPath) {
    return {"score",     "--no-catalog",
            "--model",   oracleFile("text_multihead_qualiclip.pth"),
            "--vocab",   oracleFile("bpe_simple_vocab_16e6.txt.gz"),
            "--prompts", QString::fromStdString(promptsPath)};
}

TEST(PromptsCli, CustomPromptScoresMatchTheOfficialRecipe) {
    QCI_REQUIRE_ORACLE();
    const nlohmann::json expected = test::oracleJson("expected_text_multihead.json");
    const nlohmann::json& scores = expected.at("custom_prompt_scores");
    test::TempDir dir;
    int checked = 0;
    for (const auto& [setName, pairs] : expected.at("custom_prompt_sets").items()) {
        QStringList args = scoreArgs(writePromptsFile(dir, setName, pairs));
        std::vector<std::string> images;
        for (const auto& [image, perSet] : scores.items()) {
            images.push_back(image);
            args << test::oracleImage(image);
        }
        const RunResult r = runQualiclip(args);
        ASSERT_EQ(r.exitCode, 0) << r.err;
        const auto rows = test::jsonLines(r.out);
        ASSERT_EQ(rows.size(), images.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            SCOPED_TRACE(setName + " / " + images[i]);
            const nlohmann::json& want = scores.at(images[i]).at(setName);
            EXPECT_NEAR(rows[i].at("score").get<double>(), want.at("score").get<double>(), 1e-5);
            const auto& got = rows[i].at("pairs");
            ASSERT_EQ(got.size(), pairs.size());
            size_t k = 0;
            for (const auto& [pairName, probability] : got.items()) {
                EXPECT_EQ(pairName,
                          pairs[k].at("name").get<std::string>());  // the set's names, in order
                EXPECT_NEAR(probability.get<double>(), want.at("pair_probs")[k].get<double>(),
                            2e-5);
                ++k;
            }
            const std::string promptSet = rows[i].at("prompt_set").get<std::string>();
            EXPECT_EQ(promptSet.size(), 64u) << promptSet;  // the set's SHA-256
            ++checked;
        }
    }
    EXPECT_EQ(checked, 6);
}

TEST(PromptsCli, WithoutPromptsRowsSayDefault) {
    QCI_REQUIRE_ORACLE();
    const RunResult r = runQualiclip({"score", "--no-catalog", "--model", test::oracleModel(),
                                      test::oracleImage("scene_512x384")});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(test::jsonLines(r.out).at(0).at("prompt_set"), "default");
}

TEST(PromptsCli, SameQuestionsWithOtherSpacingShareTheSetId) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string a = dir.file("a.prompts"), b = dir.file("b.prompts");
    std::ofstream(a) << "sharp: Sharp image. | Blurry image.\n";
    std::ofstream(b) << "# same\n  sharp :   Sharp   image.|Blurry image.  \n";
    const RunResult ra = runQualiclip(scoreArgs(a) << test::oracleImage("noise_96x320"));
    const RunResult rb = runQualiclip(scoreArgs(b) << test::oracleImage("noise_96x320"));
    ASSERT_EQ(ra.exitCode, 0) << ra.err;
    ASSERT_EQ(rb.exitCode, 0) << rb.err;
    const auto rowA = test::jsonLines(ra.out).at(0), rowB = test::jsonLines(rb.out).at(0);
    EXPECT_EQ(rowA.at("prompt_set"), rowB.at("prompt_set"));
    EXPECT_EQ(rowA.at("score"), rowB.at("score"));
}

TEST(PromptsCli, CatalogKeepsScoresOfEachPromptSetApart) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string prompts = dir.file("one.prompts");
    std::ofstream(prompts) << "sharp: Sharp image. | Blurry image.\n";
    const QString catalog = QString::fromStdString(dir.file("catalog.sqlite"));
    const QString image = test::oracleImage("checker_250x187");
    const QString model = oracleFile("text_multihead_qualiclip.pth");
    auto run = [&](bool custom) {
        QStringList args{"score", "--catalog", catalog, "--model", model};
        if (custom)
            args << "--vocab" << oracleFile("bpe_simple_vocab_16e6.txt.gz") << "--prompts"
                 << QString::fromStdString(prompts);
        const RunResult r = runQualiclip(args << image);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return test::jsonLines(r.out).at(0);
    };
    const auto defaultRow = run(false);
    const auto customRow = run(true);  // must not be answered with the default score
    EXPECT_FALSE(customRow.at("cached").get<bool>());
    EXPECT_EQ(customRow.at("pairs").size(), 1u);
    EXPECT_NE(customRow.at("score"), defaultRow.at("score"));
    const auto customAgain = run(true);
    EXPECT_TRUE(customAgain.at("cached").get<bool>());
    EXPECT_EQ(customAgain.at("prompt_set"), customRow.at("prompt_set"));
    EXPECT_DOUBLE_EQ(customAgain.at("score").get<double>(), customRow.at("score").get<double>());
    const auto defaultAgain = run(false);
    EXPECT_TRUE(defaultAgain.at("cached").get<bool>());
    EXPECT_EQ(defaultAgain.at("prompt_set"), "default");
    EXPECT_DOUBLE_EQ(defaultAgain.at("score").get<double>(), defaultRow.at("score").get<double>());
}

TEST(PromptsCli, MapOfACustomPairIsWritten) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string prompts = dir.file("exposure.prompts");
    std::ofstream(prompts) << "well_exposed: Well-exposed photo. | Overexposed photo.\n";
    const QString maps = QString::fromStdString(dir.file("maps"));
    RunResult r = runQualiclip(scoreArgs(prompts)
                               << "--map"
                               << "dense"
                               << "--pair"
                               << "well_exposed"
                               << "--maps-dir" << maps << test::oracleImage("scene_512x384"));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(
        std::filesystem::exists(dir.path() / "maps" / "scene_512x384.dense-well_exposed.png"));
    r = runQualiclip(scoreArgs(prompts)
                     << "--map"
                     << "dense"
                     << "--pair"
                     << "sharp_image"
                     << "--maps-dir" << maps << test::oracleImage("scene_512x384"));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("unknown --pair 'sharp_image'"), std::string::npos) << r.err;
}

TEST(PromptsCli, BadPromptFilesAndMissingVocabularyAreUsageErrorsNamingTheProblem) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string bad = dir.file("bad.prompts");
    std::ofstream(bad) << "# fine\nok: Good. | Bad.\nbroken line without a bar\n";
    RunResult r = runQualiclip(scoreArgs(bad) << test::oracleImage("scene_512x384"));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(bad + "' line 3"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    const std::string tooLong = dir.file("long.prompts");
    std::string words;
    for (int i = 0; i < 80; ++i) words += "very ";
    std::ofstream(tooLong) << "long: A " << words << "good photo. | Bad photo.\n";
    r = runQualiclip(scoreArgs(tooLong) << test::oracleImage("scene_512x384"));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("takes 86 tokens"), std::string::npos) << r.err;

    const std::string good = dir.file("good.prompts");
    std::ofstream(good) << "ok: Good photo. | Bad photo.\n";
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", QString::fromStdString(dir.file("empty-data")));
    env.remove("QUALICLIP_VOCAB");
    r = runQualiclip(
        {"score", "--no-catalog", "--model", oracleFile("text_multihead_qualiclip.pth"),
         "--prompts", QString::fromStdString(good), test::oracleImage("scene_512x384")},
        env);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("qualiclip models download"), std::string::npos) << r.err;
    // Default scoring never needs the vocabulary.
    r = runQualiclip({"score", "--no-catalog", "--model", test::oracleModel(),
                      test::oracleImage("scene_512x384")},
                     env);
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

}  // namespace
}  // namespace qc
