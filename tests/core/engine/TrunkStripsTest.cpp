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

// Hand-derived from CLIP's modified ResNet (blocks 3-4-6-3): the stem reaches 1+2+2+2 image rows;
// the first stage one row per block; a pooling stage 2 rows for its first block and 2 per further
// block. In image rows the five radii add up to the whole trunk's 7+12+32+96+96.
TEST(TrunkStrips, LevelGeometryOfTheReleasedModel) {
    const ModelSpec spec = releasedModelSpec();
    const int factors[] = {4, 1, 2, 2, 2}, radii[] = {7, 3, 8, 12, 6}, strides[] = {1, 4, 4, 8, 16};
    int imageRows = 0;
    for (int level = 0; level < kTrunkLevels; ++level) {
        const TrunkLevel l = trunkLevel(spec, level);
        EXPECT_EQ(l.factor, factors[level]) << level;
        EXPECT_EQ(l.radius, radii[level]) << level;
        EXPECT_EQ(l.inputStride, strides[level]) << level;
        imageRows += l.radius * l.inputStride;
    }
    EXPECT_EQ(imageRows, 7 + 12 + 32 + 96 + 96);
    for (int height = 31; height <= 8000; height += 37) {
        int rows = height;
        for (int level = 0; level < kTrunkLevels; ++level) rows = levelOutputRows(level, rows);
        EXPECT_EQ(rows, featureMapRows(height)) << height;
    }
}

// Every block of every level: its window starts on the level's factor, holds the radius around
// the rows it keeps (or reaches the image's edge), and yields those rows.
TEST(TrunkStrips, BlockWindowsHoldTheirRowsWithTheRadius) {
    const ModelSpec spec = releasedModelSpec();
    for (int height : {31, 100, 1000, 4000, 4001, 4031, 8000}) {
        for (int stripRows : {32, 100, 1024, 0}) {
            int inputRows = height;
            for (int level = 0; level < kTrunkLevels; ++level) {
                const TrunkLevel l = trunkLevel(spec, level);
                const int outputRows = levelOutputRows(level, inputRows);
                const int block = levelBlockRows(spec, level, 6000, height, stripRows);
                ASSERT_GE(block, 1);
                for (int from = 0; from < outputRows; from += block) {
                    const int to = std::min(outputRows, from + block);
                    const RowRange w = levelInputWindow(l, from, to, inputRows);
                    EXPECT_EQ(w.begin % l.factor, 0);
                    EXPECT_TRUE(w.begin == 0 || w.begin <= from * l.factor - l.radius) << level;
                    EXPECT_TRUE(w.end == inputRows || w.end >= to * l.factor + l.radius) << level;
                    EXPECT_LE(w.end, inputRows);
                    EXPECT_GE(levelOutputRows(level, w.end - w.begin), to - w.begin / l.factor)
                        << "level " << level << " height " << height << " rows " << from << "-" << to;
                }
                inputRows = outputRows;
            }
        }
    }
}

TEST(TrunkStrips, AutomaticOnlyForLargeImagesAndWithinTheBudget) {
    const ModelSpec spec = releasedModelSpec();
    EXPECT_TRUE(trunkRunsWhole(spec, 1024, 768, 0));
    EXPECT_TRUE(trunkRunsWhole(spec, 12000, 8000, -1));
    EXPECT_FALSE(trunkRunsWhole(spec, 6000, 4000, 0));
    EXPECT_FALSE(trunkRunsWhole(spec, 12000, 8000, 0));
    EXPECT_FALSE(trunkRunsWhole(spec, 1024, 768, 64));
    for (const auto& [width, height] : {std::pair{6000, 4000}, {12000, 8000}, {4000, 3000}}) {
        // While a level runs: its own working set for its block, the input window of every
        // deeper level, and the whole feature map.
        for (int level = 0; level < kTrunkLevels; ++level) {
            const TrunkLevel l = trunkLevel(spec, level);
            const int imageRows = levelBlockRows(spec, level, width, height, 0) * l.factor * l.inputStride;
            double bytes = l.bytesPerImagePixel * imageRows * width;
            for (int deeper = level + 1; deeper < kTrunkLevels; ++deeper) {
                const TrunkLevel d = trunkLevel(spec, deeper);
                const int window = levelBlockRows(spec, deeper, width, height, 0) * d.factor + 2 * d.radius;
                bytes += d.inputBytesPerImagePixel * window * d.inputStride * width;
            }
            bytes += featureMapBytesPerImagePixel(spec) * width * double(height);
            EXPECT_LE(bytes, kTrunkMemoryBudgetBytes * 1.01) << width << "x" << height << " level " << level;
        }
    }
    // The deep levels, with the widest halos, run in taller blocks than the stem.
    EXPECT_GT(levelBlockRows(spec, 4, 6000, 4000, 0) * 32, levelBlockRows(spec, 0, 6000, 4000, 0) * 4);
}

// A batch of photos goes through the whole trunk at once: only as many as the budget holds.
TEST(TrunkStrips, PhotosPerPassFitTheBudget) {
    const ModelSpec spec = releasedModelSpec();
    EXPECT_EQ(imagesPerTrunkPass(spec, 1024, 683, 4), 4);
    EXPECT_EQ(imagesPerTrunkPass(spec, 1024, 683, 1), 1);
    EXPECT_EQ(imagesPerTrunkPass(spec, 2048, 1536, 8), 2);  // 447 MB each in 1.29 GB
    EXPECT_EQ(imagesPerTrunkPass(spec, 6000, 4000, 4), 1);  // alone, and then in blocks
    EXPECT_EQ(imagesPerTrunkPass(spec, 1024, 683, 0), 1);
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
