// The long:N/fast policy: libjpeg's DCT scaling to the smallest scale still covering N.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "PhotoFixtures.h"
#include "TestSupport.h"
#include "images/ImageLoader.h"
#include "images/ResizePolicy.h"

namespace qc {
namespace {

using test::TempDir;

std::string writeJpeg(const TempDir& dir, int width, int height) {
    cv::Mat bgr;
    cv::cvtColor(fixtures::brightDarkScene(width, height), bgr, cv::COLOR_RGB2BGR);
    const std::string path = dir.file("photo.jpg");
    cv::imwrite(path, bgr, {cv::IMWRITE_JPEG_QUALITY, 92});
    return path;
}

TEST(FastJpegDecode, PolicyTextNamesTheFastDecode) {
    const auto fast = ResizePolicy::parse("long:1024/fast");
    ASSERT_TRUE(fast);
    EXPECT_TRUE(fast->fastJpeg);
    EXPECT_EQ(fast->maxLongSide, 1024);
    EXPECT_EQ(fast->toString(), "long:1024/fast");
    EXPECT_NE(*fast, *ResizePolicy::parse("long:1024"));
    EXPECT_FALSE(ResizePolicy::parse("long:/fast"));
    EXPECT_FALSE(ResizePolicy::parse("native/fast"));
    EXPECT_FALSE(ResizePolicy::parse("long:1024/slow"));
    EXPECT_FALSE(ResizePolicy::parse("long:16/fast"));
}

TEST(FastJpegDecode, PicksTheSmallestScaleStillCoveringN) {
    TempDir dir;
    const std::string path = writeJpeg(dir, 2000, 1500);
    ImageLoadOptions options;
    options.fastJpeg = true;
    options.targetLongSide = 400;  // 2000 / 4 = 500 >= 400, 2000 / 8 = 250 < 400
    const DecodedImage image = loadImageRgb8(path, options);
    EXPECT_EQ(image.jpegScaleDenominator, 4);
    EXPECT_EQ(image.rgb.cols, 500);
    EXPECT_EQ(image.rgb.rows, 375);
    EXPECT_EQ(image.fullWidth, 2000);
    EXPECT_EQ(image.fullHeight, 1500);
    options.targetLongSide = 1001;  // 2000 / 2 = 1000 < 1001: no scaling at all
    EXPECT_EQ(loadImageRgb8(path, options).jpegScaleDenominator, 1);
}

TEST(FastJpegDecode, ScaledPixelsStayCloseToTheExactOnes) {
    TempDir dir;
    const std::string path = writeJpeg(dir, 2000, 1500);
    ImageLoadOptions fast;
    fast.fastJpeg = true;
    fast.targetLongSide = 400;
    cv::Mat fastInput, exactInput;
    cv::resize(loadImageRgb8(path, fast).rgb, fastInput, cv::Size(400, 300), 0, 0, cv::INTER_AREA);
    cv::resize(loadImageRgb8(path).rgb, exactInput, cv::Size(400, 300), 0, 0, cv::INTER_AREA);
    cv::Mat difference;
    cv::absdiff(fastInput, exactInput, difference);
    const double meanDifference = cv::mean(difference.reshape(1))[0];
    EXPECT_GT(meanDifference, 0.0) << "the fast decode should not be the exact one";
    EXPECT_LT(meanDifference, 4.0);
}

TEST(FastJpegDecode, OffUnlessThePolicySaysSo) {
    TempDir dir;
    const std::string path = writeJpeg(dir, 800, 600);
    ImageLoadOptions options;
    options.targetLongSide = 100;
    const DecodedImage image = loadImageRgb8(path, options);
    EXPECT_EQ(image.jpegScaleDenominator, 1);
    EXPECT_EQ(image.rgb.cols, 800);
}

}  // namespace
}  // namespace qc
