// CatalogImport: scores made elsewhere stored under their model and policy, found by the window's
// folder listing; rows that cannot be stored are counted and named.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "TestSupport.h"
#include "engine/ScoringEngine.h"
#include "library/Catalog.h"
#include "library/CatalogImport.h"

namespace qc {
namespace {

ImageResult importedResult(const std::string& path, double score, const std::string& model = "m1") {
    ImageResult r;
    r.path = path;
    r.width = 64;
    r.height = 48;
    r.inputWidth = 64;
    r.inputHeight = 48;
    r.resize = "native";
    r.modelSha256 = model;
    r.score = score;
    r.pairProbabilities = {0.25, score};
    r.embedding = {0.6f, 0.8f};
    return r;
}

class CatalogImportTest : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string image(const std::string& name, const std::string& bytes) {
        std::ofstream(dir.file(name), std::ios::binary) << bytes;
        return dir.file(name);
    }
};

TEST_F(CatalogImportTest, StoredScoresAreListedForTheirModelAndPolicy) {
    const std::string a = image("a.png", "first photo"), b = image("b.png", "second photo");
    ImageResult failed = importedResult(dir.file("c.png"), 0);
    failed.error = "'c.png': not an image";
    Catalog catalog(dir.file("catalog.sqlite"));
    size_t progressCalls = 0;
    const CatalogImportCounts counts =
        importScores(catalog, {importedResult(a, 0.75), importedResult(b, 0.25), failed},
                     [&](size_t done, size_t total) {
                         ++progressCalls;
                         EXPECT_EQ(total, 3u);
                         EXPECT_EQ(done, progressCalls);
                     });
    EXPECT_EQ(counts.stored, 2u);
    EXPECT_EQ(counts.failedRows, 1u);
    EXPECT_TRUE(counts.problems.empty());
    EXPECT_EQ(progressCalls, 3u);

    const auto entries = catalog.listFolder(dir.path().string(), "m1", "native");
    ASSERT_EQ(entries.size(), 2u);
    ASSERT_TRUE(entries[0].score);
    EXPECT_DOUBLE_EQ(entries[0].score->score, 0.75);
    EXPECT_DOUBLE_EQ(entries[1].score->score, 0.25);
    const auto withEmbedding = catalog.cachedScore(a, "m1", "native");
    ASSERT_TRUE(withEmbedding);
    EXPECT_EQ(withEmbedding->pairProbabilities, (std::vector<double>{0.25, 0.75}));
    EXPECT_EQ(withEmbedding->embedding, (std::vector<float>{0.6f, 0.8f}));
    EXPECT_FALSE(catalog.cachedScore(a, "m2", "native")) << "another model's score is not this one";
}

TEST_F(CatalogImportTest, FilesMissingHereAreNamedAndTheRestStored) {
    const std::string a = image("a.png", "photo");
    Catalog catalog(dir.file("catalog.sqlite"));
    const CatalogImportCounts counts = importScores(
        catalog, {importedResult("/nowhere/on/this/machine.png", 0.5), importedResult(a, 0.5)});
    EXPECT_EQ(counts.stored, 1u);
    ASSERT_EQ(counts.problems.size(), 1u);
    EXPECT_EQ(counts.problems[0].path, "/nowhere/on/this/machine.png");
    EXPECT_NE(counts.problems[0].reason.find("/nowhere/on/this/machine.png"), std::string::npos);
}

TEST_F(CatalogImportTest, ImportingAgainReplacesTheScore) {
    const std::string a = image("a.png", "photo");
    Catalog catalog(dir.file("catalog.sqlite"));
    importScores(catalog, {importedResult(a, 0.5)});
    importScores(catalog, {importedResult(a, 0.125)});
    EXPECT_DOUBLE_EQ(catalog.cachedScore(a, "m1", "native")->score, 0.125);
    EXPECT_EQ(catalog.imageCount(), 1);
}

TEST_F(CatalogImportTest, StopsWhenCancelled) {
    const std::string a = image("a.png", "photo");
    Catalog catalog(dir.file("catalog.sqlite"));
    std::atomic<bool> cancel{true};
    const CatalogImportCounts counts = importScores(catalog, {importedResult(a, 0.5)}, {}, &cancel);
    EXPECT_TRUE(counts.cancelled);
    EXPECT_EQ(counts.stored, 0u);
    EXPECT_FALSE(catalog.cachedScore(a, "m1", "native"));
}

}  // namespace
}  // namespace qc
