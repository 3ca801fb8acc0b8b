// The QualiCLIP network in LibTorch ATen operations. Layout follows CLIP's ModifiedResNet
// (Radford et al., 2021) as the QualiCLIP reference calls it; see docs/qualiclip-model.md.
//
// Speed choices (each changes float rounding only, ~1e-7 relative):
// - BatchNorm (eval mode) is folded into the preceding convolution's weights and bias.
// - 1x1 convolutions run as one matrix product on the [C, H*W] view (OpenBLAS), 3x3 ones through
//   at::conv2d (oneDNN); the residual add and bias go into the product in place.
// - On a CUDA device (engine/ComputeDevice.h) the same operations run there: weights are moved
//   once at load, images travel as 8-bit and are normalised on the device, results come back to
//   the CPU as plain vectors. float32 keeps TF32 off so the numbers stay the reference's.
// - The global score needs attention-pool output 0 only, and the other tokens enter it only through
//   dot products with that one query and a weighted sum, so keys and values are never projected.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <dlfcn.h>
#include <malloc.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <thread>

#include "Errors.h"
#include "engine/QualiClipModel.h"
#include "engine/TrunkStrips.h"

namespace qc {
namespace {

constexpr double kBatchNormEps = 1e-5;  // torch.nn.BatchNorm2d default, used by CLIP
constexpr float kOfficialLogitScale = 100.0f;  // QualiCLIP's constant, not exp(logit_scale)
constexpr int kHeadDim = 64;            // CLIP: heads = channels / 64
// CLIP's normalisation constants (clip.py _transform).
constexpr float kMean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
constexpr float kStd[3] = {0.26862954f, 0.26130258f, 0.27577711f};
// Upper bound for one chunk of dense attention scores (heads x queries x tokens floats).
constexpr int64_t kDenseChunkBytes = 256ll << 20;

at::Tensor toTensor(const CheckpointTensor& t) {
    return at::from_blob(const_cast<float*>(t.values.data()), t.shape, at::kFloat).clone();
}

const CheckpointTensor& tensorAt(const Checkpoint& checkpoint, const std::string& key) {
    auto it = checkpoint.tensors.find(key);
    if (it == checkpoint.tensors.end())
        throw CheckpointError("'" + checkpoint.path + "': missing key '" + key + "'");
    return it->second;
}

// A convolution with its BatchNorm folded in: y = conv(x, weight) + bias.
struct FoldedConv {
    at::Tensor weight;  // [Cout, Cin, k, k]; for 1x1 stored as [Cout, Cin]
    at::Tensor bias;    // [Cout]; for 1x1 stored as [Cout, 1]
    int kernel = 1;
};

// y = w * scale + shift per output channel, scale = gamma / sqrt(var + eps), shift = beta - mean *
// scale. Each value is computed as float(double(w) * scale), exactly what folding whole tensors in
// float64 gave, in one pass over the stored weights without float64 copies of them (the copies
// and their page faults were most of the model's construction time).
FoldedConv foldConvBatchNorm(const Checkpoint& ck, const std::string& conv, const std::string& bn) {
    const CheckpointTensor& w = tensorAt(ck, kClipPrefix + conv + ".weight");
    auto field = [&](const char* name) -> const TensorValues& {
        return tensorAt(ck, kClipPrefix + bn + "." + name).values;
    };
    const TensorValues &gamma = field("weight"), &beta = field("bias"), &mean = field("running_mean"),
                       &var = field("running_var");
    const int64_t out = w.shape.at(0), perChannel = w.numel() / out;
    FoldedConv f;
    f.kernel = static_cast<int>(w.shape.back());
    f.weight = at::empty(w.shape, at::kFloat);
    f.bias = at::empty({out}, at::kFloat);
    float* weight = f.weight.data_ptr<float>();
    float* bias = f.bias.data_ptr<float>();
    const float* stored = w.values.data();
    for (int64_t c = 0; c < out; ++c) {
        const size_t i = static_cast<size_t>(c);
        const double scale = static_cast<double>(gamma[i]) / std::sqrt(static_cast<double>(var[i]) + kBatchNormEps);
        bias[c] = static_cast<float>(static_cast<double>(beta[i]) - static_cast<double>(mean[i]) * scale);
        for (int64_t k = c * perChannel; k < (c + 1) * perChannel; ++k)
            weight[k] = static_cast<float>(static_cast<double>(stored[k]) * scale);
    }
    if (f.kernel == 1) {
        f.weight = f.weight.view({w.shape[0], w.shape[1]});
        f.bias = f.bias.view({-1, 1});
    }
    return f;
}

struct Bottleneck {
    FoldedConv conv1, conv2, conv3;
    bool hasDownsample = false;
    FoldedConv downsample;
    int stride = 1;
};

// Activations are [N, C, H, W] float, contiguous (N images of one size).
// 1x1 convolution as one matrix product per image on its [C, H*W] view.
at::Tensor pointwise(const FoldedConv& c, const at::Tensor& x) {
    const int64_t n = x.size(0), hw = x.size(2) * x.size(3), out = c.weight.size(0);
    at::Tensor y = at::empty({n, out, x.size(2), x.size(3)}, x.options());
    for (int64_t i = 0; i < n; ++i) {
        at::Tensor yi = y[i].view({out, hw});
        at::addmm_out(yi, c.bias, c.weight, x[i].view({x.size(1), hw}));
    }
    return y;
}

// residual += conv1x1(x); residual is updated in place (saves one full-size tensor).
void pointwiseAccumulate(const FoldedConv& c, const at::Tensor& x, at::Tensor& residual) {
    const int64_t hw = x.size(2) * x.size(3);
    for (int64_t i = 0; i < x.size(0); ++i) {
        at::Tensor r = residual[i].view({residual.size(1), hw});
        r.add_(c.bias);
        r.addmm_(c.weight, x[i].view({x.size(1), hw}));
    }
}

at::Tensor conv3x3(const FoldedConv& c, const at::Tensor& x, int stride) {
    return at::conv2d(x, c.weight, c.bias.view({-1}), {stride, stride}, {1, 1});
}

at::Tensor avgPool(const at::Tensor& x, int k) { return at::avg_pool2d(x, {k, k}, {k, k}).contiguous(); }

LayerStats statsOf(const std::string& name, const at::Tensor& batch) {
    const at::Tensor x = batch[0];
    LayerStats s;
    s.name = name;
    s.shapeChw = x.sizes().vec();
    at::Tensor d = x.to(at::kDouble);
    s.mean = d.mean().item<double>();
    s.stdUnbiased = d.std().item<double>();
    s.absMax = d.abs().max().item<double>();
    at::Tensor cm = d.mean({1, 2}).to(at::kCPU).contiguous();
    s.channelMeans.assign(cm.data_ptr<double>(), cm.data_ptr<double>() + cm.numel());
    at::Tensor row = d[0][0].slice(0, 0, std::min<int64_t>(16, d.size(2))).to(at::kCPU).contiguous();
    s.firstRowChannel0.assign(row.data_ptr<double>(), row.data_ptr<double>() + row.numel());
    return s;
}

template <typename T>
std::vector<T> toVector(const at::Tensor& t) {
    at::Tensor c = t.to(at::kCPU).contiguous();
    return std::vector<T>(c.data_ptr<T>(), c.data_ptr<T>() + c.numel());
}

void throwIfCancelled(const ForwardOptions& options) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) throw Cancelled();
}

