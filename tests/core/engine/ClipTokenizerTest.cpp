// ClipTokenizer against the official tokenizer's output (oracle tokenizer.json, 35 cases from
// clip/simple_tokenizer.py and clip.tokenize), and its errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "Errors.h"
#include "TestSupport.h"
#include "engine/ClipTokenizer.h"

namespace qc {
namespace {

std::string vocabularyPath() {
    return (test::oracleDir() / "bpe_simple_vocab_16e6.txt.gz").string();
}

nlohmann::json tokenizerCases() {
    std::ifstream in(test::oracleDir() / "tokenizer.json");
    return nlohmann::json::parse(in);
}

class ClipTokenizerOracleTest : public ::testing::Test {
protected:
    void SetUp() override {
        QCI_REQUIRE_ORACLE();
        if (!tokenizer) tokenizer = ClipTokenizer::load(vocabularyPath());
    }
    static std::shared_ptr<const ClipTokenizer> tokenizer;
};
std::shared_ptr<const ClipTokenizer> ClipTokenizerOracleTest::tokenizer;

TEST_F(ClipTokenizerOracleTest, VocabularyHasClipsSizeAndSpecialTokens) {
    EXPECT_EQ(tokenizer->vocabularySize(), 49408);
    EXPECT_EQ(tokenizer->tokenString(ClipTokenizer::kStartId), "<|startoftext|>");
    EXPECT_EQ(tokenizer->tokenString(ClipTokenizer::kEndId), "<|endoftext|>");
}

TEST_F(ClipTokenizerOracleTest, AllOracleCasesMatchExactly) {
    const nlohmann::json oracle = tokenizerCases();
    ASSERT_EQ(oracle.at("cases").size(), 35u);
    ASSERT_EQ(oracle.at("context_length").get<int>(), ClipTokenizer::kContextLength);
    for (const auto& c : oracle.at("cases")) {
        const std::string text = c.at("text").get<std::string>();
        SCOPED_TRACE("text: \"" + text + "\"");
        const std::vector<int> ids = tokenizer->encode(text);
        EXPECT_EQ(ids, c.at("bpe_ids").get<std::vector<int>>());
        std::vector<std::string> strings;
        for (int id : ids) strings.push_back(tokenizer->tokenString(id));
        EXPECT_EQ(strings, c.at("bpe_strings").get<std::vector<std::string>>());
        EXPECT_EQ(tokenizer->tokenCount(text), c.at("n_untruncated").get<int>());
        EXPECT_EQ(tokenizer->tokenize(text, true),
                  c.at("ids_truncate_true").get<std::vector<int>>());
        if (c.at("raises_without_truncate").get<bool>()) {
            EXPECT_THROW(tokenizer->tokenize(text, false), PromptError);
        } else {
            EXPECT_EQ(tokenizer->tokenize(text, false),
                      c.at("ids_truncate_true").get<std::vector<int>>());
        }
    }
}

TEST_F(ClipTokenizerOracleTest, TooLongPromptSaysHowLongItIs) {
    std::string text;
    for (int i = 0; i < 80; ++i) text += "a ";
    try {
        tokenizer->tokenize(text);
        FAIL() << "an 82-token prompt was accepted";
    } catch (const PromptError& e) {
        EXPECT_NE(std::string(e.what()).find("82 tokens"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("77"), std::string::npos) << e.what();
    }
}

TEST(ClipTokenizerTest, CleaningUnescapesTwiceCollapsesSpaceAndLowersUnicode) {
    EXPECT_EQ(cleanPromptText("  Tom &amp;amp; JERRY\t\n "), "tom & jerry");
    EXPECT_EQ(cleanPromptText("\xC3\x9C"
                              "BER"),
              "\xC3\xBC"
              "ber");  // Ü -> ü
    EXPECT_EQ(unescapeHtml("&#65;&#x42;&lt;x&gt &unknown; &"), "AB<x> &unknown; &");
    EXPECT_EQ(unescapeHtml("&#x80;"), "\xE2\x82\xAC");  // Windows-1252 rule: euro sign
}

TEST(ClipTokenizerTest, MissingVocabularyNamesTheFile) {
    try {
        ClipTokenizer::load("/nonexistent/bpe_simple_vocab_16e6.txt.gz");
        FAIL();
    } catch (const PromptError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/bpe_simple_vocab_16e6.txt.gz"),
                  std::string::npos);
    }
}

TEST(ClipTokenizerTest, TruncatedVocabularyIsRefusedWithTheLine) {
    test::TempDir dir;
    const std::string path = dir.file("short.txt");  // gzread reads plain text as is
    std::ofstream(path) << "#version: 0.2\ni n\nt h\nnot-a-merge\n";
    try {
        ClipTokenizer::load(path);
        FAIL();
    } catch (const PromptError& e) {
        EXPECT_NE(std::string(e.what()).find("line 4"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace qc
