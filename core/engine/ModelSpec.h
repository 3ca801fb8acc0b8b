// ModelSpec: the architecture of a QualiCLIP checkpoint, inferred from its tensors the way
// CLIP's own build_model does (docs/qualiclip-model.md), so the released model (width 64,
// blocks 3-4-6-3) and the tiny conformance model load through the same code.
//
// inferModelSpec() reads sizes; validateCheckpoint() checks every expected key, shape and
// value and names what is missing or wrong. Both are pure functions, safe on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/Checkpoint.h"

namespace qc {

// Every checkpoint key of the CLIP model carries this prefix; prompts_features does not.
inline constexpr const char* kClipPrefix = "clip_model.";
inline constexpr const char* kPromptsKey = "prompts_features";

struct ModelSpec {
    int width = 0;                  // ResNet width (64 for RN50)
    std::array<int, 4> blocks{};    // Bottleneck blocks per stage
    int poolChannels = 0;           // attention-pool embedding width = 32 * width
    int poolHeads = 0;              // poolChannels / 64
    int positionalRows = 0;         // rows of the (unused) attention-pool positional embedding
    int outputDim = 0;              // image embedding size D
    int pairCount = 0;              // antonym prompt pairs P (prompts_features is [2P, D])
    int textWidth = 0;
    int textLayers = 0;
    int contextLength = 0;
    int vocabSize = 0;
};

using TensorShape = std::vector<int64_t>;

// Throws CheckpointError naming the key whose presence or size cannot be read.
ModelSpec inferModelSpec(const Checkpoint& checkpoint);

// Every key (with prefix) and shape a checkpoint of this architecture must hold, in a stable
// order: image encoder, attention pool, text encoder, prompts.
std::vector<std::pair<std::string, TensorShape>> expectedTensors(const ModelSpec& spec);

// Throws CheckpointError listing missing keys, wrong shapes and non-finite weights by name.
void validateCheckpoint(const Checkpoint& checkpoint, const ModelSpec& spec);

std::string shapeToString(const TensorShape& shape);

}  // namespace qc
