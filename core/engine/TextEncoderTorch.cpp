// CLIP's text transformer in ATen operations (clip/model.py: CLIP.encode_text, Transformer,
// ResidualAttentionBlock, QuickGELU), float32 as the reference runs it on CPU.
//
// Speed: attention is causal, so position e depends only on positions 0..e. The output is read
// at the end-of-text token, so the sequence is cut after the last end-of-text position of the
// batch: a 6-token prompt runs through 6 positions instead of 77, with the same result.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <cmath>

#include "Errors.h"
#include "engine/ModelSpec.h"
#include "engine/TextEncoder.h"

namespace qc {
namespace {

constexpr double kLayerNormEps = 1e-5;  // torch.nn.LayerNorm default, used by CLIP
constexpr int kHeadDim = 64;            // CLIP's build_model: heads = width / 64
constexpr double kQuickGeluScale = 1.702;

at::Tensor tensorOf(const Checkpoint& checkpoint, const std::string& name) {
    const std::string key = kClipPrefix + name;
    auto it = checkpoint.tensors.find(key);
    if (it == checkpoint.tensors.end())
        throw CheckpointError("'" + checkpoint.path + "': missing key '" + key + "'");
    const CheckpointTensor& t = it->second;
    return at::from_blob(const_cast<float*>(t.values.data()), t.shape, at::kFloat).clone();
}

struct LayerNormWeights {
    at::Tensor weight, bias;
};

struct ResidualBlock {
    LayerNormWeights ln1, ln2;
    at::Tensor inWeight, inBias, outWeight, outBias;  // nn.MultiheadAttention's packed q/k/v
    at::Tensor fcWeight, fcBias, projWeight, projBias;
};

LayerNormWeights layerNormOf(const Checkpoint& ck, const std::string& name) {
    return {tensorOf(ck, name + ".weight"), tensorOf(ck, name + ".bias")};
}

at::Tensor layerNorm(const at::Tensor& x, const LayerNormWeights& w) {
    return at::layer_norm(x, {x.size(-1)}, w.weight, w.bias, kLayerNormEps);
}

}  // namespace

struct TextEncoder::Impl {
    TextEncoderShape shape;
    at::Tensor tokenEmbedding, positionalEmbedding, textProjection;
    std::vector<ResidualBlock> blocks;
    LayerNormWeights lnFinal;