// The attention pool's projections (CLIP AttentionPool2d: q/k/v_proj, c_proj).
struct PoolWeights {
    at::Tensor qWeight, qBias, kWeight, kBias, vWeight, vBias, cWeight, cBias;

    PoolWeights to(at::ScalarType type) const { return to(at::TensorOptions().dtype(type)); }
    PoolWeights to(const at::TensorOptions& o) const {
        return {qWeight.to(o), qBias.to(o), kWeight.to(o), kBias.to(o), vWeight.to(o), vBias.to(o), cWeight.to(o),
                cBias.to(o)};
    }
};

FoldedConv onDevice(const FoldedConv& c, const at::TensorOptions& o) {
    return {c.weight.to(o).contiguous(), c.bias.to(o).contiguous(), c.kernel};
}

at::Device torchDevice(const ComputeDevice& d) {
    return d.isCuda() ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(d.index)) : at::Device(at::kCPU);
}

// The convolutional trunk's type: the head always runs in float32 (or float64 for Grad-CAM).
at::ScalarType trunkType(Precision p) {
    switch (p) {
        case Precision::Float16: return at::kHalf;
        case Precision::BFloat16: return at::kBFloat16;
        default: return at::kFloat;
    }
}

}  // namespace

struct QualiClipModel::Impl {
    ModelInfo info;
    FoldedConv stem1, stem2, stem3;
    std::vector<std::vector<Bottleneck>> stages;
    PoolWeights pool;
    at::Tensor prompts;  // [2P, D]
    float logitScale = kOfficialLogitScale;  // the recipe's factor on cosines
    float checkpointLogitScale = 0;          // clip_model.logit_scale (pyiqa's recipe uses its exp)
    at::Device device = at::kCPU;
    at::ScalarType trunk = at::kFloat;

