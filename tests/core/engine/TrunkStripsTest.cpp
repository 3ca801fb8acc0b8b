// Tests of the trunk in horizontal strips (engine/TrunkStrips.h): the plan's arithmetic, and the
// network's results in strips against the conformance oracle and against the whole image.
#include "engine/TrunkStrips.h"

#include "TestSupport.h"
#include "engine/QualiClipModel.h"
#include "engine/RandomCheckpoint.h"
#include "images/ImageLoader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace qc {
namespace {

// Hand-derived in TrunkStrips.cpp's terms: stem 1+2+2+2; stage 1: 3 blocks x 4; stage 2: 4+4+3x8;
// stage 3: 8+8+5x16; stage 4: 16+16+2x32.
TEST(TrunkStrips, ReceptiveRadiusOfTheReleasedModel) {
    EXPECT_EQ(trunkReceptiveRadius(releasedModelSpec()), 7 + 12 + 32 + 96 + 96);
}

TEST(TrunkStrips, EveryFeatureRowComesFromExactlyOneStripWithAFullHalo) {
    const ModelSpec spec = releasedModelSpec();
    const int radius = trunkReceptiveRadius(spec);
    for (int height : {31, 100, 1000, 4000, 4001, 4031, 8000}) {
        for (int rows : {32, 100, 1024}) {
            const std::vector<TrunkStrip> strips = planTrunkStrips(spec, 6000, height, rows);
            ASSERT_FALSE(strips.empty());
            int next = 0;
            for (const TrunkStrip& s : strips) {
                EXPECT_EQ(s.keptBegin, next) << height << " " << rows;
                EXPECT_EQ(s.inputBegin % kTrunkStride, 0);
                // The kept cells' rows with the radius around them lie inside the strip (or the
                // image).
                EXPECT_TRUE(s.inputBegin == 0 ||
                            s.inputBegin <= s.keptBegin * kTrunkStride - radius);
                EXPECT_TRUE(s.inputEnd == height ||
                            s.inputEnd >= s.keptEnd * kTrunkStride + radius);
                EXPECT_GE(s.inputEnd - s.inputBegin, QualiClipModel::kMinSide);
                next = s.keptEnd;
            }
            EXPECT_EQ(next, (height + 1) / 32) << height << " " << rows;
        }
    }
}

TEST(TrunkStrips, AutomaticOnlyForLargeImages) {
    const ModelSpec spec = releasedModelSpec();
    EXPECT_EQ(planTrunkStrips(spec, 1024, 768, 0).size(), 1u);
    EXPECT_EQ(planTrunkStrips(spec, 12000, 8000, -1).size(), 1u);
    const std::vector<TrunkStrip> strips = planTrunkStrips(spec, 12000, 8000, 0);
    ASSERT_GT(strips.size(), 1u);
    // Each within the activation budget, or the smallest strip (a halo's rows kept, both halos).
    const int halo = (trunkReceptiveRadius(spec) + 31) / 32 * 32;
    const double budgetRows = kTrunkStripBudgetBytes / (12000.0 * trunkBytesPerPixel(spec));
    for (const TrunkStrip& s : strips)
        EXPECT_LE(s.inputEnd - s.inputBegin, std::max(budgetRows, 3.0 * halo));
}

// The oracle's images through the oracle's model in strips of 32 rows: the reference's numbers
// within the oracle README's tolerances for a float32 port.
TEST(TrunkStrips, OracleImagesInStripsMatchTheReference) {
    QCI_REQUIRE_ORACLE();
    std::ifstream in(test::oracleDir() / "expected.json");
    const nlohmann::json expected = nlohmann::json::parse(in);
    const auto model = QualiClipModel::load((test::oracleDir() / "tiny_qualiclip.pth").string());
    int strippedImages = 0;
    for (const auto& [name, record] : expected["images"].items()) {
        const DecodedImage image =
            loadImageRgb8((test::oracleDir() / record["file"].get<std::string>()).string());
        ForwardOptions options;
        options.dense = true;
        options.stripRows = 32;
        const NetworkOutput out = model->run(image.rgb, options);
        strippedImages += out.trunkStrips > 1;
        EXPECT_NEAR(out.score, record["score"].get<double>(), 1e-5) << name;
        for (size_t p = 0; p < out.pairProbabilities.size(); ++p)
            EXPECT_NEAR(out.pairProbabilities[p], record["pair_probs"][p].get<double>(), 2e-5)
                << name;
        std::vector<double> map;
        for (const auto& row : record["token_map_mean"])
            for (const auto& v : row) map.push_back(v.get<double>());
        ASSERT_EQ(out.denseMean.size(), map.size()) << name;
        for (size_t i = 0; i < map.size(); ++i)
            EXPECT_NEAR(out.denseMean[i], map[i], 5e-5) << name << " cell " << i;
    }
    EXPECT_GE(strippedImages, 3);  // the taller images really ran in several strips
}

// A tall image through a small random-weight model: strips against the whole image.
TEST(TrunkStrips, StripsGiveTheWholeImagesResult) {
    const auto model = QualiClipModel::fromCheckpoint(makeRandomCheckpoint(smallModelSpec(), 5));
    cv::Mat image(1000, 200, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::GaussianBlur(image, image, cv::Size(0, 0), 3);
    cv::circle(image, cv::Point(100, 500), 60, cv::Scalar(250, 20, 20), -1);
    ForwardOptions whole, strips;
    whole.dense = strips.dense = true;
    whole.stripRows = -1;
    strips.stripRows = 64;
    const NetworkOutput a = model->run(image, whole), b = model->run(image, strips);
    EXPECT_EQ(a.trunkStrips, 1);
    EXPECT_GT(b.trunkStrips, 5);
    EXPECT_NEAR(a.score, b.score, 1e-5);
    ASSERT_EQ(a.embedding.size(), b.embedding.size());
    for (size_t i = 0; i < a.embedding.size(); ++i)
        EXPECT_NEAR(a.embedding[i], b.embedding[i], 2e-5) << i;
    ASSERT_EQ(a.denseMean.size(), b.denseMean.size());
    for (size_t i = 0; i < a.denseMean.size(); ++i)
        EXPECT_NEAR(a.denseMean[i], b.denseMean[i], 5e-5) << i;
}

}  // namespace
}  // namespace qc
