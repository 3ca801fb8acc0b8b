// Spearman correlation against values worked out by hand (and equal to scipy.stats.spearmanr).
#include <gtest/gtest.h>

#include <cmath>

#include "research/RankCorrelation.h"

namespace qc {
namespace {

TEST(RankCorrelation, TiesGetTheAverageRank) {
    EXPECT_EQ(averageRanks({10, 20, 20, 30}), (std::vector<double>{1, 2.5, 2.5, 4}));
    EXPECT_EQ(averageRanks({3, 1, 3, 3}), (std::vector<double>{3, 1, 3, 3}));  // ranks 2, 3, 4 -> 3
    EXPECT_TRUE(averageRanks({}).empty());
}

TEST(RankCorrelation, HandCheckedValues) {
    // No ties: 1 - 6 * sum(d^2) / (n (n^2 - 1)) = 1 - 6 * 2 / 60 = 0.8.
    EXPECT_NEAR(spearmanCorrelation({1, 2, 3, 4}, {1, 3, 2, 4}), 0.8, 1e-12);
    // A tie in y: ranks (1, 2, 3.5, 5, 3.5); sum dx dy = 8, sum dx^2 = 10, sum dy^2 = 9.5.
    EXPECT_NEAR(spearmanCorrelation({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}), 8 / std::sqrt(95.0), 1e-12);
    EXPECT_NEAR(spearmanCorrelation({0, 1, 2, 3}, {0.9, 0.7, 0.5, 0.1}), -1.0, 1e-12);
    EXPECT_NEAR(spearmanCorrelation({0, 1, 2}, {1, 4, 9}), 1.0, 1e-12);  // monotone, not linear
}

TEST(RankCorrelation, UndefinedIsNaN) {
    EXPECT_TRUE(std::isnan(spearmanCorrelation({1, 2, 3}, {5, 5, 5})));
    EXPECT_TRUE(std::isnan(spearmanCorrelation({1}, {2})));
    EXPECT_TRUE(std::isnan(spearmanCorrelation({1, 2}, {1, 2, 3})));
}

}  // namespace
}  // namespace qc
