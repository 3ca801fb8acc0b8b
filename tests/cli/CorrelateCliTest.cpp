// Runs the real `qualiclip correlate` on the oracle images with MOS files written here, and
// checks the printed figures, the report folder and the exit status.
#include <gtest/gtest.h>

#include <QProcess>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "CliTestSupport.h"
#include "research/CsvReader.h"

namespace qc {
namespace {

using CorrelateRun = test::RunResult;

// Never the user's catalog: runs that do not name one get --no-catalog.
CorrelateRun runCorrelate(QStringList args) {
    if (!args.contains("--catalog") && !args.contains("--no-catalog")) args << "--no-catalog";
    return test::runQualiclip(QStringList{"correlate"} + args);
}

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

QString images() { return QString::fromStdString((test::oracleDir() / "images").string()); }
QString model() { return test::oracleModel(); }

// KonIQ-style file with a BOM, CRLF, quoted fields and one name that has no image.
std::string writeKoniqMos(const test::TempDir& dir) {
    const std::string path = dir.file("koniq.csv");
    std::ofstream(path, std::ios::binary)
        << "\xEF\xBB\xBF\"image_name\",\"c1\",\"MOS\"\r\n"
           "\"checker_250x187.png\",1,2.1\r\n\"gradient_224x224.png\",0,3.9\r\n\"mixed_63x95.png\","
           "0,2.8\r\n"
           "\"noise_96x320.png\",2,1.5\r\n\"noiseblur_96x320.png\",1,1.9\r\n\"scene_512x384.png\","
           "0,4.2\r\n"
           "\"rings_32x32.png\",0,3.0\r\n\"flat_31x31.png\",0,3.3\r\n\"not, there.jpg\",0,4.0\r\n";
    return path;
}

TEST(CorrelateCli, PrintsFiguresListsUnmatchedAndWritesReport) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string mos = writeKoniqMos(dir);
    const QStringList args{"--mos",       QString::fromStdString(mos),
                           "--images",    images(),
                           "--preset",    "koniq",
                           "--model",     model(),
                           "--resize",    "long:64",
                           "--bootstrap", "200",
                           "--seed",      "7",
                           "--report",    QString::fromStdString(dir.file("report"))};
    const CorrelateRun r = runCorrelate(args);
    // long:64 shrinks the two 96x320 images below the network's 31 px minimum side: they fail to
    // score and are reported, and the figures come from the other six.
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("no image 'not, there.jpg'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("noise_96x320.png"), std::string::npos) << r.err;
    EXPECT_NE(
        r.out.find("n = 6 (of 9 listed: 1 without an image, 0 unusable rows, 2 failed to score)"),
        std::string::npos)
        << r.out;
    for (const char* label : {"SRCC", "KRCC", "PLCC", "RMSE", "logistic: b1", "Worst"})
        EXPECT_NE(r.out.find(label), std::string::npos) << label << "\n" << r.out;

    const std::filesystem::path report = dir.path() / "report";
    const nlohmann::json summary = nlohmann::json::parse(readText(report / "summary.json"));
    for (const char* figure : {"srcc", "krcc", "plcc", "rmse"}) {
        SCOPED_TRACE(figure);
        const nlohmann::json& f = summary.at(figure);
        const double value = f.at("value"), low = f.at("ci_low"), high = f.at("ci_high");
        EXPECT_TRUE(std::isfinite(value));
        EXPECT_LE(low, high);
    }
    EXPECT_EQ(summary.at("n"), 6);
    EXPECT_EQ(summary.at("images_failed"), 2);
    EXPECT_EQ(summary.at("names_unmatched"), 1);
    EXPECT_EQ(summary.at("resize"), "long:64");
    EXPECT_EQ(summary.at("app_version"), QCI_VERSION_TEXT);
    EXPECT_EQ(summary.at("model_sha256").get<std::string>().size(), 64U);
    EXPECT_EQ(summary.at("bootstrap").at("resamples"), 200);
    EXPECT_EQ(summary.at("bootstrap").at("seed"), 7);
    for (const char* b : {"b1", "b2", "b3", "b4"})
        EXPECT_TRUE(summary.at("logistic").contains(b)) << b;

    const std::vector<CsvRecord> rows = parseCsv(readText(report / "images.csv"));
    ASSERT_EQ(rows.size(), 9U);
    EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"name", "path", "score", "mos", "fitted",
                                                        "residual", "error"}));
    EXPECT_EQ(rows[1].fields[0], "checker_250x187.png");
    EXPECT_EQ(rows[1].fields[3], "2.1");
    EXPECT_EQ(rows[4].fields[0], "noise_96x320.png");
    EXPECT_EQ(rows[4].fields[2], "");  // no score
    EXPECT_FALSE(rows[4].fields[6].empty());
    for (size_t i = 1; i < rows.size(); ++i) {
        if (!rows[i].fields[6].empty()) continue;
        EXPECT_NEAR(std::stod(rows[i].fields[5]),
                    std::stod(rows[i].fields[3]) - std::stod(rows[i].fields[4]), 1e-8);
    }

    const std::vector<CsvRecord> failures = parseCsv(readText(report / "failures.csv"));
    ASSERT_EQ(failures.size(), 7U);  // the six scored images
    for (size_t i = 2; i < failures.size(); ++i)
        EXPECT_GE(std::abs(std::stod(failures[i - 1].fields[6])),
                  std::abs(std::stod(failures[i].fields[6])));
    for (size_t i = 1; i < failures.size(); ++i)
        EXPECT_EQ(failures[i].fields[1], std::stod(failures[i].fields[6]) < 0 ? "over" : "under");

    const std::vector<CsvRecord> unmatched = parseCsv(readText(report / "unmatched.csv"));
    ASSERT_EQ(unmatched.size(), 2U);
    EXPECT_EQ(unmatched[1].fields[0], "not, there.jpg");
    EXPECT_EQ(unmatched[1].fields[1], "10");

    // The same seed gives the same report.
    const std::string first = readText(report / "summary.json");
    EXPECT_EQ(runCorrelate(args).exitCode, 1);
    EXPECT_EQ(readText(report / "summary.json"), first);
}

