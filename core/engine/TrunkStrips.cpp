#include "engine/TrunkStrips.h"

#include <algorithm>
#include <cmath>

namespace qc {
namespace {

int roundUpToStride(int rows) { return (rows + kTrunkStride - 1) / kTrunkStride * kTrunkStride; }

}  // namespace

int featureMapRows(int inputRows) { return (inputRows + 1) / kTrunkStride; }

// In input rows: conv1 (3x3, stride 2) reaches 1; conv2 and conv3 (3x3 at stride 2) 2 each; the
// stem's pool 2. A stage at input stride t (4, 8, 16, 32 after its pool) adds t per block's 3x3;
// a stage that pools (all but the first) runs its first 3x3 at t/2 and pools over t/2 more.
int trunkReceptiveRadius(const ModelSpec& spec) {
    int radius = 1 + 2 + 2 + 2;
    for (int stage = 0; stage < 4; ++stage) {
        const int stride = 4 << stage;
        const int blocks = spec.blocks[static_cast<size_t>(stage)];
        if (stage == 0)
            radius += blocks * stride;
        else if (blocks > 0)
            radius += stride / 2 + stride / 2 + (blocks - 1) * stride;
    }
    return radius;
}

double trunkBytesPerPixel(const ModelSpec& spec) { return 142.0 * spec.width / 64.0; }

std::vector<TrunkStrip> planTrunkStrips(const ModelSpec& spec, int width, int height,
                                        int stripRows) {
    const int halo = roundUpToStride(trunkReceptiveRadius(spec));
    int kept = 0;
    if (stripRows > 0) {
        kept = roundUpToStride(stripRows);
    } else if (stripRows == 0) {
        const double rowsInBudget =
            kTrunkStripBudgetBytes / (trunkBytesPerPixel(spec) * std::max(width, 1));
        if (rowsInBudget < height) {
            // The budget covers a strip's kept rows and both halos; at least a halo's rows are
            // kept, so a very wide photo costs at most 3x the trunk's work rather than unbounded
            // memory.
            kept = std::max(
                halo, static_cast<int>(rowsInBudget - 2 * halo) / kTrunkStride * kTrunkStride);
        }
    }
    if (kept <= 0 || kept >= height) return {TrunkStrip{0, height, 0, featureMapRows(height)}};
    std::vector<TrunkStrip> strips;
    for (int begin = 0; begin < height; begin += kept) {
        TrunkStrip strip;
        const bool last = begin + kept >= height;
        strip.inputBegin = std::max(0, begin - halo);
        strip.inputEnd = last ? height : std::min(height, begin + kept + halo);
        strip.keptBegin = begin / kTrunkStride;
        strip.keptEnd = last ? featureMapRows(height) : (begin + kept) / kTrunkStride;
        if (strip.keptEnd > strip.keptBegin) strips.push_back(strip);
    }
    return strips;
}

}  // namespace qc
