#include "engine/TrunkStrips.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace qc {
namespace {

// Memory per image pixel of each level of the released model (width 64). Working: what a level
// holds while it runs, 1.5x the float maps alive at its widest point (oneDNN's reorders and
// scratch), so the stem's is the 142 bytes measured for the whole image (docs/benchmarks.md); the
// second stage's first block holds its 256-channel input next to two 128-channel maps. Input: the
// level's input map (the stem's: 8-bit and float RGB).
constexpr double kWorkingBytes[kTrunkLevels] = {142, 142, 190, 95, 48};
constexpr double kInputBytes[kTrunkLevels] = {15, 16, 64, 32, 16};
// Block heights relative to the stem's: the deep levels have the widest halos and the fewest
// bytes per row, so they run in taller blocks.
constexpr double kBlockHeight[kTrunkLevels] = {1, 1, 1.5, 2, 3};

int roundDown(int value, int multiple) { return value / multiple * multiple; }

}  // namespace

// Radius in the level's input rows. Stem: conv1 (3x3, stride 2) reaches 1 image row, conv2 and
// conv3 (at stride 2) 2 each, the pool 2. First stage: one row per block's 3x3. A stage that
// pools runs its first 3x3 at its input's resolution and pools over one row more; each further
// block's 3x3 reaches one output row, two input rows.
TrunkLevel trunkLevel(const ModelSpec& spec, int level) {
    if (level < 0 || level >= kTrunkLevels) throw std::out_of_range("trunk level");
    TrunkLevel l;
    const double widthScale = spec.width / 64.0;
    l.bytesPerImagePixel = kWorkingBytes[level] * widthScale;
    l.inputBytesPerImagePixel = kInputBytes[level] * (level == 0 ? 1.0 : widthScale);
    if (level == 0) {
        l.factor = 4;
        l.radius = 1 + 2 + 2 + 2;
        l.inputStride = 1;
        return l;
    }
    const int stage = level - 1;
    const int blocks = spec.blocks[static_cast<size_t>(stage)];
    l.inputStride = stage == 0 ? 4 : 4 << (stage - 1);
    l.factor = stage == 0 ? 1 : 2;
    l.radius = stage == 0 ? blocks : 2 + 2 * std::max(blocks - 1, 0);
    return l;
}

int levelOutputRows(int level, int inputRows) {
    if (level == 0) return ((inputRows - 1) / 2 + 1) / 2;  // conv1 at stride 2 (padding 1), pool
    return level == 1 ? inputRows : inputRows / 2;
}

int featureMapRows(int inputRows) { return (inputRows + 1) / kTrunkStride; }

RowRange levelInputWindow(const TrunkLevel& level, int from, int to, int inputRows) {
    RowRange window;
    window.begin = roundDown(std::max(0, from * level.factor - level.radius), level.factor);
    window.end = std::min(inputRows, to * level.factor + level.radius);
    return window;
}

double featureMapBytesPerImagePixel(const ModelSpec& spec) { return spec.width / 8.0; }

bool trunkRunsWhole(const ModelSpec& spec, int width, int height, int stripRows) {
    if (stripRows != 0) return stripRows < 0;
    return trunkLevel(spec, 0).bytesPerImagePixel * width * double(height) <= kTrunkMemoryBudgetBytes;
}

int imagesPerTrunkPass(const ModelSpec& spec, int width, int height, int wanted) {
    const double perImage = trunkLevel(spec, 0).bytesPerImagePixel * width * double(height);
    const double fitting = std::floor(kTrunkMemoryBudgetBytes / std::max(perImage, 1.0));
    return static_cast<int>(std::clamp(fitting, 1.0, double(std::max(wanted, 1))));
}

// While level L runs, its working set and the input of every deeper level (each filled block by
// block as L delivers rows) are alive. With level M's blocks kBlockHeight[M] * H image rows tall,
// the largest H for which that stays within the budget left after the feature map, at every L.
int stemBlockImageRows(const ModelSpec& spec, int width, int height) {
    const double budget =
        kTrunkMemoryBudgetBytes - featureMapBytesPerImagePixel(spec) * width * double(height);
    double rows = height;
    for (int level = 0; level < kTrunkLevels; ++level) {
        double perRow = trunkLevel(spec, level).bytesPerImagePixel * kBlockHeight[level];
        double fixed = 0;
        for (int deeper = level + 1; deeper < kTrunkLevels; ++deeper) {
            const TrunkLevel d = trunkLevel(spec, deeper);
            perRow += d.inputBytesPerImagePixel * kBlockHeight[deeper];
            fixed += d.inputBytesPerImagePixel * 2 * d.radius * d.inputStride;
        }
        rows = std::min(rows, (budget / std::max(width, 1) - fixed) / perRow);
    }
    return static_cast<int>(rows);
}

int levelBlockRows(const ModelSpec& spec, int level, int width, int height, int stripRows) {
    const TrunkLevel l = trunkLevel(spec, level);
    const int outputStride = l.inputStride * l.factor;
    if (stripRows > 0) return std::max(1, stripRows / outputStride);
    const double imageRows = kBlockHeight[level] * stemBlockImageRows(spec, width, height);
    // At least the radius's worth of output rows per block, so a very wide photo costs at most ~3x
    // a level's work rather than unbounded memory.
    return std::max({1, static_cast<int>(imageRows / outputStride), (l.radius + l.factor - 1) / l.factor});
}

}  // namespace qc
