// Conformance with the authors' reference implementation: every number of the oracle
// (../shared/oracle, produced by the official QualiCLIP code on a tiny random-weight model in
// the official checkpoint format) must be reproduced within the oracle README's tolerances.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "Errors.h"
#include "images/ImageLoader.h"
#include "engine/QualiClipModel.h"
#include "TestSupport.h"

namespace qc {
namespace {

using Json = nlohmann::json;

const Json& expected() {
    static const Json json = [] {
        std::ifstream in(test::oracleDir() / "expected.json");
        return Json::parse(in);
    }();
    return json;
}

std::shared_ptr<const QualiClipModel> tinyModel() {
    static auto model = QualiClipModel::load((test::oracleDir() / "tiny_qualiclip.pth").string());
    return model;
}

double norm(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

template <typename A>
void expectVectorNear(const A& actual, const Json& want, double tolerance, const std::string& what) {
    ASSERT_EQ(actual.size(), want.size()) << what;
    double worst = 0;
    size_t worstAt = 0;
    for (size_t i = 0; i < actual.size(); ++i) {
        const double d = std::abs(static_cast<double>(actual[i]) - want[i].get<double>());
        if (d > worst) worst = d, worstAt = i;
    }
    EXPECT_LE(worst, tolerance) << what << " differs most at index " << worstAt;
}

std::vector<double> flatten(const Json& rows) {
    std::vector<double> flat;
    for (const Json& row : rows)
        for (const Json& v : row) flat.push_back(v.get<double>());
    return flat;
}

class Conformance : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        QCI_REQUIRE_ORACLE();
        record_ = &expected()["images"][GetParam()];
        DecodedImage image = loadImageRgb8((test::oracleDir() / (*record_)["file"].get<std::string>()).string());
        ForwardOptions options;
        options.dense = true;
        options.keepRawTokens = true;
        options.collectLayerStats = true;
        out_ = tinyModel()->run(image.rgb, options);
    }
    const Json* record_ = nullptr;
    NetworkOutput out_;
};

TEST_P(Conformance, SizesMatch) {
    EXPECT_EQ(out_.inputHeight, (*record_)["input_hw"][0].get<int>());
    EXPECT_EQ(out_.inputWidth, (*record_)["input_hw"][1].get<int>());
    EXPECT_EQ(out_.mapHeight, (*record_)["map_hw"][0].get<int>());
    EXPECT_EQ(out_.mapWidth, (*record_)["map_hw"][1].get<int>());
    EXPECT_EQ(QualiClipModel::featureMapSide(out_.inputHeight), out_.mapHeight);
    EXPECT_EQ(QualiClipModel::featureMapSide(out_.inputWidth), out_.mapWidth);
}

TEST_P(Conformance, ScoreAndPairProbabilities) {
    EXPECT_NEAR(out_.score, (*record_)["score"].get<double>(), 1e-5);
    EXPECT_NEAR(out_.score, (*record_)["score_f64"].get<double>(), 1e-5);
    expectVectorNear(out_.pairProbabilities, (*record_)["pair_probs"], 2e-5, "pair_probs");
    expectVectorNear(out_.logits, (*record_)["logits"], 5e-4, "logits");
}

TEST_P(Conformance, ImageEmbedding) {
    expectVectorNear(out_.embedding, (*record_)["image_feature"], 2e-5, "image_feature");
    const std::vector<double> raw = (*record_)["image_feature_raw"].get<std::vector<double>>();
    expectVectorNear(out_.embeddingRaw, (*record_)["image_feature_raw"], 5e-5 * norm(raw), "image_feature_raw");
}

TEST_P(Conformance, DenseMaps) {
    expectVectorNear(out_.densePairs.at(0), flatten((*record_)["token_map_pair0"]), 5e-5, "token_map_pair0");
    expectVectorNear(out_.denseMean, flatten((*record_)["token_map_mean"]), 5e-5, "token_map_mean");
}

TEST_P(Conformance, RawDenseTokens) {
    const Json& tokens = (*record_)["tokens_raw"];
    const size_t dim = tokens[0].size();
    ASSERT_EQ(out_.rawTokens.size(), tokens.size() * dim);
    for (size_t t = 0; t < tokens.size(); ++t) {
        const std::vector<double> want = tokens[t].get<std::vector<double>>();
        std::vector<float> got(out_.rawTokens.begin() + t * dim, out_.rawTokens.begin() + (t + 1) * dim);
        expectVectorNear(got, tokens[t], 5e-5 * norm(want), "tokens_raw[" + std::to_string(t) + "]");
    }
}

TEST_P(Conformance, LayerStatistics) {
    const Json& intermediates = (*record_)["intermediates"];
    ASSERT_EQ(out_.layerStats.size(), 5u);
    for (const LayerStats& s : out_.layerStats) {
        SCOPED_TRACE(s.name);
        const Json& want = intermediates[s.name];
        EXPECT_EQ(s.shapeChw, want["shape_chw"].get<std::vector<int64_t>>());
        const double scale = std::max(1.0, want["abs_max"].get<double>());
        EXPECT_NEAR(s.mean, want["mean"].get<double>(), 1e-5 * scale);
        EXPECT_NEAR(s.stdUnbiased, want["std"].get<double>(), 1e-5 * scale);
        EXPECT_NEAR(s.absMax, want["abs_max"].get<double>(), 1e-5 * scale);
        expectVectorNear(s.channelMeans, want["channel_means"], 1e-5 * scale, "channel_means");
        expectVectorNear(s.firstRowChannel0, want["first_row_ch0"], 1e-5 * scale, "first_row_ch0");
    }
}

INSTANTIATE_TEST_SUITE_P(Oracle, Conformance,
                         ::testing::Values("gradient_224x224", "checker_250x187", "noise_96x320",
                                           "noiseblur_96x320", "rings_32x32", "mixed_63x95",
                                           "flat_31x31", "scene_512x384"));

TEST(ConformanceModel, InfersTheTinyArchitecture) {
    QCI_REQUIRE_ORACLE();
    const Json& config = expected()["config"];
    const ModelSpec& spec = tinyModel()->info().spec;
    EXPECT_EQ(spec.width, config["vision_width"].get<int>());
    EXPECT_EQ(spec.outputDim, config["embed_dim"].get<int>());
    EXPECT_EQ(spec.poolHeads, config["vision_heads"].get<int>());
    EXPECT_EQ(spec.textWidth, config["transformer_width"].get<int>());
    EXPECT_EQ(spec.textLayers, config["transformer_layers"].get<int>());
    EXPECT_EQ(spec.contextLength, config["context_length"].get<int>());
    EXPECT_EQ(spec.vocabSize, config["vocab_size"].get<int>());
    const auto layers = config["vision_layers"].get<std::vector<int>>();
    for (int s = 0; s < 4; ++s) EXPECT_EQ(spec.blocks[s], layers[s]);
    EXPECT_EQ(spec.pairCount, 7);
    EXPECT_EQ(tinyModel()->info().sha256, expected()["checkpoint_sha256"].get<std::string>());
}

TEST(ConformanceModel, RefusesInputsBelowTheSmallestAdmissibleSide) {
    QCI_REQUIRE_ORACLE();
    cv::Mat tooNarrow(64, 30, CV_8UC3, cv::Scalar(10, 20, 30));
    EXPECT_THROW(tinyModel()->run(tooNarrow), ImageError);
    cv::Mat smallest(31, 31, CV_8UC3, cv::Scalar(10, 20, 30));
    NetworkOutput out = tinyModel()->run(smallest);
    EXPECT_TRUE(std::isfinite(out.score));
    EXPECT_EQ(out.mapWidth, 1);
}

}  // namespace
}  // namespace qc
