#include "images/HeifDecoder.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include <libheif/heif.h>
#include <opencv2/core.hpp>

#include "images/ImageDecoding.h"

namespace qc::detail {
namespace {

struct HeifDeleter {
    void operator()(heif_context* c) const { heif_context_free(c); }
    void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
    void operator()(heif_image* i) const { heif_image_release(i); }
    void operator()(heif_decoding_options* o) const { heif_decoding_options_free(o); }
};
template <typename T>
using HeifPtr = std::unique_ptr<T, HeifDeleter>;

std::string heifProblem(const heif_error& error) {
    const std::string detail = error.message ? error.message : "";
    if (error.code == heif_error_Unsupported_feature &&
        error.subcode == heif_suberror_Unsupported_codec)
        return "no decoder for its codec is installed (libheif: " + detail +
               "; Debian's libheif1 needs libde265 for HEIC and dav1d or aom for AVIF)";
    if (error.code == heif_error_Unsupported_filetype || error.code == heif_error_Invalid_input)
        return "not a HEIF/AVIF file libheif can read (libheif: " + detail + ")";
    return "cannot decode the HEIF/AVIF image (libheif: " + detail + ")";
}

void check(const std::string& path, const heif_error& error) {
    if (error.code != heif_error_Ok) failImage(path, heifProblem(error));
}

struct OpenHeif {
    HeifPtr<heif_context> context;
    HeifPtr<heif_image_handle> primary;
};

OpenHeif openHeif(const std::string& path) {
    OpenHeif heif;
    heif.context.reset(heif_context_alloc());
    if (!heif.context) failImage(path, "not enough memory to read it");
    check(path, heif_context_read_from_file(heif.context.get(), path.c_str(), nullptr));
    heif_image_handle* primary = nullptr;
    check(path, heif_context_get_primary_image_handle(heif.context.get(), &primary));
    heif.primary.reset(primary);
    return heif;
}

std::string formatOf(const std::string& path) {
    // libheif reads the brand anyway; the first 32 bytes are enough to tell AVIF from HEIC.
    std::FILE* f = std::fopen(path.c_str(), "rb");
    uint8_t head[32] = {};
    size_t n = 0;
    if (f) {
        n = std::fread(head, 1, sizeof head, f);
        std::fclose(f);
    }
    const char* mime = heif_get_file_mime_type(head, static_cast<int>(n));
    return mime && std::string(mime) == "image/avif" ? "avif" : "heif";
}

// Interleaved RGB of `bits` per sample (little-endian 16-bit words above 8) to 8-bit RGB: scaled
// as 16-bit PNGs are, round(v * 255 / (2^bits - 1)), never clipped.
cv::Mat toRgb8(const heif_image* image, int bits, int width, int height) {
    int stride = 0;
    const uint8_t* plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
    cv::Mat rgb(height, width, CV_8UC3);
    if (bits <= 8) {
        for (int y = 0; y < height; ++y)
            std::copy_n(plane + int64_t(y) * stride, size_t(width) * 3, rgb.ptr<uint8_t>(y));
        return rgb;
    }
    const uint32_t maxValue = (1u << bits) - 1;
    for (int y = 0; y < height; ++y) {
        const uint8_t* row = plane + int64_t(y) * stride;
        uint8_t* out = rgb.ptr<uint8_t>(y);
        for (int i = 0; i < width * 3; ++i) {
            const uint32_t v = uint32_t(row[2 * i]) | (uint32_t(row[2 * i + 1]) << 8);
            out[i] = static_cast<uint8_t>((std::min(v, maxValue) * 255u + maxValue / 2) / maxValue);
        }
    }
    return rgb;
}

}  // namespace

bool looksLikeHeif(ByteReader& bytes) {
    uint8_t head[32] = {};
    int n = 0;
    for (; n < int(sizeof head); ++n) {
        const int b = bytes.at(uint64_t(n));
        if (b < 0) break;
        head[n] = static_cast<uint8_t>(b);
    }
    if (n < 12 || !bytes.matches(4, "ftyp")) return false;
    const heif_filetype_result kind = heif_check_filetype(head, n);
    // yes_unsupported: HEIF, but a kind libheif cannot decode; it gets an error row that says so.
    return kind == heif_filetype_yes_supported || kind == heif_filetype_yes_unsupported;
}

std::optional<ImageHeaderInfo> readHeifHeader(const std::string& path) {
    const OpenHeif heif = openHeif(path);
    return ImageHeaderInfo{heif_image_handle_get_width(heif.primary.get()),
                           heif_image_handle_get_height(heif.primary.get()), formatOf(path)};
}

DecodedImage decodeHeif(const std::string& path, const ImageLoadOptions& options) {
    const OpenHeif heif = openHeif(path);
    const int width = heif_image_handle_get_width(heif.primary.get());
    const int height = heif_image_handle_get_height(heif.primary.get());
    checkPixelLimit(path, width, height, options.maxPixels);
    const int bits = heif_image_handle_get_luma_bits_per_pixel(heif.primary.get());
    const bool alpha = heif_image_handle_has_alpha_channel(heif.primary.get());

    // Alpha is dropped, not composited (as for PNG): ask libheif for RGB only.
    const heif_chroma chroma =
        bits > 8 ? heif_chroma_interleaved_RRGGBB_LE : heif_chroma_interleaved_RGB;
    HeifPtr<heif_decoding_options> decoding(heif_decoding_options_alloc());
    decoding->ignore_transformations = 0;  // irot/imir applied here, once
    heif_image* decoded = nullptr;
    check(path, heif_decode_image(heif.primary.get(), &decoded, heif_colorspace_RGB, chroma,
                                  decoding.get()));
    const HeifPtr<heif_image> image(decoded);
    const int outWidth = heif_image_get_width(image.get(), heif_channel_interleaved);
    const int outHeight = heif_image_get_height(image.get(), heif_channel_interleaved);
    if (outWidth <= 0 || outHeight <= 0) failImage(path, "libheif decoded an empty image");
    checkPixelLimit(path, outWidth, outHeight, options.maxPixels);

    DecodedImage out;
    out.source = PixelSource::Heif;
    out.sourceBitDepth = bits > 8 ? bits : 8;
    out.sourceChannels = alpha ? 4 : 3;
    // The decoded plane's own range (10 or 12 bits in 16-bit words); the handle's figure is luma's.
    const int planeBits =
        heif_image_get_bits_per_pixel_range(image.get(), heif_channel_interleaved);
    out.rgb = toRgb8(image.get(), bits > 8 ? planeBits : 8, outWidth, outHeight);
    return out;
}

}  // namespace qc::detail
