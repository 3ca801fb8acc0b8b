// PixelSource: which pixels of a file the network saw. A RAW file has three (the camera's
// embedded preview, LibRaw's half-size or full demosaic), and their scores are different
// numbers, so every result, row and catalog key names the source. RawMode is the user's choice
// among the RAW sources (`--raw`, the window's setting).
#pragma once

#include <optional>
#include <string>

namespace qc {

enum class PixelSource {
    File,        // the file's own pixels (JPEG, PNG, TIFF, ...)
    RawPreview,  // the JPEG or bitmap preview the camera embedded in the RAW
    RawHalf,     // LibRaw's half-size demosaic (each 2x2 Bayer cell becomes one pixel)
    RawFull,     // LibRaw's full demosaic (camera white balance, sRGB, 8-bit)
    Heif,        // the primary image of a HEIF/HEIC or AVIF file
};

// "file", "raw-preview", "raw-half", "raw-full", "heif": the `source` field of result rows.
std::string pixelSourceName(PixelSource source);
std::optional<PixelSource> parsePixelSource(const std::string& text);

enum class RawMode {
    Auto,     // the preview when it covers the policy's long side, else half, else full
    Preview,  // the preview, or an error when the RAW has none
    Half,
    Full,
};

// "auto", "preview", "half", "full".
std::string rawModeName(RawMode mode);
std::optional<RawMode> parseRawMode(const std::string& text);

}  // namespace qc
