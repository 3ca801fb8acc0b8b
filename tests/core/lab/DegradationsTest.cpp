// Degradations: identity at level 0, determinism, strictly falling PSNR over the levels, real
// codec output for JPEG / JPEG 2000, size and type preserved. One parameterised case per family.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "lab/Degradations.h"

namespace qc {
namespace {

// A synthetic "natural-ish" picture: smooth colour gradients, multi-scale texture, hard edges
// and a few saturated objects, so that blur, noise, codecs and colour changes all bite.
cv::Mat naturalishImage(int width = 192, int height = 144) {
    cv::Mat img(height, width, CV_32FC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            img.at<cv::Vec3f>(y, x) = cv::Vec3f(60.f + 120.f * x / width, 90.f + 80.f * y / height,
                                                170.f - 100.f * (x + y) / (width + height));
    cv::RNG rng(1234);
    for (double sigma : {0.7, 2.0, 6.0}) {
        cv::Mat texture(height, width, CV_32FC3);
        rng.fill(texture, cv::RNG::NORMAL, 0, 40.0);
        cv::GaussianBlur(texture, texture, cv::Size(0, 0), sigma);
        img += texture;
    }
    cv::rectangle(img, cv::Rect(width / 8, height / 6, width / 4, height / 3), cv::Scalar(230, 40, 30), cv::FILLED);
    cv::circle(img, cv::Point(width * 2 / 3, height / 2), height / 4, cv::Scalar(20, 160, 60), cv::FILLED, cv::LINE_AA);
    cv::line(img, cv::Point(0, height - 10), cv::Point(width, height / 3), cv::Scalar(250, 250, 250), 2, cv::LINE_AA);
    cv::Mat out;
    img.convertTo(out, CV_8UC3);
    return out;
}

const cv::Mat& fixture() {
    static const cv::Mat image = naturalishImage();
    return image;
}

bool sameMat(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

std::vector<DegradationFamily> allFamilies() {
    std::vector<DegradationFamily> families;
    for (const DegradationInfo& info : degradationTable()) families.push_back(info.family);
    return families;
}

class DegradationFamilyTest : public ::testing::TestWithParam<DegradationFamily> {
protected:
    void SetUp() override {
        // Debian's OpenCV writes every codec family; another build may lack one (then it is
        // not offered, and its tests cannot run).
        if (!degradationAvailable(GetParam()))
            GTEST_SKIP() << degradationInfo(GetParam()).name << ": this OpenCV build has no writer for the codec";
    }
};

TEST_P(DegradationFamilyTest, LevelZeroIsTheIdentity) {
    EXPECT_TRUE(sameMat(degrade(fixture(), GetParam(), 0, 7), fixture()));
}

TEST_P(DegradationFamilyTest, SizeAndTypePreservedAtEveryLevel) {
    const cv::Mat odd = naturalishImage(97, 61);  // odd sizes, not multiples of any block
    for (int level = 0; level <= kDegradationLevels; ++level) {
        const cv::Mat out = degrade(odd, GetParam(), level, 3);
        EXPECT_EQ(out.size(), odd.size()) << "level " << level;
        EXPECT_EQ(out.type(), CV_8UC3) << "level " << level;
    }
}

TEST_P(DegradationFamilyTest, DeterministicForASeed) {
    const DegradationInfo& info = degradationInfo(GetParam());
    for (int level = 1; level <= kDegradationLevels; ++level) {
        EXPECT_TRUE(sameMat(degrade(fixture(), GetParam(), level, 42), degrade(fixture(), GetParam(), level, 42)))
            << info.id << " level " << level;
        const bool differs = !sameMat(degrade(fixture(), GetParam(), level, 42), degrade(fixture(), GetParam(), level, 43));
        EXPECT_EQ(differs, info.seeded) << info.id << " level " << level << ": another seed "
                                        << (info.seeded ? "must" : "must not") << " change the output";
    }
}

TEST_P(DegradationFamilyTest, PsnrFallsStrictlyWithTheLevel) {
    const DegradationInfo& info = degradationInfo(GetParam());
    double previous = std::numeric_limits<double>::infinity();
    for (int level = 1; level <= kDegradationLevels; ++level) {
        const double psnr = cv::PSNR(fixture(), degrade(fixture(), GetParam(), level, 5));
        EXPECT_LT(psnr, previous) << info.id << ": PSNR at level " << level << " (" << psnr
                                  << " dB) is not below level " << level - 1 << " (" << previous << " dB)";
        previous = psnr;
    }
}

INSTANTIATE_TEST_SUITE_P(AllFamilies, DegradationFamilyTest, ::testing::ValuesIn(allFamilies()),
                         [](const ::testing::TestParamInfo<DegradationFamily>& param) {
                             std::string name = degradationInfo(param.param).id;
                             name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
                             return name;
                         });

// The codec families are what the codec makes: decode(encode(input)) with OpenCV's codec, done
// here independently of the library.
TEST(Degradations, CodecOutputIsTheDecodedCodecStream) {
    cv::Mat bgr;
    cv::cvtColor(fixture(), bgr, cv::COLOR_RGB2BGR);
    struct Case {
        DegradationFamily family;
        const char* extension;
        int flag;
        std::vector<int> writerValues;  // docs/degradations.md, levels 1..5
    };
    for (const Case& c : {Case{DegradationFamily::Jpeg, ".jpg", cv::IMWRITE_JPEG_QUALITY, {60, 30, 15, 8, 3}},
                          // compression ratios 20, 50, 100, 250, 500 as 1000 / ratio
                          Case{DegradationFamily::Jpeg2000, ".jp2", cv::IMWRITE_JPEG2000_COMPRESSION_X1000, {50, 20, 10, 4, 2}}}) {
        if (!degradationAvailable(c.family)) {
            ADD_FAILURE() << c.extension << ": no writer in this OpenCV build (Debian's has both)";
            continue;
        }
        for (int level = 1; level <= kDegradationLevels; ++level) {
            const int value = c.writerValues[level - 1];
            std::vector<unsigned char> bytes;
            ASSERT_TRUE(cv::imencode(c.extension, bgr, bytes, {c.flag, value}));
            cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
            cv::cvtColor(decoded, decoded, cv::COLOR_BGR2RGB);
            EXPECT_TRUE(sameMat(degrade(fixture(), c.family, level, 0), decoded)) << c.extension << " level " << level;
            const EncodedImage encoded = encodeWithCodec(fixture(), c.family, level);
            EXPECT_EQ(encoded.extension, c.extension);
            EXPECT_EQ(encoded.bytes, bytes) << c.extension << " level " << level;
        }
    }
}

TEST(Degradations, TableHasEveryFamilyOnceWithFiveLevels) {
    EXPECT_EQ(degradationTable().size(), 17u);
    for (const DegradationInfo& info : degradationTable()) {
        EXPECT_EQ(parseDegradationFamily(info.id), info.family);
        EXPECT_EQ(degradationParameter(info.family, 0), 0.0);
        EXPECT_EQ(degradationParameter(info.family, 3), info.levels[2]);
    }
    EXPECT_FALSE(parseDegradationFamily("sepia").has_value());
    const std::string markdown = degradationTableMarkdown();
    for (const DegradationInfo& info : degradationTable())
        EXPECT_NE(markdown.find(std::string("`") + info.id + "`"), std::string::npos);
}

TEST(Degradations, RejectsBadInput) {
    EXPECT_THROW(degrade(fixture(), DegradationFamily::GaussianBlur, 6, 0), std::invalid_argument);
    EXPECT_THROW(degrade(fixture(), DegradationFamily::GaussianBlur, -1, 0), std::invalid_argument);
    cv::Mat grey(10, 10, CV_8UC1, cv::Scalar(0));
    EXPECT_THROW(degrade(grey, DegradationFamily::GaussianBlur, 1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace qc
