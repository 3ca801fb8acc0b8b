// Each degradation family against the formula docs/degradations.md gives for it, measured on
// images built for the purpose (a step edge, a flat grey, a ramp). The parameters are the
// documented ones, written here from the table, not read from the code under test.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include <opencv2/core.hpp>

#include "lab/Degradations.h"

namespace qc {
namespace {

cv::Mat flatGrey(int value, int size = 512) { return cv::Mat(size, size, CV_8UC3, cv::Scalar::all(value)); }

// Every grey level 0..255 once per column (256 x 16).
cv::Mat greyRamp() {
    cv::Mat ramp(16, 256, CV_8UC3);
    for (int y = 0; y < ramp.rows; ++y)
        for (int x = 0; x < ramp.cols; ++x) ramp.at<cv::Vec3b>(y, x) = cv::Vec3b::all(static_cast<uchar>(x));
    return ramp;
}

// Mean and variance of one channel.
std::pair<double, double> meanAndVariance(const cv::Mat& rgb, int channel) {
    cv::Mat plane;
    cv::extractChannel(rgb, plane, channel);
    cv::Scalar mean, std;
    cv::meanStdDev(plane, mean, std);
    return {mean[0], std[0] * std[0]};
}

// Blurring a step edge of height H: the differences across the edge are H times the blur's
// discrete kernel, so their sum is H (the kernel sums to 1) and their spread is the kernel's.
TEST(DegradationFormula, GaussianBlurKernelSumsToOneWithVarianceSigmaSquared) {
    const double sigmas[] = {0.8, 1.5, 2.5, 4, 6};
    cv::Mat step(32, 200, CV_8UC3, cv::Scalar::all(40));
    step(cv::Rect(100, 0, 100, 32)).setTo(cv::Scalar::all(215));
    for (int level = 1; level <= 5; ++level) {
        const cv::Mat blurred = degrade(step, DegradationFamily::GaussianBlur, level, 1);
        double sum = 0, moment1 = 0, moment2 = 0;
        for (int x = 50; x < 150; ++x) {
            const double d = blurred.at<cv::Vec3b>(16, x + 1)[1] - blurred.at<cv::Vec3b>(16, x)[1];
            sum += d;
            moment1 += d * (x + 1);
            moment2 += d * (x + 1) * (x + 1);
        }
        const double mean = moment1 / sum, variance = moment2 / sum - mean * mean;
        const double sigma = sigmas[level - 1];
        EXPECT_NEAR(sum, 175.0, 1.0) << "level " << level;
        EXPECT_NEAR(mean, 99.5 + 0.5, 0.3) << "level " << level;  // centred on the edge
        EXPECT_NEAR(variance, sigma * sigma, 0.06 * sigma * sigma + 0.1) << "level " << level;
    }
}

TEST(DegradationFormula, WhiteNoiseHasTheDocumentedSigmaPerChannelIndependently) {
    const double sigmas[] = {4, 8, 14, 22, 34};
    for (int level = 1; level <= 5; ++level) {
        const cv::Mat noisy = degrade(flatGrey(128), DegradationFamily::WhiteNoise, level, 3);
        const double sigma = sigmas[level - 1];
        for (int c = 0; c < 3; ++c) {
            const auto [mean, variance] = meanAndVariance(noisy, c);
            EXPECT_NEAR(mean, 128.0, 0.3) << "level " << level;
            // Rounding to 8 bits adds the variance of a uniform step, 1/12.
            EXPECT_NEAR(std::sqrt(variance), std::sqrt(sigma * sigma + 1.0 / 12), 0.03 * sigma) << "level " << level;
        }
        cv::Mat r, g;
        cv::extractChannel(noisy, r, 0);
        cv::extractChannel(noisy, g, 1);
        r.convertTo(r, CV_64F, 1, -128);
        g.convertTo(g, CV_64F, 1, -128);
        const double correlation = r.dot(g) / std::sqrt(r.dot(r) * g.dot(g));
        EXPECT_LT(std::abs(correlation), 0.02) << "level " << level;
    }
}

TEST(DegradationFormula, ImpulseNoiseCorruptsTheDocumentedFractionHalfBlackHalfWhite) {
    const double fractions[] = {0.01, 0.03, 0.06, 0.12, 0.2};
    for (int level = 1; level <= 5; ++level) {
        const cv::Mat noisy = degrade(flatGrey(128), DegradationFamily::ImpulseNoise, level, 5);
        int black = 0, white = 0, other = 0;
        for (int y = 0; y < noisy.rows; ++y)
            for (int x = 0; x < noisy.cols; ++x) {
                const cv::Vec3b v = noisy.at<cv::Vec3b>(y, x);
                if (v == cv::Vec3b::all(0)) ++black;
                else if (v == cv::Vec3b::all(255)) ++white;
                else if (v != cv::Vec3b::all(128)) ++other;
            }
        const double pixels = static_cast<double>(noisy.total());
        EXPECT_NEAR((black + white) / pixels, fractions[level - 1], 0.1 * fractions[level - 1]) << "level " << level;
        EXPECT_NEAR(static_cast<double>(black) / (black + white), 0.5, 0.05) << "level " << level;
        EXPECT_EQ(other, 0) << "level " << level;
    }
}

TEST(DegradationFormula, MultiplicativeNoiseScalesWithTheValue) {
    const double sigmas[] = {0.05, 0.1, 0.18, 0.28};  // level 5 clips too often at 128 to measure
    for (int level = 1; level <= 4; ++level) {
        const auto [mean, variance] =
            meanAndVariance(degrade(flatGrey(128), DegradationFamily::MultiplicativeNoise, level, 9), 0);
        EXPECT_NEAR(std::sqrt(variance), 128.0 * sigmas[level - 1], 0.04 * 128.0 * sigmas[level - 1]) << level;
        EXPECT_NEAR(mean, 128.0, 1.0) << level;
    }
}

TEST(DegradationFormula, BrightenAndDarkenApplyTheGammaCurve) {
    const cv::Mat ramp = greyRamp();
    const std::pair<DegradationFamily, std::vector<double>> families[] = {
        {DegradationFamily::Brighten, {0.8, 0.65, 0.5, 0.4, 0.3}},
        {DegradationFamily::Darken, {1.3, 1.7, 2.2, 2.8, 3.6}}};
    for (const auto& [family, gammas] : families)
        for (int level = 1; level <= 5; ++level) {
            const cv::Mat out = degrade(ramp, family, level, 1);
            for (int v = 0; v < 256; ++v) {
                const double want = 255.0 * std::pow(v / 255.0, gammas[static_cast<size_t>(level - 1)]);
                ASSERT_NEAR(out.at<cv::Vec3b>(8, v)[0], want, 1.0) << "value " << v << " level " << level;
            }
        }
}

TEST(DegradationFormula, ContrastChangeScalesAroundTheMean) {
    const double factors[] = {0.8, 0.6, 0.45, 0.3, 0.15};
    const cv::Mat ramp = greyRamp();
    const double mean = 127.5;  // of 0..255, every value once per row
    for (int level = 1; level <= 5; ++level) {
        const cv::Mat out = degrade(ramp, DegradationFamily::ContrastChange, level, 1);
        for (int v = 0; v < 256; v += 15)
            EXPECT_NEAR(out.at<cv::Vec3b>(0, v)[2], mean + factors[level - 1] * (v - mean), 1.0) << v << " L" << level;
    }
}

TEST(DegradationFormula, ColourQuantisationLeavesTheDocumentedNumberOfLevels) {
    const int levels[] = {24, 12, 8, 5, 3};
    const cv::Mat ramp = greyRamp();
    for (int level = 1; level <= 5; ++level) {
        const cv::Mat out = degrade(ramp, DegradationFamily::ColorQuantization, level, 1);
        std::set<int> values;
        for (int v = 0; v < 256; ++v) values.insert(out.at<cv::Vec3b>(3, v)[0]);
        EXPECT_EQ(static_cast<int>(values.size()), levels[level - 1]) << "level " << level;
    }
}

TEST(DegradationFormula, PixelationMakesBlocksOfTheDocumentedSize) {
    const int blocks[] = {2, 4, 7, 11, 16};
    cv::Mat texture(176, 1232, CV_8UC3);  // 1232 = 2 x 4 x 7 x 11 x 16: whole blocks at every level
    cv::randu(texture, cv::Scalar::all(0), cv::Scalar::all(256));
    for (int level = 1; level <= 5; ++level) {
        const int b = blocks[level - 1];
        const cv::Mat out = degrade(texture, DegradationFamily::Pixelate, level, 1);
        const int whole = (out.cols / b) * b;  // blocks inside the image; a partial last one may differ
        int changesInsideBlocks = 0, changesAtBlockEdges = 0;
        for (int x = 1; x < whole; ++x) {
            const bool differs = out.at<cv::Vec3b>(b / 2, x) != out.at<cv::Vec3b>(b / 2, x - 1);
            (x % b == 0 ? changesAtBlockEdges : changesInsideBlocks) += differs;
        }
        EXPECT_EQ(changesInsideBlocks, 0) << "level " << level;
        EXPECT_GT(changesAtBlockEdges, whole / b / 2) << "level " << level;
    }
}

}  // namespace
}  // namespace qc
