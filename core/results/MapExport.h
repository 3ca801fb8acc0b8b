// MapExport: a QualityMap as files a user can open elsewhere, written atomically (temporary file,
// then rename): <base>.png the map over the image, <base>.tiff the raw map (32-bit float, one
// value per cell), <base>.csv the same values, <base>.json a sidecar saying which map, which
// target, the model hash, the resize policy, the window settings and the cell geometry.
#pragma once

#include <string>

#include <opencv2/core.hpp>

#include "engine/QualityMaps.h"

namespace qc {

enum class ColorMap { Viridis, Magma, Turbo };

// The map as an RGB image of the input's size: cells coloured by value over [low, high]
// (blocky: each cell its rectangle; smooth: bilinear between cell centres).
cv::Mat renderMap(const QualityMap& map, ColorMap colors, bool smooth, double low, double high);
// The map blended over the input (opacity 0..1).
cv::Mat overlayMap(const cv::Mat& rgbInput, const QualityMap& map, ColorMap colors, double opacity, bool smooth);
// Value range used for display: [0, 1] for Grad-CAM, the map's own min..max otherwise.
void displayRange(const QualityMap& map, double& low, double& high);

struct MapFileInfo {
    std::string imagePath;
    std::string modelSha256;
    std::string resize;
};

// How the overlay PNG looks: the window passes what it shows; the TIFF and CSV stay raw.
struct OverlayStyle {
    ColorMap colors = ColorMap::Viridis;
    double opacity = 0.5;
    bool smooth = false;
};

// Writes the four files; throws QualiClipError naming the file that could not be written.
void writeMapFiles(const std::string& basePath, const QualityMap& map, const cv::Mat& rgbInput,
                   const MapFileInfo& info, const OverlayStyle& style = {});

}  // namespace qc
