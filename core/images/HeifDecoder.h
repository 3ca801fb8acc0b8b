// HeifDecoder: HEIF/HEIC and AVIF files through libheif (with its libde265/x265 and aom/dav1d
// codecs). The primary image, with the file's rotation and mirror transforms applied once (no
// Exif orientation on top), alpha dropped, 10/12-bit samples scaled to 8 bits as 16-bit PNGs
// are (v * 255 / max, rounded). Sizes and the pixel limit come from the file's boxes before any
// pixel is decoded.
//
// Internal to core/images (ImageLoader dispatches here by content). Thread-safe: one libheif
// context per call.
#pragma once

#include <optional>
#include <string>

#include "images/ImageHeader.h"
#include "images/ImageLoader.h"

namespace qc::detail {

// True when the first bytes are an ISO-BMFF `ftyp` box of a HEIF or AVIF brand.
bool looksLikeHeif(ByteReader& bytes);

// Width and height of the primary image as displayed (transforms applied); format "heif" or
// "avif". Throws ImageError naming the file when libheif cannot read its boxes.
std::optional<ImageHeaderInfo> readHeifHeader(const std::string& path);

// Throws ImageError naming the file and the problem (no decoder for its codec, damaged data,
// over the pixel limit).
DecodedImage decodeHeif(const std::string& path, const ImageLoadOptions& options);

}  // namespace qc::detail
