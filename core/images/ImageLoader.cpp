#include "images/ImageLoader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <new>
#include <system_error>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Errors.h"
#include "images/HeifDecoder.h"
#include "images/ImageDecoding.h"
#include "images/ImageHeader.h"
#include "images/RawDecoder.h"
#include "images/TiffHeader.h"

// How the limits are enforced: only files whose header ImageHeader could read and check are
// handed to OpenCV (a format we cannot parse is refused as "not an image (or a format we cannot
// decode)" rather than decoded unchecked), and a TIFF's size is taken from libtiff, its decoder.
// OpenCV's own limit (OPENCV_IO_MAX_IMAGE_PIXELS) is a second guard at the same figure: OpenCV
// 4.6 reads it once when the library loads, so the programs set it before they start
// (engine/ComputeEnvironment.h); its cv::Exception, like any other, becomes an ImageError.

namespace qc {
namespace fs = std::filesystem;

namespace detail {

void failImage(const std::string& path, const std::string& problem) {
    throw ImageError(path + ": " + problem);
}

}  // namespace detail

namespace {

using detail::checkPixelLimit;
[[noreturn]] void fail(const std::string& path, const std::string& problem) { detail::failImage(path, problem); }

std::string openProblem(int err) {
    if (err == ENOENT) return "cannot open (no such file)";
    if (err == EACCES) return "cannot open (permission denied)";
    return "cannot open (" + std::generic_category().message(err) + ")";
}

// Opens a regular file for reading and returns its size.
uint64_t openImageFile(const std::string& path, std::ifstream& in) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) fail(path, openProblem(ec ? ec.value() : ENOENT));
    if (fs::is_directory(status)) fail(path, "is a folder, not an image file");
    if (!fs::is_regular_file(status)) fail(path, "is not a regular file");
    errno = 0;
    in.open(path, std::ios::binary);
    if (!in) fail(path, openProblem(errno != 0 ? errno : EIO));
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) fail(path, openProblem(ec.value()));
    return size;
}

std::vector<uint8_t> readWholeFile(const std::string& path, std::ifstream& in, uint64_t size) {
    // imdecode takes the bytes as a cv::Mat, whose length is an int.
    if (size > uint64_t(INT_MAX)) fail(path, "file is larger than 2 GiB");
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    in.clear();
    in.seekg(0);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<uint64_t>(in.gcount()) != size)
        fail(path, "cannot read the whole file (read error, or it changed while being read)");
    return bytes;
}

// "250", "0.0012": megapixels without trailing zeros.
std::string megapixels(int64_t pixels) {
    char text[48];
    std::snprintf(text, sizeof text, "%.6f", static_cast<double>(pixels) / 1e6);
    std::string s = text;
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
}

detail::HeaderDetails checkedHeader(const std::string& path, detail::ByteReader& bytes,
                                    const ImageLoadOptions& options) {
    auto header = detail::sniffImageHeader(bytes);
    if (!header) fail(path, "not an image (or a format we cannot decode)");
    checkPixelLimit(path, header->info.width, header->info.height, options.maxPixels);
    return *header;
}

// A TIFF may state its size twice (ImageWidth/ImageLength repeated): the limit is checked on what
// libtiff, OpenCV's TIFF decoder, reads, and a file whose two readings differ is refused.
void checkTiffAsDecoded(const std::string& path, const std::vector<uint8_t>& bytes,
                        const detail::HeaderDetails& header, const ImageLoadOptions& options) {
    const std::optional<detail::TiffSize> size = detail::tiffSizeByLibtiff(bytes);
    if (!size) fail(path, "damaged TIFF (libtiff cannot read its first directory)");
    if (size->width > INT32_MAX || size->height > INT32_MAX)
        fail(path, "TIFF size " + std::to_string(size->width) + "x" + std::to_string(size->height) + " is not a usable size");
    checkPixelLimit(path, static_cast<int>(size->width), static_cast<int>(size->height), options.maxPixels);
    if (static_cast<int>(size->width) != header.info.width || static_cast<int>(size->height) != header.info.height)
        fail(path, "damaged TIFF: its size is given twice (" + std::to_string(size->width) + "x" +
                       std::to_string(size->height) + " and " + std::to_string(header.info.width) + "x" +
                       std::to_string(header.info.height) + ")");
}

// Truncation that the decoder would not report (see jpegHasEndOfImage).
void checkComplete(const std::string& path, const detail::HeaderDetails& header,
                   detail::ByteReader& bytes) {
    if (header.info.format != "jpeg") return;
    if (header.jpegScanStart == 0) fail(path, "truncated JPEG (no image data)");
    if (!detail::jpegHasEndOfImage(bytes, header.jpegScanStart))
        fail(path, "truncated JPEG (no end-of-image marker)");
}