    void loadWeights(const Checkpoint& ck);
    void moveToDevice();
    at::Tensor preprocess(const cv::Mat& rgb) const;
    // One level of the trunk (TrunkStrips.h): 0 = the stem, 1-4 = the stages.
    at::Tensor runLevel(int level, at::Tensor x) const;
    at::Tensor encode(at::Tensor x, NetworkOutput& out, const ForwardOptions& options) const;
    // The trunk over blocks of rows of `rgb`, level by level (TrunkStrips.h); the whole image at
    // once when it fits the activation budget.
    at::Tensor encodeImage(const cv::Mat& rgb, NetworkOutput& out, const ForwardOptions& options) const;
    at::Tensor bottleneck(const Bottleneck& b, at::Tensor x) const;
    static at::Tensor poolGlobal(const PoolWeights& w, const at::Tensor& tokens);
    static at::Tensor tokensOf(const at::Tensor& features);
    void head(const at::Tensor& features, const ForwardOptions& options, NetworkOutput& out) const;
    static at::Tensor headTarget(const PoolWeights& w, const at::Tensor& promptFeatures, double logitScale,
                                 const at::Tensor& features, int pair);
    at::Tensor poolDense(const at::Tensor& tokens) const;
    void scoreEmbedding(const at::Tensor& embedding, NetworkOutput& out) const;
    void scoreDense(const at::Tensor& denseTokens, NetworkOutput& out) const;
};

void QualiClipModel::Impl::loadWeights(const Checkpoint& ck) {
    stem1 = foldConvBatchNorm(ck, "visual.conv1", "visual.bn1");
    stem2 = foldConvBatchNorm(ck, "visual.conv2", "visual.bn2");
    stem3 = foldConvBatchNorm(ck, "visual.conv3", "visual.bn3");
    const ModelSpec& spec = info.spec;
    int inplanes = spec.width;
    for (int s = 0; s < 4; ++s) {
        const int planes = spec.width << s;
        std::vector<Bottleneck> blocks;
        for (int i = 0; i < spec.blocks[s]; ++i) {
            const std::string p = "visual.layer" + std::to_string(s + 1) + "." + std::to_string(i) + ".";
            Bottleneck b;
            b.stride = (s > 0 && i == 0) ? 2 : 1;
            b.conv1 = foldConvBatchNorm(ck, p + "conv1", p + "bn1");
            b.conv2 = foldConvBatchNorm(ck, p + "conv2", p + "bn2");
            b.conv3 = foldConvBatchNorm(ck, p + "conv3", p + "bn3");
            b.hasDownsample = b.stride > 1 || inplanes != planes * 4;
            if (b.hasDownsample) b.downsample = foldConvBatchNorm(ck, p + "downsample.0", p + "downsample.1");
            blocks.push_back(std::move(b));
            inplanes = planes * 4;
        }
        stages.push_back(std::move(blocks));
    }
    auto get = [&](const std::string& key) { return toTensor(tensorAt(ck, kClipPrefix + key)); };
    pool.qWeight = get("visual.attnpool.q_proj.weight");
    pool.qBias = get("visual.attnpool.q_proj.bias");
    pool.kWeight = get("visual.attnpool.k_proj.weight");
    pool.kBias = get("visual.attnpool.k_proj.bias");
    pool.vWeight = get("visual.attnpool.v_proj.weight");
    pool.vBias = get("visual.attnpool.v_proj.bias");
    pool.cWeight = get("visual.attnpool.c_proj.weight");
    pool.cBias = get("visual.attnpool.c_proj.bias");
    prompts = toTensor(tensorAt(ck, kPromptsKey));
    checkpointLogitScale = tensorAt(ck, kClipPrefix + std::string("logit_scale")).values.at(0);
}

// Folded on the CPU in float64 (loadWeights), then moved once; a no-op for the CPU in float32.
void QualiClipModel::Impl::moveToDevice() {
    const at::TensorOptions trunkOptions = at::TensorOptions().device(device).dtype(trunk);
    for (FoldedConv* c : {&stem1, &stem2, &stem3}) *c = onDevice(*c, trunkOptions);
    for (auto& blocks : stages)
        for (Bottleneck& b : blocks) {
            for (FoldedConv* c : {&b.conv1, &b.conv2, &b.conv3}) *c = onDevice(*c, trunkOptions);
            if (b.hasDownsample) b.downsample = onDevice(b.downsample, trunkOptions);
        }
    const at::TensorOptions headOptions = at::TensorOptions().device(device).dtype(at::kFloat);
    pool = pool.to(headOptions);
    prompts = prompts.to(headOptions);
}

// torchvision ToTensor + Normalize: x = (v / 255 - mean) / std, in float32 as the reference.
// The pixels travel to the device as 8-bit (a quarter of the bytes) and are normalised there.
at::Tensor QualiClipModel::Impl::preprocess(const cv::Mat& rgb) const {
    at::Tensor hwc = at::from_blob(rgb.data, {rgb.rows, rgb.cols, 3},
                                   {static_cast<int64_t>(rgb.step[0]), 3, 1}, at::kByte);
    at::Tensor x = hwc.to(device).permute({2, 0, 1}).to(at::kFloat).div_(255.0f);
    const at::TensorOptions options = at::TensorOptions().device(device).dtype(at::kFloat);
    at::Tensor mean = at::tensor({kMean[0], kMean[1], kMean[2]}, options).view({3, 1, 1});
    at::Tensor stdev = at::tensor({kStd[0], kStd[1], kStd[2]}, options).view({3, 1, 1});
    return x.sub_(mean).div_(stdev).contiguous().unsqueeze(0).to(trunk);  // [1, 3, H, W]
}

