// `qualiclip score --recipe`: the real binary against pyiqa's numbers (oracle
// expected_pyiqa_variants.json, pyiqa_qualiclip on text_multihead_qualiclip.pth), the recipe in
// every row right after prompt_set, and catalog entries kept apart per recipe.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "CliTestSupport.h"

namespace qc {
namespace {

using test::runQualiclip;
using test::RunResult;
using test::oracleFile;

#define EXPECT_CONTAINS(text, part) \
    EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST(RecipeCli, PyiqaRecipeGivesPyiqasNumbersAndSaysSoInEveryRow) {
    QCI_REQUIRE_ORACLE();
    const nlohmann::json expected = test::oracleJson("expected_pyiqa_variants.json");
    QStringList args{"score",    "--no-catalog",
                     "--model",  oracleFile("text_multihead_qualiclip.pth"),
                     "--recipe", "pyiqa"};
    std::vector<std::string> images;
    for (const auto& [image, record] : expected.at("images").items()) {
        images.push_back(image);
        args << test::oracleImage(image);
    }
    const RunResult r = runQualiclip(args);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto rows = test::jsonLines(r.out);
    ASSERT_EQ(rows.size(), images.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        SCOPED_TRACE(images[i]);
        EXPECT_EQ(rows[i].at("recipe"), "pyiqa");
        EXPECT_NEAR(rows[i].at("score").get<double>(),
                    expected.at("images").at(images[i]).at("pyiqa_qualiclip").get<double>(), 1e-5);
        // The field comes right after prompt_set.
        auto key = rows[i].begin();
        while (key != rows[i].end() && key.key() != "prompt_set") ++key;
        ASSERT_NE(key, rows[i].end());
        EXPECT_EQ(std::next(key).key(), "recipe");
    }
    const RunResult official =
        runQualiclip({"score", "--no-catalog", "--model",
                      oracleFile("text_multihead_qualiclip.pth"), args.last()});
    ASSERT_EQ(official.exitCode, 0) << official.err;
    EXPECT_EQ(test::jsonLines(official.out).at(0).at("recipe"), "official");
    const RunResult csv =
        runQualiclip({"score", "--no-catalog", "--format", "csv", "--recipe", "pyiqa", "--model",
                      oracleFile("text_multihead_qualiclip.pth"), args.last()});
    ASSERT_EQ(csv.exitCode, 0) << csv.err;
    EXPECT_CONTAINS(csv.out, ",default,pyiqa,cpu,");
}

TEST(RecipeCli, AnUnknownRecipeIsAUsageError) {
    QCI_REQUIRE_ORACLE();
    const RunResult r = runQualiclip({"score", "--no-catalog", "--recipe", "paper", "--model",
                                      test::oracleModel(), test::oracleImage("scene_512x384")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_CONTAINS(r.err, "invalid --recipe 'paper' (official or pyiqa)");
}

TEST(RecipeCli, TheCatalogKeepsTheRecipesApart) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const QString catalog = QString::fromStdString(dir.file("catalog.sqlite"));
    const auto run = [&](const QString& recipe) {
        const RunResult r =
            runQualiclip({"score", "--catalog", catalog, "--recipe", recipe, "--model",
                          test::oracleModel(), test::oracleImage("checker_250x187")});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return test::jsonLines(r.out).at(0);
    };
    const auto official = run("official");
    const auto pyiqa = run("pyiqa");
    EXPECT_FALSE(pyiqa.at("cached").get<bool>());  // not the official score from the cache
    EXPECT_GT(std::abs(pyiqa.at("score").get<double>() - official.at("score").get<double>()), 1e-4);
    const auto pyiqaAgain = run("pyiqa");
    EXPECT_TRUE(pyiqaAgain.at("cached").get<bool>());
    EXPECT_EQ(pyiqaAgain.at("score"), pyiqa.at("score"));
    EXPECT_EQ(pyiqaAgain.at("recipe"), "pyiqa");
    EXPECT_TRUE(run("official").at("cached").get<bool>());
}

}  // namespace
}  // namespace qc
