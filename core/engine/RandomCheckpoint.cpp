#include "engine/RandomCheckpoint.h"

#include <cmath>
#include <random>

namespace qc {
namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void fill(const std::string& key, CheckpointTensor& t, std::mt19937& rng) {
    const int64_t n = t.numel();
    t.values.resize(static_cast<size_t>(n));
    const int64_t fanIn = t.shape.size() >= 2 ? n / t.shape[0] : 1;
    std::normal_distribution<float> normal(0.0f, 1.0f / std::sqrt(static_cast<float>(fanIn)));
    std::uniform_real_distribution<float> around1(0.5f, 1.5f);
    std::normal_distribution<float> small(0.0f, 0.1f);
    for (float& v : t.values) {
        if (endsWith(key, "running_var") || (endsWith(key, ".weight") && t.shape.size() == 1))
            v = around1(rng);
        else if (t.shape.size() <= 1)
            v = small(rng);
        else
            v = normal(rng);
    }
}

void normaliseRows(CheckpointTensor& t) {
    const int64_t cols = t.shape[1];
    for (int64_t r = 0; r < t.shape[0]; ++r) {
        double sum = 0;
        for (int64_t c = 0; c < cols; ++c) sum += t.values[r * cols + c] * t.values[r * cols + c];
        const float inv = static_cast<float>(1.0 / std::sqrt(sum));
        for (int64_t c = 0; c < cols; ++c) t.values[r * cols + c] *= inv;
    }
}

}  // namespace


ModelSpec releasedModelSpec() {
    ModelSpec s;
    s.width = 64;
    s.blocks = {3, 4, 6, 3};
    s.poolChannels = 2048;
    s.poolHeads = 32;
    s.positionalRows = 50;
    s.outputDim = 1024;
    s.pairCount = 7;
    s.textWidth = 512;
    s.textLayers = 12;
    s.contextLength = 77;
    s.vocabSize = 49408;
    return s;
}

ModelSpec smallModelSpec(int pairCount) {
    ModelSpec s;
    s.width = 8;
    s.blocks = {1, 1, 1, 1};
    s.poolChannels = 256;
    s.poolHeads = 4;
    s.positionalRows = 50;
    s.outputDim = 32;
    s.pairCount = pairCount;
    s.textWidth = 64;
    s.textLayers = 1;
    s.contextLength = 77;
    s.vocabSize = 50;
    return s;
}

Checkpoint makeRandomCheckpoint(const ModelSpec& spec, uint32_t seed) {
    Checkpoint checkpoint;
    checkpoint.path = "<random weights, seed " + std::to_string(seed) + ">";
    checkpoint.sha256 = "random-" + std::to_string(seed);
    std::mt19937 rng(seed);
    for (const auto& [key, shape] : expectedTensors(spec)) {
        CheckpointTensor& t = checkpoint.tensors[key];
        t.shape = shape;
        fill(key, t, rng);
    }
    normaliseRows(checkpoint.tensors[kPromptsKey]);
    return checkpoint;
}

}  // namespace qc