at::Tensor QualiClipModel::Impl::bottleneck(const Bottleneck& b, at::Tensor x) const {
    at::Tensor out = pointwise(b.conv1, x).relu_();
    out = conv3x3(b.conv2, out, 1).relu_();
    if (b.stride > 1) out = avgPool(out, b.stride);
    at::Tensor identity;
    if (b.hasDownsample) {
        identity = pointwise(b.downsample, b.stride > 1 ? avgPool(x, b.stride) : x);
        x.reset();  // the block input is no longer needed: free it before the widest tensor
    } else {
        identity = std::move(x);
    }
    pointwiseAccumulate(b.conv3, out, identity);
    return identity.relu_();
}

at::Tensor QualiClipModel::Impl::runLevel(int level, at::Tensor x) const {
    if (level == 0) {
        x = conv3x3(stem1, x, 2).relu_();
        x = conv3x3(stem2, x, 1).relu_();
        x = conv3x3(stem3, x, 1).relu_();
        return avgPool(x, 2);
    }
    for (const Bottleneck& b : stages[static_cast<size_t>(level - 1)]) x = bottleneck(b, std::move(x));
    return x;
}

at::Tensor QualiClipModel::Impl::encode(at::Tensor x, NetworkOutput& out,
                                        const ForwardOptions& options) const {
    static const char* const kLevelNames[kTrunkLevels] = {"avgpool", "layer1", "layer2", "layer3", "layer4"};
    for (int level = 0; level < kTrunkLevels; ++level) {
        throwIfCancelled(options);
        x = runLevel(level, std::move(x));
        if (options.collectLayerStats) out.layerStats.push_back(statsOf(kLevelNames[level], x));
    }
    return x.to(at::kFloat);  // [N, C, h, w]; the head runs in float32 whatever the trunk's type
}

namespace {

// One level of the trunk over a tall image, block by block (TrunkStrips.h). take(from, to, keepFrom)
// returns the level's output rows [from, to) as a tensor of their own, computing in blocks of at
// most blockRows the rows not computed yet; it keeps a copy of the rows from keepFrom on (the
// overlap with the next request, which only moves down the image) and forgets the rest, so the
// caller may free what it was given as soon as it is done with it.
class LevelRows {
public:
    // The level's input rows [begin, end); rows from keepFrom on will be asked for again.
    using Source = std::function<at::Tensor(int begin, int end, int keepFrom)>;
    using Runner = std::function<at::Tensor(int level, at::Tensor input)>;

    LevelRows(int level, const TrunkLevel& geometry, int inputRows, int blockRows, Source source, Runner run)
        : level_(level), geometry_(geometry), inputRows_(inputRows),
          outputRows_(levelOutputRows(level, inputRows)), blockRows_(blockRows), source_(std::move(source)),
          run_(std::move(run)) {}

    int outputRows() const { return outputRows_; }
    int blocksRun() const { return blocksRun_; }

    at::Tensor take(int from, int to, int keepFrom) {
        at::Tensor result;
        auto place = [&](const at::Tensor& rows, int begin) {
            const int first = std::max(begin, from), end = std::min(begin + static_cast<int>(rows.size(2)), to);
            if (end <= first) return;
            if (!result.defined()) result = at::empty({rows.size(0), rows.size(1), to - from, rows.size(3)}, rows.options());
            result.narrow(2, first - from, end - first).copy_(rows.narrow(2, first - begin, end - first));
        };
        if (kept_.defined()) place(kept_, keptBegin_);
        // The new rows in equal blocks, up to a quarter taller than blockRows rather than a
        // small remainder that would pay a whole halo for a few rows.
        const int missing = to - computedEnd_;
        const int blocks = missing > 0 ? (missing * 4 + blockRows_ * 5 - 1) / (blockRows_ * 5) : 0;
        for (int b = 0; b < blocks; ++b) {
            const int blockFrom = computedEnd_, blockTo = computedEnd_ + (to - computedEnd_) / (blocks - b);
            place(computeBlock(blockFrom, blockTo), blockFrom);
            computedEnd_ = blockTo;
        }
        keptBegin_ = std::clamp(keepFrom, from, to);
        kept_ = result.narrow(2, keptBegin_ - from, to - keptBegin_).clone();
        return result;
    }

private:
    // Output rows [from, to), from the input window that holds their radius.
    at::Tensor computeBlock(int from, int to) {
        const RowRange window = levelInputWindow(geometry_, from, to, inputRows_);
        const int nextWindowBegin = levelInputWindow(geometry_, to, to + 1, inputRows_).begin;
        at::Tensor output = run_(level_, source_(window.begin, window.end, nextWindowBegin));
        ++blocksRun_;
        // glibc keeps freed blocks under its mmap threshold (up to 32 MB) in its heap, and blocks
        // of every size come and go here: hand the free pages back once per stem block (measured
        // at 96 MP: 350 MB of free heap otherwise).
        if (level_ == 0) malloc_trim(0);
        return output.narrow(2, from - window.begin / geometry_.factor, to - from);
    }

