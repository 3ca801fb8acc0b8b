// Trunk strips: how a large image goes through the convolutional trunk in horizontal blocks of
// rows so that memory stays bounded at any photo size, with the same result as the whole image.
//
// The trunk is five levels run one after another: the stem (three 3x3 convolutions, the first at
// stride 2, then a 2x2 pool) and the four stages of bottleneck blocks. Each level runs on blocks
// of its input rows and keeps its output rows only while the next level may still ask for them.
// A block of output rows [from, to) runs on the input rows [from * factor - radius, to * factor +
// radius): the zeros a convolution pads at a block's cut reach at most `radius` input rows inward,
// and only the rows beyond them are kept. Blocks start on a multiple of the level's factor, so
// every pooling window is the one the whole image has. What changes is float rounding only (the
// convolutions may pick other algorithms for other sizes).
//
// Each level pays its own halo, not the whole trunk's: the deep stages, whose halo is widest,
// hold the fewest bytes per row and so run in the tallest blocks (docs/benchmarks.md has the
// cost against the whole image).
//
// Plain arithmetic: any thread may call these.
#pragma once

#include "engine/ModelSpec.h"

namespace qc {

constexpr int kTrunkStride = 32;
constexpr int kTrunkLevels = 5;  // the stem, then the four stages

struct TrunkLevel {
    int factor = 1;        // input rows per output row: 4 (stem), 1 (first stage), 2 (the others)
    int radius = 0;        // input rows on each side that an output row depends on
    int inputStride = 1;   // image rows per input row: 1, 4, 4, 8, 16
    double bytesPerImagePixel = 0;       // activation memory while it runs, per image pixel
    double inputBytesPerImagePixel = 0;  // its input map, per image pixel
};

TrunkLevel trunkLevel(const ModelSpec& spec, int level);

// Rows of a level's output for `inputRows` rows of input (the whole image's arithmetic).
int levelOutputRows(int level, int inputRows);

// s(n) = floor((n + 1) / 32): feature-map rows of n input rows (docs/qualiclip-model.md).
int featureMapRows(int inputRows);

struct RowRange {
    int begin = 0, end = 0;
};

// The input rows a level runs on so that its output rows [from, to) are those of the whole
// input of `inputRows` rows.
RowRange levelInputWindow(const TrunkLevel& level, int from, int to, int inputRows);

// Activation memory of the trunk, feature map included, when blocks are chosen automatically
// (the model's weights, ~300 MB, and the decoded photo come on top).
constexpr double kTrunkMemoryBudgetBytes = 1.2 * (1 << 30);

// The feature map (the last level's output, kept whole for the head), per image pixel.
double featureMapBytesPerImagePixel(const ModelSpec& spec);

// True when an image of this size runs whole: stripRows < 0, or 0 (automatic) and the stem's
// activations for the whole image fit kTrunkMemoryBudgetBytes.
bool trunkRunsWhole(const ModelSpec& spec, int width, int height, int stripRows);

// Image rows of one block of the stem such that, with every level's blocks in proportion, the
// activations alive at once stay within the budget.
int stemBlockImageRows(const ModelSpec& spec, int width, int height);

// Images of width x height that one pass of the whole trunk may take together within the budget:
// `wanted`, fewer for large images, at least 1 (which then runs in blocks when it must).
int imagesPerTrunkPass(const ModelSpec& spec, int width, int height, int wanted);

// Output rows of `level` that one block computes. stripRows > 0: about that many image rows per
// block at every level (tests, benchmarks); 0: from the budget (stemBlockImageRows).
int levelBlockRows(const ModelSpec& spec, int level, int width, int height, int stripRows);

}  // namespace qc
