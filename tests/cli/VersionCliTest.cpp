// `qualiclip --version`: the block for bug reports names the project version, the libraries,
// the CPU, the threads and the active model with its SHA-256.
#include <QTemporaryDir>
#include <QtGlobal>

#include <sqlite3.h>
#include <opencv2/core/version.hpp>

#include <cstdio>
#include <thread>

#include "CliTestSupport.h"

namespace qc::test {
namespace {

// The oracle's README gives this hash of tiny_qualiclip.pth (computed when it was made).
constexpr const char* kTinyModelSha256 =
    "de91cdef8875625710b6504d9bc65cb55e404e6f71827f385d0110aab92913eb";

// The value of the "name: value" line, or "" when there is none.
std::string lineValue(const std::string& report, const std::string& name) {
    std::istringstream in(report);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name + ": ", 0) == 0) return line.substr(name.size() + 2);
    return "";
}

QProcessEnvironment environmentWithModel(const QString& model, const QString& dataHome) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QUALICLIP_MODEL", model);
    env.insert("XDG_DATA_HOME", dataHome);
    return env;
}

TEST(VersionCli, NamesProjectLibrariesAndActiveModel) {
    QTemporaryDir dataHome;
    const RunResult run =
        runQualiclip({"--version"}, environmentWithModel(oracleModel(), dataHome.path()));
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(run.out.rfind("qualiclip " QCI_VERSION_TEXT, 0), 0u) << run.out;
    EXPECT_EQ(lineValue(run.out, "LibTorch"), "1.13.0") << run.out;  // Debian 12's libtorch-dev
    EXPECT_EQ(lineValue(run.out, "Qt").rfind(qVersion(), 0), 0u) << run.out;
    EXPECT_EQ(lineValue(run.out, "OpenCV"), CV_VERSION) << run.out;
    EXPECT_EQ(lineValue(run.out, "SQLite"), sqlite3_libversion()) << run.out;
    EXPECT_NE(lineValue(run.out, "Exiv2").rfind("0.", 0), std::string::npos) << run.out;
    EXPECT_NE(lineValue(run.out, "BLAS").find("libblas.so.3"), std::string::npos) << run.out;
    EXPECT_FALSE(lineValue(run.out, "ATen kernels").empty()) << run.out;
    EXPECT_FALSE(lineValue(run.out, "CPU instruction sets").empty()) << run.out;
    int pool = 0, cores = 0;
    EXPECT_EQ(std::sscanf(lineValue(run.out, "Threads").c_str(), "compute pool %d, %d cores", &pool,
                          &cores),
              2)
        << run.out;
    EXPECT_GT(pool, 0);
    EXPECT_EQ(cores, static_cast<int>(std::thread::hardware_concurrency()));
    EXPECT_EQ(lineValue(run.out, "Model"),
              oracleModel().toStdString() + ", sha256 " + kTinyModelSha256)
        << run.out;
}

TEST(VersionCli, SaysWhenNoModelIsFound) {
    QTemporaryDir dataHome;
    const QString missing = dataHome.filePath("no-such-model.pth");
    const RunResult run =
        runQualiclip({"--version"}, environmentWithModel(missing, dataHome.path()));
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(lineValue(run.out, "Model").rfind("none found", 0), 0u) << run.out;
}

}  // namespace
}  // namespace qc::test
