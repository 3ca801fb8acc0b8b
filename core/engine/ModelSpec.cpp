#include "engine/ModelSpec.h"

#include <cmath>
#include <set>
#include <sstream>

#include "Errors.h"

namespace qc {
namespace {

std::string clipKey(const std::string& name) { return kClipPrefix + name; }

[[noreturn]] void fail(const Checkpoint& checkpoint, const std::string& problem) {
    throw CheckpointError("'" + checkpoint.path + "' is not a usable QualiCLIP checkpoint: " +
                          problem);
}

const CheckpointTensor& require(const Checkpoint& checkpoint, const std::string& key, size_t rank) {
    auto it = checkpoint.tensors.find(key);
    if (it == checkpoint.tensors.end()) fail(checkpoint, "missing key '" + key + "'");
    if (it->second.shape.size() != rank)
        fail(checkpoint, "key '" + key + "' has shape " + shapeToString(it->second.shape) +
                             ", expected " + std::to_string(rank) + " dimensions");
    return it->second;
}

int dimension(const Checkpoint& checkpoint, const std::string& key, size_t rank, size_t axis) {
    return static_cast<int>(require(checkpoint, key, rank).shape.at(axis));
}

// Number of distinct indices i among keys "<prefix><i>." (how CLIP's build_model counts blocks).
int countIndexedChildren(const Checkpoint& checkpoint, const std::string& prefix) {
    std::set<std::string> indices;
    for (const auto& entry : checkpoint.tensors) {
        const std::string& key = entry.first;
        if (key.rfind(prefix, 0) != 0) continue;
        const size_t dot = key.find('.', prefix.size());
        if (dot != std::string::npos) indices.insert(key.substr(prefix.size(), dot - prefix.size()));
    }
    return static_cast<int>(indices.size());
}

void addBatchNorm(std::vector<std::pair<std::string, TensorShape>>& out, const std::string& name,
                  int64_t channels) {
    for (const char* field : {"weight", "bias", "running_mean", "running_var"})
        out.push_back({clipKey(name + "." + field), {channels}});
}

void addImageEncoder(std::vector<std::pair<std::string, TensorShape>>& out, const ModelSpec& s) {
    const int64_t half = s.width / 2;
    out.push_back({clipKey("visual.conv1.weight"), {half, 3, 3, 3}});
    addBatchNorm(out, "visual.bn1", half);
    out.push_back({clipKey("visual.conv2.weight"), {half, half, 3, 3}});
    addBatchNorm(out, "visual.bn2", half);
    out.push_back({clipKey("visual.conv3.weight"), {s.width, half, 3, 3}});
    addBatchNorm(out, "visual.bn3", s.width);
    int64_t inplanes = s.width;
    for (int stage = 0; stage < 4; ++stage) {
        const int64_t planes = static_cast<int64_t>(s.width) << stage;
        for (int b = 0; b < s.blocks[stage]; ++b) {
            const std::string block = "visual.layer" + std::to_string(stage + 1) + "." +
                                      std::to_string(b) + ".";
            const bool strided = stage > 0 && b == 0;
            out.push_back({clipKey(block + "conv1.weight"), {planes, inplanes, 1, 1}});
            addBatchNorm(out, block + "bn1", planes);
            out.push_back({clipKey(block + "conv2.weight"), {planes, planes, 3, 3}});
            addBatchNorm(out, block + "bn2", planes);
            out.push_back({clipKey(block + "conv3.weight"), {planes * 4, planes, 1, 1}});
            addBatchNorm(out, block + "bn3", planes * 4);
            if (strided || inplanes != planes * 4) {
                out.push_back({clipKey(block + "downsample.0.weight"), {planes * 4, inplanes, 1, 1}});
                addBatchNorm(out, block + "downsample.1", planes * 4);
            }
            inplanes = planes * 4;
        }
    }
    const int64_t c = s.poolChannels;
    out.push_back({clipKey("visual.attnpool.positional_embedding"), {s.positionalRows, c}});
    for (const char* proj : {"q_proj", "k_proj", "v_proj"}) {
        out.push_back({clipKey(std::string("visual.attnpool.") + proj + ".weight"), {c, c}});
        out.push_back({clipKey(std::string("visual.attnpool.") + proj + ".bias"), {c}});
    }
    out.push_back({clipKey("visual.attnpool.c_proj.weight"), {s.outputDim, c}});
    out.push_back({clipKey("visual.attnpool.c_proj.bias"), {s.outputDim}});
}

void addTextEncoder(std::vector<std::pair<std::string, TensorShape>>& out, const ModelSpec& s) {
    const int64_t w = s.textWidth;
    out.push_back({clipKey("token_embedding.weight"), {s.vocabSize, w}});
    out.push_back({clipKey("positional_embedding"), {s.contextLength, w}});
    for (int i = 0; i < s.textLayers; ++i) {
        const std::string b = "transformer.resblocks." + std::to_string(i) + ".";
        out.push_back({clipKey(b + "attn.in_proj_weight"), {3 * w, w}});
        out.push_back({clipKey(b + "attn.in_proj_bias"), {3 * w}});
        out.push_back({clipKey(b + "attn.out_proj.weight"), {w, w}});
        out.push_back({clipKey(b + "attn.out_proj.bias"), {w}});
        out.push_back({clipKey(b + "ln_1.weight"), {w}});
        out.push_back({clipKey(b + "ln_1.bias"), {w}});
        out.push_back({clipKey(b + "mlp.c_fc.weight"), {4 * w, w}});
        out.push_back({clipKey(b + "mlp.c_fc.bias"), {4 * w}});
        out.push_back({clipKey(b + "mlp.c_proj.weight"), {w, 4 * w}});
        out.push_back({clipKey(b + "mlp.c_proj.bias"), {w}});
        out.push_back({clipKey(b + "ln_2.weight"), {w}});
        out.push_back({clipKey(b + "ln_2.bias"), {w}});
    }
    out.push_back({clipKey("ln_final.weight"), {w}});
    out.push_back({clipKey("ln_final.bias"), {w}});
    out.push_back({clipKey("text_projection"), {w, s.outputDim}});
    out.push_back({clipKey("logit_scale"), {}});
}

bool allFinite(const CheckpointTensor& tensor) {
    for (float v : tensor.values)
        if (!std::isfinite(v)) return false;
    return true;
}

bool hasNegative(const CheckpointTensor& tensor) {
    for (float v : tensor.values)
        if (v < 0.0f) return true;
    return false;
}

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The smallest sizes the network can run with: a file whose shapes agree with each other but
// are zero (width 0, no heads) would otherwise pass validation and fail at every image.
void checkRunnable(const Checkpoint& checkpoint, const ModelSpec& s) {
    auto require = [&](bool ok, const std::string& what) {
        if (!ok) fail(checkpoint, "the model cannot run: " + what);
    };
    require(s.width >= 2, "its ResNet width is " + std::to_string(s.width) + " (at least 2 needed)");
    require(s.poolHeads >= 1, "its attention pool has no heads");
    require(s.outputDim >= 1, "its image embedding has size " + std::to_string(s.outputDim));
    require(s.textWidth >= 1 && s.contextLength >= 1 && s.vocabSize >= 1,
            "its text encoder has an empty width, context or vocabulary");
}

}  // namespace

std::string shapeToString(const TensorShape& shape) {
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

ModelSpec inferModelSpec(const Checkpoint& checkpoint) {
    ModelSpec s;
    s.width = 2 * dimension(checkpoint, clipKey("visual.conv1.weight"), 4, 0);
    for (int stage = 0; stage < 4; ++stage) {
        const std::string prefix = clipKey("visual.layer" + std::to_string(stage + 1) + ".");
        s.blocks[stage] = countIndexedChildren(checkpoint, prefix);
        if (s.blocks[stage] == 0) fail(checkpoint, "no blocks under '" + prefix + "'");
    }
    const std::string cProj = clipKey("visual.attnpool.c_proj.weight");
    s.outputDim = dimension(checkpoint, cProj, 2, 0);
    s.poolChannels = dimension(checkpoint, cProj, 2, 1);
    if (s.poolChannels != 32 * s.width || s.poolChannels % 64 != 0)
        fail(checkpoint, "'" + cProj + "' has " + std::to_string(s.poolChannels) +
                             " input channels; 32 x width = " + std::to_string(32 * s.width) +
                             " (a multiple of 64) expected");
    s.poolHeads = s.poolChannels / 64;
    s.positionalRows =
        dimension(checkpoint, clipKey("visual.attnpool.positional_embedding"), 2, 0);
    const int promptRows = dimension(checkpoint, kPromptsKey, 2, 0);
    if (promptRows < 2 || promptRows % 2 != 0)
        fail(checkpoint, std::string("'") + kPromptsKey + "' has " + std::to_string(promptRows) +
                             " rows; an even number (positive/negative pairs) is expected");
    s.pairCount = promptRows / 2;
    s.textWidth = dimension(checkpoint, clipKey("ln_final.weight"), 1, 0);
    s.textLayers = countIndexedChildren(checkpoint, clipKey("transformer.resblocks."));
    s.contextLength = dimension(checkpoint, clipKey("positional_embedding"), 2, 0);
    s.vocabSize = dimension(checkpoint, clipKey("token_embedding.weight"), 2, 0);
    checkRunnable(checkpoint, s);
    return s;
}

std::vector<std::pair<std::string, TensorShape>> expectedTensors(const ModelSpec& spec) {
    std::vector<std::pair<std::string, TensorShape>> out;
    addImageEncoder(out, spec);
    addTextEncoder(out, spec);
    out.push_back({kPromptsKey, {2 * spec.pairCount, spec.outputDim}});
    return out;
}

void validateCheckpoint(const Checkpoint& checkpoint, const ModelSpec& spec) {
    std::vector<std::string> problems;
    for (const auto& [key, shape] : expectedTensors(spec)) {
        auto it = checkpoint.tensors.find(key);
        if (it == checkpoint.tensors.end()) {
            problems.push_back("missing key '" + key + "'");
        } else if (it->second.shape != shape) {
            problems.push_back("key '" + key + "' has shape " + shapeToString(it->second.shape) +
                               ", expected " + shapeToString(shape));
        } else if (!allFinite(it->second)) {
            problems.push_back("key '" + key + "' holds NaN or infinite values");
        } else if (endsWith(key, ".running_var") && hasNegative(it->second)) {
            problems.push_back("key '" + key + "' holds negative variances");
        }
    }
    if (problems.empty()) return;
    std::string message = problems.front();
    const size_t shown = std::min<size_t>(problems.size(), 5);
    for (size_t i = 1; i < shown; ++i) message += "; " + problems[i];
    if (problems.size() > shown)
        message += "; and " + std::to_string(problems.size() - shown) + " more problems";
    fail(checkpoint, message);
}

}  // namespace qc
