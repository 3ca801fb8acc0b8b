#include "images/PixelSource.h"

#include <array>
#include <utility>

namespace qc {
namespace {

constexpr std::array<std::pair<PixelSource, const char*>, 5> kSourceNames = {{
    {PixelSource::File, "file"},
    {PixelSource::RawPreview, "raw-preview"},
    {PixelSource::RawHalf, "raw-half"},
    {PixelSource::RawFull, "raw-full"},
    {PixelSource::Heif, "heif"},
}};

constexpr std::array<std::pair<RawMode, const char*>, 4> kModeNames = {{
    {RawMode::Auto, "auto"},
    {RawMode::Preview, "preview"},
    {RawMode::Half, "half"},
    {RawMode::Full, "full"},
}};

}  // namespace

std::string pixelSourceName(PixelSource source) {
    for (const auto& [value, name] : kSourceNames)
        if (value == source) return name;
    return "file";
}

std::optional<PixelSource> parsePixelSource(const std::string& text) {
    for (const auto& [value, name] : kSourceNames)
        if (text == name) return value;
    return std::nullopt;
}

std::string rawModeName(RawMode mode) {
    for (const auto& [value, name] : kModeNames)
        if (value == mode) return name;
    return "auto";
}

std::optional<RawMode> parseRawMode(const std::string& text) {
    for (const auto& [value, name] : kModeNames)
        if (text == name) return value;
    return std::nullopt;
}

}  // namespace qc
