// Faults (issue #19): the real `qualiclip` on a full disk, a read-only catalog folder and a
// catalog locked by another process. A full disk is a file size limit (RLIMIT_FSIZE) set in the
// child only, with SIGXFSZ ignored, so its writes fail with EFBIG ("File too large") the way they
// fail with ENOSPC on a full disk; the test runner itself is never limited. Each case checks the
// message (the file and the problem), that nothing half-written has the final name, and that
// every acknowledged row or decision is really there.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

#include <signal.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "CliTestSupport.h"
#include "LocalHttpServer.h"
#include "ReadOnlyFolder.h"
#include "library/Catalog.h"

namespace qc {
namespace {

namespace fs = std::filesystem;
using test::RunResult;

#define EXPECT_CONTAINS(text, part) \
    EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

struct FaultRun {
    std::optional<rlim_t> fileSizeLimit;  // bytes any file of the child may reach
    QString standardOutputFile;  // stdout into this file (under the limit too) instead of a pipe
};

// Runs qualiclip with the fault set in the child between fork and exec, while this thread's event
// loop keeps serving (the download test's HTTP server lives here).
RunResult runFaulty(const QStringList& args, const QProcessEnvironment& env,
                    const FaultRun& fault) {
    test::ChildSetup child;
    child.standardOutputFile = fault.standardOutputFile;
    if (const std::optional<rlim_t> limit = fault.fileSizeLimit) {
        child.beforeExec = [limit] {
            ::signal(SIGXFSZ, SIG_IGN);  // survives exec: writes past the limit fail with EFBIG
            const rlimit r{*limit, *limit};
            ::setrlimit(RLIMIT_FSIZE, &r);
        };
    }
    return test::runQualiclipServing(args, env, child);
}

// No model or catalog from the caller's account: everything under the test's folder.
QProcessEnvironment isolatedEnvironment(const test::TempDir& dir) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"QUALICLIP_MODEL", "http_proxy", "https_proxy", "HTTP_PROXY",
                             "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        env.remove(name);
    env.insert("XDG_DATA_HOME", QString::fromStdString(dir.file("data")));
    return env;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Files in folder whose name contains part.
std::vector<std::string> filesContaining(const std::string& folder, const std::string& part) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.path().filename().string().find(part) != std::string::npos)
            found.push_back(entry.path().string());
    return found;
}

class Faults : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string shoot = dir.file("shoot");
    QProcessEnvironment env = isolatedEnvironment(dir);
    static constexpr int kImages = 40;

    void SetUp() override {
        fs::create_directory(shoot);
        for (int i = 0; i < kImages; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "shoot/img_%03d.png", i);
            test::writeNoiseImage(dir, name, 64, 48, i + 1);
        }
    }
    QStringList scoreArgs() const {
        return {"score",        "--threads", "1", "--model", test::oracleModel(),
                "--no-catalog", q(shoot)};
    }
};

TEST_F(Faults, ScoreOutputOnAFullDiskStopsNamingTheFileAndResumesLater) {
    QCI_REQUIRE_ORACLE();
    for (const char* format : {"jsonl", "csv"}) {
        SCOPED_TRACE(format);
        const std::string output = dir.file(std::string("rows.") + format);
        const RunResult full = runFaulty(
            scoreArgs() << "--format" << format << "--output" << q(output), env, {4096, {}});
        EXPECT_EQ(full.exitCode, 2) << full.err;
        EXPECT_CONTAINS(full.err, "cannot write the rows to '" + output + ".part': File too large");
        EXPECT_CONTAINS(full.err, "'" + output + "' was not written");
        EXPECT_FALSE(fs::exists(output)) << "a half-written file under the final name";
        // It stopped: far fewer rows than images reached the .part, and not one more than fits.
        EXPECT_LE(fs::file_size(output + ".part"), 4096u);
        fs::remove(output + ".part");
    }
    // JSON Lines resume: once there is room, --resume finishes the file with every image once.
    const std::string output = dir.file("resumed.jsonl");
    ASSERT_EQ(runFaulty(scoreArgs() << "--output" << q(output), env, {4096, {}}).exitCode, 2);
    const RunResult resumed =
        runFaulty(scoreArgs() << "--output" << q(output) << "--resume", env, {});
    ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
    std::set<std::string> paths;
    for (const auto& row : test::jsonLines(readFile(output)))
        paths.insert(row["path"].get<std::string>());
    EXPECT_EQ(paths.size(), size_t(kImages));
}

