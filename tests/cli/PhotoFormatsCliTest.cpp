// `qualiclip score` on camera files (issue #12): RAW sources, HEIC, RAW+JPEG pairs, the fast
// JPEG policy and the bad files photographers meet. Every file is written here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "CliTestSupport.h"
#include "PhotoFixtures.h"

namespace qc {
namespace {

using Json = nlohmann::ordered_json;
using test::jsonLines;
using test::oracleModel;
using test::runQualiclip;
using test::RunResult;

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string writeTestDng(const test::TempDir& dir, const std::string& name) {
    fixtures::DngSpec spec;
    spec.rgb = fixtures::brightDarkScene(320, 240);
    spec.orientation = 6;
    const std::string path = dir.file(name);
    fixtures::writeDng(path, spec);
    return path;
}

std::string writeTestJpeg(const test::TempDir& dir, const std::string& name, int width,
                          int height) {
    cv::Mat bgr;
    cv::cvtColor(fixtures::brightDarkScene(width, height), bgr, cv::COLOR_RGB2BGR);
    const std::string path = dir.file(name);
    cv::imwrite(path, bgr);
    return path;
}

RunResult score(const QStringList& args) {
    return runQualiclip(QStringList{"score", "--no-catalog", "--model", oracleModel()} + args);
}

TEST(PhotoFormatsCli, AllThreeRawSourcesScoreAndSayWhichTheyAre) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string dng = writeTestDng(dir, "IMG_0001.DNG");
    const std::vector<std::pair<std::string, std::string>> modes = {
        {"preview", "raw-preview"}, {"half", "raw-half"}, {"full", "raw-full"}};
    for (const auto& [mode, source] : modes) {
        RunResult r = score({"--resize", "long:96", "--raw", q(mode), q(dng)});
        ASSERT_EQ(r.exitCode, 0) << mode << ": " << r.err;
        const Json row = jsonLines(r.out).at(0);
        EXPECT_EQ(row["source"], source);
        EXPECT_EQ(row["resize"], "long:96");
        EXPECT_EQ(row["input_width"], 72) << mode;  // turned upright: 240 x 320 -> 72 x 96
        EXPECT_EQ(row["input_height"], 96) << mode;
        const double s = row["score"].get<double>();
        EXPECT_GT(s, 0.0);
        EXPECT_LT(s, 1.0);
    }
    // auto at long:96: the full-size preview covers it.
    EXPECT_EQ(jsonLines(score({"--resize", "long:96", q(dng)}).out).at(0)["source"], "raw-preview");
    // native means the full demosaic.
    EXPECT_EQ(jsonLines(score({q(dng)}).out).at(0)["source"], "raw-full");
}

TEST(PhotoFormatsCli, HeicScoresAndCsvHasTheSourceAfterResize) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    fixtures::HeifSpec spec;
    spec.rgb = fixtures::brightDarkScene(128, 96);
    const std::string heic = dir.file("IMG_0002.HEIC");
    fixtures::writeHeif(heic, spec);
    RunResult r = score({"--format", "csv", q(heic)});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::istringstream lines(r.out);
    std::string header, row;
    std::getline(lines, header);
    std::getline(lines, row);
    EXPECT_EQ(header.rfind("path,width,height,input_width,input_height,resize,source,score,", 0),
              0u)
        << header;
    EXPECT_NE(row.find(",128,96,128,96,native,heif,"), std::string::npos) << row;
}

