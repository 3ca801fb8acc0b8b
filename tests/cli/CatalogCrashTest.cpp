// The catalog under kill -9: real `qualiclip score` and `qualiclip cull` processes kill
// themselves with SIGKILL at deterministic points (library/CrashPoints.h): with a write
// transaction open, or just after its COMMIT and before the row is printed. Afterwards the catalog
// must pass PRAGMA integrity_check, hold every row the process had printed (a printed row is a
// committed row), and the next run must finish the rest, reporting the earlier images as cached.
#include <gtest/gtest.h>

#include <QProcess>
#include <QProcessEnvironment>

#include <filesystem>
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

struct Kill {
    const char* point;  // a crash point of library/CrashPoints.h
    int hit;            // killed the hit-th time the process reaches it
};
// Mid-commit and just-committed, early and late, in turn.
constexpr Kill kScoreKills[] = {{"score-commit", 3}, {"score-committed", 9}, {"score-commit", 17}, {"score-committed", 26}};
constexpr Kill kDecisionKills[] = {{"decision-commit", 5}, {"decision-committed", 11}, {"decision-commit", 40}, {"decision-committed", 57}};

// Runs qualiclip (killing itself at `kill` unless kill.point is null) and returns every complete
// row it printed; `killed` says whether it died by a signal.
std::vector<Json> run(const QStringList& args, const Kill& kill, bool& killed) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (kill.point) env.insert("QUALICLIP_CRASH_AT", QString("%1:%2").arg(kill.point).arg(kill.hit));
    process.setProcessEnvironment(env);
    process.start(QString(QCI_BIN_DIR) + "/qualiclip", args);
    EXPECT_TRUE(process.waitForStarted());
    EXPECT_TRUE(process.waitForFinished(300000));
    killed = process.exitStatus() == QProcess::CrashExit;
    const std::string out = process.readAllStandardOutput().toStdString();
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

TEST_F(CatalogCrash, ScoringKilledAtCrashPointsLosesNothingPrintedAndResumes) {
    QCI_REQUIRE_ORACLE();
    const QStringList args = {"score", "--threads", "1", "--model",
                              QString::fromStdString((test::oracleDir() / "tiny_qualiclip.pth").string()),
                              "--catalog", QString::fromStdString(catalog), QString::fromStdString(images)};
    std::set<std::string> acknowledged;
    std::string sha;
    for (const Kill& kill : kScoreKills) {
        bool killed = false;
        const auto rows = run(args, kill, killed);
        ASSERT_TRUE(killed) << "qualiclip was not killed at " << kill.point << ":" << kill.hit;
        for (const Json& row : rows) {
            acknowledged.insert(row["path"].get<std::string>());
            sha = row["model_sha256"].get<std::string>();
        }

        Catalog c(catalog);
        ASSERT_EQ(c.integrityCheck(), "ok") << "after a kill at " << kill.point << ":" << kill.hit;
        std::set<std::string> stored;
        for (const CatalogEntry& e : c.listFolder(images, sha, "native"))
            if (e.score) stored.insert(e.path);
        for (const std::string& path : acknowledged)
            ASSERT_TRUE(stored.count(Catalog::normalPath(path))) << path << " was printed but its score is not stored";
        // Killed just after a COMMIT: that score is stored though it was never printed.
        if (std::string(kill.point) == "score-committed") EXPECT_GT(stored.size(), acknowledged.size());
    }
    // The last run completes; what was printed before any kill comes from the catalog.
    bool killed = true;
    const auto rows = run(args, Kill{nullptr, 0}, killed);
    ASSERT_FALSE(killed);
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
    int round = 0;
    for (const Kill& kill : kDecisionKills) {
        ++round;
        // Each round rates every image `round` stars; a kill leaves a prefix at the new rating.
        const QStringList args = {"cull", "--catalog", QString::fromStdString(catalog), "--stars",
                                  QString::number(round), round % 2 ? "--pick" : "--reject",
                                  QString::fromStdString(images)};
        bool killed = false;
        const auto acked = run(args, kill, killed);
        ASSERT_TRUE(killed) << "qualiclip cull was not killed at " << kill.point << ":" << kill.hit;

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
