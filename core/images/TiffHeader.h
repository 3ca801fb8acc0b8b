// TiffHeader: a TIFF's size as libtiff itself reads it: the library OpenCV decodes TIFFs with.
// The project's own tag reader (ImageHeader) is kept for sniffing, but a file may say two things
// (ImageWidth/ImageLength written twice, the decoder taking the first pair): the pixel limit
// must be checked against what the decoder will allocate.
//
// Internal to core/images.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace qc::detail {

struct TiffSize {
    uint32_t width = 0;
    uint32_t height = 0;
};

// The first directory's ImageWidth x ImageLength as libtiff reads them from the bytes in
// memory; nothing when libtiff cannot open the bytes as a TIFF. Never decodes pixels.
std::optional<TiffSize> tiffSizeByLibtiff(const std::vector<uint8_t>& bytes);

}  // namespace qc::detail
