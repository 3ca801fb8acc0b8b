// TextEncoder against the official encode_text (float32) on both oracle checkpoints: the tiny one
// (1 head, 1 layer) and text_multihead_qualiclip.pth (2 heads, 3 layers), which catches head
// splitting and layer order. Also: recomputing each checkpoint's stored prompts_features.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "Errors.h"
#include "TestSupport.h"
#include "engine/Checkpoint.h"
#include "engine/ClipTokenizer.h"
#include "engine/TextEncoder.h"

namespace qc {
namespace {

nlohmann::json readJson(const std::string& name) {
    std::ifstream in(test::oracleDir() / name);
    return nlohmann::json::parse(in);
}

double maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b) {
    EXPECT_EQ(a.size(), b.size());
    double worst = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::fabs(double(a[i]) - b[i]));
    return worst;
}

double norm(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    return std::sqrt(s);
}

struct OracleCheckpoint {
    const char* checkpoint;
    const char* expected;
    int heads, layers;
};

class TextEncoderOracleTest : public ::testing::TestWithParam<OracleCheckpoint> {
protected:
    void SetUp() override {
        QCI_REQUIRE_ORACLE();
        tokenizer =
            ClipTokenizer::load((test::oracleDir() / "bpe_simple_vocab_16e6.txt.gz").string());
        checkpoint = readCheckpoint((test::oracleDir() / GetParam().checkpoint).string());
        encoder = TextEncoder::fromCheckpoint(checkpoint);
    }
    std::shared_ptr<const ClipTokenizer> tokenizer;
    Checkpoint checkpoint;
    std::shared_ptr<const TextEncoder> encoder;
};

TEST_P(TextEncoderOracleTest, SizesComeFromTheCheckpoint) {
    EXPECT_EQ(encoder->shape().heads, GetParam().heads);
    EXPECT_EQ(encoder->shape().layers, GetParam().layers);
    EXPECT_EQ(encoder->shape().contextLength, 77);
    EXPECT_EQ(encoder->shape().outputDim, 64);
}

TEST_P(TextEncoderOracleTest, FeaturesOfAllTokenizerCasesMatchTheReference) {
    const nlohmann::json expected = readJson(GetParam().expected);
    const nlohmann::json& cases = expected.at("text_encoder_cases");
    ASSERT_EQ(cases.size(), 35u);
    std::vector<std::vector<int>> tokens;
    for (const auto& c : cases)
        tokens.push_back(tokenizer->tokenize(c.at("text").get<std::string>(), true));
    const auto features = encoder->encode(tokens);
    ASSERT_EQ(features.size(), cases.size());
    // One batch holds prompts of every length, so cutting the sequence after the longest one's end
    // token must not change the shorter ones.
    double worst = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE("case " + std::to_string(i) + ": " + cases[i].at("text").get<std::string>());
        const double d =
            maxAbsDifference(features[i], cases[i].at("text_feature").get<std::vector<float>>());
        EXPECT_LE(d, 1e-5);
        worst = std::max(worst, d);
    }
    std::cout << "max |C++ - official| over 35 normalised text features: " << worst << "\n";
}

TEST_P(TextEncoderOracleTest, RawFeaturesMatchWhereTheOracleRecordsThem) {
    const nlohmann::json cases = readJson(GetParam().expected).at("text_encoder_cases");
    for (const auto& c : cases) {
        ASSERT_TRUE(c.contains("text_feature_raw"));
        const auto raw =
            encoder->encode({tokenizer->tokenize(c.at("text").get<std::string>(), true)}, false);
        const auto expected = c.at("text_feature_raw").get<std::vector<float>>();
        EXPECT_LE(maxAbsDifference(raw[0], expected), 5e-5 * norm(expected)) << c.at("text");
    }
}

TEST_P(TextEncoderOracleTest, RecomputesTheStoredPromptFeatures) {
    const nlohmann::json expected = readJson(GetParam().expected);
    std::vector<std::vector<int>> tokens;
    for (const auto& prompt : expected.at("prompts"))
        tokens.push_back(tokenizer->tokenize(prompt.get<std::string>()));
    ASSERT_EQ(tokens.size(), 14u);
    const auto features = encoder->encode(tokens);
    const CheckpointTensor& stored = checkpoint.tensors.at("prompts_features");
    ASSERT_EQ(stored.shape, (std::vector<int64_t>{14, 64}));
    double worst = 0;
    for (size_t row = 0; row < 14; ++row) {
        const std::vector<float> storedRow(stored.values.begin() + row * 64,
                                           stored.values.begin() + (row + 1) * 64);
        worst = std::max(worst, maxAbsDifference(features[row], storedRow));
    }
    EXPECT_LE(worst, 2e-6);
    std::cout << GetParam().checkpoint << ": max |recomputed - stored prompts_features| = " << worst
              << "\n";
}

TEST_P(TextEncoderOracleTest, RejectsRowsOfTheWrongLengthAndUnknownIds) {
    EXPECT_THROW(encoder->encode({{ClipTokenizer::kStartId, ClipTokenizer::kEndId}}), PromptError);
    std::vector<int> row(77, 0);
    row[0] = 60000;
    EXPECT_THROW(encoder->encode({row}), PromptError);
}

INSTANTIATE_TEST_SUITE_P(Oracle, TextEncoderOracleTest,
                         ::testing::Values(OracleCheckpoint{"tiny_qualiclip.pth", "expected.json",
                                                            1, 1},
                                           OracleCheckpoint{"text_multihead_qualiclip.pth",
                                                            "expected_text_multihead.json", 2, 3}),
                         [](const auto& testInfo) {
                             return testInfo.param.heads == 1 ? std::string("Tiny")
                                                              : std::string("Multihead");
                         });

}  // namespace
}  // namespace qc
