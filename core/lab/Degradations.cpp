#include "lab/Degradations.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace qc {
namespace {

using F = DegradationFamily;

// THE table: every level's parameter is written here and nowhere else. Values are chosen in
// the spirit of KADID-10k's five levels (from barely visible to strong) and so that, on a
// natural image, the PSNR against the original falls strictly from level 1 to level 5
// (tests/core/lab/DegradationsTest.cpp checks it for every family).
const std::vector<DegradationInfo> kTable = {
    {F::GaussianBlur, "gaussian_blur", "Gaussian blur", "sigma (px)", {0.8, 1.5, 2.5, 4, 6}, false,
     "Gaussian filter, kernel 6 sigma + 1, reflected borders"},
    {F::LensBlur, "lens_blur", "Lens blur", "disk radius (px)", {1, 2, 3, 5, 8}, false,
     "mean over an anti-aliased disk (out-of-focus lens)"},
    {F::MotionBlur, "motion_blur", "Motion blur", "length (px)", {3, 5, 9, 15, 23}, false,
     "mean along an anti-aliased line at 30 degrees"},
    {F::WhiteNoise, "white_noise", "White noise", "sigma (8-bit levels)", {4, 8, 14, 22, 34}, true,
     "additive Gaussian noise, independent per pixel and channel"},
    {F::ColorNoise, "color_noise", "Colour noise", "chroma sigma (8-bit levels)", {5, 10, 18, 28, 42}, true,
     "additive Gaussian noise in the Cb and Cr components of YCbCr (BT.601), luma untouched"},
    {F::ImpulseNoise, "impulse_noise", "Impulse noise", "corrupted pixels (fraction)",
     {0.01, 0.03, 0.06, 0.12, 0.2}, true, "salt and pepper: half of the corrupted pixels black, half white"},
    {F::MultiplicativeNoise, "multiplicative_noise", "Multiplicative noise", "speckle sigma",
     {0.05, 0.1, 0.18, 0.28, 0.42}, true, "speckle: v * (1 + n), n Gaussian per pixel and channel"},
    {F::Jpeg, "jpeg", "JPEG", "quality", {60, 30, 15, 8, 3}, false,
     "OpenCV's JPEG encoder (libjpeg, 4:2:0) at this quality, then decoded"},
    {F::Jpeg2000, "jpeg2000", "JPEG 2000", "compression ratio", {20, 50, 100, 250, 500}, false,
     "OpenCV's JPEG 2000 encoder (OpenJPEG), IMWRITE_JPEG2000_COMPRESSION_X1000 = 1000 / ratio, then decoded"},
    {F::Brighten, "brighten", "Brighten", "gamma", {0.8, 0.65, 0.5, 0.4, 0.3}, false,
     "255 (v / 255)^gamma on R, G, B (gamma < 1 lifts the mid-tones)"},
    {F::Darken, "darken", "Darken", "gamma", {1.3, 1.7, 2.2, 2.8, 3.6}, false,
     "255 (v / 255)^gamma on R, G, B (gamma > 1 lowers the mid-tones)"},
    {F::ContrastChange, "contrast_change", "Contrast change", "contrast factor", {0.8, 0.6, 0.45, 0.3, 0.15},
     false, "mean + factor (v - mean), mean of all pixels and channels"},
    {F::SaturationChange, "saturation_change", "Saturation change", "saturation factor",
     {0.7, 0.5, 0.3, 0.15, 0}, false, "Y + factor (v - Y) with BT.601 luma Y (0 = grey)"},
    {F::ColorQuantization, "color_quantization", "Colour quantisation", "levels per channel",
     {24, 12, 8, 5, 3}, false, "uniform quantisation of R, G and B to this many levels"},
    {F::Pixelate, "pixelate", "Pixelation", "block size (px)", {2, 4, 7, 11, 16}, false,
     "area down-sampling by the block size, nearest-neighbour up-sampling"},
    {F::Jitter, "jitter", "Jitter", "max displacement (px)", {0.6, 1.2, 2, 3.5, 6}, true,
     "every pixel fetched from a random offset in [-d, d] x [-d, d] (bilinear, reflected borders)"},
    {F::Oversharpen, "oversharpen", "Over-sharpening", "unsharp amount", {1, 2, 3.5, 5.5, 8}, false,
     "unsharp mask v + amount (v - GaussianBlur(v, sigma 1.5))"},
};

cv::Mat toFloat(const cv::Mat& rgb) {
    cv::Mat f;
    rgb.convertTo(f, CV_32FC3);
    return f;
}

cv::Mat toByte(const cv::Mat& f) {
    cv::Mat out;
    f.convertTo(out, CV_8UC3);  // rounds and saturates to 0..255
    return out;
}

// A generator per (family, seed): two families never share a noise field for the same seed.
cv::RNG rngFor(DegradationFamily family, uint32_t seed) {
    const uint64_t mixed = (static_cast<uint64_t>(seed) + 1) * 0x9E3779B97F4A7C15ull ^
                           (static_cast<uint64_t>(family) + 1) * 0xC2B2AE3D27D4EB4Full;
    return cv::RNG(mixed == 0 ? 1 : mixed);
}

cv::Mat convolve(const cv::Mat& rgb, cv::Mat kernel) {
    kernel /= cv::sum(kernel)[0];
    cv::Mat out;
    cv::filter2D(rgb, out, -1, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
    return out;
}

cv::Mat diskKernel(double radius) {
    const int r = static_cast<int>(std::ceil(radius));
    cv::Mat k = cv::Mat::zeros(2 * r + 1, 2 * r + 1, CV_32F);
    // Draw at 8x and area-reduce: an anti-aliased disk whose weights follow the area covered.
    constexpr int kSuper = 8;
    cv::Mat big = cv::Mat::zeros(k.rows * kSuper, k.cols * kSuper, CV_32F);
    cv::circle(big, cv::Point(big.cols / 2, big.rows / 2), static_cast<int>(std::lround(radius * kSuper + kSuper / 2.0)),
               cv::Scalar(1), cv::FILLED, cv::LINE_8);
    cv::resize(big, k, k.size(), 0, 0, cv::INTER_AREA);
    return k;
}

cv::Mat lineKernel(double length, double degrees) {
    const int size = static_cast<int>(std::ceil(length)) | 1;
    constexpr int kSuper = 8;
    cv::Mat big = cv::Mat::zeros(size * kSuper, size * kSuper, CV_32F);
    const double half = (length - 1) / 2.0 * kSuper;
    const double a = degrees * CV_PI / 180.0;
    const cv::Point2d c(big.cols / 2.0, big.rows / 2.0);
    const cv::Point2d d(std::cos(a) * half, -std::sin(a) * half);
    cv::line(big, c - d, c + d, cv::Scalar(1), kSuper, cv::LINE_AA);
    cv::Mat k;
    cv::resize(big, k, cv::Size(size, size), 0, 0, cv::INTER_AREA);
    return k;
}

cv::Mat applyCurve(const cv::Mat& rgb, double gamma) {
    cv::Mat lut(1, 256, CV_8U);
    for (int v = 0; v < 256; ++v)
        lut.at<uchar>(v) = cv::saturate_cast<uchar>(255.0 * std::pow(v / 255.0, gamma));
    cv::Mat out;
    cv::LUT(rgb, lut, out);
    return out;
}

std::vector<int> codecParameters(DegradationFamily family, double parameter) {
    if (family == F::Jpeg) return {cv::IMWRITE_JPEG_QUALITY, static_cast<int>(parameter)};
    return {cv::IMWRITE_JPEG2000_COMPRESSION_X1000, static_cast<int>(std::lround(1000.0 / parameter))};
}

bool isCodec(DegradationFamily family) { return family == F::Jpeg || family == F::Jpeg2000; }

cv::Mat degradeCodec(const cv::Mat& rgb, DegradationFamily family, int level) {
    const EncodedImage encoded = encodeWithCodec(rgb, family, level);
    cv::Mat bgr = cv::imdecode(encoded.bytes, cv::IMREAD_COLOR);
    if (bgr.empty() || bgr.size() != rgb.size())
        throw std::runtime_error(std::string("the ") + degradationInfo(family).name + " decoder failed");
    cv::Mat out;
    cv::cvtColor(bgr, out, cv::COLOR_BGR2RGB);
    return out;
}

}  // namespace

const std::vector<DegradationInfo>& degradationTable() { return kTable; }

const DegradationInfo& degradationInfo(DegradationFamily family) {
    for (const DegradationInfo& info : kTable)
        if (info.family == family) return info;
    throw std::invalid_argument("unknown degradation family");
}

std::optional<DegradationFamily> parseDegradationFamily(std::string_view id) {
    for (const DegradationInfo& info : kTable)
        if (id == info.id) return info.family;
    return std::nullopt;
}

double degradationParameter(DegradationFamily family, int level) {
    if (level < 0 || level > kDegradationLevels) throw std::invalid_argument("degradation level must be 0..5");
    return level == 0 ? 0.0 : degradationInfo(family).levels[static_cast<size_t>(level - 1)];
}

bool degradationAvailable(DegradationFamily family) {
    if (family == F::Jpeg) return cv::haveImageWriter(".jpg");
    if (family == F::Jpeg2000) return cv::haveImageWriter(".jp2");
    return true;
}

EncodedImage encodeWithCodec(const cv::Mat& rgb, DegradationFamily family, int level) {
    if (!isCodec(family) || level == 0) return {};
    const std::string extension = family == F::Jpeg ? ".jpg" : ".jp2";
    if (!degradationAvailable(family))
        throw std::runtime_error(std::string("this OpenCV build cannot write ") + degradationInfo(family).name);
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    EncodedImage encoded;
    encoded.extension = extension;
    if (!cv::imencode(extension, bgr, encoded.bytes, codecParameters(family, degradationParameter(family, level))))
        throw std::runtime_error(std::string("the ") + degradationInfo(family).name + " encoder failed");
    return encoded;
}

cv::Mat degrade(const cv::Mat& rgb, DegradationFamily family, int level, uint32_t seed) {
    if (rgb.type() != CV_8UC3 || rgb.empty()) throw std::invalid_argument("degrade() needs a CV_8UC3 image");
    const double p = degradationParameter(family, level);  // validates the level
    if (level == 0) return rgb.clone();
    cv::RNG rng = rngFor(family, seed);
    cv::Mat out;
    switch (family) {
    case F::GaussianBlur: {
        const int size = 2 * static_cast<int>(std::ceil(3 * p)) + 1;
        cv::GaussianBlur(rgb, out, cv::Size(size, size), p, p, cv::BORDER_REFLECT_101);
        return out;
    }
    case F::LensBlur: return convolve(rgb, diskKernel(p));
    case F::MotionBlur: return convolve(rgb, lineKernel(p, 30.0));
    case F::WhiteNoise: {
        // One unit-variance field scaled by sigma: the same seed gives the same pattern at every
        // level, so a higher level is the same noise, stronger.
        cv::Mat noise(rgb.size(), CV_32FC3);
        rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
        return toByte(toFloat(rgb) + noise * p);
    }
    case F::ColorNoise: {
        cv::Mat f = toFloat(rgb) / 255.0, ycc;
        cv::cvtColor(f, ycc, cv::COLOR_RGB2YCrCb);
        cv::Mat noise(rgb.size(), CV_32FC3);
        rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
        noise = noise.mul(cv::Scalar(0, 1, 1)) * (p / 255.0);  // Cr and Cb only
        cv::Mat back;
        cv::cvtColor(ycc + noise, back, cv::COLOR_YCrCb2RGB);
        return toByte(back * 255.0);
    }
    case F::ImpulseNoise: {
        cv::Mat u(rgb.size(), CV_32F);
        rng.fill(u, cv::RNG::UNIFORM, 0.0, 1.0);
        out = rgb.clone();
        const float fraction = static_cast<float>(p);
        for (int y = 0; y < out.rows; ++y) {
            const float* up = u.ptr<float>(y);
            cv::Vec3b* op = out.ptr<cv::Vec3b>(y);
            for (int x = 0; x < out.cols; ++x)
                if (up[x] < fraction) op[x] = up[x] < fraction / 2 ? cv::Vec3b(0, 0, 0) : cv::Vec3b(255, 255, 255);
        }
        return out;
    }
    case F::MultiplicativeNoise: {
        cv::Mat noise(rgb.size(), CV_32FC3);
        rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
        const cv::Mat f = toFloat(rgb);
        return toByte(f + f.mul(noise * p));
    }
    case F::Jpeg:
    case F::Jpeg2000: return degradeCodec(rgb, family, level);
    case F::Brighten:
    case F::Darken: return applyCurve(rgb, p);
    case F::ContrastChange: {
        const cv::Scalar channelMeans = cv::mean(rgb);
        const double mean = (channelMeans[0] + channelMeans[1] + channelMeans[2]) / 3.0;
        rgb.convertTo(out, CV_8UC3, p, mean * (1.0 - p));
        return out;
    }
    case F::SaturationChange: {
        const cv::Mat f = toFloat(rgb);
        cv::Mat luma;
        cv::transform(f, luma, cv::Matx13f(0.299f, 0.587f, 0.114f));
        cv::Mat luma3;
        cv::merge(std::vector<cv::Mat>{luma, luma, luma}, luma3);
        return toByte(luma3 + (f - luma3) * p);
    }
    case F::ColorQuantization: {
        const double steps = p - 1;
        cv::Mat lut(1, 256, CV_8U);
        for (int v = 0; v < 256; ++v)
            lut.at<uchar>(v) = cv::saturate_cast<uchar>(std::round(std::round(v * steps / 255.0) * 255.0 / steps));
        cv::LUT(rgb, lut, out);
        return out;
    }
    case F::Pixelate: {
        const cv::Size small(std::max(1, static_cast<int>(std::lround(rgb.cols / p))),
                             std::max(1, static_cast<int>(std::lround(rgb.rows / p))));
        cv::Mat reduced;
        cv::resize(rgb, reduced, small, 0, 0, cv::INTER_AREA);
        cv::resize(reduced, out, rgb.size(), 0, 0, cv::INTER_NEAREST);
        return out;
    }
    case F::Jitter: {
        cv::Mat offsets(rgb.size(), CV_32FC2);
        rng.fill(offsets, cv::RNG::UNIFORM, -1.0, 1.0);
        cv::Mat mapX(rgb.size(), CV_32F), mapY(rgb.size(), CV_32F);
        const float d = static_cast<float>(p);
        for (int y = 0; y < rgb.rows; ++y) {
            const cv::Vec2f* o = offsets.ptr<cv::Vec2f>(y);
            float* mx = mapX.ptr<float>(y);
            float* my = mapY.ptr<float>(y);
            for (int x = 0; x < rgb.cols; ++x) {
                mx[x] = static_cast<float>(x) + d * o[x][0];
                my[x] = static_cast<float>(y) + d * o[x][1];
            }
        }
        cv::remap(rgb, out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
        return out;
    }
    case F::Oversharpen: {
        const cv::Mat f = toFloat(rgb);
        cv::Mat blurred;
        cv::GaussianBlur(f, blurred, cv::Size(0, 0), 1.5, 1.5, cv::BORDER_REFLECT_101);
        return toByte(f + (f - blurred) * p);
    }
    }
    throw std::invalid_argument("unknown degradation family");
}

std::string degradationTableMarkdown() {
    std::ostringstream md;
    md << "| id | distortion | parameter | level 1 | level 2 | level 3 | level 4 | level 5 | seeded | how |\n"
       << "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const DegradationInfo& info : kTable) {
        md << "| `" << info.id << "` | " << info.name << " | " << info.parameter;
        for (double v : info.levels) md << " | " << v;
        md << " | " << (info.seeded ? "yes" : "no") << " | " << info.how << " |\n";
    }
    return md.str();
}

}  // namespace qc
