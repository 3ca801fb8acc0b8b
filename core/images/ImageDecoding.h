// ImageDecoding: the steps every decoder of core/images shares (OpenCV's files, LibRaw's RAWs,
// libheif's HEIF/AVIF): the error that names the file, the pixel limit, orientation, JPEG bytes
// to RGB (with libjpeg's DCT scaling for the `/fast` policy).
//
// Internal to core/images; not part of the engine's public interface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "images/ImageLoader.h"

namespace qc::detail {

// Throws ImageError("<path>: <problem>").
[[noreturn]] void failImage(const std::string& path, const std::string& problem);

// Refuses width x height above maxPixels, with both figures in megapixels.
void checkPixelLimit(const std::string& path, int width, int height, int64_t maxPixels);

// EXIF orientation 2..8 applied (1 or anything else: unchanged).
cv::Mat applyExifOrientation(const cv::Mat& img, int orientation);

// The largest libjpeg scale denominator (1, 2, 4, 8) whose decoded long side, ceil(long / d),
// is still at least targetLongSide; 1 when targetLongSide is 0 or the image is already smaller.
int jpegScaleDenominator(int width, int height, int targetLongSide);

// A JPEG held in memory to 8-bit RGB as stored (no EXIF orientation), scaled by 1/denominator
// while decoding (IMREAD_REDUCED_*). Throws ImageError naming `path` when it does not decode.
cv::Mat decodeJpegRgb(const std::string& path, const std::vector<uint8_t>& bytes, int denominator);

}  // namespace qc::detail
