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

#include "images/PixelSource.h"

namespace qc {

struct ImageLoadOptions {
    int64_t maxPixels = 250'000'000;  // refused above this (width * height from the header)
    RawMode raw = RawMode::Auto;      // which pixels of a RAW file (PixelSource.h)
    // The long side the caller will shrink to (the policy's N of long:N; 0 = native). RAW `auto`
    // takes the preview or the half-size demosaic only when they still cover it.
    int targetLongSide = 0;
    // JPEG (and JPEG previews in RAWs): let libjpeg scale by 1/2, 1/4 or 1/8 while decoding, to
    // the smallest scale whose long side is still at least targetLongSide (the `long:N/fast`
    // policy). Other pixels than an exact decode: never on unless the policy says so.
    bool fastJpeg = false;
};

struct DecodedImage {
    cv::Mat rgb;             // CV_8UC3, channel order R, G, B, oriented for display
    int sourceBitDepth = 8;  // 8, 16 (PNG, TIFF) or 10/12 (HEIF, AVIF)
    int sourceChannels = 3;  // 1 (grey), 3, or 4 (alpha dropped)
    PixelSource source = PixelSource::File;
    int jpegScaleDenominator = 1;  // 2, 4 or 8 when libjpeg scaled while decoding (fastJpeg)
    // The full image's size, oriented; rgb is smaller when libjpeg scaled while decoding.
    int fullWidth = 0, fullHeight = 0;
};

struct ImageHeaderInfo {
    int width = 0;   // as stored, before EXIF orientation
    int height = 0;
    std::string format;  // "png", "jpeg", "tiff", "webp", "bmp", "raw", "heif", "avif", ...
};

// Throws ImageError naming the file and the problem: missing/unreadable, empty, not an image
// (or a format we cannot decode), truncated, larger than maxPixels.
DecodedImage loadImageRgb8(const std::string& path, const ImageLoadOptions& options = {});

// Which source loadImageRgb8 would use for this file with these options, from headers only
// (a RAW's metadata, a HEIF's boxes); what the catalog keys a score by before decoding.
// Throws ImageError when the file cannot be opened or a RAW cannot be read.
PixelSource plannedPixelSource(const std::string& path, const ImageLoadOptions& options = {});

// Reads only the header. Returns nullopt when the format is not recognised from its bytes;
// throws ImageError when the file cannot be opened.
std::optional<ImageHeaderInfo> readImageHeader(const std::string& path);

// True when the file name has an image extension we decode (case-insensitive); used to skip
// non-images quietly when scanning folders.
bool hasImageExtension(const std::string& path);

// True for the RAW extensions LibRaw reads (.cr2, .cr3, .nef, .arw, .raf, .orf, .rw2, .pef, .dng
// ...); such files are decoded by LibRaw whatever their content, and pair with a JPEG.
bool hasRawExtension(const std::string& path);
// .heic, .heif, .hif, .avif (decoding itself recognises HEIF by content).
bool hasHeifExtension(const std::string& path);

}  // namespace qc