TEST_F(Faults, ScoreToAFullStandardOutputFailsInsteadOfReportingSuccess) {
    QCI_REQUIRE_ORACLE();
    const std::string rows = dir.file("stdout.jsonl");
    const RunResult r = runFaulty(scoreArgs(), env, {4096, q(rows)});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_CONTAINS(r.err, "cannot write the rows to standard output: File too large");
}

TEST_F(Faults, MergeOnAFullDiskLeavesNeitherTheOutputNorItsPart) {
    QCI_REQUIRE_ORACLE();
    const std::string shard = dir.file("shard.jsonl"), merged = dir.file("all.jsonl");
    ASSERT_EQ(runFaulty(scoreArgs() << "--output" << q(shard), env, {}).exitCode, 0);
    ASSERT_GT(fs::file_size(shard), 8192u);
    const RunResult r = runFaulty({"merge", "--output", q(merged), q(shard)}, env, {4096, {}});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_CONTAINS(r.err, "cannot write '" + merged + ".part': File too large; '" + merged +
                               "' was not written");
    EXPECT_FALSE(fs::exists(merged));
    EXPECT_FALSE(fs::exists(merged + ".part"));
    // With room, the same merge works: the failure was the disk, not the rows.
    EXPECT_EQ(runFaulty({"merge", "--output", q(merged), q(shard)}, env, {}).exitCode, 0);
    EXPECT_EQ(readFile(merged).size(), fs::file_size(shard));
}

TEST_F(Faults, MapExportOnAFullDiskLeavesOnlyCompleteFiles) {
    QCI_REQUIRE_ORACLE();
    const std::string maps = dir.file("maps");
    const RunResult r = runFaulty(scoreArgs() << "--map"
                                              << "dense"
                                              << "--maps-dir" << q(maps),
                                  env, {2048, {}});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_CONTAINS(r.err, ".png': File too large");
    EXPECT_CONTAINS(r.err, "qualiclip score: map for '" + shoot);
    EXPECT_TRUE(filesContaining(maps, ".partial").empty()) << "temporary files left behind";
    // Whatever has a final name is whole: every PNG decodes and every JSON sidecar parses.
    for (const std::string& png : filesContaining(maps, ".png"))
        EXPECT_FALSE(cv::imread(png).empty()) << png;
    for (const std::string& json : filesContaining(maps, ".json"))
        EXPECT_TRUE(nlohmann::json::accept(readFile(json))) << json;
    // The rows still came: the scores do not depend on the maps.
    EXPECT_EQ(test::jsonLines(r.out).size(), size_t(kImages));
}

TEST_F(Faults, CatalogOnAFullDiskKeepsEveryPrintedDecision) {
    const std::string catalog = dir.file("catalog.sqlite");
    // A catalog that exists (the schema written without a limit), then decisions under one.
    ASSERT_EQ(
        runFaulty({"cull", "--catalog", q(catalog), "--stars", "1", q(shoot + "/img_000.png")}, env,
                  {})
            .exitCode,
        0);
    const rlim_t limit = fs::file_size(catalog) + 16384;
    const RunResult r =
        runFaulty({"cull", "--catalog", q(catalog), "--pick", q(shoot)}, env, {limit, {}});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_CONTAINS(r.err, "qualiclip cull: catalog '" + catalog + "'");
    EXPECT_TRUE(r.err.find("File too large") != std::string::npos ||
                r.err.find("disk is full") != std::string::npos)
        << r.err;
    EXPECT_CONTAINS(r.err, "decisions not stored");
    const auto printed = test::jsonLines(r.out);
    EXPECT_LT(printed.size(), size_t(kImages)) << "the limit was never reached";
    // Every decision it printed is in the catalog, which is sound.
    Catalog check(catalog);
    EXPECT_EQ(check.integrityCheck(), "ok");
    for (const auto& row : printed) {
        const std::string path = row["path"].get<std::string>();
        const auto id = check.findUnchanged(path, *statFile(path));
        ASSERT_TRUE(id) << path;
        EXPECT_EQ(check.decision(*id).flag, CatalogFlag::Pick) << path;
    }
}

