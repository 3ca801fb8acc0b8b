// HEIF/HEIC and AVIF through libheif: files written here with libheif's own encoders.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "Errors.h"
#include "PhotoFixtures.h"
#include "TestSupport.h"
#include "images/ImageLoader.h"

namespace qc {
namespace {

using test::TempDir;

std::string writeTestHeif(const TempDir& dir, const std::string& name, fixtures::HeifSpec spec) {
    const std::string path = dir.file(name);
    fixtures::writeHeif(path, spec);
    return path;
}

double meanLuma(const cv::Mat& rgb, cv::Rect r) {
    cv::Mat grey;
    cv::cvtColor(rgb(r), grey, cv::COLOR_RGB2GRAY);
    return cv::mean(grey)[0];
}

TEST(HeifDecoder, HeicRotationIsAppliedOnce) {
    TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = fixtures::brightDarkScene(192, 128);
    spec.orientation = 6;  // 90° clockwise: stored top-left (bright) ends up top-right
    const std::string path = writeTestHeif(dir, "IMG_0001.HEIC", spec);
    const auto header = readImageHeader(path);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->format, "heif");
    EXPECT_EQ(header->width, 128);  // as displayed: libheif applies irot to the size
    EXPECT_EQ(header->height, 192);
    const DecodedImage image = loadImageRgb8(path);
    EXPECT_EQ(image.source, PixelSource::Heif);
    ASSERT_EQ(image.rgb.cols, 128);
    ASSERT_EQ(image.rgb.rows, 192);
    const double topRight = meanLuma(image.rgb, {80, 16, 32, 64});
    const double topLeft = meanLuma(image.rgb, {16, 16, 32, 64});
    const double bottomLeft = meanLuma(image.rgb, {16, 112, 32, 64});
    EXPECT_GT(topRight, topLeft + 30);
    EXPECT_LT(bottomLeft, topLeft - 30);
}

TEST(HeifDecoder, AvifDecodes) {
    TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = fixtures::brightDarkScene(96, 64);
    spec.codec = fixtures::HeifCodec::Av1;
    const std::string path = writeTestHeif(dir, "photo.avif", spec);
    EXPECT_EQ(readImageHeader(path)->format, "avif");
    const DecodedImage image = loadImageRgb8(path);
    EXPECT_EQ(image.source, PixelSource::Heif);
    ASSERT_EQ(image.rgb.cols, 96);
    EXPECT_GT(cv::mean(image.rgb(cv::Rect(8, 8, 32, 16)))[1],
              cv::mean(image.rgb(cv::Rect(56, 40, 32, 16)))[1] + 100);
}

TEST(HeifDecoder, TenBitHeicIsScaledToEightBits) {
    TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = cv::Mat(64, 96, CV_8UC3, cv::Scalar(200, 100, 40));
    spec.bitDepth = 10;
    spec.quality = 100;
    const std::string path = writeTestHeif(dir, "photo10.heic", spec);
    const DecodedImage image = loadImageRgb8(path);
    EXPECT_EQ(image.sourceBitDepth, 10);
    const cv::Scalar mean = cv::mean(image.rgb);
    // Clipping 10-bit values to 8 bits would give 255 everywhere; scaling keeps the colour.
    EXPECT_NEAR(mean[0], 200, 6);
    EXPECT_NEAR(mean[1], 100, 6);
    EXPECT_NEAR(mean[2], 40, 6);
}

TEST(HeifDecoder, AlphaIsDropped) {
    TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = cv::Mat(64, 64, CV_8UC3, cv::Scalar(30, 160, 90));
    spec.alpha = true;
    const std::string path = writeTestHeif(dir, "alpha.heic", spec);
    const DecodedImage image = loadImageRgb8(path);
    EXPECT_EQ(image.sourceChannels, 4);
    ASSERT_EQ(image.rgb.type(), CV_8UC3);
    // Not composited: the transparent right half keeps its colour.
    EXPECT_NEAR(cv::mean(image.rgb(cv::Rect(40, 8, 16, 48)))[1], 160, 8);
}

TEST(HeifDecoder, PixelLimitRefusesFromTheBoxes) {
    TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = fixtures::brightDarkScene(128, 96);
    const std::string path = writeTestHeif(dir, "limit.heic", spec);
    ImageLoadOptions options;
    options.maxPixels = 1000;
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(path, options); });
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
}

TEST(HeifDecoder, TruncatedHeicIsAnErrorNamingTheFile) {
    TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = fixtures::brightDarkScene(256, 192);
    const std::string good = writeTestHeif(dir, "good.heic", spec);
    const std::string path = dir.file("truncated.heic");
    std::filesystem::copy_file(good, path);
    std::filesystem::resize_file(path, std::filesystem::file_size(good) * 2 / 3);
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(path); });
    EXPECT_NE(error.find(path), std::string::npos) << error;
}

// A HEIF whose image items are of a codec libheif has no decoder for (the item type renamed
// from 'hvc1' to 'hvcX') gives an error row that says so, as a missing plugin would.
TEST(HeifDecoder, UnknownCodecIsAnErrorThatSaysSo) {
    TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = fixtures::brightDarkScene(64, 64);
    const std::string good = writeTestHeif(dir, "good.heic", spec);
    std::ifstream in(good, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = bytes.find("hvc1");
    ASSERT_NE(at, std::string::npos);
    for (size_t pos = at; pos != std::string::npos; pos = bytes.find("hvc1", pos + 4))
        bytes[pos + 3] = 'X';
    const std::string path = dir.file("unknown-codec.heic");
    std::ofstream(path, std::ios::binary) << bytes;
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(path); });
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("libheif"), std::string::npos) << error;
}

}  // namespace
}  // namespace qc
