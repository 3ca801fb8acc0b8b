// CullRules: the bulk culling rules, planned before anything changes so the window and
// `qualiclip cull` can say "12 picks, 40 rejects" first and then apply the plan in one step.
//
//   - Best of bursts: the best frame of each burst (library/BurstGrouping.h) is picked, the other
//     frames of its burst rejected. Picks and starred photos are never rejected by it: a frame
//     the photographer chose by hand stays chosen.
//   - Reject below score X: unflagged photos scored below X are rejected; starred ones only when
//     asked (includeStarred), picks never.
//   - Pick the top N %: the ceil(N % of the scored photos) highest scores are picked; rejects
//     among them are left alone (a reject by hand outranks a score).
//
// Photos without a score are never touched. A photo already in the target state is not in the
// plan (so the counts are what will change).
//
// Usage:
//   CullPlan plan = planRejectBelow(candidates, 0.4, false);
//   show(plan.picks.size(), plan.rejects.size());  // then apply: set each flag, one transaction
//
// Threads: any; pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "library/Catalog.h"

namespace qc {

struct CullCandidate {
    std::optional<double> score;
    CatalogFlag flag = CatalogFlag::None;
    int stars = 0;
    int64_t burstId = 0;  // 0: not grouped
    bool best = false;    // the best frame of its burst
};

struct CullPlan {
    std::vector<size_t> picks, rejects;  // indices into the candidates
    size_t changes() const { return picks.size() + rejects.size(); }
};

CullPlan planBestOfBursts(const std::vector<CullCandidate>& candidates);
CullPlan planRejectBelow(const std::vector<CullCandidate>& candidates, double threshold,
                         bool includeStarred);
CullPlan planPickTopPercent(const std::vector<CullCandidate>& candidates, double percent);

}  // namespace qc