TEST_F(Faults, ReadOnlyCatalogFolderIsNamedAndNothingIsWritten) {
    const std::string folder = dir.file("catalogs"), catalog = folder + "/catalog.sqlite";
    ASSERT_EQ(
        runFaulty({"cull", "--catalog", q(catalog), "--stars", "2", q(shoot + "/img_000.png")}, env,
                  {})
            .exitCode,
        0);
    const std::string before = readFile(catalog);
    {
        test::ReadOnlyFolder readOnly(folder);
        if (!readOnly.ok()) GTEST_SKIP() << readOnly.why();
        const RunResult r =
            runFaulty({"cull", "--catalog", q(catalog), "--pick", q(shoot)}, env, {});
        EXPECT_EQ(r.exitCode, 2) << r.err;
        EXPECT_CONTAINS(r.err, "cannot open catalog '" + catalog + "': the folder '" + folder +
                                   "' is read-only");
        EXPECT_TRUE(r.out.empty()) << "a decision was acknowledged: " << r.out;
        // The catalog can still be read: what it holds is there, unchanged.
        Catalog readOnlyCatalog(catalog, Catalog::Access::ReadOnly);
        EXPECT_TRUE(readOnlyCatalog.readOnly());
        const std::string image = shoot + "/img_000.png";
        const auto id = readOnlyCatalog.findUnchanged(image, *statFile(image));
        ASSERT_TRUE(id);
        EXPECT_EQ(readOnlyCatalog.decision(*id).stars, 2);
        EXPECT_THROW(readOnlyCatalog.setDecision(*id, {CatalogFlag::Pick, 5, "", ""}),
                     CatalogStorageError);
    }
    EXPECT_EQ(readFile(catalog), before);
}

TEST_F(Faults, LockedCatalogIsNamedAndTheDecisionIsNotAcknowledged) {
    const std::string catalog = dir.file("catalog.sqlite"), image = shoot + "/img_001.png";
    ASSERT_EQ(
        runFaulty({"cull", "--catalog", q(catalog), "--stars", "3", q(image)}, env, {}).exitCode,
        0);
    QProcess holder;  // a real second process holding the write lock
    holder.start(QString(QCI_BIN_DIR) + "/qci-catalog-lock-holder", {q(catalog)});
    ASSERT_TRUE(holder.waitForReadyRead(30000)) << holder.readAllStandardError().toStdString();
    ASSERT_EQ(holder.readLine().trimmed(), "locked");

    const RunResult locked =
        runFaulty({"cull", "--catalog", q(catalog), "--pick", q(image)}, env, {});
    EXPECT_NE(locked.exitCode, 0);
    EXPECT_CONTAINS(locked.err, "catalog '" + catalog + "'");
    EXPECT_CONTAINS(locked.err, "database is locked (another program holds a lock on it");
    EXPECT_TRUE(locked.out.empty()) << "a decision was acknowledged: " << locked.out;

    holder.closeWriteChannel();  // the other process lets go
    ASSERT_TRUE(holder.waitForFinished(30000));
    EXPECT_EQ(holder.exitCode(), 0);
    const RunResult after =
        runFaulty({"cull", "--catalog", q(catalog), "--pick", q(image)}, env, {});
    EXPECT_EQ(after.exitCode, 0) << after.err;
    Catalog check(catalog);
    const auto id = check.findUnchanged(image, *statFile(image));
    ASSERT_TRUE(id);
    EXPECT_EQ(check.decision(*id).flag, CatalogFlag::Pick);
    EXPECT_EQ(check.decision(*id).stars, 3);
}

TEST_F(Faults, ModelDownloadOnAFullDiskInstallsNothing) {
    QCI_REQUIRE_ORACLE();
    test::ensureCoreApplication();
    test::LocalHttpServer server;
    ASSERT_TRUE(server.listening());
    QFile file(test::oracleModel());
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray model = file.readAll();
    server.route("/qualiclip.pth", [&](const test::LocalHttpServer::Request& r, int) {
        return test::LocalHttpServer::file(model, r);
    });
    const RunResult r =
        runFaulty({"models", "download", "--url", server.url(QStringLiteral("/qualiclip.pth"))},
                  env, {1 << 20, {}});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    const fs::path models = fs::path(dir.file("data")) / "qualiclip" / "models";
    EXPECT_CONTAINS(r.err, "cannot write '" + (models / "qualiclip.pth.part").string() + "'");
    EXPECT_CONTAINS(r.err, "File too large");
    EXPECT_FALSE(fs::exists(models / "qualiclip.pth"));
    EXPECT_FALSE(fs::exists(models / "installed.json"));
}

}  // namespace
}  // namespace qc
