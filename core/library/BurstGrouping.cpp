#include "library/BurstGrouping.h"

#include <algorithm>
#include <cmath>

namespace qc {

std::optional<double> cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.empty() || a.size() != b.size()) return std::nullopt;
    double dot = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        dot += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    if (aa <= 0 || bb <= 0) return std::nullopt;
    return dot / std::sqrt(aa * bb);
}

bool sameBurst(const BurstPhoto& a, const BurstPhoto& b, const BurstSettings& settings) {
    if (!a.captureSeconds || !b.captureSeconds) return false;
    if (std::abs(*b.captureSeconds - *a.captureSeconds) > settings.maxGapSeconds) return false;
    const std::optional<double> similarity = cosineSimilarity(a.embedding, b.embedding);
    return similarity && *similarity >= settings.minSimilarity;
}

std::optional<size_t> bestOfBurst(const std::vector<BurstPhoto>& photos,
                                  const std::vector<size_t>& members) {
    std::optional<size_t> best;
    for (size_t i : members) {
        const BurstPhoto& p = photos[i];
        if (!p.score) continue;
        if (!best) {
            best = i;
            continue;
        }
        const BurstPhoto& b = photos[*best];
        if (*p.score != *b.score) {
            if (*p.score > *b.score) best = i;
        } else if (p.sharpness != b.sharpness) {
            if (p.sharpness > b.sharpness) best = i;
        } else if (p.name < b.name) {
            best = i;
        }
    }
    return best;
}

BurstGroups groupBursts(const std::vector<BurstPhoto>& photos, const BurstSettings& settings) {
    std::vector<size_t> order(photos.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        const BurstPhoto& a = photos[x];
        const BurstPhoto& b = photos[y];
        if (a.captureSeconds.has_value() != b.captureSeconds.has_value())
            return a.captureSeconds.has_value();
        if (a.captureSeconds && *a.captureSeconds != *b.captureSeconds)
            return *a.captureSeconds < *b.captureSeconds;
        if (a.name != b.name) return a.name < b.name;
        return x < y;
    });

    BurstGroups groups;
    groups.burstOf.assign(photos.size(), 0);
    groups.positionOf.assign(photos.size(), 0);
    for (size_t k = 0; k < order.size(); ++k) {
        const size_t i = order[k];
        if (k == 0 || !sameBurst(photos[order[k - 1]], photos[i], settings))
            groups.bursts.emplace_back();
        Burst& burst = groups.bursts.back();
        groups.burstOf[i] = groups.bursts.size() - 1;
        groups.positionOf[i] = burst.members.size();
        burst.members.push_back(i);
    }
    for (Burst& burst : groups.bursts) burst.best = bestOfBurst(photos, burst.members);
    return groups;
}

}  // namespace qc