// 16-bit samples are scaled, not clipped or truncated: round(v * 255 / 65535) = round(v / 257),
// which is (v + 128) / 257 in integers (v / 257 is never exactly halfway between two integers).
cv::Mat to8Bit(const std::string& path, const cv::Mat& src) {
    if (src.depth() == CV_8U) return src;
    if (src.depth() != CV_16U) fail(path, "unsupported sample format (not 8- or 16-bit integer)");
    cv::Mat dst(src.size(), CV_MAKETYPE(CV_8U, src.channels()));
    const int n = src.cols * src.channels();
    for (int y = 0; y < src.rows; ++y) {
        const uint16_t* s = src.ptr<uint16_t>(y);
        uint8_t* d = dst.ptr<uint8_t>(y);
        for (int i = 0; i < n; ++i) d[i] = static_cast<uint8_t>((s[i] + 128u) / 257u);
    }
    return dst;
}

// OpenCV's channel order is B, G, R(, A). Alpha is dropped without compositing, as PIL's
// convert("RGB") does.
cv::Mat toRgb(const std::string& path, const cv::Mat& src) {
    cv::Mat rgb, grey;
    switch (src.channels()) {
        case 1:
            cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
            break;
        case 2:  // grey + alpha (TIFF)
            cv::extractChannel(src, grey, 0);
            cv::cvtColor(grey, rgb, cv::COLOR_GRAY2RGB);
            break;
        case 3:
            cv::cvtColor(src, rgb, cv::COLOR_BGR2RGB);
            break;
        case 4:
            cv::cvtColor(src, rgb, cv::COLOR_BGRA2RGB);
            break;
        default:
            fail(path, "unsupported number of channels (" + std::to_string(src.channels()) + ")");
    }
    return rgb;
}

}  // namespace

