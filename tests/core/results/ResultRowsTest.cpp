#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "TestSupport.h"
#include "results/ResultRows.h"

namespace qc {
namespace {

using test::TempDir;

const std::string kSha = std::string(64, 'a');

std::string row(const std::string& path, double score, const std::string& sha = kSha,
                const std::string& resize = "native") {
    return "{\"path\":\"" + path +
           "\",\"width\":40,\"height\":30,\"input_width\":40,\"input_height\":30,\"resize\":\"" +
           resize + "\",\"score\":" + std::to_string(score) +
           ",\"pairs\":{\"good\":0.25,\"sharp\":0.75},\"model_sha256\":\"" + sha +
           "\",\"seconds\":0.5,\"error\":null,\"cached\":false}";
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(ResultRows, ReadsRowsWithTheirFields) {
    TempDir dir;
    const std::string errorRow =
        "{\"path\":\"b.png\",\"resize\":\"native\",\"score\":null,\"pairs\":null,"
        "\"model_sha256\":\"" +
        kSha + "\",\"error\":\"'b.png': not an image\"}";
    writeFile(dir.file("r.jsonl"), row("a.png", 0.5) + "\n\n" + errorRow + "\n");
    const ResultFile file = readResultFile(dir.file("r.jsonl"));
    ASSERT_EQ(file.rows.size(), 2u);
    EXPECT_FALSE(file.truncatedTail);
    const ResultRow& a = file.rows[0];
    EXPECT_EQ(a.path, "a.png");
    ASSERT_TRUE(a.score);
    EXPECT_DOUBLE_EQ(*a.score, 0.5);
    ASSERT_EQ(a.pairs.size(), 2u);
    EXPECT_EQ(a.pairs[1].first, "sharp");
    EXPECT_EQ(a.identity.at("model_sha256"), "\"" + kSha + "\"");
    EXPECT_EQ(a.identity.count("prompt_set"), 0u);
    EXPECT_EQ(file.rows[1].lineNumber, 3u);
    const ImageResult failed = toImageResult(file.rows[1]);
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(failed.error, "'b.png': not an image");
    const ImageResult ok = toImageResult(a);
    EXPECT_TRUE(ok.ok());
    EXPECT_EQ(ok.pairProbabilities, (std::vector<double>{0.25, 0.75}));
    EXPECT_EQ(ok.inputWidth, 40);
}

TEST(ResultRows, ABadLineInTheMiddleNamesFileAndLine) {
    TempDir dir;
    writeFile(dir.file("r.jsonl"),
              row("a.png", 0.5) + "\n{\"path\": oops\n" + row("c.png", 0.1) + "\n");
    try {
        readResultFile(dir.file("r.jsonl"));
        FAIL() << "a broken line was accepted";
    } catch (const ResultFileError& e) {
        EXPECT_NE(std::string(e.what()).find("r.jsonl' line 2"), std::string::npos) << e.what();
    }
    writeFile(dir.file("s.jsonl"), "{\"score\":1}\n");
    EXPECT_THROW(readResultFile(dir.file("s.jsonl")), ResultFileError);
    EXPECT_THROW(readResultFile(dir.file("missing.jsonl")), ResultFileError);
}

TEST(ResultRows, ResumeCutsAHalfWrittenLastLine) {
    TempDir dir;
    const std::string output = dir.file("out.jsonl"), part = output + ".part";
    const std::string whole = row("a.png", 0.5) + "\n" + row("b.png", 0.25) + "\n";
    const std::string third = row("c.png", 0.125);
    writeFile(part, whole + third.substr(0, third.size() / 2));  // killed mid-row
    const ResultFile before = readResultFile(part);
    EXPECT_TRUE(before.truncatedTail);
    EXPECT_EQ(before.rows.size(), 2u);

    const auto done = prepareResume(output, part, kSha, "native");
    EXPECT_EQ(done, (std::vector<std::string>{"a.png", "b.png"}));
    EXPECT_EQ(readFile(part), whole)
        << "the cut-off row is removed, the whole ones kept byte for byte";
    // Appending the next row continues a valid file: no duplicate, no merged line.
    std::ofstream(part, std::ios::app) << third << "\n";
    const ResultFile after = readResultFile(part);
    ASSERT_EQ(after.rows.size(), 3u);
    EXPECT_EQ(after.rows[2].path, "c.png");
    EXPECT_FALSE(after.truncatedTail);
}

TEST(ResultRows, ResumeAddsAMissingFinalNewlineAndTakesAFinishedOutput) {
    TempDir dir;
    const std::string output = dir.file("out.jsonl"), part = output + ".part";
    writeFile(output, row("a.png", 0.5));  // whole row, no newline
    const auto done = prepareResume(output, part, kSha, "native");
    EXPECT_EQ(done, std::vector<std::string>{"a.png"});
    EXPECT_FALSE(std::filesystem::exists(output));
    EXPECT_EQ(readFile(part), row("a.png", 0.5) + "\n");
    EXPECT_TRUE(
        prepareResume(dir.file("new.jsonl"), dir.file("new.jsonl.part"), kSha, "native").empty());
}

TEST(ResultRows, ResumeRefusesRowsOfAnotherModelOrPolicyAndLeavesThemAlone) {
    TempDir dir;
    const std::string output = dir.file("out.jsonl"), part = output + ".part";
    writeFile(output, row("a.png", 0.5, std::string(64, 'b')) + "\n");
    EXPECT_THROW(prepareResume(output, part, kSha, "native"), ResultFileError);
    EXPECT_TRUE(std::filesystem::exists(output)) << "a refused resume renames nothing";
    writeFile(output, row("a.png", 0.5, kSha, "long:512") + "\n");
    EXPECT_THROW(prepareResume(output, part, kSha, "native"), ResultFileError);
    writeFile(output, row("a.png", 0.5) + "\n");
    writeFile(part, row("b.png", 0.5) + "\n");
    EXPECT_THROW(prepareResume(output, part, kSha, "native"), ResultFileError)
        << "two files: which is the latest?";
}

// A resumed run must not mix prompt sets or precisions in one file; rows without the field (older
// files) are taken as they are.
TEST(ResultRows, ResumeRefusesRowsOfAnotherPromptSetOrPrecision) {
    TempDir dir;
    const std::string output = dir.file("out.jsonl"), part = output + ".part";
    const std::map<std::string, std::string> run = {{"prompt_set", "default"}, {"precision", "float32"}};
    std::string custom = row("a.png", 0.5);
    custom.insert(custom.size() - 1, ",\"prompt_set\":\"" + std::string(64, 'c') + "\"");
    writeFile(output, custom + "\n");
    try {
        prepareResume(output, part, kSha, "native", run);
        ADD_FAILURE() << "rows of another prompt set were accepted";
    } catch (const ResultFileError& e) {
        EXPECT_NE(std::string(e.what()).find("prompt_set"), std::string::npos) << e.what();
    }
    std::string half = row("a.png", 0.5);
    half.insert(half.size() - 1, ",\"precision\":\"float16\"");
    writeFile(output, half + "\n");
    EXPECT_THROW(prepareResume(output, part, kSha, "native", run), ResultFileError);
    writeFile(output, row("a.png", 0.5) + "\n");
    EXPECT_EQ(prepareResume(output, part, kSha, "native", run).size(), 1u);
}

TEST(ResultRows, PathsWithoutRowsKeepsOrderAndMatchesNormalForms) {
    EXPECT_EQ(pathsWithoutRows({"d/a.png", "d/b.png", "d/c.png"}, {"d/./b.png"}),
              (std::vector<std::string>{"d/a.png", "d/c.png"}));
}

TEST(ResultRows, RowScorerAnswersByPathOrTrailingComponents) {
    TempDir dir;
    writeFile(dir.file("r.jsonl"), row("/scratch/u/koniq/1.jpg", 0.5) + "\n" +
                                       row("/scratch/u/koniq/2.jpg", 0.25) + "\n");
    const ImageScorer scorer = resultRowScorer(readResultFile(dir.file("r.jsonl")).rows, "r.jsonl");
    std::vector<ImageResult> results;
    const size_t delivered = scorer(
        {"/scratch/u/koniq/1.jpg", "/home/me/koniq/2.jpg", "/home/me/koniq/3.jpg"},
        [&](size_t, const ImageResult& r) { results.push_back(r); }, nullptr);
    ASSERT_EQ(delivered, 3u);
    EXPECT_DOUBLE_EQ(results[0].score, 0.5);
    EXPECT_TRUE(results[1].ok());
    EXPECT_DOUBLE_EQ(results[1].score, 0.25);
    EXPECT_EQ(results[1].path, "/home/me/koniq/2.jpg");
    EXPECT_FALSE(results[2].ok());
    EXPECT_NE(results[2].error.find("no row in 'r.jsonl'"), std::string::npos) << results[2].error;
}

// A row read back (catalog import, correlate --scores) keeps what scored it: the catalog keys
// scores by prompt set, recipe and precision, so a pyiqa row must not come back as an official one.
TEST(ResultRows, ImageResultsKeepPromptSetRecipeAndPrecision) {
    TempDir dir;
    std::string pyiqa = row("a.png", 0.5);
    pyiqa.insert(pyiqa.size() - 1, ",\"prompt_set\":\"learned:ab\",\"recipe\":\"pyiqa\",\"precision\":\"float16\"");
    writeFile(dir.file("r.jsonl"), pyiqa + "\n" + row("b.png", 0.25) + "\n");
    const ResultFile file = readResultFile(dir.file("r.jsonl"));
    ASSERT_EQ(file.rows.size(), 2u);
    const ImageResult a = toImageResult(file.rows[0]);
    EXPECT_EQ(a.promptSet, "learned:ab");
    EXPECT_EQ(a.recipe, ScoringRecipe::Pyiqa);
    EXPECT_EQ(a.precision, Precision::Float16);
    const ImageResult b = toImageResult(file.rows[1]);  // rows from before these fields existed
    EXPECT_EQ(b.promptSet, kDefaultPromptSetId);
    EXPECT_EQ(b.recipe, ScoringRecipe::Official);
    EXPECT_EQ(b.precision, Precision::Float32);
}

}  // namespace
}  // namespace qc