    at::Tensor attention(const ResidualBlock& b, const at::Tensor& x, const at::Tensor& mask) const;
    at::Tensor forward(const at::Tensor& ids) const;
    at::Tensor transform(at::Tensor embedded, const at::Tensor& endPositions) const;
};

namespace {
std::vector<std::vector<float>> rowsOf(at::Tensor features, bool normalise) {
    if (normalise) features = features / features.norm(2, 1, true);
    features = features.contiguous();
    std::vector<std::vector<float>> rows;
    for (int64_t i = 0; i < features.size(0); ++i) {
        const float* row = features[i].data_ptr<float>();
        rows.emplace_back(row, row + features.size(1));
    }
    return rows;
}
}  // namespace

// nn.MultiheadAttention(width, heads) with CLIP's causal mask: q, k, v from one packed product,
// q scaled by 1/sqrt(head_dim), -inf above the diagonal, softmax, out_proj.
at::Tensor TextEncoder::Impl::attention(const ResidualBlock& b, const at::Tensor& x,
                                        const at::Tensor& mask) const {
    const int64_t n = x.size(0), length = x.size(1), width = x.size(2), heads = shape.heads;
    const int64_t headDim = width / heads;
    std::vector<at::Tensor> qkv = at::linear(x, b.inWeight, b.inBias).chunk(3, -1);
    auto split = [&](const at::Tensor& t) {
        return t.reshape({n, length, heads, headDim}).transpose(1, 2);
    };
    at::Tensor q = split(qkv[0]) / std::sqrt(static_cast<double>(headDim));
    at::Tensor scores = at::matmul(q, split(qkv[1]).transpose(-2, -1)) + mask;  // [n, heads, L, L]
    at::Tensor mixed = at::matmul(scores.softmax(-1), split(qkv[2]));           // [n, heads, L, d]
    return at::linear(mixed.transpose(1, 2).reshape({n, length, width}), b.outWeight, b.outBias);
}

at::Tensor TextEncoder::Impl::forward(const at::Tensor& ids) const {
    // The end-of-text token has the highest id; encode_text reads the output at argmax(ids).
    const at::Tensor endPositions = ids.argmax(1);
    const int64_t length = endPositions.max().item<int64_t>() + 1;
    const at::Tensor used = ids.slice(1, 0, length).contiguous();
    at::Tensor x = tokenEmbedding.index_select(0, used.reshape({-1}))
                       .view({used.size(0), length, shape.width});
    return transform(x, endPositions);
}

// Positional embedding, the residual blocks, ln_final and the projection at each end position,
// on embedded [n, length, width] whose length reaches at least the last end position.
at::Tensor TextEncoder::Impl::transform(at::Tensor x, const at::Tensor& endPositions) const {
    const int64_t length = x.size(1);
    x = x + positionalEmbedding.slice(0, 0, length);
    const at::Tensor mask = at::full({length, length}, -INFINITY, x.options()).triu(1);
    for (const ResidualBlock& b : blocks) {
        x = x + attention(b, layerNorm(x, b.ln1), mask);
        at::Tensor hidden = at::linear(layerNorm(x, b.ln2), b.fcWeight, b.fcBias);
        hidden = hidden * at::sigmoid(hidden * kQuickGeluScale);  // QuickGELU
        x = x + at::linear(hidden, b.projWeight, b.projBias);
    }
    x = layerNorm(x, lnFinal);
    const at::Tensor rows = at::arange(x.size(0), at::kLong);
    return at::mm(x.index({rows, endPositions}), textProjection);  // [n, outputDim]
}

TextEncoder::TextEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextEncoder::~TextEncoder() = default;

std::shared_ptr<const TextEncoder> TextEncoder::load(const std::string& checkpointPath) {
    return fromCheckpoint(readCheckpoint(checkpointPath));
}

std::shared_ptr<const TextEncoder> TextEncoder::fromCheckpoint(const Checkpoint& checkpoint) {
    const ModelSpec spec = inferModelSpec(checkpoint);
    validateCheckpoint(checkpoint, spec);  // every text key present with the shape the sizes imply
    auto impl = std::make_unique<Impl>();
    TextEncoderShape& s = impl->shape;
    s.width = spec.textWidth;
    s.heads = std::max(1, spec.textWidth / kHeadDim);
    s.layers = spec.textLayers;
    s.contextLength = spec.contextLength;
    s.vocabularySize = spec.vocabSize;
    s.outputDim = spec.outputDim;
    impl->tokenEmbedding = tensorOf(checkpoint, "token_embedding.weight");
    impl->positionalEmbedding = tensorOf(checkpoint, "positional_embedding");
    impl->textProjection = tensorOf(checkpoint, "text_projection");
    impl->lnFinal = layerNormOf(checkpoint, "ln_final");
    for (int i = 0; i < s.layers; ++i) {
        const std::string p = "transformer.resblocks." + std::to_string(i) + ".";
        ResidualBlock b;
        b.ln1 = layerNormOf(checkpoint, p + "ln_1");
        b.ln2 = layerNormOf(checkpoint, p + "ln_2");
        b.inWeight = tensorOf(checkpoint, p + "attn.in_proj_weight");
        b.inBias = tensorOf(checkpoint, p + "attn.in_proj_bias");
        b.outWeight = tensorOf(checkpoint, p + "attn.out_proj.weight");
        b.outBias = tensorOf(checkpoint, p + "attn.out_proj.bias");
        b.fcWeight = tensorOf(checkpoint, p + "mlp.c_fc.weight");
        b.fcBias = tensorOf(checkpoint, p + "mlp.c_fc.bias");
        b.projWeight = tensorOf(checkpoint, p + "mlp.c_proj.weight");
        b.projBias = tensorOf(checkpoint, p + "mlp.c_proj.bias");
        impl->blocks.push_back(std::move(b));
    }
    return std::shared_ptr<const TextEncoder>(new TextEncoder(std::move(impl)));
}

const TextEncoderShape& TextEncoder::shape() const { return impl_->shape; }

std::vector<std::vector<float>> TextEncoder::encode(const std::vector<std::vector<int>>& tokens,
                                                    bool normalise) const {
    if (tokens.empty()) return {};
    const TextEncoderShape& s = impl_->shape;
    std::vector<int64_t> flat;
    for (const std::vector<int>& row : tokens) {
        if (static_cast<int>(row.size()) != s.contextLength)
            throw PromptError("a tokenised prompt has " + std::to_string(row.size()) +
                              " ids; the text encoder takes " + std::to_string(s.contextLength));
        for (int id : row) {
            if (id < 0 || id >= s.vocabularySize)
                throw PromptError("token id " + std::to_string(id) +
                                  " is outside the text encoder's vocabulary of " +
                                  std::to_string(s.vocabularySize));
            flat.push_back(id);
        }
    }
    c10::InferenceMode guard;
    const at::Tensor ids =
        at::tensor(flat, at::kLong).view({static_cast<int64_t>(tokens.size()), s.contextLength});
    return rowsOf(impl_->forward(ids), normalise);
}

std::vector<std::vector<float>> TextEncoder::encodeEmbeddings(const std::vector<float>& embeddings, int count,
                                                              const std::vector<int>& endPositions,
                                                              bool normalise) const {
    const TextEncoderShape& s = impl_->shape;
    if (count <= 0) return {};
    if (embeddings.size() != static_cast<size_t>(count) * s.contextLength * s.width)
        throw PromptError(std::to_string(embeddings.size()) + " embedding values for " + std::to_string(count) +
                          " texts; the text encoder takes " + std::to_string(s.contextLength) + " x " +
                          std::to_string(s.width) + " per text");
    if (endPositions.size() != static_cast<size_t>(count))
        throw PromptError(std::to_string(endPositions.size()) + " end positions for " + std::to_string(count) + " texts");
    int64_t last = 0;
    for (int e : endPositions) {
        if (e < 0 || e >= s.contextLength)
            throw PromptError("end position " + std::to_string(e) + " is outside the context of " +
                              std::to_string(s.contextLength));
        last = std::max<int64_t>(last, e);
    }
    c10::InferenceMode guard;
    // Attention is causal: positions after the last end position change no output read here.
    const at::Tensor x = at::from_blob(const_cast<float*>(embeddings.data()), {count, s.contextLength, s.width},
                                       at::kFloat)
                             .slice(1, 0, last + 1)
                             .contiguous();
    const std::vector<int64_t> ends(endPositions.begin(), endPositions.end());
    return rowsOf(impl_->transform(x, at::tensor(ends, at::kLong)), normalise);
}

}  // namespace qc
