// RAW files through LibRaw: DNGs written here by the fixture writer (tests/fixtures), decoded
// from their embedded preview, the half-size and the full demosaic.
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

constexpr int kWidth = 320, kHeight = 240;

std::string writeTestDng(const TempDir& dir, const std::string& name, int orientation,
                         int previewLongSide) {
    fixtures::DngSpec spec;
    spec.rgb = fixtures::brightDarkScene(kWidth, kHeight);
    spec.orientation = orientation;
    spec.previewLongSide = previewLongSide;
    const std::string path = dir.file(name);
    fixtures::writeDng(path, spec);
    return path;
}

DecodedImage load(const std::string& path, RawMode mode, int targetLongSide = 0) {
    ImageLoadOptions options;
    options.raw = mode;
    options.targetLongSide = targetLongSide;
    return loadImageRgb8(path, options);
}

double meanLuma(const cv::Mat& rgb, cv::Rect r) {
    cv::Mat grey;
    cv::cvtColor(rgb(r), grey, cv::COLOR_RGB2GRAY);
    return cv::mean(grey)[0];
}

// Orientation 6 turns the stored image 90° clockwise: the bright stored top-left quadrant ends up
// top-right, the dark bottom-right one bottom-left.
void expectBrightTopRightDarkBottomLeft(const cv::Mat& rgb) {
    const int w = rgb.cols / 2, h = rgb.rows / 2;
    const double topRight = meanLuma(rgb, {w + w / 4, h / 4, w / 2, h / 2});
    const double bottomLeft = meanLuma(rgb, {w / 4, h + h / 4, w / 2, h / 2});
    const double topLeft = meanLuma(rgb, {w / 4, h / 4, w / 2, h / 2});
    EXPECT_GT(topRight, topLeft + 30) << "bright quadrant not where orientation 6 puts it";
    EXPECT_LT(bottomLeft, topLeft - 30) << "dark quadrant not where orientation 6 puts it";
}

cv::Mat thumbnail(const cv::Mat& rgb) {
    cv::Mat grey, small;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    cv::resize(grey, small, cv::Size(8, 8), 0, 0, cv::INTER_AREA);
    small.convertTo(small, CV_32F);
    return small;
}

double correlation(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat result;
    cv::matchTemplate(a, b, result, cv::TM_CCOEFF_NORMED);
    return result.at<float>(0, 0);
}

TEST(RawDecoder, PreviewHasTheRawsOrientationApplied) {
    TempDir dir;
    const std::string path = writeTestDng(dir, "IMG_0001.dng", 6, 0);
    const DecodedImage image = load(path, RawMode::Preview);
    EXPECT_EQ(image.source, PixelSource::RawPreview);
    EXPECT_EQ(image.rgb.cols, kHeight);
    EXPECT_EQ(image.rgb.rows, kWidth);
    expectBrightTopRightDarkBottomLeft(image.rgb);
}

TEST(RawDecoder, HalfSizeDemosaicHasAQuarterOfThePixels) {
    TempDir dir;
    const std::string path = writeTestDng(dir, "IMG_0001.dng", 6, 0);
    const DecodedImage image = load(path, RawMode::Half);
    EXPECT_EQ(image.source, PixelSource::RawHalf);
    EXPECT_EQ(image.rgb.cols, kHeight / 2);
    EXPECT_EQ(image.rgb.rows, kWidth / 2);
    expectBrightTopRightDarkBottomLeft(image.rgb);
}

TEST(RawDecoder, FullDemosaicAgreesWithThePreviewOnBrightAndDark) {
    TempDir dir;
    const std::string path = writeTestDng(dir, "IMG_0001.dng", 6, 0);
    const DecodedImage full = load(path, RawMode::Full);
    EXPECT_EQ(full.source, PixelSource::RawFull);
    ASSERT_EQ(full.rgb.type(), CV_8UC3);
    EXPECT_EQ(full.rgb.cols, kHeight);
    EXPECT_EQ(full.rgb.rows, kWidth);
    expectBrightTopRightDarkBottomLeft(full.rgb);
    const DecodedImage preview = load(path, RawMode::Preview);
    EXPECT_GT(correlation(thumbnail(full.rgb), thumbnail(preview.rgb)), 0.9);
}

