// ImageHeader: reads an image's size, format and EXIF orientation from its bytes without decoding
// it, so the loader can refuse an oversized image before a decoder allocates anything. Every read
// is bounds-checked: garbage gives "not recognised", never a crash or an unbounded loop.
//
// Internal to the core library (ImageLoader uses it); not part of the engine's public interface.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string_view>
#include <vector>

#include "images/ImageLoader.h"

namespace qc::detail {

// Random access to a memory buffer (borrowed) or to a stream (read through a 64 KiB window, so a
// header that points far into a large file costs one seek, not a full read).
class ByteReader {
public:
    ByteReader(const uint8_t* data, uint64_t size) : data_(data), size_(size) {}
    ByteReader(std::istream& stream, uint64_t size) : stream_(&stream), size_(size) {}

    uint64_t size() const { return size_; }
    // The byte at `offset`, or -1 past the end (or on a read error).
    int at(uint64_t offset);
    bool u16(uint64_t offset, bool bigEndian, uint32_t& out);
    bool u32(uint64_t offset, bool bigEndian, uint32_t& out);
    bool matches(uint64_t offset, std::string_view text);

private:
    int streamAt(uint64_t offset);

    const uint8_t* data_ = nullptr;
    std::istream* stream_ = nullptr;
    uint64_t size_ = 0;
    std::vector<uint8_t> window_;
    uint64_t windowStart_ = 0;
};

struct HeaderDetails {
    ImageHeaderInfo info;
    // EXIF orientation (1..8) that OpenCV's IMREAD_UNCHANGED decode does not apply; 1 for TIFF,
    // whose decoder applies its Orientation tag itself.
    int orientation = 1;
    // JPEG: offset just past the first SOS header (start of entropy-coded data); 0 if no SOS.
    uint64_t jpegScanStart = 0;
};

// Recognises PNG, JPEG, BMP, TIFF (classic, both byte orders), WebP, PNM (P1-P6) and JPEG 2000
// (JP2 box file or raw codestream) from their content, not their file name.
std::optional<HeaderDetails> sniffImageHeader(ByteReader& bytes);

// True when an end-of-image marker follows the JPEG's first scan. libjpeg decodes a truncated
// JPEG with only a warning (the missing part comes out grey), so this is how we catch it.
bool jpegHasEndOfImage(ByteReader& bytes, uint64_t scanStart);

}  // namespace qc::detail
