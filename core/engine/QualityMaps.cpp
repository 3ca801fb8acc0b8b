#include "engine/QualityMaps.h"

#include <algorithm>

#include "Errors.h"

namespace qc {
namespace {

// Windows scored together in one batch: the convolutions then work on larger tensors.
constexpr size_t kPatchBatch = 8;

std::string targetName(MapKind kind, int pair, const std::vector<PromptPair>& pairs) {
    if (pair < 0) return kind == MapKind::Dense ? "mean" : "score";
    if (pair >= static_cast<int>(pairs.size())) throw QualiClipError("no antonym pair " + std::to_string(pair));
    return pairs[static_cast<size_t>(pair)].key;
}

// Start offsets of windows along one side: every `stride`, plus one flush with the far edge.
std::vector<int> windowStarts(int length, int window, int stride) {
    std::vector<int> starts;
    if (length <= window) return {0};
    for (int x = 0; x + window <= length; x += stride) starts.push_back(x);
    if (starts.back() + window < length) starts.push_back(length - window);
    return starts;
}

void throwIfCancelled(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
}

}  // namespace

std::string mapKindName(MapKind kind) {
    switch (kind) {
        case MapKind::Dense: return "dense";
        case MapKind::Patches: return "patches";
        case MapKind::GradCam: return "gradcam";
    }
    return "dense";
}

std::optional<MapKind> parseMapKind(const std::string& text) {
    for (MapKind k : {MapKind::Dense, MapKind::Patches, MapKind::GradCam})
        if (mapKindName(k) == text) return k;
    return std::nullopt;
}

cv::Rect QualityMap::cellRect(int row, int col) const {
    const cv::Rect cell(col * cellSize, row * cellSize, cellSize, cellSize);
    return cell & cv::Rect(0, 0, inputWidth, inputHeight);
}

std::vector<cv::Rect> patchWindows(int width, int height, const PatchMapOptions& options) {
    std::vector<cv::Rect> windows;
    const int w = std::min(options.window, width), h = std::min(options.window, height);
    for (int y : windowStarts(height, options.window, options.stride))
        for (int x : windowStarts(width, options.window, options.stride)) windows.emplace_back(x, y, w, h);
    return windows;
}

QualityMap denseMap(const NetworkOutput& output, int pair, const std::vector<PromptPair>& pairs) {
    if (output.denseMean.empty()) throw QualiClipError("dense map requested from a run without dense output");
    QualityMap map;
    map.kind = MapKind::Dense;
    map.target = targetName(MapKind::Dense, pair, pairs);
    map.rows = output.mapHeight;
    map.cols = output.mapWidth;
    map.inputWidth = output.inputWidth;
    map.inputHeight = output.inputHeight;
    map.values = pair < 0 ? output.denseMean : output.densePairs.at(static_cast<size_t>(pair));
    return map;
}

QualityMap gradCamMap(const FeatureGradient& g, int inputWidth, int inputHeight, int pair,
                      const std::vector<PromptPair>& pairs) {
    QualityMap map;
    map.kind = MapKind::GradCam;
    map.target = targetName(MapKind::GradCam, pair, pairs);
    map.rows = g.mapHeight;
    map.cols = g.mapWidth;
    map.inputWidth = inputWidth;
    map.inputHeight = inputHeight;
    const size_t positions = static_cast<size_t>(g.mapHeight) * g.mapWidth;
    std::vector<double> cam(positions, 0.0);
    for (size_t k = 0; k < static_cast<size_t>(g.channels); ++k) {
        double alpha = 0;  // global-average-pooled gradient of channel k
        for (size_t p = 0; p < positions; ++p) alpha += g.gradient[k * positions + p];
        alpha /= static_cast<double>(positions);
        for (size_t p = 0; p < positions; ++p) cam[p] += alpha * g.features[k * positions + p];
    }
    double peak = 0;
    for (double& v : cam) peak = std::max(peak, v = std::max(0.0, v));
    map.values.resize(positions);
    for (size_t p = 0; p < positions; ++p) map.values[p] = peak > 0 ? static_cast<float>(cam[p] / peak) : 0.0f;
    return map;
}

PatchMap patchMap(const QualiClipModel& model, const cv::Mat& rgb, const PatchMapOptions& options, int pair,
                  const MapProgress& progress, const std::atomic<bool>* cancel) {
    if (options.window < QualiClipModel::kMinSide || options.stride < 1 || options.stride > options.window)
        throw QualiClipError("patch window must be at least 31 px and the stride between 1 and the window");
    PatchMap result;
    QualityMap& map = result.map;
    map.kind = MapKind::Patches;
    map.target = targetName(MapKind::Patches, pair, model.info().pairs);
    map.inputWidth = rgb.cols;
    map.inputHeight = rgb.rows;
    map.cellSize = options.stride;
    map.patches = options;
    map.cols = (rgb.cols + options.stride - 1) / options.stride;
    map.rows = (rgb.rows + options.stride - 1) / options.stride;
    const std::vector<cv::Rect> windows = patchWindows(rgb.cols, rgb.rows, options);
    for (size_t first = 0; first < windows.size(); first += kPatchBatch) {
        throwIfCancelled(cancel);
        const size_t last = std::min(windows.size(), first + kPatchBatch);
        std::vector<cv::Mat> crops;
        // Copies, so each crop is laid out exactly like a stand-alone image of that size.
        for (size_t i = first; i < last; ++i) crops.push_back(rgb(windows[i]).clone());
        ForwardOptions forward;
        forward.cancel = cancel;
        const std::vector<NetworkOutput> outputs = model.runBatch(crops, forward);
        for (size_t i = first; i < last; ++i) {
            const NetworkOutput& out = outputs[i - first];
            result.windows.push_back({windows[i], pair < 0 ? out.score : out.pairProbabilities.at(static_cast<size_t>(pair))});
        }
        if (progress) progress(static_cast<int>(last), static_cast<int>(windows.size()));
    }
    map.values.assign(static_cast<size_t>(map.rows) * map.cols, 0.0f);
    for (int r = 0; r < map.rows; ++r) {
        for (int c = 0; c < map.cols; ++c) {
            const cv::Rect cell = map.cellRect(r, c);
            const cv::Point centre(cell.x + cell.width / 2, cell.y + cell.height / 2);
            double sum = 0;
            int count = 0;
            for (const PatchWindow& w : result.windows)
                if (w.rect.contains(centre)) sum += w.value, ++count;
            map.values[static_cast<size_t>(r) * map.cols + c] = static_cast<float>(sum / std::max(1, count));
        }
    }
    return result;
}

QualityMap computeMap(const QualiClipModel& model, const cv::Mat& rgb, const NetworkOutput& output,
                      const MapRequest& request, const MapProgress& progress, const std::atomic<bool>* cancel) {
    switch (request.kind) {
        case MapKind::Dense:
            return denseMap(output, request.pair, model.info().pairs);
        case MapKind::Patches:
            return patchMap(model, rgb, request.patches, request.pair, progress, cancel).map;
        case MapKind::GradCam: {
            ForwardOptions options;
            options.cancel = cancel;
            return gradCamMap(model.featureGradient(rgb, request.pair, options), rgb.cols, rgb.rows,
                              request.pair, model.info().pairs);
        }
    }
    throw QualiClipError("unknown map kind");
}

}  // namespace qc