    int level_;
    TrunkLevel geometry_;
    int inputRows_, outputRows_, blockRows_;
    Source source_;
    Runner run_;
    at::Tensor kept_;  // output rows [keptBegin_, computedEnd_)
    int keptBegin_ = 0, computedEnd_ = 0, blocksRun_ = 0;
};

}  // namespace

at::Tensor QualiClipModel::Impl::encodeImage(const cv::Mat& rgb, NetworkOutput& out,
                                             const ForwardOptions& options) const {
    if (options.collectLayerStats || trunkRunsWhole(info.spec, rgb.cols, rgb.rows, options.stripRows)) {
        out.trunkStrips = 1;
        return encode(preprocess(rgb), out, options);
    }
    const LevelRows::Runner run = [this, &options](int level, at::Tensor input) {
        throwIfCancelled(options);
        return runLevel(level, std::move(input));
    };
    std::vector<std::unique_ptr<LevelRows>> levels;
    int inputRows = rgb.rows;
    for (int level = 0; level < kTrunkLevels; ++level) {
        LevelRows::Source source;
        if (level == 0)
            source = [this, &rgb](int begin, int end, int) { return preprocess(rgb.rowRange(begin, end)); };
        else
            source = [previous = levels.back().get()](int begin, int end, int keepFrom) {
                return previous->take(begin, end, keepFrom);
            };
        levels.push_back(std::make_unique<LevelRows>(level, trunkLevel(info.spec, level), inputRows,
                                                     levelBlockRows(info.spec, level, rgb.cols, rgb.rows, options.stripRows),
                                                     std::move(source), run));
        inputRows = levels.back()->outputRows();
    }
    at::Tensor features = levels.back()->take(0, inputRows, inputRows).to(at::kFloat);
    out.trunkStrips = levels.front()->blocksRun();
    levels.clear();
    malloc_trim(0);  // as after each stem block
    return features;
}

// Attention-pool output 0 (the image embedding) from query 0 alone. With t0 the mean token:
// score_hj = (q0_h / sqrt(d)) . (Wk_h t_j + bk_h) = u_h . t_j + c_h, u_h = Wk_h^T q0_h / sqrt(d);
// output_h = sum_j a_hj (Wv_h t_j + bv_h) = Wv_h (sum_j a_hj t_j) + bv_h since sum_j a_hj = 1.
// No in-place operations: Grad-CAM differentiates through it.
at::Tensor QualiClipModel::Impl::poolGlobal(const PoolWeights& w, const at::Tensor& tokens) {
    const int64_t channels = tokens.size(1);
    const int64_t heads = channels / kHeadDim;
    const double scaling = 1.0 / std::sqrt(static_cast<double>(kHeadDim));
    at::Tensor q0 = ((at::mv(w.qWeight, tokens[0]) + w.qBias) * scaling).view({heads, kHeadDim});
    at::Tensor kw = w.kWeight.view({heads, kHeadDim, channels});
    at::Tensor u = at::bmm(q0.unsqueeze(1), kw).squeeze(1);                      // [heads, C]
    at::Tensor c = (q0 * w.kBias.view({heads, kHeadDim})).sum(1, true);           // [heads, 1]
    at::Tensor attention = at::addmm(c, u, tokens.t()).softmax(1);               // [heads, N]
    at::Tensor mixed = at::mm(attention, tokens);                                 // [heads, C]
    at::Tensor vw = w.vWeight.view({heads, kHeadDim, channels});
    at::Tensor values = at::bmm(vw, mixed.unsqueeze(2)).view({channels}) + w.vBias;  // [C]
    return at::addmv(w.cBias, w.cWeight, values);                                 // [D]
}

// Tokens of the attention pool: the mean over positions first, then each position, row-major.
at::Tensor QualiClipModel::Impl::tokensOf(const at::Tensor& features) {
    at::Tensor positions = features.reshape({features.size(0), -1}).t();  // [h*w, C]
    return at::cat({positions.mean(0, true), positions}, 0).contiguous();
}

// The score (pair < 0) or one pair's positive probability from layer-4 features, differentiable.
at::Tensor QualiClipModel::Impl::headTarget(const PoolWeights& w, const at::Tensor& promptFeatures,
                                            double logitScale, const at::Tensor& features, int pair) {
    at::Tensor embedding = poolGlobal(w, tokensOf(features));
    at::Tensor logits = at::mv(promptFeatures, embedding / embedding.norm()) * logitScale;
    at::Tensor probs = logits.view({-1, 2}).softmax(1).select(1, 0);
    return pair < 0 ? probs.mean() : probs[pair];
}

