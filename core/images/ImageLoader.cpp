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
#include "images/ImageHeader.h"

// How the limits are enforced. OpenCV has its own pixel limit (OPENCV_IO_MAX_IMAGE_PIXELS, default
// 2^30), but OpenCV 4.6 reads that variable into a static at library load, so setting it from
// here has no effect (checked). Instead we only hand OpenCV files whose header ImageHeader could
// read and check: a format we cannot parse is refused as "not an image (or a format we cannot
// decode)" rather than decoded unchecked. OpenCV's own limit stays as a backstop; its
// cv::Exception, like any other, becomes an ImageError.

namespace qc {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw ImageError(path + ": " + problem);
}

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

void checkPixelLimit(const std::string& path, int width, int height, int64_t maxPixels) {
    const int64_t pixels = int64_t(width) * int64_t(height);
    if (pixels <= maxPixels) return;
    fail(path, std::to_string(width) + " x " + std::to_string(height) + " = " + megapixels(pixels) +
                   " MP exceeds the limit of " + megapixels(maxPixels) + " MP");
}

detail::HeaderDetails checkedHeader(const std::string& path, detail::ByteReader& bytes,
                                    const ImageLoadOptions& options) {
    auto header = detail::sniffImageHeader(bytes);
    if (!header) fail(path, "not an image (or a format we cannot decode)");
    checkPixelLimit(path, header->info.width, header->info.height, options.maxPixels);
    return *header;
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

// EXIF orientation 2..8 (1 = as stored). IMREAD_UNCHANGED (needed to see 16-bit data and the
// alpha channel) makes OpenCV skip the orientation it applies to JPEG and PNG otherwise, so it is
// done here, the same way (checked against OpenCV's IMREAD_COLOR result in the tests).
cv::Mat applyOrientation(const cv::Mat& img, int orientation) {
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

DecodedImage decode(const std::string& path, const ImageLoadOptions& options) {
    std::ifstream in;
    const uint64_t size = openImageFile(path, in);
    if (size == 0) fail(path, "file is empty");
    detail::ByteReader fileBytes(in, size);
    checkedHeader(path, fileBytes, options);  // refuse early, before reading a huge file
    const std::vector<uint8_t> bytes = readWholeFile(path, in, size);
    // Checked again on the bytes we decode, in case the file changed in between.
    detail::ByteReader memory(bytes.data(), bytes.size());
    const detail::HeaderDetails header = checkedHeader(path, memory, options);
    checkComplete(path, header, memory);

    const cv::Mat raw = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    if (raw.empty()) fail(path, "truncated or damaged " + header.info.format + " data");
    checkPixelLimit(path, raw.cols, raw.rows, options.maxPixels);
    DecodedImage out;
    out.sourceBitDepth = raw.depth() == CV_16U ? 16 : 8;
    out.sourceChannels = raw.channels();
    out.rgb = applyOrientation(toRgb(path, to8Bit(path, raw)), header.orientation);
    return out;
}

}  // namespace

DecodedImage loadImageRgb8(const std::string& path, const ImageLoadOptions& options) {
    try {
        return decode(path, options);
    } catch (const cv::Exception& e) {
        fail(path, "cannot decode (OpenCV: " + e.err + ")");
    } catch (const std::bad_alloc&) {
        fail(path, "not enough memory to decode it");
    }
}

std::optional<ImageHeaderInfo> readImageHeader(const std::string& path) {
    std::ifstream in;
    const uint64_t size = openImageFile(path, in);
    detail::ByteReader bytes(in, size);
    const auto header = detail::sniffImageHeader(bytes);
    if (!header) return std::nullopt;
    return header->info;
}

bool hasImageExtension(const std::string& path) {
    static const char* const kExtensions[] = {".jpg",  ".jpeg", ".jpe", ".png", ".tif",
                                              ".tiff", ".webp", ".bmp", ".dib", ".pbm",
                                              ".pgm",  ".ppm",  ".pnm", ".jp2"};
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(std::begin(kExtensions), std::end(kExtensions), ext) != std::end(kExtensions);
}

}  // namespace qc
