// What the command line does with inputs and model paths that cannot be used: every problem is
// said, named and counted in the exit status; nothing is silently replaced or skipped.
#include <gtest/gtest.h>

#include <QProcessEnvironment>

#include <filesystem>
#include <fstream>

#include "CliTestSupport.h"

namespace qc {
namespace {

using test::jsonLines;
using test::oracleImage;
using test::oracleModel;
using test::RunResult;
using test::runQualiclip;

// An environment whose models folder holds a usable model (the conformance checkpoint).
QProcessEnvironment withInstalledModel(const test::TempDir& home) {
    std::filesystem::create_directories(home.path() / "qualiclip" / "models");
    std::filesystem::copy_file(oracleModel().toStdString(), home.path() / "qualiclip" / "models" / "qualiclip.pth");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("QUALICLIP_MODEL");
    env.insert("XDG_DATA_HOME", QString::fromStdString(home.path().string()));
    return env;
}

TEST(InputProblemsCli, EmptyFolderGivesAnErrorRowAndExitOne) {
    QCI_REQUIRE_ORACLE();
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "empty");
    std::ofstream(dir.file("empty/notes.txt")) << "not an image";
    const std::string folder = dir.file("empty");
    const RunResult r = runQualiclip({"score", "--no-catalog", "--model", oracleModel(), QString::fromStdString(folder)});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    const auto rows = jsonLines(r.out);
    ASSERT_EQ(rows.size(), 1u) << r.out;
    EXPECT_EQ(rows[0]["path"], folder);
    EXPECT_NE(rows[0]["error"].get<std::string>().find("holds no images"), std::string::npos) << rows[0].dump();
    EXPECT_NE(r.err.find(folder), std::string::npos) << r.err;
}

TEST(InputProblemsCli, MissingPathGivesAnErrorRowBesideTheScoredOnes) {
    QCI_REQUIRE_ORACLE();
    const RunResult r = runQualiclip({"score", "--no-catalog", "--model", oracleModel(), "--format", "csv",
                                      oracleImage("flat_31x31"), "/no/such/photo.jpg"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.out.find("/no/such/photo.jpg"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("no such file or folder"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("flat_31x31.png"), std::string::npos) << r.out;
}

TEST(InputProblemsCli, ModelVariableNamingAMissingFileIsNotReplacedByTheInstalledModel) {
    QCI_REQUIRE_ORACLE();
    test::TempDir home;
    QProcessEnvironment env = withInstalledModel(home);
    ASSERT_EQ(runQualiclip({"score", "--no-catalog", oracleImage("flat_31x31")}, env).exitCode, 0);
    env.insert("QUALICLIP_MODEL", "/no/such/model.pth");
    const RunResult r = runQualiclip({"score", "--no-catalog", oracleImage("flat_31x31")}, env);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("'/no/such/model.pth' (from $QUALICLIP_MODEL) does not exist"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(InputProblemsCli, ModelPathThatIsAFolderIsCalledAFolder) {
    test::TempDir dir;
    const RunResult r = runQualiclip({"score", "--no-catalog", "--model", QString::fromStdString(dir.path().string()), "x.png"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("is a folder, not a file"), std::string::npos) << r.err;
}

TEST(InputProblemsCli, SubcommandHelpNamesTheSubcommandNotTheBinaryPath) {
    for (const char* command : {"score", "correlate", "models", "cull"}) {
        const RunResult r = runQualiclip({command, "--help"});
        EXPECT_EQ(r.exitCode, 0) << command;
        EXPECT_NE(r.out.find(std::string("Usage: qualiclip ") + command), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find(QCI_BIN_DIR), std::string::npos) << r.out;
    }
}

TEST(InputProblemsCli, MapOptionsWithoutMapAreRefused) {
    for (const QStringList& extra : {QStringList{"--pair", "noise_free"}, QStringList{"--window", "64"},
                                     QStringList{"--stride", "32"}, QStringList{"--maps-dir", "/tmp/m"}}) {
        const RunResult r = runQualiclip(QStringList{"score", "--no-catalog"} + extra + QStringList{"x.png"});
        EXPECT_EQ(r.exitCode, 2) << extra.join(' ').toStdString();
        EXPECT_NE(r.err.find(extra.front().toStdString() + " needs --map"), std::string::npos) << r.err;
    }
}

// A file changed after its download: the listed SHA-256 is not shown as if still true, and verify
// compares with the recorded one.
TEST(InputProblemsCli, ModelChangedAfterItsDownloadIsNoticed) {
    QCI_REQUIRE_ORACLE();
    test::TempDir home;
    const QProcessEnvironment env = withInstalledModel(home);
    const std::filesystem::path folder = home.path() / "qualiclip" / "models";
    const auto size = std::filesystem::file_size(folder / "qualiclip.pth");
    const std::string recorded(64, 'a');
    std::ofstream(folder / "installed.json")
        << R"({"models":[{"file":"qualiclip.pth","id":"qualiclip","sha256":")" << recorded << R"(","size":)" << size
        << R"(,"url":"http://localhost/qualiclip.pth","installed_at":"2099-01-01T00:00:00Z"}]})";
    const RunResult listed = runQualiclip({"models", "list"}, env);
    EXPECT_NE(listed.out.find("sha256 " + recorded), std::string::npos) << listed.out;
    const RunResult verified = runQualiclip({"models", "verify"}, env);
    EXPECT_EQ(verified.exitCode, 1) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("differs from the one recorded at its download"), std::string::npos) << verified.out;

    std::ofstream(folder / "qualiclip.pth", std::ios::app) << "appended";
    const RunResult changed = runQualiclip({"models", "list"}, env);
    EXPECT_EQ(changed.out.find("sha256 " + recorded), std::string::npos) << changed.out;
    EXPECT_NE(changed.out.find("the file changed after its download"), std::string::npos) << changed.out;
}

}  // namespace
}  // namespace qc