TEST(RawDecoder, AutoTakesThePreviewOnlyWhenItCoversTheLongSide) {
    TempDir dir;
    const std::string path = writeTestDng(dir, "IMG_0002.dng", 1, 100);  // 100 x 75 preview
    EXPECT_EQ(load(path, RawMode::Auto, 96).source, PixelSource::RawPreview);
    EXPECT_EQ(load(path, RawMode::Auto, 150).source, PixelSource::RawHalf);  // 320 / 2 >= 150
    EXPECT_EQ(load(path, RawMode::Auto, 200).source, PixelSource::RawFull);
    EXPECT_EQ(load(path, RawMode::Auto, 0).source, PixelSource::RawFull);  // native
    EXPECT_EQ(plannedPixelSource(path, {250'000'000, RawMode::Auto, 96}), PixelSource::RawPreview);
    EXPECT_EQ(plannedPixelSource(path, {250'000'000, RawMode::Auto, 150}), PixelSource::RawHalf);
    const DecodedImage preview = load(path, RawMode::Auto, 96);
    EXPECT_EQ(preview.rgb.cols, 100);
    EXPECT_EQ(preview.rgb.rows, 75);
}

TEST(RawDecoder, HeaderComesFromLibRawsMetadata) {
    TempDir dir;
    const std::string path = writeTestDng(dir, "IMG_0003.DNG", 1, 0);
    const auto header = readImageHeader(path);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->width, kWidth);
    EXPECT_EQ(header->height, kHeight);
    EXPECT_EQ(header->format, "raw");
    EXPECT_TRUE(hasImageExtension(path));
    EXPECT_TRUE(hasRawExtension("a/IMG_1.CR3"));
    EXPECT_TRUE(hasRawExtension("IMG_1.nef"));
    EXPECT_FALSE(hasRawExtension("IMG_1.jpg"));
}

TEST(RawDecoder, PixelLimitRefusesBeforeDecoding) {
    TempDir dir;
    const std::string path = writeTestDng(dir, "big.dng", 1, 0);
    ImageLoadOptions options;
    options.maxPixels = 10'000;
    options.raw = RawMode::Full;
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(path, options); });
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("320 x 240 = 0.0768 MP exceeds the limit of 0.01 MP"), std::string::npos)
        << error;
}

TEST(RawDecoder, MissingPreviewIsAnErrorNotAFallBack) {
    TempDir dir;
    const std::string path = writeTestDng(dir, "nopreview.dng", 1, -1);
    const std::string error = test::imageErrorOf([&] { load(path, RawMode::Preview); });
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("has no embedded preview"), std::string::npos) << error;
    EXPECT_EQ(load(path, RawMode::Auto, 96).source, PixelSource::RawHalf);  // auto may develop it
}

TEST(RawDecoder, TruncatedRawIsAnErrorNamingTheFile) {
    TempDir dir;
    const std::string good = writeTestDng(dir, "good.dng", 1, -1);
    const std::string path = dir.file("truncated.dng");
    std::filesystem::copy_file(good, path);
    std::filesystem::resize_file(path, std::filesystem::file_size(good) / 2);
    const std::string error = test::imageErrorOf([&] { load(path, RawMode::Full); });
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("truncated or damaged"), std::string::npos) << error;
}

TEST(RawDecoder, FakeExtensionIsAnErrorNamingTheFile) {
    TempDir dir;
    const std::string path = dir.file("IMG_0009.CR3");
    std::ofstream(path) << "this is a text file, not a photo\n";
    const std::string error = test::imageErrorOf([&] { load(path, RawMode::Auto, 1024); });
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("not a RAW file LibRaw can read"), std::string::npos) << error;
}

}  // namespace
}  // namespace qc
