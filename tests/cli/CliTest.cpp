// Runs the real `qualiclip` binary and checks its output and exit status.
#include <gtest/gtest.h>

#include <QProcess>
#include <QProcessEnvironment>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "CliTestSupport.h"

namespace qc {
namespace {

using Json = nlohmann::ordered_json;  // keeps the order the program wrote

using test::jsonLines;
using test::oracleImage;
using test::oracleModel;
using test::RunResult;
using test::runQualiclip;

const Json& expected() {
    static const Json json = [] {
        std::ifstream in(test::oracleDir() / "expected.json");
        return Json::parse(in);
    }();
    return json;
}

TEST(Cli, HelpAndVersion) {
    RunResult help = runQualiclip({"--help"});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_NE(help.out.find("score"), std::string::npos);
    RunResult version = runQualiclip({"--version"});
    EXPECT_EQ(version.exitCode, 0);
    EXPECT_NE(version.out.find("qualiclip "), std::string::npos);
    RunResult scoreHelp = runQualiclip({"score", "--help"});
    EXPECT_EQ(scoreHelp.exitCode, 0);
    EXPECT_NE(scoreHelp.out.find("--resize"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwo) {
    EXPECT_EQ(runQualiclip({"frobnicate"}).exitCode, 2);
    RunResult badResize = runQualiclip({"score", "--no-catalog", "--resize", "long:abc", "x.png"});
    EXPECT_EQ(badResize.exitCode, 2);
    EXPECT_NE(badResize.err.find("--resize"), std::string::npos);
    EXPECT_EQ(runQualiclip({"score", "--no-catalog", "--format", "xml", "x.png"}).exitCode, 2);
}

TEST(Cli, MissingModelSaysWhereItLookedAndHowToGetIt) {
    test::TempDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("QUALICLIP_MODEL");
    env.insert("XDG_DATA_HOME", QString::fromStdString(home.path().string()));
    RunResult r = runQualiclip({"score", "--no-catalog", "image.png"}, env);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(home.path().string() + "/qualiclip/models/qualiclip.pth"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("releases/download/weights/qualiclip.pth"), std::string::npos) << r.err;
}

TEST(Cli, CorruptModelExitsTwoNamingTheFile) {
    test::TempDir dir;
    const std::string bad = dir.file("broken.pth");
    std::ofstream(bad) << "this is not a checkpoint";
    RunResult r = runQualiclip({"score", "--no-catalog", "--model", QString::fromStdString(bad), "x.png"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
}

TEST(Cli, ScoresMatchTheReferenceAsJsonLines) {
    QCI_REQUIRE_ORACLE();
    const std::vector<std::string> names = {"checker_250x187", "scene_512x384", "mixed_63x95"};
    QStringList args = {"score", "--no-catalog", "--model", oracleModel()};
    for (const auto& n : names) args << oracleImage(n);
    RunResult r = runQualiclip(args);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::vector<Json> rows = jsonLines(r.out);
    ASSERT_EQ(rows.size(), names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        const Json& want = expected()["images"][names[i]];
        EXPECT_NEAR(rows[i]["score"].get<double>(), want["score"].get<double>(), 1e-5);
        EXPECT_EQ(rows[i]["width"].get<int>(), want["input_hw"][1].get<int>());
        EXPECT_EQ(rows[i]["height"].get<int>(), want["input_hw"][0].get<int>());
        EXPECT_EQ(rows[i]["resize"], "native");
        EXPECT_TRUE(rows[i]["error"].is_null());
        EXPECT_EQ(rows[i]["model_sha256"], expected()["checkpoint_sha256"]);
        ASSERT_EQ(rows[i]["pairs"].size(), 7u);
        auto pair = rows[i]["pairs"].begin();
        EXPECT_EQ(pair.key(), "good_photo");  // checkpoint order, not alphabetical
        for (size_t p = 0; p < 7; ++p, ++pair)
            EXPECT_NEAR(pair.value().get<double>(), want["pair_probs"][p].get<double>(), 2e-5);
    }
}

TEST(Cli, DenseMapMatchesTheReference) {
    QCI_REQUIRE_ORACLE();
    RunResult r = runQualiclip({"score", "--no-catalog", "--dense", "--model", oracleModel(), oracleImage("checker_250x187")});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    Json row = jsonLines(r.out).at(0);
    const Json& want = expected()["images"]["checker_250x187"]["token_map_mean"];
    EXPECT_EQ(row["map_h"].get<size_t>(), want.size());
    EXPECT_EQ(row["map_w"].get<size_t>(), want[0].size());
    for (size_t y = 0; y < want.size(); ++y)
        for (size_t x = 0; x < want[y].size(); ++x)
            EXPECT_NEAR(row["dense_map"][y][x].get<double>(), want[y][x].get<double>(), 5e-5);
}

TEST(Cli, BadFileGivesAnErrorRowAndExitOneWhileOthersScore) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string fake = dir.file("fake.png");
    std::ofstream(fake) << "not really a png";
    RunResult r = runQualiclip({"score", "--no-catalog", "--model", oracleModel(), oracleImage("scene_512x384"),
                                QString::fromStdString(fake), oracleImage("flat_31x31")});
    EXPECT_EQ(r.exitCode, 1);
    std::vector<Json> rows = jsonLines(r.out);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(rows[0]["error"].is_null());
    EXPECT_TRUE(rows[1]["score"].is_null());
    EXPECT_NE(rows[1]["error"].get<std::string>().find(fake), std::string::npos);
    EXPECT_TRUE(rows[2]["error"].is_null());
    EXPECT_NE(r.err.find(fake), std::string::npos);
}

TEST(Cli, CsvToFileWithResizePolicy) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string output = dir.file("scores.csv");
    RunResult r = runQualiclip({"score", "--no-catalog", "--model", oracleModel(), "--format", "csv", "--resize", "long:256",
                                "--output", QString::fromStdString(output), oracleImage("scene_512x384")});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_FALSE(std::filesystem::exists(output + ".part"));
    std::ifstream in(output);
    std::string header, row;
    std::getline(in, header);
    std::getline(in, row);
    EXPECT_EQ(header.rfind("path,width,height,input_width,input_height,resize,source,score,good_photo,", 0), 0u) << header;
    EXPECT_NE(row.find(",512,384,256,192,long:256,file,"), std::string::npos) << row;
}

TEST(Cli, FoldersAreScannedAndMissingPathsReported) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "sub");
    std::filesystem::copy_file(oracleImage("flat_31x31").toStdString(), dir.path() / "a.png");
    std::filesystem::copy_file(oracleImage("rings_32x32").toStdString(), dir.path() / "sub" / "b.png");
    std::ofstream(dir.file("notes.txt")) << "skipped quietly";
    RunResult flat = runQualiclip({"score", "--no-catalog", "--model", oracleModel(), QString::fromStdString(dir.path().string())});
    EXPECT_EQ(flat.exitCode, 0) << flat.err;
    EXPECT_EQ(jsonLines(flat.out).size(), 1u);
    RunResult deep = runQualiclip({"score", "--no-catalog", "--recursive", "--model", oracleModel(),
                                   QString::fromStdString(dir.path().string()), "/no/such/folder"});
    EXPECT_EQ(deep.exitCode, 1);
    const auto rows = jsonLines(deep.out);
    ASSERT_EQ(rows.size(), 3u);  // two images and the missing folder's error row
    EXPECT_EQ(rows[0]["path"], "/no/such/folder");
    EXPECT_TRUE(rows[0].contains("error"));
    EXPECT_NE(deep.err.find("/no/such/folder"), std::string::npos);
}

TEST(Cli, MapsAreWrittenWithTheirSidecar) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const QString maps = QString::fromStdString(dir.file("maps"));
    RunResult r = runQualiclip({"score", "--no-catalog", "--model", oracleModel(), "--map", "gradcam", "--pair", "noise_free",
                                "--maps-dir", maps, oracleImage("checker_250x187")});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string base = dir.file("maps/checker_250x187.gradcam-noise_free");
    for (const char* ext : {".png", ".tiff", ".csv", ".json"})
        EXPECT_TRUE(std::filesystem::exists(base + ext)) << base << ext;
    std::ifstream sidecar(base + ".json");
    const Json json = Json::parse(sidecar);
    EXPECT_EQ(json["map"], "gradcam");
    EXPECT_EQ(json["target"], "noise_free");
    EXPECT_EQ(json["rows"], 5);
    EXPECT_EQ(json["cols"], 7);
    EXPECT_EQ(json["model_sha256"], expected()["checkpoint_sha256"]);
}

TEST(Cli, MapOptionsAreChecked) {
    QCI_REQUIRE_ORACLE();
    EXPECT_EQ(runQualiclip({"score", "--no-catalog", "--model", oracleModel(), "--map", "saliency", "--maps-dir", "/tmp", "x.png"}).exitCode, 2);
    EXPECT_EQ(runQualiclip({"score", "--no-catalog", "--model", oracleModel(), "--map", "dense", "x.png"}).exitCode, 2);
    RunResult badPair = runQualiclip({"score", "--no-catalog", "--model", oracleModel(), "--map", "dense", "--pair", "nope",
                                      "--maps-dir", "/tmp/qci-maps", oracleImage("flat_31x31")});
    EXPECT_EQ(badPair.exitCode, 2);
    EXPECT_NE(badPair.err.find("nope"), std::string::npos);
}

}  // namespace
}  // namespace qc
