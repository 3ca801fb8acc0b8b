#include "images/RawDecoder.h"

#include <algorithm>
#include <memory>
#include <vector>

#include <libraw/libraw.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "Errors.h"
#include "images/ImageDecoding.h"
#include "images/ImageHeader.h"

namespace qc::detail {
namespace {

struct ProcessedImageDeleter {
    void operator()(libraw_processed_image_t* image) const { LibRaw::dcraw_clear_mem(image); }
};
using ProcessedImage = std::unique_ptr<libraw_processed_image_t, ProcessedImageDeleter>;

std::string librawProblem(int code) {
    switch (code) {
        case LIBRAW_NO_THUMBNAIL:
        case LIBRAW_UNSUPPORTED_THUMBNAIL:
            return "its embedded preview cannot be read (LibRaw: " +
                   std::string(libraw_strerror(code)) + ")";
        case LIBRAW_IO_ERROR:
        case LIBRAW_DATA_ERROR:
            return "truncated or damaged RAW data (LibRaw: " + std::string(libraw_strerror(code)) +
                   ")";
        case LIBRAW_UNSUFFICIENT_MEMORY:
        case LIBRAW_TOO_BIG:
            return "not enough memory to develop this RAW (LibRaw: " +
                   std::string(libraw_strerror(code)) + ")";
        default:
            return "cannot read the RAW (LibRaw: " + std::string(libraw_strerror(code)) + ")";
    }
}

void check(const std::string& path, int code) {
    if (code != LIBRAW_SUCCESS) failImage(path, librawProblem(code));
}

// LibRaw is large (hundreds of KiB): on the heap, one per call. Any failure to open is the
// file's fault: LibRaw reports a text file as an I/O error and a truncated DNG as unsupported.
std::unique_ptr<LibRaw> openRaw(const std::string& path) {
    auto raw = std::make_unique<LibRaw>();
    const int code = raw->open_file(path.c_str());
    if (code == LIBRAW_UNSUFFICIENT_MEMORY || code == LIBRAW_TOO_BIG) check(path, code);
    if (code != LIBRAW_SUCCESS)
        failImage(path,
                  "not a RAW file LibRaw can read (a camera LibRaw " LIBRAW_VERSION_STR
                  " does not support, a truncated or damaged file, or not a RAW file despite its "
                  "extension; LibRaw: " +
                      std::string(libraw_strerror(code)) + ")");
    return raw;
}

// LibRaw's orientation (sizes.flip, dcraw's flip_index): bit 4 transposes, bit 2 mirrors top to
// bottom, bit 1 left to right, the mirrors on the stored image first. 3 = 180°, 5 = 90° counter-
// clockwise, 6 = 90° clockwise.
cv::Mat applyRawFlip(const cv::Mat& stored, int flip) {
    cv::Mat out = stored;
    if ((flip & 2) && (flip & 1)) {
        cv::flip(out, out, -1);
    } else if (flip & 2) {
        cv::flip(out, out, 0);
    } else if (flip & 1) {
        cv::flip(out, out, 1);
    }
    if (flip & 4) cv::transpose(out, out);
    return out;
}

ProcessedImage extractPreview(const std::string& path, LibRaw& raw) {
    check(path, raw.unpack_thumb());
    int code = LIBRAW_SUCCESS;
    ProcessedImage preview(raw.dcraw_make_mem_thumb(&code));
    check(path, code);
    if (!preview) failImage(path, "LibRaw returned no preview");
    return preview;
}

std::vector<uint8_t> bytesOf(const libraw_processed_image_t& image) {
    return std::vector<uint8_t>(image.data, image.data + image.data_size);
}

// An 8-bit bitmap from LibRaw (a bitmap preview or a developed image) as RGB.
cv::Mat bitmapRgb(const std::string& path, const libraw_processed_image_t& image) {
    if (image.type != LIBRAW_IMAGE_BITMAP || image.bits != 8 ||
        (image.colors != 3 && image.colors != 1))
        failImage(path, "LibRaw gave an image we cannot use (" + std::to_string(image.colors) +
                            " colours, " + std::to_string(image.bits) + " bits)");
    const uint64_t expected = uint64_t(image.width) * image.height * image.colors;
    if (image.data_size < expected) failImage(path, "LibRaw gave fewer pixels than it announced");
    // LibRaw's buffer is const here; the copy is what we return.
    auto* data = const_cast<unsigned char*>(image.data);
    const cv::Mat wrapped(image.height, image.width, image.colors == 3 ? CV_8UC3 : CV_8UC1, data);
    cv::Mat rgb;
    if (image.colors == 3) {
        rgb = wrapped.clone();
    } else {
        cv::cvtColor(wrapped, rgb, cv::COLOR_GRAY2RGB);
    }
    return rgb;
}

// The size of a JPEG preview whose size LibRaw's metadata does not give, from its header.
void measurePreview(const std::string& path, LibRaw& raw, RawHeader& header) {
    const ProcessedImage preview = extractPreview(path, raw);
    if (preview->type == LIBRAW_IMAGE_BITMAP) {
        header.previewWidth = preview->width;
        header.previewHeight = preview->height;
        return;
    }
    ByteReader bytes(preview->data, preview->data_size);
    if (const auto jpeg = sniffImageHeader(bytes)) {
        header.previewWidth = jpeg->info.width;
        header.previewHeight = jpeg->info.height;
    }
}

RawHeader headerOf(const std::string& path, LibRaw& raw) {
    RawHeader header;
    const libraw_data_t& data = raw.imgdata;
    header.width = data.sizes.width;
    header.height = data.sizes.height;
    header.camera = std::string(data.idata.make) + " " + data.idata.model;
    if (header.width <= 0 || header.height <= 0)
        failImage(path, "LibRaw found no image size in this RAW");
    // open_file() finds the preview's place and size; its format (JPEG or bitmap) is only known
    // once unpack_thumb() has read it.
    if (data.thumbnail.tlength == 0) return header;
    header.previewWidth = data.thumbnail.twidth;
    header.previewHeight = data.thumbnail.theight;
    if (!header.hasPreview()) {
        try {
            measurePreview(path, raw, header);
        } catch (const ImageError&) {
            header.previewWidth = header.previewHeight = 0;  // unusable: as if there were none
        }
    }
    return header;
}

cv::Mat previewRgb(const std::string& path, LibRaw& raw, const ImageLoadOptions& options,
                   DecodedImage& out) {
    const ProcessedImage preview = extractPreview(path, raw);
    if (preview->type == LIBRAW_IMAGE_JPEG) {
        const std::vector<uint8_t> bytes = bytesOf(*preview);
        ByteReader reader(bytes.data(), bytes.size());
        const auto jpeg = sniffImageHeader(reader);
        if (!jpeg) failImage(path, "the embedded preview is not a JPEG we can read");
        checkPixelLimit(path, jpeg->info.width, jpeg->info.height, options.maxPixels);
        if (options.fastJpeg)
            out.jpegScaleDenominator =
                jpegScaleDenominator(jpeg->info.width, jpeg->info.height, options.targetLongSide);
        return decodeJpegRgb(path, bytes, out.jpegScaleDenominator);
    }
    checkPixelLimit(path, preview->width, preview->height, options.maxPixels);
    return bitmapRgb(path, *preview);
}

cv::Mat demosaicRgb(const std::string& path, LibRaw& raw, bool halfSize) {
    libraw_output_params_t& params = raw.imgdata.params;
    params.half_size = halfSize ? 1 : 0;
    params.use_camera_wb = 1;  // what the camera's own JPEG uses
    params.output_color = 1;   // sRGB
    params.output_bps = 8;
    check(path, raw.unpack());
    // LibRaw reads past the end of a truncated file as zeros and only counts the error.
    if (raw.error_count() > 0)
        failImage(path, "truncated or damaged RAW data (LibRaw could not read all of it)");
    check(path, raw.dcraw_process());
    int code = LIBRAW_SUCCESS;
    const ProcessedImage image(raw.dcraw_make_mem_image(&code));
    check(path, code);
    if (!image) failImage(path, "LibRaw developed no image");
    return bitmapRgb(path, *image);  // LibRaw has applied the orientation
}

}  // namespace

RawHeader readRawHeader(const std::string& path) {
    const std::unique_ptr<LibRaw> raw = openRaw(path);
    return headerOf(path, *raw);
}

PixelSource chooseRawSource(const RawHeader& header, RawMode mode, int targetLongSide) {
    switch (mode) {
        case RawMode::Preview:
            return PixelSource::RawPreview;
        case RawMode::Half:
            return PixelSource::RawHalf;
        case RawMode::Full:
            return PixelSource::RawFull;
        case RawMode::Auto:
            break;
    }
    if (targetLongSide <= 0) return PixelSource::RawFull;  // native: the whole sensor
    if (header.hasPreview() &&
        std::max(header.previewWidth, header.previewHeight) >= targetLongSide)
        return PixelSource::RawPreview;
    if (std::max(header.width, header.height) / 2 >= targetLongSide) return PixelSource::RawHalf;
    return PixelSource::RawFull;
}

DecodedImage decodeRaw(const std::string& path, const ImageLoadOptions& options) {
    const std::unique_ptr<LibRaw> raw = openRaw(path);
    const RawHeader header = headerOf(path, *raw);
    checkPixelLimit(path, header.width, header.height, options.maxPixels);
    DecodedImage out;
    out.source = chooseRawSource(header, options.raw, options.targetLongSide);
    if (out.source == PixelSource::RawPreview) {
        if (!header.hasPreview())
            failImage(path,
                      "has no embedded preview that can be used (score the RAW itself: --raw half "
                      "or full)");
        try {
            out.rgb = applyRawFlip(previewRgb(path, *raw, options, out), raw->imgdata.sizes.flip);
            return out;
        } catch (const ImageError&) {
            // `preview` asked for these pixels: say why there are none. `auto` develops the RAW.
            if (options.raw == RawMode::Preview) throw;
            out.jpegScaleDenominator = 1;
            out.source = std::max(header.width, header.height) / 2 >= options.targetLongSide
                             ? PixelSource::RawHalf
                             : PixelSource::RawFull;
        }
    }
    out.rgb = demosaicRgb(path, *raw, out.source == PixelSource::RawHalf);
    return out;
}

}  // namespace qc::detail
