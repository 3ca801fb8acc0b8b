#include "library/CullRules.h"

#include <algorithm>
#include <cmath>

namespace qc {

CullPlan planBestOfBursts(const std::vector<CullCandidate>& candidates) {
    CullPlan plan;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const CullCandidate& c = candidates[i];
        if (!c.score || c.burstId == 0) continue;
        if (c.best) {
            if (c.flag != CatalogFlag::Pick) plan.picks.push_back(i);
        } else if (c.flag == CatalogFlag::None && c.stars == 0) {
            plan.rejects.push_back(i);
        }
    }
    return plan;
}

CullPlan planRejectBelow(const std::vector<CullCandidate>& candidates, double threshold,
                         bool includeStarred) {
    CullPlan plan;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const CullCandidate& c = candidates[i];
        if (!c.score || *c.score >= threshold || c.flag != CatalogFlag::None) continue;
        if (c.stars > 0 && !includeStarred) continue;
        plan.rejects.push_back(i);
    }
    return plan;
}

CullPlan planPickTopPercent(const std::vector<CullCandidate>& candidates, double percent) {
    std::vector<size_t> scored;
    for (size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i].score) scored.push_back(i);
    // Highest first; equal scores keep the candidates' order, so the plan is the same every time.
    std::stable_sort(scored.begin(), scored.end(), [&](size_t a, size_t b) {
        return *candidates[a].score > *candidates[b].score;
    });
    const double share = std::clamp(percent, 0.0, 100.0) / 100.0;
    const size_t count =
        std::min(scored.size(), size_t(std::ceil(share * double(scored.size()) - 1e-9)));
    CullPlan plan;
    for (size_t k = 0; k < count; ++k) {
        const CullCandidate& c = candidates[scored[k]];
        if (c.flag == CatalogFlag::None) plan.picks.push_back(scored[k]);
    }
    std::sort(plan.picks.begin(), plan.picks.end());
    return plan;
}

}  // namespace qc
