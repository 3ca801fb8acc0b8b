// Trunk strips: how a large image goes through the convolutional trunk in horizontal strips so
// that memory stays bounded at any photo size, with the same result as the whole image.
//
// Each strip runs on its rows plus a halo above and below, and keeps only the feature-map rows
// whose receptive field lies inside the strip: the zeros a convolution pads at the strip's cut
// reach at most trunkReceptiveRadius() input rows inward, and the halo is at least that. Strip
// starts are multiples of 32 (the trunk's stride: one stride-2 convolution and four 2x2 average
// pools), so every pooling window is the one the whole image has. What changes is float rounding
// only (the convolutions may pick other algorithms for other sizes).
//
// Plain arithmetic: any thread may call these.
#pragma once

#include <vector>

#include "engine/ModelSpec.h"

namespace qc {

constexpr int kTrunkStride = 32;

struct TrunkStrip {
    int inputBegin = 0, inputEnd = 0;  // input rows the strip runs on, halo included
    int keptBegin = 0, keptEnd = 0;    // feature-map rows (of the whole image) it contributes
};

// s(n) = floor((n + 1) / 32): feature-map rows of n input rows (docs/qualiclip-model.md).
int featureMapRows(int inputRows);

// Input rows by which a change at one row can reach a feature-map row's inputs (CLIP's
// modified ResNet: three 3x3 stem convolutions, a 3x3 per bottleneck, the pools).
int trunkReceptiveRadius(const ModelSpec& spec);

// Activation memory the trunk needs per input pixel, estimated from measurements of the
// released model (142 bytes at width 64, docs/benchmarks.md), proportional to the width.
double trunkBytesPerPixel(const ModelSpec& spec);

// Activation memory one strip may use when strips are chosen automatically.
constexpr double kTrunkStripBudgetBytes = 1.0 * (1 << 30);

// stripRows: 0 = automatic (one strip when the whole image fits kTrunkStripBudgetBytes), < 0 =
// always one strip, > 0 = this many kept input rows per strip (rounded up to a multiple of 32).
std::vector<TrunkStrip> planTrunkStrips(const ModelSpec& spec, int width, int height,
                                        int stripRows);

}  // namespace qc
