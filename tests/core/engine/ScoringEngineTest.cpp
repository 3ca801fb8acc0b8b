#include "engine/ScoringEngine.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <atomic>
#include <cmath>

#include "engine/RandomCheckpoint.h"
#include "TestSupport.h"

namespace qc {
namespace {

std::shared_ptr<const QualiClipModel> smallModel() {
    static auto model = QualiClipModel::fromCheckpoint(makeRandomCheckpoint(smallModelSpec(3), 3));
    return model;
}

TEST(ScoringEngine, ResultCarriesPolicySizesAndNumberedPairs) {
    test::TempDir dir;
    const std::string path = test::writeNoiseImage(dir, "a.png", 300, 200, 1);
    ScoringOptions options;
    options.resize = ResizePolicy::longSide(150);
    ScoringEngine engine(smallModel(), options);
    ImageResult r = engine.scoreFile(path);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.width, 300);
    EXPECT_EQ(r.height, 200);
    EXPECT_EQ(r.inputWidth, 150);
    EXPECT_EQ(r.inputHeight, 100);
    EXPECT_EQ(r.resize, "long:150");
    EXPECT_EQ(r.pairProbabilities.size(), 3u);
    EXPECT_EQ(engine.model().info().pairs.at(2).key, "pair_3");
    double mean = 0;
    for (double p : r.pairProbabilities) mean += p / 3;
    EXPECT_NEAR(r.score, mean, 1e-6);
    EXPECT_TRUE(r.denseMean.empty());
}

TEST(ScoringEngine, DenseMapMeanAgreesWithPairs) {
    test::TempDir dir;
    ScoringOptions options;
    options.dense = true;
    ScoringEngine engine(smallModel(), options);
    ImageResult r = engine.scoreFile(test::writeNoiseImage(dir, "a.png", 95, 130, 2));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.mapWidth, 3);   // floor((95 + 1) / 32): 3 cells, not 95 / 32 = 2
    EXPECT_EQ(r.mapHeight, 4);  // floor(131 / 32)
    ASSERT_EQ(r.denseMean.size(), 12u);
    ASSERT_EQ(r.densePairs.size(), 3u);
    for (size_t i = 0; i < r.denseMean.size(); ++i)
        EXPECT_NEAR(r.denseMean[i], (r.densePairs[0][i] + r.densePairs[1][i] + r.densePairs[2][i]) / 3, 1e-6);
}

TEST(ScoringEngine, TooSmallAfterResizeIsAnErrorNotNaN) {
    test::TempDir dir;
    ScoringOptions options;
    options.resize = ResizePolicy::longSide(64);
    ScoringEngine engine(smallModel(), options);
    const std::string path = test::writeNoiseImage(dir, "strip.png", 400, 40, 3);  // becomes 64 x 6
    ImageResult r = engine.scoreFile(path);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find(path), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("too small"), std::string::npos) << r.error;
}

TEST(ScoringEngine, BatchKeepsOrderAndIsolatesFailures) {
    test::TempDir dir;
    std::vector<std::string> paths = {test::writeNoiseImage(dir, "a.png", 64, 64, 1), dir.file("missing.png"),
                                      test::writeNoiseImage(dir, "c.png", 96, 64, 2)};
    ScoringEngine engine(smallModel(), {});
    std::vector<ImageResult> results;
    std::vector<size_t> order;
    const size_t n = engine.scoreFiles(paths, [&](size_t i, const ImageResult& r) {
        order.push_back(i);
        results.push_back(r);
    });
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2}));
    EXPECT_TRUE(results[0].ok());
    EXPECT_FALSE(results[1].ok());
    EXPECT_NE(results[1].error.find("missing.png"), std::string::npos);
    EXPECT_TRUE(results[2].ok());
    // Same image scored alone gives the same score as in the batch.
    EXPECT_DOUBLE_EQ(engine.scoreFile(paths[2]).score, results[2].score);
}

TEST(ScoringEngine, CancelStopsWithinOneImage) {
    test::TempDir dir;
    std::vector<std::string> paths;
    for (int i = 0; i < 20; ++i) paths.push_back(test::writeNoiseImage(dir, "img" + std::to_string(i) + ".png", 64, 64, i));
    ScoringEngine engine(smallModel(), {});
    std::atomic<bool> cancel{false};
    size_t seen = 0;
    const size_t delivered = engine.scoreFiles(paths, [&](size_t, const ImageResult&) {
        if (++seen == 3) cancel = true;
    }, &cancel);
    EXPECT_EQ(delivered, 3u);
    EXPECT_EQ(seen, 3u);
}

}  // namespace
}  // namespace qc
