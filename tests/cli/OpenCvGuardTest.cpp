// OpenCV's own pixel limit is kept at the project's (250 MP) as a second guard behind the header
// checks: the programs set OPENCV_IO_MAX_IMAGE_PIXELS before OpenCV reads it at load time.
#include <gtest/gtest.h>

#include <QProcess>
#include <QProcessEnvironment>

#include <fstream>
#include <string>
#include <vector>

#include <zlib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "TestSupport.h"

namespace qc {
namespace {

std::string probe(const std::string& file, const QProcessEnvironment& env) {
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QString(QCI_BIN_DIR) + "/opencv_guard_probe", {QString::fromStdString(file)});
    EXPECT_TRUE(process.waitForFinished(60000));
    EXPECT_EQ(process.exitCode(), 0);
    return process.readAllStandardOutput().toStdString();
}

void putBe32(std::string& out, uint32_t v) {
    for (int shift : {24, 16, 8, 0}) out += static_cast<char>((v >> shift) & 0xff);
}

void putChunk(std::string& png, const std::string& type, const std::string& data) {
    putBe32(png, static_cast<uint32_t>(data.size()));
    const std::string body = type + data;
    png += body;
    putBe32(png, static_cast<uint32_t>(
                     crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
}

// A well-formed PNG header claiming width x height, then a few bytes of image data: enough for
// libpng to read the header, far too little for the pixels.
std::string pngHeaderOnly(uint32_t width, uint32_t height) {
    std::string header;
    putBe32(header, width);
    putBe32(header, height);
    header += std::string("\x08\x02\x00\x00\x00", 5);
    std::string png = "\x89PNG\r\n\x1a\n";
    putChunk(png, "IHDR", header);
    putChunk(png, "IDAT", std::string("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9));
    putChunk(png, "IEND", "");
    return png;
}

QProcessEnvironment environmentWithout(const char* name) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(name);
    return env;
}

TEST(OpenCvGuard, OpenCvRefusesWhatTheProjectsLimitRefuses) {
    test::TempDir dir;
    const std::string huge = dir.file("huge.png");  // 20000 x 20000 = 400 MP
    std::ofstream(huge, std::ios::binary) << pngHeaderOnly(20000, 20000);
    const std::string small = dir.file("small.png");
    ASSERT_TRUE(cv::imwrite(small, cv::Mat(12, 16, CV_8UC3, cv::Scalar(1, 2, 3))));

    const QProcessEnvironment unset = environmentWithout("OPENCV_IO_MAX_IMAGE_PIXELS");
    const std::string refused = probe(huge, unset);
    EXPECT_NE(refused.find("limit 250000000\n"), std::string::npos) << refused;
    EXPECT_NE(refused.find("refused: "), std::string::npos) << refused;
    EXPECT_NE(refused.find("CV_IO_MAX_IMAGE_PIXELS"), std::string::npos) << refused;
    EXPECT_EQ(probe(small, unset), "limit 250000000\ndecoded 16x12\n");

    // A value the user set is theirs: 100 pixels refuses even the small image.
    QProcessEnvironment tight = unset;
    tight.insert("OPENCV_IO_MAX_IMAGE_PIXELS", "100");
    const std::string tightOut = probe(small, tight);
    EXPECT_NE(tightOut.find("limit 100\nrefused: "), std::string::npos) << tightOut;
}

// The libraries' other load-time settings (engine/ComputeEnvironment.h): set when missing, the
// user's own values kept.
TEST(ComputeEnvironment, LibrarySettingsAreSetBeforeTheLibrariesLoadAndTheUsersAreKept) {
    QProcessEnvironment unset = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"OMP_WAIT_POLICY", "GLIBC_TUNABLES", "OPENBLAS_CORETYPE"}) unset.remove(name);
    const std::string settings = probe("--environment", unset);
    EXPECT_NE(settings.find("OMP_WAIT_POLICY=passive\n"), std::string::npos) << settings;
    EXPECT_NE(settings.find("GLIBC_TUNABLES=glibc.malloc.hugetlb=1\n"), std::string::npos) << settings;
    __builtin_cpu_init();
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    EXPECT_NE(settings.find(avx512 ? "OPENBLAS_CORETYPE=SKYLAKEX\n" : "OPENBLAS_CORETYPE=(unset)\n"),
              std::string::npos)
        << settings;

    QProcessEnvironment users = unset;
    users.insert("OMP_WAIT_POLICY", "active");
    users.insert("GLIBC_TUNABLES", "glibc.malloc.arena_max=2");
    users.insert("OPENBLAS_CORETYPE", "Haswell");
    EXPECT_EQ(probe("--environment", users),
              "OMP_WAIT_POLICY=active\nGLIBC_TUNABLES=glibc.malloc.arena_max=2\nOPENBLAS_CORETYPE=Haswell\n");
}

}  // namespace
}  // namespace qc
