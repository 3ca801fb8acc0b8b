#include "images/ImageHeader.h"

#include <algorithm>
#include <climits>

namespace qc::detail {

using namespace std::string_view_literals;

// ---------------------------------------------------------------------------------------------
// ByteReader

namespace {
constexpr uint64_t kWindowSize = 64 * 1024;
}

int ByteReader::at(uint64_t offset) {
    if (offset >= size_) return -1;
    return data_ != nullptr ? data_[offset] : streamAt(offset);
}

int ByteReader::streamAt(uint64_t offset) {
    if (offset < windowStart_ || offset - windowStart_ >= window_.size()) {
        window_.resize(kWindowSize);
        stream_->clear();  // a previous read may have hit the end
        stream_->seekg(static_cast<std::streamoff>(offset));
        stream_->read(reinterpret_cast<char*>(window_.data()),
                      static_cast<std::streamsize>(window_.size()));
        window_.resize(static_cast<size_t>(std::max<std::streamsize>(0, stream_->gcount())));
        windowStart_ = offset;
        if (window_.empty()) return -1;  // I/O error or file shrank: treat as the end
    }
    return window_[offset - windowStart_];
}

bool ByteReader::u16(uint64_t offset, bool bigEndian, uint32_t& out) {
    const int a = at(offset), b = at(offset + 1);
    if (a < 0 || b < 0) return false;
    out = bigEndian ? (uint32_t(a) << 8 | uint32_t(b)) : (uint32_t(b) << 8 | uint32_t(a));
    return true;
}

bool ByteReader::u32(uint64_t offset, bool bigEndian, uint32_t& out) {
    uint32_t first = 0, second = 0;
    if (!u16(offset, bigEndian, first) || !u16(offset + 2, bigEndian, second)) return false;
    out = bigEndian ? (first << 16 | second) : (second << 16 | first);
    return true;
}

bool ByteReader::matches(uint64_t offset, std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i)
        if (at(offset + i) != static_cast<unsigned char>(text[i])) return false;
    return true;
}

