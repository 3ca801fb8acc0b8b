// The catalog under kill -9: real `qualiclip score` and `qualiclip cull` processes are killed
// with SIGKILL at seeded random moments; afterwards the catalog must pass PRAGMA integrity_check,
// hold every row the process had printed (a printed row is a committed row), and the next run
// must finish the rest, reporting the earlier images as cached.
#include <gtest/gtest.h>

#include <QProcess>

#include <signal.h>

#include <filesystem>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "TestSupport.h"
#include "library/Catalog.h"

namespace qc {
namespace {

using Json = nlohmann::json;

constexpr int kImages = 120;
constexpr int kKills = 4;

// Starts qualiclip, waits until it has printed `rowsBeforeKill` rows (or ends), kills it with
// SIGKILL after a further random few milliseconds, and returns every complete row it printed.
std::vector<Json> runAndKill(const QStringList& args, int rowsBeforeKill, int extraMs, bool& finished) {
    QProcess process;
    process.start(QString(QCI_BIN_DIR) + "/qualiclip", args);
    EXPECT_TRUE(process.waitForStarted());
    std::string out;
    auto complete = [&] { return static_cast<int>(std::count(out.begin(), out.end(), '\n')); };
    while (complete() < rowsBeforeKill && process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        out += process.readAllStandardOutput().toStdString();
    }
    finished = process.state() != QProcess::Running;
    if (!finished) {
        process.waitForFinished(extraMs);  // a random moment: maybe mid-image, maybe mid-commit
        if (process.state() == QProcess::Running) ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
    }
    process.waitForFinished(60000);
    out += process.readAllStandardOutput().toStdString();
    std::vector<Json> rows;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && in.good()) rows.push_back(Json::parse(line));  // a torn last line is no ack
    return rows;
}

class CatalogCrash : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string catalog = dir.file("catalog.sqlite");
    std::string images = dir.file("shoot");
    void SetUp() override {
        std::filesystem::create_directory(images);
        for (int i = 0; i < kImages; ++i) {
            cv::Mat noise(48 + i % 17, 64, CV_8UC3);
            cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
            char name[32];
            std::snprintf(name, sizeof name, "img_%04d.png", i);
            cv::imwrite(images + "/" + name, noise);
        }
    }
};

TEST_F(CatalogCrash, ScoringKilledAtRandomLosesNothingPrintedAndResumes) {
    QCI_REQUIRE_ORACLE();
    const QStringList args = {"score", "--threads", "1", "--model",
                              QString::fromStdString((test::oracleDir() / "tiny_qualiclip.pth").string()),
                              "--catalog", QString::fromStdString(catalog), QString::fromStdString(images)};
    std::mt19937 random(20240601);
    std::set<std::string> acknowledged;
    std::string sha;
    for (int kill = 0; kill < kKills; ++kill) {
        const int target = static_cast<int>(acknowledged.size()) +
                           std::uniform_int_distribution<int>(1, kImages / (2 * kKills))(random);
        bool finished = false;
        const auto rows = runAndKill(args, target, std::uniform_int_distribution<int>(0, 40)(random), finished);
        ASSERT_FALSE(finished) << "the run ended before it could be killed; use more images";
        for (const Json& row : rows) {
            acknowledged.insert(row["path"].get<std::string>());
            sha = row["model_sha256"].get<std::string>();
        }

        Catalog c(catalog);
        ASSERT_EQ(c.integrityCheck(), "ok") << "after kill " << kill;
        std::set<std::string> stored;
        for (const CatalogEntry& e : c.listFolder(images, sha, "native"))
            if (e.score) stored.insert(e.path);
        for (const std::string& path : acknowledged)
            ASSERT_TRUE(stored.count(Catalog::normalPath(path))) << path << " was printed but its score is not stored";
    }
    // The last run completes; what was printed before any kill comes from the catalog.
    bool finished = false;
    const auto rows = runAndKill(args, kImages + 1, 0, finished);
    ASSERT_TRUE(finished);
    ASSERT_EQ(static_cast<int>(rows.size()), kImages);
    size_t cached = 0;
    for (const Json& row : rows) {
        EXPECT_TRUE(row["error"].is_null()) << row.dump();
        const bool wasAcknowledged = acknowledged.count(row["path"].get<std::string>()) > 0;
        if (wasAcknowledged) {
            EXPECT_TRUE(row["cached"].get<bool>()) << row["path"];
        }
        cached += row["cached"].get<bool>() ? 1 : 0;
    }
    EXPECT_GE(cached, acknowledged.size());
    EXPECT_LT(cached, static_cast<size_t>(kImages));
    Catalog c(catalog);
    EXPECT_EQ(c.integrityCheck(), "ok");
    for (const CatalogEntry& e : c.listFolder(images, sha, "native")) EXPECT_TRUE(e.score) << e.path;
}

TEST_F(CatalogCrash, DecisionsAcknowledgedBeforeAKillArePresent) {
    std::mt19937 random(77);
    for (int round = 1; round <= kKills; ++round) {
        // Each round rates every image `round` stars; a kill leaves a prefix at the new rating.
        const QStringList args = {"cull", "--catalog", QString::fromStdString(catalog), "--stars",
                                  QString::number(round), round % 2 ? "--pick" : "--reject",
                                  QString::fromStdString(images)};
        const int target = std::uniform_int_distribution<int>(5, kImages / 2)(random);
        bool finished = false;
        const auto acked = runAndKill(args, target, std::uniform_int_distribution<int>(0, 20)(random), finished);
        ASSERT_FALSE(finished) << "the run ended before it could be killed; use more images";
        ASSERT_GE(static_cast<int>(acked.size()), target);

        Catalog c(catalog);
        ASSERT_EQ(c.integrityCheck(), "ok") << "after round " << round;
        for (const Json& row : acked) {
            const CatalogDecision d = c.decision(c.resolve(row["path"].get<std::string>()).id);
            EXPECT_EQ(d.stars, round) << row["path"];
            EXPECT_EQ(d.flag, round % 2 ? CatalogFlag::Pick : CatalogFlag::Reject) << row["path"];
        }
    }
}

}  // namespace
}  // namespace qc
