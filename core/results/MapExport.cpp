#include "results/MapExport.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Errors.h"

namespace qc {
namespace {

int openCvColorMap(ColorMap colors) {
    switch (colors) {
        case ColorMap::Viridis: return cv::COLORMAP_VIRIDIS;
        case ColorMap::Magma: return cv::COLORMAP_MAGMA;
        case ColorMap::Turbo: return cv::COLORMAP_TURBO;
    }
    return cv::COLORMAP_VIRIDIS;
}

cv::Mat cellValues(const QualityMap& map) {
    return cv::Mat(map.rows, map.cols, CV_32F, const_cast<float*>(map.values.data())).clone();
}

// Writes through a temporary file in the same folder, so a reader never sees half a file. The
// temporary name keeps the extension, from which OpenCV picks the format. A failed write names
// the system's reason (disk full, file too large) when the writer left one in errno.
template <typename WriteFn>
void writeAtomically(const std::string& path, WriteFn write) {
    const std::filesystem::path target(path);
    const std::string temporary =
        (target.parent_path() / (target.stem().string() + ".partial" + target.extension().string())).string();
    errno = 0;
    if (!write(temporary)) {
        const int reason = errno;
        std::remove(temporary.c_str());
        throw QualiClipError("cannot write '" + path + "'" +
                             (reason != 0 ? ": " + std::string(std::strerror(reason)) : std::string()));
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) throw QualiClipError("cannot write '" + path + "': " + ec.message());
}

nlohmann::ordered_json sidecar(const QualityMap& map, const MapFileInfo& info) {
    double low = 0, high = 1;
    displayRange(map, low, high);
    nlohmann::ordered_json j;
    j["image"] = info.imagePath;
    j["map"] = mapKindName(map.kind);
    j["target"] = map.target;
    j["model_sha256"] = info.modelSha256;
    j["resize"] = info.resize;
    j["input_width"] = map.inputWidth;
    j["input_height"] = map.inputHeight;
    j["rows"] = map.rows;
    j["cols"] = map.cols;
    j["cell_size"] = map.cellSize;
    j["cell_rect"] = "cell (r, c) covers input pixels [c*cell_size, (c+1)*cell_size) x "
                     "[r*cell_size, (r+1)*cell_size), clipped to the input";
    if (map.kind == MapKind::Patches) j["window"] = {{"size", map.patches.window}, {"stride", map.patches.stride}};
    j["display_range"] = {low, high};
    return j;
}

}  // namespace

void displayRange(const QualityMap& map, double& low, double& high) {
    low = 0, high = 1;
    if (map.kind == MapKind::GradCam || map.values.empty()) return;
    const auto [lo, hi] = std::minmax_element(map.values.begin(), map.values.end());
    low = *lo, high = *hi;
    if (high - low < 1e-6) high = low + 1e-6;
}

cv::Mat renderMap(const QualityMap& map, ColorMap colors, bool smooth, double low, double high) {
    cv::Mat scaled;
    cellValues(map).convertTo(scaled, CV_8U, 255.0 / (high - low), -255.0 * low / (high - low));
    cv::Mat covered;  // the cells span cellSize pixels each, possibly past the input's edge
    cv::resize(scaled, covered, cv::Size(map.cols * map.cellSize, map.rows * map.cellSize), 0, 0,
               smooth ? cv::INTER_LINEAR : cv::INTER_NEAREST);
    cv::Mat canvas(map.inputHeight, map.inputWidth, CV_8U, cv::Scalar(0));
    const cv::Rect shared = cv::Rect(0, 0, covered.cols, covered.rows) & cv::Rect(0, 0, canvas.cols, canvas.rows);
    covered(shared).copyTo(canvas(shared));
    cv::Mat bgr, rgb;
    cv::applyColorMap(canvas, bgr, openCvColorMap(colors));
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

cv::Mat overlayMap(const cv::Mat& rgbInput, const QualityMap& map, ColorMap colors, double opacity, bool smooth) {
    double low = 0, high = 1;
    displayRange(map, low, high);
    cv::Mat colored = renderMap(map, colors, smooth, low, high), blended;
    cv::addWeighted(rgbInput, 1.0 - opacity, colored, opacity, 0.0, blended);
    return blended;
}

void writeMapFiles(const std::string& basePath, const QualityMap& map, const cv::Mat& rgbInput,
                   const MapFileInfo& info, const OverlayStyle& style) {
    cv::Mat bgr;
    cv::cvtColor(overlayMap(rgbInput, map, style.colors, style.opacity, style.smooth), bgr,
                 cv::COLOR_RGB2BGR);
    writeAtomically(basePath + ".png",
                    [&](const std::string& p) { return cv::imwrite(p, bgr, {}); });
    const cv::Mat values = cellValues(map);
    writeAtomically(basePath + ".tiff", [&](const std::string& p) { return cv::imwrite(p, values); });
    writeAtomically(basePath + ".csv", [&](const std::string& p) {
        std::ofstream out(p);
        for (int r = 0; r < map.rows; ++r)
            for (int c = 0; c < map.cols; ++c) out << map.at(r, c) << (c + 1 < map.cols ? ',' : '\n');
        return static_cast<bool>(out.flush());
    });
    writeAtomically(basePath + ".json", [&](const std::string& p) {
        std::ofstream out(p);
        out << sidecar(map, info).dump(2) << '\n';
        return static_cast<bool>(out.flush());
    });
}

}  // namespace qc