// Attention-pool outputs 1..N (every position as a query), in chunks of queries so that the
// [heads, queries, tokens] score block stays under kDenseChunkBytes.
at::Tensor QualiClipModel::Impl::poolDense(const at::Tensor& tokens) const {
    const int64_t n = tokens.size(0), channels = tokens.size(1);
    const int64_t heads = channels / kHeadDim;
    const float scaling = 1.0f / std::sqrt(static_cast<float>(kHeadDim));
    const PoolWeights& w = pool;
    at::Tensor keys = at::addmm(w.kBias, tokens, w.kWeight.t()).view({n, heads, kHeadDim}).permute({1, 2, 0});
    at::Tensor values = at::addmm(w.vBias, tokens, w.vWeight.t()).view({n, heads, kHeadDim}).transpose(0, 1);
    keys = keys.contiguous();      // [heads, d, N]
    values = values.contiguous();  // [heads, N, d]
    const int64_t chunk = std::max<int64_t>(1, kDenseChunkBytes / (heads * n * 4));
    std::vector<at::Tensor> outputs;
    for (int64_t start = 1; start < n; start += chunk) {
        const int64_t stop = std::min(n, start + chunk);
        at::Tensor q = at::addmm(w.qBias, tokens.slice(0, start, stop), w.qWeight.t()).mul_(scaling);
        q = q.view({stop - start, heads, kHeadDim}).transpose(0, 1);            // [heads, m, d]
        at::Tensor attention = at::bmm(q, keys).softmax(2);                     // [heads, m, N]
        at::Tensor mixed = at::bmm(attention, values).transpose(0, 1).reshape({stop - start, channels});
        outputs.push_back(at::addmm(w.cBias, mixed, w.cWeight.t()));                // [m, D]
    }
    return at::cat(outputs, 0);
}

// logits = logitScale * normalised embedding . prompts^T, softmax within each antonym pair.
void QualiClipModel::Impl::scoreEmbedding(const at::Tensor& embedding, NetworkOutput& out) const {
    at::Tensor f = embedding / embedding.norm();
    at::Tensor logits = at::mv(prompts, f).mul_(logitScale);
    at::Tensor probs = logits.view({-1, 2}).softmax(1).select(1, 0);
    out.embeddingRaw = toVector<float>(embedding);
    out.embedding = toVector<float>(f);
    out.score = probs.mean().item<float>();
    const std::vector<float> p = toVector<float>(probs), l = toVector<float>(logits);
    out.pairProbabilities.assign(p.begin(), p.end());
    out.logits.assign(l.begin(), l.end());
}

void QualiClipModel::Impl::scoreDense(const at::Tensor& denseTokens, NetworkOutput& out) const {
    at::Tensor f = denseTokens / denseTokens.norm(2, 1, true);
    at::Tensor logits = at::mm(f, prompts.t()).mul_(logitScale);             // [N, 2P]
    const int64_t positions = denseTokens.size(0);
    at::Tensor probs = logits.view({positions, -1, 2}).softmax(2).select(2, 0);  // [N, P]
    out.denseMean = toVector<float>(probs.mean(1));
    for (int64_t p = 0; p < probs.size(1); ++p) out.densePairs.push_back(toVector<float>(probs.select(1, p)));
}

QualiClipModel::QualiClipModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QualiClipModel::~QualiClipModel() = default;

const ModelInfo& QualiClipModel::info() const { return impl_->info; }

std::shared_ptr<const QualiClipModel> QualiClipModel::load(const std::string& path, const ModelOptions& options) {
    checkPrecision(options.device, options.precision);  // before seconds of reading
    return fromCheckpoint(readCheckpoint(path), options);
}

std::shared_ptr<const QualiClipModel> QualiClipModel::fromCheckpoint(const Checkpoint& checkpoint,
                                                                    const ModelOptions& options) {
    checkPrecision(options.device, options.precision);
    if (options.device.isCuda() && options.device.index >= cudaDeviceCount())
        throw QualiClipError("device " + options.device.toString() + " is not available");
    auto impl = std::make_unique<Impl>();
    impl->info.device = options.device;
    impl->info.precision = options.precision;
    impl->device = torchDevice(options.device);
    impl->trunk = trunkType(options.precision);
    impl->info.path = checkpoint.path;
    impl->info.sha256 = checkpoint.sha256;
    impl->info.spec = inferModelSpec(checkpoint);
    validateCheckpoint(checkpoint, impl->info.spec);
    impl->info.pairs = promptPairsFor(impl->info.spec.pairCount);
    // Plain tensors, not inference tensors: Grad-CAM uses the head's weights under autograd.
    impl->loadWeights(checkpoint);
    impl->moveToDevice();
    if (options.device.isCuda()) {
        // Process-wide switches: TF32 only when asked for, so float32 gives the reference's numbers.
        const bool tf32 = options.precision == Precision::TF32;
        at::globalContext().setAllowTF32CuBLAS(tf32);
        at::globalContext().setAllowTF32CuDNN(tf32);
    }
    return std::shared_ptr<const QualiClipModel>(new QualiClipModel(std::move(impl)));
}

