// ImageLoader: turns an image file into the 8-bit RGB pixels the network sees, as the
// reference does (PIL .convert("RGB")): EXIF orientation applied, alpha dropped, grey
// replicated to three channels. 16-bit images are scaled to 8 bits (v * 255 / 65535, rounded),
// not clipped. The pixel count is checked from the file header before decoding, so a hostile
// header cannot make us allocate gigabytes.
//
// Free functions, safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <opencv2/core/mat.hpp>

namespace qc {

struct ImageLoadOptions {
    int64_t maxPixels = 250'000'000;  // refused above this (width * height from the header)
};

struct DecodedImage {
    cv::Mat rgb;             // CV_8UC3, channel order R, G, B, oriented for display
    int sourceBitDepth = 8;  // 8 or 16
    int sourceChannels = 3;  // 1 (grey), 3, or 4 (alpha dropped)
};

struct ImageHeaderInfo {
    int width = 0;   // as stored, before EXIF orientation
    int height = 0;
    std::string format;  // "png", "jpeg", "tiff", "webp", "bmp", ...
};

// Throws ImageError naming the file and the problem: missing/unreadable, empty, not an image
// (or a format we cannot decode), truncated, larger than maxPixels.
DecodedImage loadImageRgb8(const std::string& path, const ImageLoadOptions& options = {});

// Reads only the header. Returns nullopt when the format is not recognised from its bytes;
// throws ImageError when the file cannot be opened.
std::optional<ImageHeaderInfo> readImageHeader(const std::string& path);

// True when the file name has an image extension we decode (case-insensitive); used to skip
// non-images quietly when scanning folders.
bool hasImageExtension(const std::string& path);

}  // namespace qc
