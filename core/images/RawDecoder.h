// RawDecoder: camera RAW files through LibRaw (the library darktable, digiKam and RawTherapee
// build on). Three sources of pixels: the JPEG or bitmap preview the camera embedded (with the
// RAW's orientation applied; milliseconds), the half-size demosaic (no interpolation, a quarter
// of the pixels) and the full demosaic (camera white balance, sRGB, 8-bit). Sizes and the pixel
// limit come from LibRaw's metadata before any pixel is unpacked.
//
// Internal to core/images (ImageLoader dispatches here by extension). Thread-safe: each call has
// its own LibRaw object (the reentrant libraw_r).
#pragma once

#include <string>

#include "images/ImageLoader.h"
#include "images/PixelSource.h"

namespace qc::detail {

struct RawHeader {
    int width = 0, height = 0;  // the developed image as stored (before the RAW's orientation)
    int previewWidth = 0, previewHeight = 0;  // 0 x 0: no preview we can decode
    std::string camera;                       // "Canon EOS R5"
    bool hasPreview() const { return previewWidth > 0 && previewHeight > 0; }
};

// Throws ImageError naming the file: not a RAW LibRaw reads (unsupported camera, fake
// extension), truncated, unreadable.
RawHeader readRawHeader(const std::string& path);

// `auto`: the preview when its long side reaches targetLongSide (0 = native: never), else the
// half-size demosaic when half the sensor still covers it, else the full demosaic.
PixelSource chooseRawSource(const RawHeader& header, RawMode mode, int targetLongSide);

// The chosen source's pixels (DecodedImage::source says which). A missing preview under
// RawMode::Preview is an error, never a silent fall-back.
DecodedImage decodeRaw(const std::string& path, const ImageLoadOptions& options);

}  // namespace qc::detail