std::shared_ptr<const QualiClipModel> QualiClipModel::withPrompts(const std::vector<std::vector<float>>& features,
                                                                  std::vector<PromptPair> pairs,
                                                                  const std::string& promptSetId) const {
    const int64_t dim = impl_->prompts.size(1);
    if (pairs.empty() || features.size() != 2 * pairs.size())
        throw PromptError(std::to_string(features.size()) + " prompt features for " + std::to_string(pairs.size()) +
                          " pairs; each pair needs two");
    std::vector<float> flat;
    for (const std::vector<float>& row : features) {
        if (static_cast<int64_t>(row.size()) != dim)
            throw PromptError("a prompt feature of " + std::to_string(row.size()) + " values for a model whose embedding has " +
                              std::to_string(dim));
        flat.insert(flat.end(), row.begin(), row.end());
    }
    auto impl = std::make_unique<Impl>(*impl_);  // tensors are shared handles: no weights copied
    impl->prompts = at::from_blob(flat.data(), {static_cast<int64_t>(features.size()), dim}, at::kFloat)
                        .clone()
                        .to(impl->device);  // where the model runs
    impl->info.pairs = std::move(pairs);
    impl->info.spec.pairCount = static_cast<int>(impl->info.pairs.size());
    impl->info.promptSet = promptSetId;
    return std::shared_ptr<const QualiClipModel>(new QualiClipModel(std::move(impl)));
}

// pyiqa (qualiclip_arch.py, clip_model.CLIP.forward): logits = exp(logit_scale) * cos / temperature,
// with the text features divided by their norm once more. exp is taken in float32, as there.
std::shared_ptr<const QualiClipModel> QualiClipModel::withRecipe(ScoringRecipe recipe) const {
    auto impl = std::make_unique<Impl>(*impl_);  // shared weights
    impl->info.recipe = recipe;
    if (recipe == ScoringRecipe::Pyiqa) {
        impl->logitScale = std::exp(impl->checkpointLogitScale) / static_cast<float>(kPyiqaTemperature);
        impl->prompts = impl->prompts / impl->prompts.norm(2, 1, true);
    } else if (impl_->info.recipe != ScoringRecipe::Official) {
        throw QualiClipError("a model scoring by pyiqa's recipe cannot go back to the official one; load it again");
    }
    impl->info.logitScale = impl->logitScale;
    return std::shared_ptr<const QualiClipModel>(new QualiClipModel(std::move(impl)));
}

void QualiClipModel::checkInput(const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw ImageError("network input must be a non-empty 8-bit RGB image");
    if (rgb.cols < kMinSide || rgb.rows < kMinSide)
        throw ImageError("image of " + std::to_string(rgb.cols) + " x " + std::to_string(rgb.rows) +
                         " px is too small: both sides must be at least " +
                         std::to_string(kMinSide) + " px");
}

namespace {

// LibTorch's own errors carry a C++ backtrace that means nothing to a user: keep its first line.
template <typename F>
auto withoutBacktrace(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const c10::Error& e) {
        std::string message = e.what_without_backtrace();
        throw QualiClipError("the network could not run on this input (" +
                             message.substr(0, message.find('\n')) + ")");
    }
}

}  // namespace

NetworkOutput QualiClipModel::run(const cv::Mat& rgb, const ForwardOptions& options) const {
    return withoutBacktrace([&] { return runChecked(rgb, options); });
}

std::vector<NetworkOutput> QualiClipModel::runBatch(const std::vector<cv::Mat>& images,
                                                    const ForwardOptions& options) const {
    return withoutBacktrace([&] { return runBatchChecked(images, options); });
}

NetworkOutput QualiClipModel::runChecked(const cv::Mat& rgb, const ForwardOptions& options) const {
    checkInput(rgb);
    const auto started = std::chrono::steady_clock::now();
    c10::InferenceMode guard;
    NetworkOutput out;
    out.inputWidth = rgb.cols;
    out.inputHeight = rgb.rows;
    at::Tensor features = impl_->encodeImage(rgb, out, options);
    throwIfCancelled(options);
    impl_->head(features[0], options, out);
    out.networkSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return out;
}

// Several images of one size through the convolutional part together (fewer, larger
// operations: worth it for small inputs such as patch-map windows), then each through the head.
std::vector<NetworkOutput> QualiClipModel::runBatchChecked(const std::vector<cv::Mat>& images,
                                                           const ForwardOptions& options) const {
    if (images.empty()) return {};
    for (const cv::Mat& rgb : images) {
        checkInput(rgb);
        if (rgb.size() != images.front().size()) throw ImageError("a batch needs images of one size");
    }
    const auto started = std::chrono::steady_clock::now();
    c10::InferenceMode guard;
    std::vector<at::Tensor> inputs;
    for (const cv::Mat& rgb : images) inputs.push_back(impl_->preprocess(rgb));
    NetworkOutput unused;
    ForwardOptions encodeOptions = options;
    encodeOptions.collectLayerStats = false;
    at::Tensor features = impl_->encode(at::cat(inputs, 0), unused, encodeOptions);
    inputs.clear();
    throwIfCancelled(options);
    std::vector<NetworkOutput> outputs(images.size());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (size_t i = 0; i < images.size(); ++i) {
        outputs[i].inputWidth = images[i].cols;
        outputs[i].inputHeight = images[i].rows;
        impl_->head(features[static_cast<int64_t>(i)], options, outputs[i]);
        outputs[i].networkSeconds = seconds / static_cast<double>(images.size());
    }
    return outputs;
}

