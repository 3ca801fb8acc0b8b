#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "TestSupport.h"
#include "results/ResultMerge.h"

namespace qc {
namespace {

using test::TempDir;

const std::string kShaA = std::string(64, 'a'), kShaB = std::string(64, 'b');

std::string row(const std::string& path, const std::string& sha = kShaA,
                const std::string& extra = "") {
    return "{\"path\":\"" + path +
           "\",\"resize\":\"native\",\"score\":0.5,\"pairs\":{\"good\":0.5},\"model_sha256\":\"" +
           sha + "\",\"error\":null" + extra + "}\n";
}

std::string writeFile(const TempDir& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name), std::ios::binary) << text;
    return dir.file(name);
}

TEST(ResultMerge, MergesShardsSortedByPathAndUnchanged) {
    TempDir dir;
    const auto s0 = writeFile(dir, "s0.jsonl", row("d/c.png") + row("d/a.png"));
    const auto s1 = writeFile(dir, "s1.jsonl", row("d/b.png", kShaA, ",\"seconds\":1.25"));
    const MergeReport report =
        mergeResultFiles({s0, s1}, std::vector<std::string>{"d/a.png", "d/b.png", "d/c.png"});
    EXPECT_TRUE(report.consistent());
    EXPECT_TRUE(report.complete());
    writeMergedRows(dir.file("all.jsonl"), report);
    std::ifstream in(dir.file("all.jsonl"));
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(),
              row("d/a.png") + row("d/b.png", kShaA, ",\"seconds\":1.25") + row("d/c.png"));
}

TEST(ResultMerge, RefusesMixedModels) {
    TempDir dir;
    const auto s0 = writeFile(dir, "s0.jsonl", row("a.png") + row("b.png"));
    const auto s1 = writeFile(dir, "s1.jsonl", row("c.png", kShaB) + row("d.png", kShaB));
    const MergeReport report = mergeResultFiles({s0, s1}, std::nullopt);
    EXPECT_FALSE(report.consistent());
    ASSERT_EQ(report.conflicts.size(), 1u) << "one conflict per differing value, not per row";
    EXPECT_EQ(report.conflicts[0].field, "model_sha256");
    EXPECT_EQ(report.conflicts[0].otherValue, "\"" + kShaB + "\"");
    EXPECT_NE(report.conflicts[0].otherWhere.find("s1.jsonl line 1"), std::string::npos);
}

TEST(ResultMerge, ChecksLaterFieldsWhereRowsHaveThem) {
    TempDir dir;
    // Rows without the field agree with any; rows with it must agree with each other.
    const auto s0 = writeFile(dir, "s0.jsonl",
                              row("a.png") + row("b.png", kShaA, ",\"prompt_set\":\"qualiclip\""));
    const auto s1 =
        writeFile(dir, "s1.jsonl", row("c.png", kShaA, ",\"prompt_set\":\"custom:1234\""));
    const MergeReport report = mergeResultFiles({s0, s1}, std::nullopt);
    ASSERT_EQ(report.conflicts.size(), 1u);
    EXPECT_EQ(report.conflicts[0].field, "prompt_set");
    const auto s2 = writeFile(dir, "s2.jsonl", row("d.png", kShaA, ",\"precision\":\"float32\""));
    EXPECT_TRUE(mergeResultFiles({s0, s2}, std::nullopt).consistent());
}

TEST(ResultMerge, ReportsDuplicatedMissingAndUnexpectedImages) {
    TempDir dir;
    const auto s0 = writeFile(dir, "s0.jsonl", row("d/a.png") + row("d/x.png"));
    const auto s1 = writeFile(dir, "s1.jsonl", row("d/./a.png") + "{\"path\":\"d/q.png\",\"sc");
    const MergeReport report =
        mergeResultFiles({s0, s1}, std::vector<std::string>{"d/a.png", "d/b.png"});
    EXPECT_TRUE(report.consistent());
    EXPECT_FALSE(report.complete());
    ASSERT_EQ(report.duplicates.size(), 1u);
    EXPECT_NE(report.duplicates[0].droppedWhere.find("s1.jsonl line 1"), std::string::npos);
    EXPECT_EQ(report.missing, std::vector<std::string>{"d/b.png"});
    EXPECT_EQ(report.unexpected, std::vector<std::string>{"d/x.png"});
    EXPECT_EQ(report.truncatedFiles, std::vector<std::string>{s1});
    EXPECT_EQ(report.rows.size(), 2u);
}

}  // namespace
}  // namespace qc
