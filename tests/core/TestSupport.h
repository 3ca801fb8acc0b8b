// Helpers shared by the core tests: where the conformance oracle lives, temporary folders.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "Errors.h"

namespace qc::test {

// Peak resident memory growth, in bytes, while `run` runs: the kernel's high-water mark is reset
// first (clear_refs 5), so earlier tests in this process do not count.
inline uint64_t peakResidentGrowthWhile(const std::function<void()>& run) {
    auto statusKb = [](const char* field) -> uint64_t {
        std::ifstream in("/proc/self/status");
        std::string line;
        while (std::getline(in, line))
            if (line.rfind(field, 0) == 0) return std::stoull(line.substr(std::strlen(field)));
        return 0;
    };
    std::ofstream("/proc/self/clear_refs") << "5";
    const uint64_t before = statusKb("VmRSS:");
    run();
    const uint64_t peak = statusKb("VmHWM:");
    EXPECT_GT(peak, 0u) << "/proc/self/status has no VmHWM";
    return peak > before ? (peak - before) * 1024 : 0;
}

// A memory bound: checked in the plain build; under AddressSanitizer (the checked build) resident
// memory includes its shadow and quarantine, so the figure says nothing about the code.
#ifdef QCI_SANITIZED
#define QCI_EXPECT_MEMORY_BELOW(bytes, bound) SUCCEED() << (bytes) << (bound)
#else
#define QCI_EXPECT_MEMORY_BELOW(bytes, bound) EXPECT_LT(bytes, bound) << "bytes of peak memory growth"
#endif

// The message of the ImageError that f() throws, or "<no error>".
template <class F>
std::string imageErrorOf(F f) {
    try {
        f();
    } catch (const ImageError& e) {
        return e.what();
    }
    return "<no error>";
}

inline std::filesystem::path oracleDir() { return std::filesystem::path(QCI_ORACLE_DIR); }

inline bool oracleAvailable() {
    return std::filesystem::exists(oracleDir() / "expected.json") &&
           std::filesystem::exists(oracleDir() / "tiny_qualiclip.pth");
}

// Oracle tests skip (and say why) on a machine without ../shared/oracle, but never under CI,
// where skipping would hide a broken port.
#define QCI_REQUIRE_ORACLE()                                                                   \
    do {                                                                                       \
        if (!::qc::test::oracleAvailable()) {                                                  \
            if (std::getenv("CI") != nullptr)                                                  \
                FAIL() << "conformance oracle missing under CI: " << QCI_ORACLE_DIR;           \
            GTEST_SKIP() << "conformance oracle not found at " << QCI_ORACLE_DIR               \
                         << " (set -DQCI_ORACLE_DIR=...)";                                     \
        }                                                                                      \
    } while (0)

// A fresh temporary folder removed when the test ends.
class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "qci-test-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// Writes a w x h PNG of uniform noise (the same pixels for the same seed); returns its path.
inline std::string writeNoiseImage(const TempDir& dir, const std::string& name, int w, int h, int seed) {
    cv::Mat image(h, w, CV_8UC3);
    cv::theRNG().state = static_cast<uint64_t>(seed);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    const std::string path = dir.file(name);
    cv::imwrite(path, image);
    return path;
}

}  // namespace qc::test