namespace {

// Width and height as the decoders see them; 0 or beyond int is not something we can decode.
std::optional<HeaderDetails> makeHeader(uint64_t width, uint64_t height, const char* format) {
    if (width == 0 || height == 0 || width > INT_MAX || height > INT_MAX) return std::nullopt;
    HeaderDetails d;
    d.info.width = static_cast<int>(width);
    d.info.height = static_cast<int>(height);
    d.info.format = format;
    return d;
}

// ---------------------------------------------------------------------------------------------
// TIFF structure: a TIFF file, and the EXIF payload of JPEG/PNG/WebP (which is a TIFF header and
// IFDs, with offsets relative to that header).

struct TiffTags {
    uint32_t width = 0, height = 0;
    int orientation = 1;
};

bool tiffValue(ByteReader& r, uint64_t entry, bool be, uint32_t& out) {
    uint32_t type = 0, count = 0;
    if (!r.u16(entry + 2, be, type) || !r.u32(entry + 4, be, count) || count != 1) return false;
    if (type == 3) return r.u16(entry + 8, be, out);  // SHORT: first two bytes of the field
    if (type == 4) return r.u32(entry + 8, be, out);  // LONG
    return false;
}

// Reads the tags we need from the first IFD of the TIFF structure starting at `base`.
std::optional<TiffTags> readTiffTags(ByteReader& r, uint64_t base) {
    const bool be = r.matches(base, "MM\0*"sv);
    if (!be && !r.matches(base, "II*\0"sv)) return std::nullopt;
    uint32_t ifd = 0, count = 0;
    if (!r.u32(base + 4, be, ifd) || !r.u16(base + ifd, be, count)) return std::nullopt;
    TiffTags tags;
    for (uint32_t i = 0; i < count; ++i) {  // count <= 65535: bounded
        const uint64_t entry = base + ifd + 2 + 12 * uint64_t(i);
        uint32_t tag = 0, value = 0;
        if (!r.u16(entry, be, tag)) return std::nullopt;
        if (!tiffValue(r, entry, be, value)) continue;
        if (tag == 256) tags.width = value;
        if (tag == 257) tags.height = value;
        if (tag == 274 && value >= 1 && value <= 8) tags.orientation = static_cast<int>(value);
    }
    return tags;
}

int exifOrientation(ByteReader& r, uint64_t base) {
    if (r.matches(base, "Exif\0\0"sv)) base += 6;  // optional in WebP/PNG
    const auto tags = readTiffTags(r, base);
    return tags ? tags->orientation : 1;
}

std::optional<HeaderDetails> parseTiff(ByteReader& r) {
    const auto tags = readTiffTags(r, 0);
    // The orientation is left at 1: OpenCV's TIFF decoder applies the tag itself (checked for
    // 8/16-bit grey and RGB strips with OpenCV 4.6, even with IMREAD_UNCHANGED).
    return tags ? makeHeader(tags->width, tags->height, "tiff") : std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// PNG: IHDR is the first chunk. eXIf is honoured only before IDAT, as libpng reports it.

std::optional<HeaderDetails> parsePng(ByteReader& r) {
    uint32_t width = 0, height = 0;
    if (!r.matches(12, "IHDR"sv) || !r.u32(16, true, width) || !r.u32(20, true, height))
        return std::nullopt;
    auto header = makeHeader(width, height, "png");
    if (!header) return header;
    uint64_t pos = 8;
    uint32_t length = 0;
    while (r.u32(pos, true, length) && !r.matches(pos + 4, "IDAT"sv) &&
           !r.matches(pos + 4, "IEND"sv)) {
        if (r.matches(pos + 4, "eXIf"sv)) header->orientation = exifOrientation(r, pos + 8);
        pos += 12 + uint64_t(length);  // length, type, data, CRC: always advances
    }
    return header;
}

// ---------------------------------------------------------------------------------------------
// JPEG: walk the marker segments from SOI to the first SOS, as libjpeg does.

bool isSofMarker(int m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }
bool isStandaloneMarker(int m) { return m == 0x01 || (m >= 0xD0 && m <= 0xD8); }

// Moves `pos` past the next marker and returns it (-1 at the end). Like libjpeg, skips garbage
// before the 0xFF and any 0xFF fill bytes.
int nextMarker(ByteReader& r, uint64_t& pos) {
    while (r.at(pos) >= 0 && r.at(pos) != 0xFF) ++pos;
    while (r.at(pos) == 0xFF) ++pos;
    const int marker = r.at(pos);
    if (marker >= 0) ++pos;
    return marker;
}

std::optional<HeaderDetails> parseJpeg(ByteReader& r) {
    std::optional<HeaderDetails> header;
    int orientation = 1;
    bool haveExif = false;
    uint64_t pos = 2;
    for (int m = nextMarker(r, pos); m >= 0 && m != 0xD9; m = nextMarker(r, pos)) {
        if (isStandaloneMarker(m)) continue;
        uint32_t length = 0, height = 0, width = 0;
        if (!r.u16(pos, true, length) || length < 2) break;
        if (isSofMarker(m) && !header) {  // libjpeg sizes the image from the first SOF
            if (!r.u16(pos + 3, true, height) || !r.u16(pos + 5, true, width)) break;
            header = makeHeader(width, height, "jpeg");
            if (!header) return header;  // height 0 (DNL) is not supported by libjpeg either
        }
        if (m == 0xE1 && !haveExif && r.matches(pos + 2, "Exif\0\0"sv)) {
            orientation = exifOrientation(r, pos + 2);
            haveExif = true;
        }
        pos += length;
        if (m == 0xDA) {
            if (header) header->jpegScanStart = pos;
            break;
        }
    }
    if (header) header->orientation = orientation;
    return header;
}

// ---------------------------------------------------------------------------------------------
// BMP: BITMAPCOREHEADER (12 bytes, 16-bit sizes) or any later info header (32-bit signed sizes;
// a negative height means top-down rows).

std::optional<HeaderDetails> parseBmp(ByteReader& r) {
    uint32_t infoSize = 0, width = 0, height = 0;
    if (!r.u32(14, false, infoSize)) return std::nullopt;
    if (infoSize == 12) {
        if (!r.u16(18, false, width) || !r.u16(20, false, height)) return std::nullopt;
        return makeHeader(width, height, "bmp");
    }
    if (infoSize < 16 || !r.u32(18, false, width) || !r.u32(22, false, height)) return std::nullopt;
    const int64_t w = static_cast<int32_t>(width), h = static_cast<int32_t>(height);
    if (w <= 0) return std::nullopt;
    return makeHeader(static_cast<uint64_t>(w), static_cast<uint64_t>(h < 0 ? -h : h), "bmp");
}

// ---------------------------------------------------------------------------------------------
// WebP: RIFF container; the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, with
// the canvas size). An EXIF chunk may follow anywhere.

uint32_t le24(ByteReader& r, uint64_t offset) {
    return uint32_t(r.at(offset)) | uint32_t(r.at(offset + 1)) << 8 |
           uint32_t(r.at(offset + 2)) << 16;
}

std::optional<HeaderDetails> webpFrameSize(ByteReader& r) {
    const uint64_t data = 20;
    uint32_t a = 0, b = 0;
    if (r.matches(12, "VP8 "sv) && r.matches(data + 3, "\x9D\x01\x2A"sv) &&
        r.u16(data + 6, false, a) && r.u16(data + 8, false, b))
        return makeHeader(a & 0x3FFF, b & 0x3FFF, "webp");
    if (r.matches(12, "VP8L"sv) && r.at(data) == 0x2F && r.u32(data + 1, false, a))
        return makeHeader((a & 0x3FFF) + 1, ((a >> 14) & 0x3FFF) + 1, "webp");
    if (r.matches(12, "VP8X"sv) && r.at(data + 9) >= 0)  // all six size bytes present
        return makeHeader(le24(r, data + 4) + 1, le24(r, data + 7) + 1, "webp");
    return std::nullopt;
}

std::optional<HeaderDetails> parseWebp(ByteReader& r) {
    auto header = webpFrameSize(r);
    if (!header) return header;
    uint64_t pos = 12;
    uint32_t length = 0;
    while (r.u32(pos + 4, false, length)) {
        if (r.matches(pos, "EXIF"sv)) header->orientation = exifOrientation(r, pos + 8);
        pos += 8 + uint64_t(length) + (length & 1);  // chunks are padded to even sizes
    }
    return header;
}

// ---------------------------------------------------------------------------------------------
// PNM (P1-P6): ASCII width and height after the magic, separated by whitespace and # comments.

bool pnmNumber(ByteReader& r, uint64_t& pos, uint64_t& out) {
    const uint64_t limit = 64 * 1024;  // a sane header is tiny; do not scan a huge comment
    for (int c = r.at(pos); pos < limit; c = r.at(++pos)) {
        if (c == '#')
            while (r.at(pos) >= 0 && r.at(pos) != '\n' && r.at(pos) != '\r' && pos < limit) ++pos;
        else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f')
            break;
    }
    out = 0;
    int digits = 0;
    for (int c = r.at(pos); c >= '0' && c <= '9' && digits < 10; c = r.at(++pos), ++digits)
        out = out * 10 + uint64_t(c - '0');
    return digits > 0;
}

std::optional<HeaderDetails> parsePnm(ByteReader& r) {
    uint64_t pos = 2, width = 0, height = 0;
    if (!pnmNumber(r, pos, width) || !pnmNumber(r, pos, height)) return std::nullopt;
    return makeHeader(width, height, "pnm");
}

// ---------------------------------------------------------------------------------------------
// JPEG 2000: the size is taken from the codestream's SIZ marker (what OpenJPEG allocates from),
// not from the JP2 'ihdr' box, which a crafted file could make disagree.

std::optional<HeaderDetails> parseJ2kCodestream(ByteReader& r, uint64_t cs) {
    uint32_t xs = 0, ys = 0, x0 = 0, y0 = 0;
    if (!r.matches(cs, "\xFF\x4F\xFF\x51"sv) || !r.u32(cs + 8, true, xs) ||
        !r.u32(cs + 12, true, ys) || !r.u32(cs + 16, true, x0) || !r.u32(cs + 20, true, y0) ||
        xs <= x0 || ys <= y0)
        return std::nullopt;
    return makeHeader(xs - x0, ys - y0, "jp2");
}

std::optional<HeaderDetails> parseJp2(ByteReader& r) {
    uint64_t pos = 12;  // after the signature box
    uint32_t length = 0, lengthHigh = 0;
    while (r.u32(pos, true, length)) {
        uint64_t boxSize = length, headerSize = 8;
        if (length == 1) {  // 64-bit XLBox follows the type
            if (!r.u32(pos + 8, true, lengthHigh) || !r.u32(pos + 12, true, length)) break;
            boxSize = uint64_t(lengthHigh) << 32 | length;
            headerSize = 16;
        } else if (length == 0) {  // extends to the end of the file
            boxSize = r.size() - pos;
        }
        if (boxSize < headerSize || boxSize > r.size() - pos) break;
        if (r.matches(pos + 4, "jp2c"sv)) return parseJ2kCodestream(r, pos + headerSize);
        pos += boxSize;
    }
    return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::optional<HeaderDetails> sniffImageHeader(ByteReader& r) {
    if (r.matches(0, "\x89PNG\r\n\x1A\n"sv)) return parsePng(r);
    if (r.matches(0, "\xFF\xD8"sv)) return parseJpeg(r);
    if (r.matches(0, "MM\0*"sv) || r.matches(0, "II*\0"sv)) return parseTiff(r);
    if (r.matches(0, "RIFF"sv) && r.matches(8, "WEBP"sv)) return parseWebp(r);
    if (r.matches(0, "BM"sv)) return parseBmp(r);
    if (r.at(0) == 'P' && r.at(1) >= '1' && r.at(1) <= '6') return parsePnm(r);
    if (r.matches(0, "\0\0\0\x0CjP  \r\n\x87\n"sv)) return parseJp2(r);
    if (r.matches(0, "\xFF\x4F\xFF\x51"sv)) return parseJ2kCodestream(r, 0);
    return std::nullopt;
}

bool jpegHasEndOfImage(ByteReader& r, uint64_t scanStart) {
    // In entropy-coded data a 0xFF byte is followed by 0x00 (stuffing) or RSTn, so "FF D9" there is
    // a real EOI. Any other marker is a segment between the scans of a progressive JPEG: skip it.
    uint64_t pos = scanStart;
    for (int c = r.at(pos); c >= 0; c = r.at(pos)) {
        if (c != 0xFF) {
            ++pos;
            continue;
        }
        const int m = r.at(pos + 1);
        if (m == 0xD9) return true;
        if (m == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        uint32_t length = 0;
        if (m == 0x00 || isStandaloneMarker(m)) {
            pos += 2;
        } else if (r.u16(pos + 2, true, length) && length >= 2) {
            pos += 2 + length;
        } else {
            return false;
        }
    }
    return false;
}

}  // namespace qc::detail