// The attention pool and the scoring head for one image's layer-4 features [C, h, w].
void QualiClipModel::Impl::head(const at::Tensor& features, const ForwardOptions& options,
                                NetworkOutput& out) const {
    out.mapHeight = static_cast<int>(features.size(1));
    out.mapWidth = static_cast<int>(features.size(2));
    const at::Tensor tokens = tokensOf(features);
    scoreEmbedding(poolGlobal(pool, tokens), out);
    if (options.dense || options.keepRawTokens) {
        at::Tensor dense = poolDense(tokens);
        if (options.dense) scoreDense(dense, out);
        if (options.keepRawTokens) out.rawTokens = toVector<float>(dense);
    }
}

// Grad-CAM's ingredients (Selvaraju et al., 2017): the last convolutional stage's output A and
// d target / d A. The convolutional part runs as usual; only the head is differentiated, in
// float64 so that finite-difference checks are meaningful.
FeatureGradient QualiClipModel::featureGradient(const cv::Mat& rgb, int pair,
                                                const ForwardOptions& options) const {
    checkInput(rgb);
    if (pair >= impl_->info.spec.pairCount) throw QualiClipError("no antonym pair " + std::to_string(pair));
    at::Tensor features;
    {
        c10::InferenceMode guard;
        NetworkOutput unused;
        features = impl_->encodeImage(rgb, unused, options);
    }
    // A clone made outside inference mode is an ordinary tensor that autograd may record.
    at::Tensor a = features[0].to(at::kDouble).clone().requires_grad_(true);
    at::Tensor target =
        Impl::headTarget(impl_->pool.to(at::kDouble), impl_->prompts.to(at::kDouble), impl_->logitScale, a, pair);
    target.backward();
    FeatureGradient g;
    g.channels = static_cast<int>(a.size(0));
    g.mapHeight = static_cast<int>(a.size(1));
    g.mapWidth = static_cast<int>(a.size(2));
    g.target = target.item<double>();
    g.features = toVector<double>(a.detach());
    g.gradient = toVector<double>(a.grad());
    return g;
}

double QualiClipModel::headTarget(const std::vector<double>& features, int channels, int mapHeight,
                                  int mapWidth, int pair) const {
    at::NoGradGuard noGrad;
    at::Tensor a = at::from_blob(const_cast<double*>(features.data()), {channels, mapHeight, mapWidth}, at::kDouble)
                       .to(impl_->device);
    return Impl::headTarget(impl_->pool.to(at::kDouble), impl_->prompts.to(at::kDouble), impl_->logitScale, a, pair)
        .item<double>();
}

double QualiClipModel::multiplyAdds(int width, int height) const {
    const ModelSpec& s = impl_->info.spec;
    auto conv = [](double cin, double cout, double k, double h, double w) { return cin * cout * k * k * h * w; };
    double h = (height + 1) / 2, w = (width + 1) / 2;  // conv1: 3x3 stride 2 pad 1
    double total = conv(3, s.width / 2, 3, h, w) + conv(s.width / 2, s.width / 2, 3, h, w) +
                   conv(s.width / 2, s.width, 3, h, w);
    h = std::floor(h / 2), w = std::floor(w / 2);
    double inplanes = s.width;
    for (int stage = 0; stage < 4; ++stage) {
        const double planes = static_cast<double>(s.width) * (1 << stage);
        for (int b = 0; b < s.blocks[stage]; ++b) {
            const bool strided = stage > 0 && b == 0;
            total += conv(inplanes, planes, 1, h, w) + conv(planes, planes, 3, h, w);
            const double oh = strided ? std::floor(h / 2) : h, ow = strided ? std::floor(w / 2) : w;
            total += conv(planes, planes * 4, 1, oh, ow);
            if (strided || inplanes != planes * 4) total += conv(inplanes, planes * 4, 1, oh, ow);
            h = oh, w = ow, inplanes = planes * 4;
        }
    }
    const double c = s.poolChannels, tokens = h * w + 1, heads = s.poolHeads;
    total += 2 * c * c + heads * kHeadDim * c + 2 * heads * tokens * c + c * s.outputDim;
    return total;
}

namespace {
int g_threads = 0;
}

void setComputeThreads(int n) {
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    g_threads = n;
    at::set_num_threads(n);
    // OpenBLAS keeps its own pool and ignores LibTorch's setting; reach it if it is the BLAS.
    using SetThreads = void (*)(int);
    if (auto fn = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        fn(n);
}

int computeThreads() { return g_threads > 0 ? g_threads : at::get_num_threads(); }

}  // namespace qc
