// QualityMaps: where in the image the model sees quality. Three kinds, each with the exact
// input-pixel rectangle of every cell (pixels of the network input, i.e. after the resize policy):
//  - Dense:   the attention pool's per-position outputs scored like the global embedding
//             (one forward pass). Cell (r, c) covers input pixels [32c, 32c+32) x [32r, 32r+32),
//             clipped to the image: the network's total stride is 32 and the feature map has
//             floor((n + 1) / 32) cells per side, so a 95 px side has 3 cells, the last 31 px wide.
//  - Patches: windows (default 224 px, stride 112) each scored as a stand-alone image (in
//             batches of 8 windows of one size, which changes only float rounding);
//             cell (r, c) is the stride x stride block at (c * stride, r * stride) and holds the
//             mean score of the windows that contain its centre. The last window of a row or
//             column is aligned to the image edge so every pixel is covered.
//  - GradCam: Grad-CAM (Selvaraju et al., 2017) of the score or one pair's probability with
//             respect to the last convolutional stage: ReLU(sum_k alpha_k A_k), alpha_k the mean
//             gradient of channel k, normalised to [0, 1] by its maximum. Same cells as Dense.
// Free functions; thread-safe as the model is.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "engine/QualiClipModel.h"

namespace qc {

enum class MapKind { Dense, Patches, GradCam };

std::string mapKindName(MapKind kind);  // "dense", "patches", "gradcam"
std::optional<MapKind> parseMapKind(const std::string& text);

struct PatchMapOptions {
    int window = 224;  // the resolution CLIP RN50 was trained at
    int stride = 112;
};

// What to map: pair < 0 means the mean over pairs (Dense) or the score (Patches, GradCam).
struct MapRequest {
    MapKind kind = MapKind::Dense;
    int pair = -1;
    PatchMapOptions patches;
};

struct QualityMap {
    MapKind kind = MapKind::Dense;
    std::string target;  // "mean" or a pair key (Dense); "score" or a pair key (Patches, GradCam)
    int rows = 0, cols = 0;
    std::vector<float> values;  // row-major
    int inputWidth = 0, inputHeight = 0;
    int cellSize = 32;          // cell pitch in input pixels (32, or the patch stride)
    PatchMapOptions patches;    // Patches only

    float at(int row, int col) const { return values[static_cast<size_t>(row) * cols + col]; }
    cv::Rect cellRect(int row, int col) const;  // exact, clipped to the input
};

struct PatchWindow {
    cv::Rect rect;
    double value = 0;  // the target (score or pair probability) of the crop scored alone
};

struct PatchMap {
    QualityMap map;
    std::vector<PatchWindow> windows;
};

using MapProgress = std::function<void(int done, int total)>;

// Window rectangles along one image, in row-major order.
std::vector<cv::Rect> patchWindows(int width, int height, const PatchMapOptions& options);

QualityMap denseMap(const NetworkOutput& output, int pair, const std::vector<PromptPair>& pairs);
QualityMap gradCamMap(const FeatureGradient& gradient, int inputWidth, int inputHeight, int pair,
                      const std::vector<PromptPair>& pairs);
PatchMap patchMap(const QualiClipModel& model, const cv::Mat& rgb, const PatchMapOptions& options, int pair,
                  const MapProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Computes the requested map for a network input (rgb, CV_8UC3). For Dense, `output` must come
// from a run with dense = true on the same input; other kinds ignore it.
QualityMap computeMap(const QualiClipModel& model, const cv::Mat& rgb, const NetworkOutput& output,
                      const MapRequest& request, const MapProgress& progress = {},
                      const std::atomic<bool>* cancel = nullptr);

}  // namespace qc