TEST(PhotoFormatsCli, BadCameraFilesAreErrorRowsAndTheBatchGoesOn) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string good = writeTestDng(dir, "good.dng");
    const std::string truncated = dir.file("truncated.dng");
    std::filesystem::copy_file(good, truncated);
    std::filesystem::resize_file(truncated, std::filesystem::file_size(good) / 3);
    const std::string fake = dir.file("IMG_0003.CR3");
    std::ofstream(fake) << "a text file with a camera's extension\n";
    const std::string fakeHeic = dir.file("IMG_0004.heic");
    std::ofstream(fakeHeic) << "not a HEIF either\n";
    RunResult r = score({"--resize", "long:96", q(truncated), q(fake), q(fakeHeic), q(good)});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    const auto rows = jsonLines(r.out);
    ASSERT_EQ(rows.size(), 4u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(rows[i]["score"].is_null()) << i;
        EXPECT_NE(rows[i]["error"].get<std::string>().find(rows[i]["path"].get<std::string>()),
                  std::string::npos)
            << rows[i]["error"];
    }
    EXPECT_NE(rows[0]["error"].get<std::string>().find("truncated or damaged"), std::string::npos);
    EXPECT_NE(rows[1]["error"].get<std::string>().find("not a RAW file"), std::string::npos);
    EXPECT_NE(rows[2]["error"].get<std::string>().find("not an image"), std::string::npos)
        << rows[2]["error"];
    EXPECT_TRUE(rows[3]["error"].is_null());
    // A RAW without a preview under --raw preview says so; it is never developed silently.
    fixtures::DngSpec noPreview;
    noPreview.rgb = fixtures::brightDarkScene(320, 240);
    noPreview.previewLongSide = -1;
    const std::string bare = dir.file("bare.dng");
    fixtures::writeDng(bare, noPreview);
    RunResult p = score({"--raw", "preview", q(bare)});
    EXPECT_EQ(p.exitCode, 1);
    EXPECT_NE(jsonLines(p.out).at(0)["error"].get<std::string>().find("has no embedded preview"),
              std::string::npos);
}

TEST(PhotoFormatsCli, PairsScoreOneFilePerPhoto) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string raw1 = writeTestDng(dir, "IMG_0001.dng");
    const std::string jpg1 = writeTestJpeg(dir, "IMG_0001.jpg", 320, 240);
    const std::string jpg2 = writeTestJpeg(dir, "IMG_0002.jpg", 320, 240);
    const std::string raw3 = writeTestDng(dir, "IMG_0003.dng");
    auto paths = [](const RunResult& r) {
        std::vector<std::string> out;
        for (const Json& row : jsonLines(r.out)) out.push_back(row["path"].get<std::string>());
        return out;
    };
    const QString folder = q(dir.path().string());
    EXPECT_EQ(paths(score({"--resize", "long:96", folder})).size(),
              4u);  // without --pairs: every file
    EXPECT_EQ(paths(score({"--resize", "long:96", "--pairs", folder})),
              (std::vector<std::string>{jpg1, jpg2, raw3}));
    EXPECT_EQ(paths(score({"--resize", "long:96", "--pairs", "--pairs-score", "raw", folder})),
              (std::vector<std::string>{raw1, jpg2, raw3}));
    RunResult bad = runQualiclip({"score", "--pairs-score", "raw", folder});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("--pairs-score needs --pairs"), std::string::npos);
}

TEST(PhotoFormatsCli, CatalogKeepsSourcesAndFastDecodingApart) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string catalog = dir.file("catalog.sqlite");
    const std::string dng = writeTestDng(dir, "IMG_0001.dng");
    const std::string jpeg = writeTestJpeg(dir, "big.jpg", 1600, 1200);
    auto run = [&](const QStringList& args) {
        RunResult r = runQualiclip(
            QStringList{"score", "--catalog", q(catalog), "--model", oracleModel()} + args);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return jsonLines(r.out).at(0);
    };
    const Json preview = run({"--resize", "long:96", "--raw", "preview", q(dng)});
    EXPECT_FALSE(preview["cached"].get<bool>());
    const Json half = run({"--resize", "long:96", "--raw", "half", q(dng)});
    EXPECT_FALSE(half["cached"].get<bool>()) << "another source is another score";
    const Json again =
        run({"--resize", "long:96", "--raw", "auto", q(dng)});  // auto picks the preview
    EXPECT_TRUE(again["cached"].get<bool>());
    EXPECT_EQ(again["source"], "raw-preview");
    EXPECT_EQ(again["score"], preview["score"]);

    const Json exact = run({"--resize", "long:200", q(jpeg)});
    const Json fast = run({"--resize", "long:200/fast", q(jpeg)});
    EXPECT_FALSE(fast["cached"].get<bool>()) << "the fast policy is a policy of its own";
    EXPECT_EQ(fast["resize"], "long:200/fast");
    EXPECT_EQ(fast["input_width"], exact["input_width"]);
    EXPECT_TRUE(run({"--resize", "long:200", q(jpeg)})["cached"].get<bool>());
}

}  // namespace
}  // namespace qc
