// makeRandomCheckpoint: a checkpoint of any QualiCLIP architecture filled with seeded random
// weights, for tests and benchmarks only (never a stand-in for the real weights). Weights are
// scaled by 1/sqrt(fan-in) and BatchNorm statistics kept positive so activations stay finite.
#pragma once

#include <cstdint>

#include "engine/Checkpoint.h"
#include "engine/ModelSpec.h"

namespace qc {

// The released QualiCLIP architecture: CLIP RN50 (width 64, blocks 3-4-6-3, D = 1024) with 7 pairs.
ModelSpec releasedModelSpec();

// A small architecture of the same family (width 8, one block per stage, 4 attention-pool heads,
// D = 32, a one-layer text encoder): fast enough for unit tests of everything around the network.
ModelSpec smallModelSpec(int pairCount = 7);

Checkpoint makeRandomCheckpoint(const ModelSpec& spec, uint32_t seed);

}  // namespace qc
