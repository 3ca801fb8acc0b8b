// BurstGrouping: the time gap and similarity rule at its boundaries, equal and missing times,
// one-photo bursts, the best frame and its tie-breaks, and a shoot of 10,000 photos.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "library/BurstGrouping.h"

namespace qc {
namespace {

// Unit vectors at an angle: cosine similarity of unitAt(a) and unitAt(b) is cos(a - b).
std::vector<float> unitAt(double radians) {
    return {float(std::cos(radians)), float(std::sin(radians)), 0.0f};
}

BurstPhoto photo(const std::string& name, std::optional<double> seconds,
                 std::vector<float> embedding = {1, 0, 0}, std::optional<double> score = 0.5,
                 double sharpness = 0) {
    return {name, seconds, std::move(embedding), score, sharpness};
}

// The bursts as lists of names, in order.
std::vector<std::vector<std::string>> names(const std::vector<BurstPhoto>& photos,
                                            const BurstGroups& g) {
    std::vector<std::vector<std::string>> out;
    for (const Burst& b : g.bursts) {
        out.emplace_back();
        for (size_t i : b.members) out.back().push_back(photos[i].name);
    }
    return out;
}

using Names = std::vector<std::vector<std::string>>;

TEST(BurstGroupingTest, AGapOfExactlyTheLimitJoinsAndJustAboveSplits) {
    const std::vector<BurstPhoto> photos = {photo("a", 0.0), photo("b", 2.0), photo("c", 4.001),
                                            photo("d", 6.001)};
    const BurstGroups g = groupBursts(photos, {2.0, 0.9});
    EXPECT_EQ(names(photos, g), (Names{{"a", "b"}, {"c", "d"}}));
    EXPECT_EQ(g.burstOf, (std::vector<size_t>{0, 0, 1, 1}));
    EXPECT_EQ(g.positionOf, (std::vector<size_t>{0, 1, 0, 1}));
}

TEST(BurstGroupingTest, SimilarityAtTheThresholdJoinsAndBelowSplits) {
    // cos(0.5) = 0.8776: a threshold just under it joins, just over it splits.
    const std::vector<BurstPhoto> photos = {photo("a", 0, unitAt(0)), photo("b", 0.2, unitAt(0.5))};
    EXPECT_EQ(groupBursts(photos, {2.0, 0.8775}).bursts.size(), 1u);
    EXPECT_EQ(groupBursts(photos, {2.0, 0.8777}).bursts.size(), 2u);
}

TEST(BurstGroupingTest, OrdersByTimeNotByInputAndBreaksEqualTimesByName) {
    const std::vector<BurstPhoto> photos = {photo("c", 1.0), photo("b", 0.5), photo("a", 0.5),
                                            photo("z", 30)};
    const BurstGroups g = groupBursts(photos, {});
    EXPECT_EQ(names(photos, g), (Names{{"a", "b", "c"}, {"z"}}));
}

TEST(BurstGroupingTest, PhotosWithoutTimeOrEmbeddingStandAlone) {
    const std::vector<BurstPhoto> photos = {photo("a", 0.0), photo("b", 0.3, {}), photo("c", 0.6),
                                            photo("y", std::nullopt), photo("x", std::nullopt)};
    const BurstGroups g = groupBursts(photos, {});
    // b has no embedding: a | b | c even though they are 0.3 s apart; timeless photos last, by
    // name.
    EXPECT_EQ(names(photos, g), (Names{{"a"}, {"b"}, {"c"}, {"x"}, {"y"}}));
}

TEST(BurstGroupingTest, AChainDriftsWithinABurstThroughConsecutivePairs) {
    // Each step is 0.3 rad (cos 0.955) but first and last differ by 0.9 rad (cos 0.62): the rule
    // compares neighbours, as a panning burst needs.
    const std::vector<BurstPhoto> photos = {photo("a", 0, unitAt(0)), photo("b", 0.2, unitAt(0.3)),
                                            photo("c", 0.4, unitAt(0.6)),
                                            photo("d", 0.6, unitAt(0.9))};
    EXPECT_EQ(groupBursts(photos, {2.0, 0.95}).bursts.size(), 1u);
}

TEST(BurstGroupingTest, OnePhotoBurstsAndTheEmptyShoot) {
    EXPECT_TRUE(groupBursts({}, {}).bursts.empty());
    const std::vector<BurstPhoto> photos = {photo("only", 5.0, {1, 0, 0}, 0.3)};
    const BurstGroups g = groupBursts(photos, {});
    ASSERT_EQ(g.bursts.size(), 1u);
    EXPECT_EQ(g.bursts[0].best, std::optional<size_t>(0));
}

TEST(BurstGroupingTest, BestIsTheHighestScoreThenSharpnessThenName) {
    const std::vector<BurstPhoto> byScore = {photo("a", 0, {1, 0, 0}, 0.4),
                                             photo("b", 0.1, {1, 0, 0}, 0.7),
                                             photo("c", 0.2, {1, 0, 0}, 0.6)};
    EXPECT_EQ(groupBursts(byScore, {}).bursts[0].best, std::optional<size_t>(1));
    const std::vector<BurstPhoto> bySharpness = {photo("a", 0, {1, 0, 0}, 0.7, 0.2),
                                                 photo("b", 0.1, {1, 0, 0}, 0.7, 0.9)};
    EXPECT_EQ(groupBursts(bySharpness, {}).bursts[0].best, std::optional<size_t>(1));
    const std::vector<BurstPhoto> byName = {photo("IMG_2", 0, {1, 0, 0}, 0.7, 0.5),
                                            photo("IMG_1", 0.1, {1, 0, 0}, 0.7, 0.5)};
    EXPECT_EQ(groupBursts(byName, {}).bursts[0].best, std::optional<size_t>(1));
}

TEST(BurstGroupingTest, ABurstWithoutScoresHasNoBest) {
    const std::vector<BurstPhoto> photos = {photo("a", 0, {1, 0, 0}, std::nullopt),
                                            photo("b", 0.1, {1, 0, 0}, std::nullopt)};
    const BurstGroups g = groupBursts(photos, {});
    ASSERT_EQ(g.bursts.size(), 1u);
    EXPECT_FALSE(g.bursts[0].best);
}

TEST(BurstGroupingTest, CosineSimilarityRefusesWhatItCannotMeasure) {
    EXPECT_FALSE(cosineSimilarity({}, {}));
    EXPECT_FALSE(cosineSimilarity({1, 0}, {1, 0, 0}));
    EXPECT_FALSE(cosineSimilarity({0, 0}, {1, 0}));
    EXPECT_NEAR(*cosineSimilarity({3, 4}, {6, 8}), 1.0, 1e-12);
    EXPECT_NEAR(*cosineSimilarity({1, 0}, {0, 1}), 0.0, 1e-12);
}

TEST(BurstGroupingTest, TenThousandPhotosInBurstsOfFive) {
    // 2,000 bursts of 5 frames 0.25 s apart, 10 s between bursts; each burst's own direction in
    // 1024 dimensions (orthogonal to the next), its frames identical. Shuffled input.
    constexpr size_t kBursts = 2000, kFrames = 5, kDims = 1024;
    std::vector<BurstPhoto> photos;
    for (size_t b = 0; b < kBursts; ++b)
        for (size_t f = 0; f < kFrames; ++f) {
            std::vector<float> e(kDims, 0.0f);
            e[b % kDims] = 1.0f;
            char name[32];
            std::snprintf(name, sizeof name, "IMG_%05zu", b * kFrames + f);
            photos.push_back(
                photo(name, b * 10.0 + f * 0.25, std::move(e), 0.1 * double(f == 3) + 0.5));
        }
    std::vector<BurstPhoto> shuffled(photos.rbegin(), photos.rend());
    const BurstGroups g = groupBursts(shuffled, {});
    ASSERT_EQ(g.bursts.size(), kBursts);
    for (size_t b = 0; b < kBursts; ++b) {
        ASSERT_EQ(g.bursts[b].members.size(), kFrames);
        // Burst b's frames are b*5..b*5+4, i.e. shuffled index (N-1) - that; the best is frame 3.
        EXPECT_EQ(shuffled[g.bursts[b].members[0]].name, photos[b * kFrames].name);
        EXPECT_EQ(shuffled[*g.bursts[b].best].name, photos[b * kFrames + 3].name);
    }
}

}  // namespace
}  // namespace qc
