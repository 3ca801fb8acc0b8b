// writeCheckpoint: saves a Checkpoint in torch.save's zip format (one stored record per tensor,
// 64-byte aligned, as PyTorch writes the released weights), through LibTorch's own writer. For
// tests and benchmarks that need a model file of the released size made from random weights
// (engine/RandomCheckpoint.h); never a stand-in for the real weights.
//
// Any thread may call it; it throws QualiClipError naming the file when it cannot be written.
#pragma once

#include <string>

#include "engine/Checkpoint.h"

namespace qc {

void writeCheckpoint(const Checkpoint& checkpoint, const std::string& path);

}  // namespace qc
