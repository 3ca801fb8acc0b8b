// DegradationStudy: cell order and count, scores from memory equal to scoring the same pixels,
// no engine = no scores, cancel stops between cells, CSV rows.
#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "lab/DegradationStudy.h"
#include "engine/RandomCheckpoint.h"

namespace qc {
namespace {

std::shared_ptr<const QualiClipModel> smallModel() {
    static auto model = QualiClipModel::fromCheckpoint(makeRandomCheckpoint(smallModelSpec(3), 11));
    return model;
}

cv::Mat testImage() {
    cv::Mat img(72, 96, CV_8UC3);
    cv::RNG rng(5);
    rng.fill(img, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(img, img, cv::Size(0, 0), 1.5);
    return img;
}

DegradationStudyRequest request(int levels = 3) {
    return {testImage(), "test.png", {DegradationFamily::GaussianBlur, DegradationFamily::WhiteNoise}, levels, 9};
}

TEST(DegradationStudy, OriginalFirstThenFamilyByFamilyLevelByLevel) {
    ScoringEngine engine(smallModel(), {});
    std::vector<std::string> ids;
    std::vector<size_t> dones;
    const auto req = request();
    const size_t delivered = runDegradationStudy(req, &engine, [&](const StudyCell& cell, size_t done, size_t total) {
        ids.push_back(cell.id());
        dones.push_back(done);
        EXPECT_EQ(total, 7u);
        EXPECT_TRUE(cell.ok()) << cell.error;
        EXPECT_TRUE(cell.scored);
        EXPECT_TRUE(std::isfinite(cell.result.score));
        EXPECT_EQ(cell.result.pairProbabilities.size(), 3u);
        EXPECT_EQ(cell.image.size(), req.rgb.size());
        if (cell.family) {
            // docs/degradations.md: Gaussian blur sigma 0.8, 1.5, 2.5 and white-noise sigma 4, 8, 14.
            const double documented = *cell.family == DegradationFamily::GaussianBlur
                                          ? std::vector<double>{0.8, 1.5, 2.5}[cell.level - 1]
                                          : std::vector<double>{4, 8, 14}[cell.level - 1];
            EXPECT_EQ(cell.parameter, documented) << cell.id();
        }
    });
    EXPECT_EQ(delivered, 7u);
    EXPECT_EQ(studyCellCount(req), 7u);
    EXPECT_EQ(ids, (std::vector<std::string>{"original", "gaussian_blur_L1", "gaussian_blur_L2", "gaussian_blur_L3",
                                             "white_noise_L1", "white_noise_L2", "white_noise_L3"}));
    EXPECT_EQ(dones, (std::vector<size_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST(DegradationStudy, ScoresAreThoseOfTheDegradedPixels) {
    ScoringEngine engine(smallModel(), {});
    const auto req = request(2);
    runDegradationStudy(req, &engine, [&](const StudyCell& cell, size_t, size_t) {
        const cv::Mat expected = cell.family ? degrade(req.rgb, *cell.family, cell.level, req.seed) : req.rgb;
        PreparedImage prepared;
        prepared.input = expected;
        prepared.width = expected.cols;
        prepared.height = expected.rows;
        EXPECT_DOUBLE_EQ(cell.result.score, engine.score(prepared).score) << cell.id();
    });
}

TEST(DegradationStudy, WithoutAnEngineCellsAreDegradedButNotScored) {
    size_t cells = 0;
    runDegradationStudy(request(), nullptr, [&](const StudyCell& cell, size_t, size_t) {
        ++cells;
        EXPECT_FALSE(cell.scored);
        EXPECT_FALSE(cell.image.empty());
        const std::string row = studyCsvRow(cell, smallModel()->info().pairs, "x.png");
        EXPECT_NE(row.find(",x.png,,,,,\n"), std::string::npos) << row;  // score and 3 pairs empty
    });
    EXPECT_EQ(cells, 7u);
}

TEST(DegradationStudy, CancelStopsBetweenCells) {
    std::atomic<bool> cancel{false};
    size_t cells = 0;
    const size_t delivered = runDegradationStudy(request(), nullptr, [&](const StudyCell&, size_t done, size_t) {
        ++cells;
        if (done == 2) cancel = true;
    }, &cancel);
    EXPECT_EQ(delivered, 2u);
    EXPECT_EQ(cells, 2u);
}

TEST(DegradationStudy, RejectsBadRequests) {
    auto req = request();
    req.levels = 6;
    EXPECT_THROW(runDegradationStudy(req, nullptr, [](const StudyCell&, size_t, size_t) {}), std::invalid_argument);
    req.levels = 2;
    req.rgb = cv::Mat(10, 10, CV_8UC1);
    EXPECT_THROW(runDegradationStudy(req, nullptr, [](const StudyCell&, size_t, size_t) {}), std::invalid_argument);
}

TEST(DegradationStudy, SpearmanOfScoreWithLevel) {
    EXPECT_NEAR(scoreLevelSpearman({0.8, 0.7, 0.6, 0.5}), -1.0, 1e-12);
    EXPECT_NEAR(scoreLevelSpearman({0.8, 0.7, 0.75, 0.5}), -0.8, 1e-12);
    EXPECT_TRUE(std::isnan(scoreLevelSpearman({0.5})));
}

TEST(DegradationStudy, CsvRows) {
    const auto pairs = promptPairsFor(2);
    EXPECT_EQ(studyCsvHeader(pairs), "family,level,parameter,value,file,score,pair_1,pair_2,error\n");
    StudyCell original;
    EXPECT_EQ(studyCsvRow(original, pairs, "original.png"), "original,0,,,original.png,,,,\n");
    StudyCell cell;
    cell.family = DegradationFamily::Jpeg;
    cell.level = 2;
    cell.parameter = 30;  // docs/degradations.md: JPEG quality at level 2
    cell.scored = true;
    cell.result.score = 0.25;
    cell.result.pairProbabilities = {0.5, 0.125};
    EXPECT_EQ(studyCsvRow(cell, pairs, "jpeg_L2.png"), "jpeg,2,quality,30,jpeg_L2.png,0.25,0.5,0.125,\n");
}

}  // namespace
}  // namespace qc
