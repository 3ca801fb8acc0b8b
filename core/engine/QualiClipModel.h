// QualiClipModel: the QualiCLIP network (CLIP's modified ResNet image encoder, its attention
// pool and the antonym-prompt scoring head) with weights from a checkpoint. It computes what
// the authors' reference computes (docs/qualiclip-model.md), in float32, at any image size:
// the global score uses only the attention pool's first query, so memory stays linear in the
// number of positions, and dense per-position maps process queries in bounded chunks.
//
// Get one with QualiClipModel::load(path[, ModelOptions]): the weights are folded and moved to
// the chosen device (engine/ComputeDevice.h) once. A loaded model is immutable: run() may be
// called from several threads at once. LibTorch stays behind this header.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "engine/Checkpoint.h"
#include "engine/ComputeDevice.h"
#include "engine/ModelSpec.h"
#include "engine/PromptSet.h"
#include "engine/Prompts.h"
#include "engine/ScoringRecipe.h"

namespace qc {

struct ModelInfo {
    std::string path;    // file it was loaded from ("" when built in memory)
    std::string sha256;  // of the checkpoint file
    ModelSpec spec;
    std::vector<PromptPair> pairs;
    ComputeDevice device;  // where the weights live and the network runs
    Precision precision = Precision::Float32;
    std::string promptSet = kDefaultPromptSetId;  // or promptSetId() of the custom set in use
    ScoringRecipe recipe = ScoringRecipe::Official;
    double logitScale = 100;  // what cosines are multiplied by before the softmax (the recipe's)
};

// Summary statistics of one feature map, as the conformance oracle records them.
struct LayerStats {
    std::string name;  // "avgpool" (stem output), "layer1".."layer4"
    std::vector<int64_t> shapeChw;
    double mean = 0, stdUnbiased = 0, absMax = 0;
    std::vector<double> channelMeans;
    std::vector<double> firstRowChannel0;  // first up to 16 values of channel 0, row 0
};

struct ForwardOptions {
    bool dense = false;              // per-position quality maps
    bool keepRawTokens = false;      // raw dense tokens (attention-pool outputs 1..N), for tests
    bool collectLayerStats = false;  // LayerStats of the stem and each stage, for tests
    const std::atomic<bool>* cancel = nullptr;  // checked between stages; throws Cancelled
    // Horizontal strips of the trunk (engine/TrunkStrips.h): 0 = when the image is large, < 0 =
    // never, > 0 = this many input rows per strip (tests, benchmarks).
    int stripRows = 0;
};

struct NetworkOutput {
    int inputWidth = 0, inputHeight = 0;  // what the network saw
    int mapWidth = 0, mapHeight = 0;      // layer-4 feature map = dense map size
    double score = 0;                     // mean over pairs of the positive probability
    std::vector<double> pairProbabilities;  // P values, checkpoint order
    std::vector<double> logits;             // 2P values: logitScale * cos(image, prompt)
    std::vector<float> embeddingRaw;        // attention-pool output 0 (D values)
    std::vector<float> embedding;           // L2-normalised
    // dense == true: row-major mapHeight x mapWidth
    std::vector<float> denseMean;           // mean over pairs of the positive probability
    std::vector<std::vector<float>> densePairs;  // per pair
    std::vector<float> rawTokens;           // keepRawTokens: (mapHeight*mapWidth) x D
    std::vector<LayerStats> layerStats;     // collectLayerStats
    double networkSeconds = 0;
    int trunkStrips = 1;                    // strips the trunk ran in (engine/TrunkStrips.h)
};

// The last convolutional stage's output and the gradient of a target (the score, or one pair's
// positive probability) with respect to it: what Grad-CAM needs. Row-major [channels][h][w].
struct FeatureGradient {
    int channels = 0, mapHeight = 0, mapWidth = 0;
    std::vector<double> features;
    std::vector<double> gradient;
    double target = 0;
};

class QualiClipModel {
public:
    // Reads, validates and prepares a checkpoint. Throws CheckpointError naming the problem.
    // Also throws QualiClipError when the device or precision cannot be used.
    static std::shared_ptr<const QualiClipModel> load(const std::string& path, const ModelOptions& options = {});
    // Same from an in-memory checkpoint (tests, benchmarks with random weights).
    static std::shared_ptr<const QualiClipModel> fromCheckpoint(const Checkpoint& checkpoint,
                                                                const ModelOptions& options = {});

    ~QualiClipModel();
    QualiClipModel(const QualiClipModel&) = delete;
    QualiClipModel& operator=(const QualiClipModel&) = delete;

    const ModelInfo& info() const;

    // The same network scoring with other antonym prompts: features holds 2P L2-normalised rows
    // (positive, negative, positive, ...; engine/PromptSetEncoder.h makes them), pairs their
    // names. The weights are shared, not copied. Throws PromptError when the sizes disagree.
    std::shared_ptr<const QualiClipModel> withPrompts(const std::vector<std::vector<float>>& features,
                                                      std::vector<PromptPair> pairs,
                                                      const std::string& promptSetId) const;

    // The same network scoring by another recipe (engine/ScoringRecipe.h): pyiqa multiplies by
    // exp(logit_scale) / 2 and normalises the prompt features again. Weights are shared.
    std::shared_ptr<const QualiClipModel> withRecipe(ScoringRecipe recipe) const;

    // rgb: CV_8UC3 in R,G,B order; both sides >= 31 px (smaller gives an empty feature map;
    // throws ImageError). Multiply-adds of the network for an input size, for benchmarks.
    NetworkOutput run(const cv::Mat& rgb, const ForwardOptions& options = {}) const;
    // Images of one size together (each result as run() gives it, up to float rounding; layer
    // statistics are not collected). Throws ImageError when the sizes differ.
    std::vector<NetworkOutput> runBatch(const std::vector<cv::Mat>& images, const ForwardOptions& options = {}) const;
    double multiplyAdds(int width, int height) const;

    // pair < 0: the score; else that pair's positive probability.
    FeatureGradient featureGradient(const cv::Mat& rgb, int pair, const ForwardOptions& options = {}) const;
    // The same target evaluated from (e.g. perturbed) layer-4 features, for gradient checks.
    double headTarget(const std::vector<double>& features, int channels, int mapHeight, int mapWidth,
                      int pair) const;

    // Smallest side the network accepts: s(n) = floor((n + 1) / 32) must be >= 1.
    static constexpr int kMinSide = 31;
    static int featureMapSide(int n) { return (n + 1) / 32; }

private:
    static void checkInput(const cv::Mat& rgb);
    NetworkOutput runChecked(const cv::Mat& rgb, const ForwardOptions& options) const;
    std::vector<NetworkOutput> runBatchChecked(const std::vector<cv::Mat>& images,
                                               const ForwardOptions& options) const;
    struct Impl;
    explicit QualiClipModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Sets the worker threads of LibTorch and of OpenBLAS (which ignores LibTorch's setting).
// n <= 0 means one per core. Call before scoring; affects the whole process.
void setComputeThreads(int n);
int computeThreads();

}  // namespace qc
