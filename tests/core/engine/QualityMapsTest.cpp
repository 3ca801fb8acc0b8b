#include "engine/QualityMaps.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "Errors.h"
#include "images/ImageLoader.h"
#include "results/MapExport.h"
#include "engine/ScoringEngine.h"
#include "TestSupport.h"

namespace qc {
namespace {

std::shared_ptr<const QualiClipModel> tinyModel() {
    static auto model = QualiClipModel::load((test::oracleDir() / "tiny_qualiclip.pth").string());
    return model;
}

cv::Mat oracleImage(const std::string& name) {
    return loadImageRgb8((test::oracleDir() / "images" / (name + ".png")).string()).rgb;
}

const nlohmann::json& expected() {
    static const nlohmann::json json = [] {
        std::ifstream in(test::oracleDir() / "expected.json");
        return nlohmann::json::parse(in);
    }();
    return json;
}

TEST(QualityMaps, DenseCellsCoverOddSidesExactly) {
    QualityMap map;
    map.rows = 4;   // 131 px: floor(132 / 32)
    map.cols = 3;   // 95 px: 3 cells, not floor(95 / 32) = 2
    map.inputWidth = 95;
    map.inputHeight = 131;
    EXPECT_EQ(map.cellRect(0, 0), cv::Rect(0, 0, 32, 32));
    EXPECT_EQ(map.cellRect(0, 2), cv::Rect(64, 0, 31, 32));  // the last cell is 31 px wide
    EXPECT_EQ(map.cellRect(3, 1), cv::Rect(32, 96, 32, 32));
    EXPECT_EQ(QualiClipModel::featureMapSide(95), 3);
    EXPECT_EQ(QualiClipModel::featureMapSide(131), 4);
}

TEST(QualityMaps, DenseMapOfAPairMatchesTheReference) {
    QCI_REQUIRE_ORACLE();
    ForwardOptions options;
    options.dense = true;
    const NetworkOutput out = tinyModel()->run(oracleImage("mixed_63x95"), options);
    const QualityMap map = denseMap(out, 0, tinyModel()->info().pairs);
    EXPECT_EQ(map.target, "good_photo");
    const auto& want = expected()["images"]["mixed_63x95"]["token_map_pair0"];
    ASSERT_EQ(map.rows, static_cast<int>(want.size()));
    ASSERT_EQ(map.cols, static_cast<int>(want[0].size()));
    EXPECT_EQ(map.cols, 2);  // 63 px wide
    EXPECT_EQ(map.rows, 3);  // 95 px high
    for (int r = 0; r < map.rows; ++r)
        for (int c = 0; c < map.cols; ++c) EXPECT_NEAR(map.at(r, c), want[r][c].get<double>(), 5e-5);
}

TEST(QualityMaps, PatchWindowsCoverTheImageWithTheLastFlushToTheEdge) {
    const auto windows = patchWindows(512, 300, {224, 112});
    // x: 0, 112, 224 and 288 (flush right); y: 0 and 76 (flush bottom).
    ASSERT_EQ(windows.size(), 8u);
    EXPECT_EQ(windows[3], cv::Rect(288, 0, 224, 224));
    EXPECT_EQ(windows[7], cv::Rect(288, 76, 224, 224));
    const auto small = patchWindows(100, 80, {224, 112});
    ASSERT_EQ(small.size(), 1u);
    EXPECT_EQ(small[0], cv::Rect(0, 0, 100, 80));
}

TEST(QualityMaps, EachWindowIsScoredExactlyAsTheCropAlone) {
    QCI_REQUIRE_ORACLE();
    const cv::Mat image = oracleImage("scene_512x384");
    const PatchMap patches = patchMap(*tinyModel(), image, {224, 112}, -1);
    ASSERT_EQ(patches.windows.size(), 12u);  // 4 columns x 3 rows of windows
    const PatchWindow& w = patches.windows[5];
    cv::Mat crop = image(w.rect).clone();
    // Batched with other windows, so equal up to float rounding of the batched convolutions.
    EXPECT_NEAR(w.value, tinyModel()->run(crop).score, 1e-6);
    // A cell holds the mean of the windows containing its centre: cell (0, 0) only window 0.
    EXPECT_FLOAT_EQ(patches.map.at(0, 0), static_cast<float>(patches.windows[0].value));
    // Windows start at x in {0, 112, 224, 288} and y in {0, 112, 160}. Cell (1, 1), centre
    // (168, 168), lies in those with x in {0, 112} and any y: windows 0, 1, 4, 5, 8, 9.
    double sum = 0;
    for (size_t i : {0u, 1u, 4u, 5u, 8u, 9u}) sum += patches.windows[i].value;
    EXPECT_NEAR(patches.map.at(1, 1), sum / 6, 1e-6);
}

TEST(QualityMaps, BatchedRunsMatchSingleRuns) {
    QCI_REQUIRE_ORACLE();
    const cv::Mat image = oracleImage("scene_512x384");
    std::vector<cv::Mat> crops = {image(cv::Rect(0, 0, 100, 70)).clone(), image(cv::Rect(200, 150, 100, 70)).clone(),
                                  image(cv::Rect(412, 314, 100, 70)).clone()};
    ForwardOptions dense;
    dense.dense = true;
    const std::vector<NetworkOutput> batch = tinyModel()->runBatch(crops, dense);
    ASSERT_EQ(batch.size(), 3u);
    for (size_t i = 0; i < crops.size(); ++i) {
        const NetworkOutput single = tinyModel()->run(crops[i], dense);
        EXPECT_NEAR(batch[i].score, single.score, 1e-6);
        for (size_t p = 0; p < single.pairProbabilities.size(); ++p)
            EXPECT_NEAR(batch[i].pairProbabilities[p], single.pairProbabilities[p], 2e-6);
        ASSERT_EQ(batch[i].denseMean.size(), single.denseMean.size());
        for (size_t c = 0; c < single.denseMean.size(); ++c) EXPECT_NEAR(batch[i].denseMean[c], single.denseMean[c], 5e-6);
    }
    EXPECT_THROW(tinyModel()->runBatch({crops[0], image}), ImageError);
}

TEST(QualityMaps, GradCamGradientMatchesFiniteDifferences) {
    QCI_REQUIRE_ORACLE();
    const cv::Mat image = oracleImage("checker_250x187");
    for (int pair : {-1, 1}) {
        SCOPED_TRACE(pair);
        const FeatureGradient g = tinyModel()->featureGradient(image, pair);
        const double reference = pair < 0 ? expected()["images"]["checker_250x187"]["score"].get<double>()
                                          : expected()["images"]["checker_250x187"]["pair_probs"][1].get<double>();
        EXPECT_NEAR(g.target, reference, 2e-5);
        // The five largest gradient entries, each against a central difference in float64.
        std::vector<size_t> order(g.gradient.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::partial_sort(order.begin(), order.begin() + 5, order.end(),
                          [&](size_t a, size_t b) { return std::abs(g.gradient[a]) > std::abs(g.gradient[b]); });
        for (int k = 0; k < 5; ++k) {
            const size_t i = order[static_cast<size_t>(k)];
            const double h = 1e-4;
            std::vector<double> plus = g.features, minus = g.features;
            plus[i] += h;
            minus[i] -= h;
            const double numeric = (tinyModel()->headTarget(plus, g.channels, g.mapHeight, g.mapWidth, pair) -
                                    tinyModel()->headTarget(minus, g.channels, g.mapHeight, g.mapWidth, pair)) /
                                   (2 * h);
            EXPECT_NEAR(g.gradient[i], numeric, 1e-6 + 1e-4 * std::abs(numeric)) << "entry " << i;
        }
    }
}

TEST(QualityMaps, GradCamIsRectifiedAndNormalised) {
    QCI_REQUIRE_ORACLE();
    const cv::Mat image = oracleImage("scene_512x384");
    const FeatureGradient g = tinyModel()->featureGradient(image, -1);
    const QualityMap map = gradCamMap(g, image.cols, image.rows, -1, tinyModel()->info().pairs);
    EXPECT_EQ(map.rows, 12);
    EXPECT_EQ(map.cols, 16);
    float peak = 0;
    for (float v : map.values) {
        EXPECT_GE(v, 0.0f);
        peak = std::max(peak, v);
    }
    EXPECT_FLOAT_EQ(peak, 1.0f);
    // Channel weights are the mean gradients: recompute one cell independently.
    const size_t positions = static_cast<size_t>(g.mapHeight) * g.mapWidth;
    std::vector<double> cam(positions, 0.0);
    for (size_t k = 0; k < static_cast<size_t>(g.channels); ++k) {
        double alpha = 0;
        for (size_t p = 0; p < positions; ++p) alpha += g.gradient[k * positions + p] / positions;
        for (size_t p = 0; p < positions; ++p) cam[p] += alpha * g.features[k * positions + p];
    }
    double maxCam = 0;
    for (double v : cam) maxCam = v > maxCam ? v : maxCam;
    const double cell = cam.at(3 * 16 + 4);
    EXPECT_NEAR(map.at(3, 4), (cell > 0 ? cell : 0.0) / maxCam, 1e-5);
}

TEST(QualityMaps, ExportRoundTripsAndLeavesNoPartialFiles) {
    test::TempDir dir;
    QualityMap map;
    map.kind = MapKind::Patches;
    map.target = "score";
    map.rows = 2;
    map.cols = 3;
    map.values = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.625f};
    map.inputWidth = 300;
    map.inputHeight = 200;
    map.cellSize = 112;
    map.patches = {224, 112};
    cv::Mat input(200, 300, CV_8UC3, cv::Scalar(40, 80, 120));
    const std::string base = dir.file("photo.patches-score");
    writeMapFiles(base, map, input, {"/photos/photo.jpg", "abc123", "long:1024"});

    cv::Mat raw = cv::imread(base + ".tiff", cv::IMREAD_UNCHANGED);
    ASSERT_EQ(raw.type(), CV_32F);
    ASSERT_EQ(raw.rows, 2);
    ASSERT_EQ(raw.cols, 3);
    for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(raw.at<float>(i / 3, i % 3), map.values[static_cast<size_t>(i)]);

    std::ifstream csv(base + ".csv");
    std::string line;
    std::getline(csv, line);
    EXPECT_EQ(line, "0.1,0.2,0.3");

    std::ifstream sidecar(base + ".json");
    const auto json = nlohmann::json::parse(sidecar);
    EXPECT_EQ(json["map"], "patches");
    EXPECT_EQ(json["target"], "score");
    EXPECT_EQ(json["model_sha256"], "abc123");
    EXPECT_EQ(json["resize"], "long:1024");
    EXPECT_EQ(json["window"]["size"], 224);
    EXPECT_EQ(json["window"]["stride"], 112);
    EXPECT_EQ(json["image"], "/photos/photo.jpg");

    cv::Mat overlay = cv::imread(base + ".png");
    EXPECT_EQ(overlay.size(), input.size());
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        EXPECT_EQ(entry.path().string().find(".partial"), std::string::npos) << entry.path();
}

TEST(QualityMaps, EngineComputesTheRequestedMap) {
    QCI_REQUIRE_ORACLE();
    ScoringOptions options;
    options.map = MapRequest{MapKind::Dense, 3, {}};
    ScoringEngine engine(tinyModel(), options);
    const ImageResult r = engine.scoreFile((test::oracleDir() / "images" / "noise_96x320.png").string());
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_TRUE(r.map.has_value());
    EXPECT_EQ(r.map->target, "high_resolution");
    EXPECT_EQ(r.map->rows, 10);
    EXPECT_EQ(r.map->cols, 3);
    EXPECT_EQ(r.networkInput.size(), cv::Size(96, 320));
}

}  // namespace
}  // namespace qc
