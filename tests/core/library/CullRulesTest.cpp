// CullRules: which photos each bulk rule picks and rejects, and what it leaves alone.
#include <gtest/gtest.h>

#include "library/CullRules.h"

namespace qc {
namespace {

CullCandidate scored(double score, int64_t burst = 0, bool best = false,
                     CatalogFlag flag = CatalogFlag::None, int stars = 0) {
    return {score, flag, stars, burst, best};
}

using Indices = std::vector<size_t>;

TEST(CullRulesTest, BestOfBurstsPicksTheBestAndRejectsTheRestButNotHandPicksOrStars) {
    std::vector<CullCandidate> c = {scored(0.9, 1, true),
                                    scored(0.5, 1),
                                    scored(0.4, 1, false, CatalogFlag::Pick),
                                    scored(0.3, 1, false, CatalogFlag::None, 3),
                                    scored(0.7, 5, true),
                                    scored(0.6, 5, false, CatalogFlag::Reject)};
    c.push_back({std::nullopt, CatalogFlag::None, 0, 5, false});  // not scored: untouched
    const CullPlan plan = planBestOfBursts(c);
    EXPECT_EQ(plan.picks, (Indices{0, 4}));
    EXPECT_EQ(plan.rejects, (Indices{1}));  // 5 is already a reject: no change to count
}

TEST(CullRulesTest, RejectBelowLeavesPicksAndStarredUnlessAsked) {
    const std::vector<CullCandidate> c = {scored(0.2), scored(0.39), scored(0.4),
                                          scored(0.1, 0, false, CatalogFlag::Pick),
                                          scored(0.1, 0, false, CatalogFlag::None, 2)};
    EXPECT_EQ(planRejectBelow(c, 0.4, false).rejects, (Indices{0, 1}));
    EXPECT_EQ(planRejectBelow(c, 0.4, true).rejects, (Indices{0, 1, 4}));
    EXPECT_TRUE(planRejectBelow(c, 0.4, false).picks.empty());
}

TEST(CullRulesTest, PickTopPercentRoundsUpAndSkipsRejects) {
    std::vector<CullCandidate> c;
    for (double s : {0.1, 0.9, 0.5, 0.7, 0.3, 0.8, 0.2, 0.6, 0.4, 0.05}) c.push_back(scored(s));
    c.push_back({std::nullopt, CatalogFlag::None, 0, 0, false});
    EXPECT_EQ(planPickTopPercent(c, 20).picks, (Indices{1, 5}));     // 20 % of 10 scored = 2
    EXPECT_EQ(planPickTopPercent(c, 25).picks, (Indices{1, 3, 5}));  // ceil(2.5) = 3
    c[5].flag = CatalogFlag::Reject;
    EXPECT_EQ(planPickTopPercent(c, 20).picks, (Indices{1}));  // the rejected 0.8 stays rejected
    EXPECT_TRUE(planPickTopPercent(c, 0).picks.empty());
    EXPECT_EQ(planPickTopPercent(c, 100).picks.size(), 9u);
}

}  // namespace
}  // namespace qc
