// Runs the real `qualiclip degrade` and checks the files, the CSV and the exit status.
#include <gtest/gtest.h>

#include <QProcess>
#include <QProcessEnvironment>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "CliTestSupport.h"

namespace qc {
namespace {

using DegradeRun = test::RunResult;

DegradeRun runDegrade(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    return test::runQualiclip(QStringList{"degrade"} + args, env);
}

std::vector<std::vector<std::string>> readCsv(const std::filesystem::path& path) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> fields;
        std::istringstream fieldsIn(line);
        for (std::string field; std::getline(fieldsIn, field, ',');) fields.push_back(field);
        if (!line.empty() && line.back() == ',') fields.emplace_back();
        rows.push_back(fields);
    }
    return rows;
}

std::string writeTestImage(const test::TempDir& dir) {
    cv::Mat img(72, 96, CV_8UC3);
    cv::RNG rng(3);
    rng.fill(img, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(img, img, cv::Size(0, 0), 2.0);
    const std::string path = dir.file("photo.png");
    cv::imwrite(path, img);
    return path;
}

QProcessEnvironment withoutModel(const test::TempDir& home) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("QUALICLIP_MODEL");
    env.insert("XDG_DATA_HOME", QString::fromStdString(home.path().string()));
    return env;
}

TEST(DegradeCli, WritesImagesCodecFilesAndScoredCsv) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string image = writeTestImage(dir);
    const QString out = QString::fromStdString(dir.file("out"));
    const QString model = QString::fromStdString((test::oracleDir() / "tiny_qualiclip.pth").string());
    DegradeRun r = runDegrade({QString::fromStdString(image), "--families", "gaussian_blur,jpeg", "--levels", "2",
                               "--seed", "4", "--model", model, "--out", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const char* name : {"original.png", "gaussian_blur_L1.png", "gaussian_blur_L2.png", "jpeg_L1.png", "jpeg_L2.png",
                             "jpeg_L1.jpg", "jpeg_L2.jpg"})
        EXPECT_TRUE(std::filesystem::exists(dir.path() / "out" / name)) << name;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "gaussian_blur_L3.png"));
    // The PNG of a codec level is the decoded codec file.
    const cv::Mat png = cv::imread(dir.file("out/jpeg_L2.png")), jpg = cv::imread(dir.file("out/jpeg_L2.jpg"));
    EXPECT_EQ(cv::norm(png, jpg, cv::NORM_INF), 0);

    const auto rows = readCsv(dir.path() / "out" / "degradations.csv");
    ASSERT_EQ(rows.size(), 6u);  // header + original + 2 x 2
    EXPECT_EQ(rows[0][0], "family");
    EXPECT_EQ(rows[0][5], "score");
    EXPECT_EQ(rows[0].back(), "error");
    EXPECT_EQ(rows[1][0], "original");
    EXPECT_EQ(rows[4][0], "jpeg");
    EXPECT_EQ(rows[4][1], "1");
    EXPECT_EQ(rows[4][3], "60");
    for (size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
        const double score = std::stod(rows[i][5]);
        EXPECT_GT(score, 0.0);
        EXPECT_LT(score, 1.0);
        EXPECT_TRUE(rows[i].back().empty());
    }
    EXPECT_NE(r.out.find("Spearman"), std::string::npos);
}

TEST(DegradeCli, WithoutAModelWritesImagesUnscoredWithANote) {
    test::TempDir dir, home;
    const std::string image = writeTestImage(dir);
    DegradeRun r = runDegrade({QString::fromStdString(image), "--families", "white_noise", "--levels", "1", "--out",
                               QString::fromStdString(dir.file("out"))},
                              withoutModel(home));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("without scores"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "out" / "white_noise_L1.png"));
    const auto rows = readCsv(dir.path() / "out" / "degradations.csv");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"family", "level", "parameter", "value", "file", "score", "error"}));
    EXPECT_EQ(rows[2][0], "white_noise");
    EXPECT_TRUE(rows[2][5].empty());
}

TEST(DegradeCli, ListPrintsTheTableAndUsageErrorsExitTwo) {
    DegradeRun list = runDegrade({"--list"});
    EXPECT_EQ(list.exitCode, 0);
    EXPECT_NE(list.out.find("`jpeg2000`"), std::string::npos);
    EXPECT_NE(list.out.find("| 0.8 | 1.5 |"), std::string::npos);  // Gaussian blur sigmas
    EXPECT_EQ(runDegrade({"x.png", "--families", "sepia", "--out", "/tmp/never"}).exitCode, 2);
    EXPECT_EQ(runDegrade({"x.png", "--levels", "6", "--out", "/tmp/never"}).exitCode, 2);
    EXPECT_EQ(runDegrade({"x.png"}).exitCode, 2);  // no --out
    test::TempDir dir, home;
    DegradeRun missing = runDegrade({QString::fromStdString(dir.file("missing.png")), "--out", QString::fromStdString(dir.file("out"))},
                                    withoutModel(home));
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.err.find("missing.png"), std::string::npos);
}

}  // namespace
}  // namespace qc