// KonIQ-10k's own header is recognised without --preset; an unknown header is named.
TEST(CorrelateCli, KnownHeaderNeedsNoPreset) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const CorrelateRun r = runCorrelate({"--mos", QString::fromStdString(writeKoniqMos(dir)), "--images", images(),
                                         "--model", model(), "--resize", "long:64", "--bootstrap", "50"});
    EXPECT_EQ(r.exitCode, 1) << r.err;  // 1: the listed name without an image
    EXPECT_NE(r.out.find("SRCC"), std::string::npos) << r.out << r.err;
    const std::string odd = dir.file("odd.csv");
    std::ofstream(odd) << "file,rating\nchecker_250x187.png,2\n";
    const CorrelateRun unknown = runCorrelate({"--mos", QString::fromStdString(odd), "--images", images(), "--model", model()});
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.err.find("(file, rating) is not one of a known dataset"), std::string::npos) << unknown.err;
}

TEST(CorrelateCli, ChosenColumnsAndEveryImageMatched) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string mos = dir.file("scores.csv");
    std::ofstream(mos) << "file,rating,other\nchecker_250x187.png,20,x\ngradient_224x224.png,70,x\n"
                          "noise_96x320.png,10,x\nscene_512x384.png,80,x\nmixed_63x95.png,45,x\n";
    const CorrelateRun r =
        runCorrelate({"--mos", QString::fromStdString(mos), "--images", images(), "--name-col",
                      "file", "--mos-col", "rating", "--model", model(), "--bootstrap", "0"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("n = 5 (of 5 listed"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("bootstrap intervals"), std::string::npos) << r.out;
}

TEST(CorrelateCli, SecondRunTakesScoresFromTheCatalog) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string mos = writeKoniqMos(dir);
    const QStringList args{"--mos",     QString::fromStdString(mos), "--images", images(),
                           "--preset",  "koniq",  "--model",   model(),
                           "--resize",  "long:64", "--bootstrap", "100",
                           "--catalog", QString::fromStdString(dir.file("catalog.sqlite"))};
    const CorrelateRun first = runCorrelate(args);
    EXPECT_EQ(first.exitCode, 1) << first.err;
    // Eight images matched; the two that cannot score at long:64 are tried each time.
    EXPECT_NE(first.err.find(": 0 cached, 8 scored"), std::string::npos) << first.err;
    const CorrelateRun second = runCorrelate(args);
    EXPECT_EQ(second.exitCode, 1) << second.err;
    EXPECT_NE(second.err.find(": 6 cached, 2 scored"), std::string::npos) << second.err;
    EXPECT_EQ(second.out, first.out);

    // Another policy is another score: nothing is reused.
    QStringList native = args;
    native[native.indexOf("long:64")] = "native";
    const CorrelateRun third = runCorrelate(native);
    EXPECT_NE(third.err.find(": 0 cached, 8 scored"), std::string::npos) << third.err;
}

TEST(CorrelateCli, CatalogAndNoCatalogTogetherIsAUsageError) {
    const CorrelateRun r = runCorrelate({"--mos", "m.csv", "--images", ".", "--preset", "koniq",
                                         "--catalog", "c.sqlite", "--no-catalog"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--catalog and --no-catalog together"), std::string::npos) << r.err;
}

struct UsageCase {
    const char* name;
    QStringList args;  // MOS is appended as --mos FILE unless the case says otherwise
    const char* message;
};

class CorrelateCliUsage : public testing::TestWithParam<UsageCase> {};

TEST_P(CorrelateCliUsage, ExitsWithStatus2AndSaysWhy) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    const std::string mos = dir.file("few.csv");
    std::ofstream(mos)
        << "image_name,MOS\nchecker_250x187.png,2\ngradient_224x224.png,3\nscene_512x384.png,4\n";
    QStringList args = GetParam().args;
    args.replaceInStrings("@MOS", QString::fromStdString(mos));
    args.replaceInStrings("@IMAGES", images());
    args.replaceInStrings("@MODEL", model());
    const CorrelateRun r = runCorrelate(args);
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Arguments, CorrelateCliUsage,
    testing::Values(
        UsageCase{"no_mos", {"--images", "@IMAGES", "--preset", "koniq"}, "--mos FILE is required"},
        UsageCase{"preset_and_columns",
                  {"--mos", "@MOS", "--images", "@IMAGES", "--preset", "koniq", "--name-col", "a", "--mos-col", "b"},
                  "choose one"},
        UsageCase{"one_column", {"--mos", "@MOS", "--images", "@IMAGES", "--name-col", "image_name"}, "go together"},
        UsageCase{"unknown_preset",
                  {"--mos", "@MOS", "--images", "@IMAGES", "--preset", "live"},
                  "unknown --preset"},
        UsageCase{"missing_column",
                  {"--mos", "@MOS", "--images", "@IMAGES", "--preset", "flive"},
                  "no image-name column 'name'"},
        UsageCase{
            "bad_bootstrap",
            {"--mos", "@MOS", "--images", "@IMAGES", "--preset", "koniq", "--bootstrap", "-3"},
            "invalid --bootstrap"},
        UsageCase{
            "too_few_images",
            {"--mos", "@MOS", "--images", "@IMAGES", "--preset", "koniq", "--model", "@MODEL"},
            "at least 4"}),
    [](const testing::TestParamInfo<UsageCase>& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace qc