namespace detail {

void checkPixelLimit(const std::string& path, int width, int height, int64_t maxPixels) {
    const int64_t pixels = int64_t(width) * int64_t(height);
    if (pixels <= maxPixels) return;
    failImage(path, std::to_string(width) + " x " + std::to_string(height) + " = " + megapixels(pixels) +
                        " MP exceeds the limit of " + megapixels(maxPixels) + " MP");
}

// EXIF orientation 2..8 (1 = as stored). IMREAD_UNCHANGED (needed to see 16-bit data and the
// alpha channel) makes OpenCV skip the orientation it applies to JPEG and PNG otherwise, so it is
// done here, the same way (checked against OpenCV's IMREAD_COLOR result in the tests).
cv::Mat applyExifOrientation(const cv::Mat& img, int orientation) {
    cv::Mat out;
    switch (orientation) {
        case 2:
            cv::flip(img, out, 1);
            break;
        case 3:
            cv::rotate(img, out, cv::ROTATE_180);
            break;
        case 4:
            cv::flip(img, out, 0);
            break;
        case 5:
            cv::transpose(img, out);
            break;
        case 6:
            cv::rotate(img, out, cv::ROTATE_90_CLOCKWISE);
            break;
        case 7:
            cv::transpose(img, out);
            cv::flip(out, out, -1);
            break;
        case 8:
            cv::rotate(img, out, cv::ROTATE_90_COUNTERCLOCKWISE);
            break;
        default:
            out = img;
    }
    return out;
}

int jpegScaleDenominator(int width, int height, int targetLongSide) {
    const int longSide = std::max(width, height);
    if (targetLongSide <= 0) return 1;
    for (int d : {8, 4, 2})
        if ((longSide + d - 1) / d >= targetLongSide) return d;  // libjpeg rounds scaled sides up
    return 1;
}

cv::Mat decodeJpegRgb(const std::string& path, const std::vector<uint8_t>& bytes, int denominator) {
    // IGNORE_ORIENTATION: the caller applies the orientation that belongs to these pixels (the
    // file's EXIF tag, or the RAW's for an embedded preview).
    int flags = cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
    if (denominator == 2) flags |= cv::IMREAD_REDUCED_COLOR_2;
    if (denominator == 4) flags |= cv::IMREAD_REDUCED_COLOR_4;
    if (denominator == 8) flags |= cv::IMREAD_REDUCED_COLOR_8;
    const cv::Mat bgr = cv::imdecode(bytes, flags);
    if (bgr.empty()) failImage(path, "truncated or damaged JPEG data");
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

}  // namespace detail

namespace {

// Files OpenCV decodes. The fast JPEG policy lets libjpeg scale while decoding.
DecodedImage decodeWithOpenCv(const std::string& path, std::ifstream& in, uint64_t size,
                              const ImageLoadOptions& options) {
    const std::vector<uint8_t> bytes = readWholeFile(path, in, size);
    // Checked again on the bytes we decode, in case the file changed in between.
    detail::ByteReader memory(bytes.data(), bytes.size());
    const detail::HeaderDetails header = checkedHeader(path, memory, options);
    checkComplete(path, header, memory);
    if (header.info.format == "tiff") checkTiffAsDecoded(path, bytes, header, options);

    DecodedImage out;
    if (header.info.format == "jpeg" && options.fastJpeg) {
        out.jpegScaleDenominator =
            detail::jpegScaleDenominator(header.info.width, header.info.height, options.targetLongSide);
        out.rgb = detail::applyExifOrientation(detail::decodeJpegRgb(path, bytes, out.jpegScaleDenominator),
                                               header.orientation);
        const bool turned = header.orientation >= 5 && header.orientation <= 8;
        out.fullWidth = turned ? header.info.height : header.info.width;
        out.fullHeight = turned ? header.info.width : header.info.height;
        return out;
    }
    const cv::Mat raw = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    if (raw.empty()) fail(path, "truncated or damaged " + header.info.format + " data");
    checkPixelLimit(path, raw.cols, raw.rows, options.maxPixels);
    out.sourceBitDepth = raw.depth() == CV_16U ? 16 : 8;
    out.sourceChannels = raw.channels();
    out.rgb = detail::applyExifOrientation(toRgb(path, to8Bit(path, raw)), header.orientation);
    return out;
}

DecodedImage decode(const std::string& path, const ImageLoadOptions& options) {
    std::ifstream in;
    const uint64_t size = openImageFile(path, in);
    if (size == 0) fail(path, "file is empty");
    // A RAW's extension decides (most RAWs are TIFF inside, and OpenCV would read only their
    // thumbnail); HEIF and AVIF are recognised from their content.
    if (hasRawExtension(path)) return detail::decodeRaw(path, options);
    detail::ByteReader fileBytes(in, size);
    if (detail::looksLikeHeif(fileBytes)) return detail::decodeHeif(path, options);
    checkedHeader(path, fileBytes, options);  // refuse early, before reading a huge file
    return decodeWithOpenCv(path, in, size, options);
}

}  // namespace

DecodedImage loadImageRgb8(const std::string& path, const ImageLoadOptions& options) {
    try {
        DecodedImage image = decode(path, options);
        if (image.fullWidth == 0) {
            image.fullWidth = image.rgb.cols;
            image.fullHeight = image.rgb.rows;
        }
        return image;
    } catch (const cv::Exception& e) {
        fail(path, "cannot decode (OpenCV: " + e.err + ")");
    } catch (const std::bad_alloc&) {
        fail(path, "not enough memory to decode it");
    }
}

std::optional<ImageHeaderInfo> readImageHeader(const std::string& path) {
    std::ifstream in;
    const uint64_t size = openImageFile(path, in);
    if (hasRawExtension(path)) {
        const detail::RawHeader raw = detail::readRawHeader(path);
        return ImageHeaderInfo{raw.width, raw.height, "raw"};
    }
    detail::ByteReader bytes(in, size);
    if (detail::looksLikeHeif(bytes)) return detail::readHeifHeader(path);
    const auto header = detail::sniffImageHeader(bytes);
    if (!header) return std::nullopt;
    return header->info;
}

PixelSource plannedPixelSource(const std::string& path, const ImageLoadOptions& options) {
    if (hasRawExtension(path)) {
        // Only `auto` at long:N depends on the file (its preview's size): the rest needs no read.
        if (options.raw != RawMode::Auto || options.targetLongSide <= 0)
            return detail::chooseRawSource(detail::RawHeader{}, options.raw, options.targetLongSide);
        return detail::chooseRawSource(detail::readRawHeader(path), options.raw, options.targetLongSide);
    }
    // By extension, so that looking up thousands of JPEGs reads none of them; a HEIF under a JPEG
    // name is still decoded by content, and its score then only misses the catalog.
    return hasHeifExtension(path) ? PixelSource::Heif : PixelSource::File;
}

namespace {

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

template <size_t N>
bool contains(const char* const (&list)[N], const std::string& ext) {
    return std::find(std::begin(list), std::end(list), ext) != std::end(list);
}

}  // namespace

bool hasImageExtension(const std::string& path) {
    static const char* const kExtensions[] = {".jpg",  ".jpeg", ".jpe", ".png",  ".tif", ".tiff",
                                              ".webp", ".bmp",  ".dib", ".pbm",  ".pgm", ".ppm",
                                              ".pnm",  ".jp2",  ".heic", ".heif", ".hif", ".avif"};
    const std::string ext = lowerExtension(path);
    return contains(kExtensions, ext) || hasRawExtension(path);
}

bool hasHeifExtension(const std::string& path) {
    static const char* const kHeifExtensions[] = {".heic", ".heif", ".hif", ".avif"};
    return contains(kHeifExtensions, lowerExtension(path));
}

bool hasRawExtension(const std::string& path) {
    // The camera formats LibRaw 0.20 reads, by their usual extensions.
    static const char* const kRawExtensions[] = {
        ".3fr", ".ari", ".arw", ".bay", ".cap", ".cr2", ".cr3", ".crw", ".dcr", ".dcs", ".dng",
        ".drf", ".eip", ".erf", ".fff", ".gpr", ".iiq", ".k25", ".kdc", ".mdc", ".mef", ".mos",
        ".mrw", ".nef", ".nrw", ".orf", ".pef", ".ptx", ".pxn", ".r3d", ".raf", ".raw", ".rw2",
        ".rwl", ".rwz", ".sr2", ".srf", ".srw", ".sti", ".x3f"};
    return contains(kRawExtensions, lowerExtension(path));
}

}  // namespace qc
