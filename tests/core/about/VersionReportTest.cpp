// VersionReport: the first line names the program and the version it is given, and the model
// line says which file is active, with its hash, or why there is none.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "about/VersionReport.h"

namespace qc {
namespace {

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string lineValue(const std::string& report, const std::string& name) {
    std::istringstream in(report);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name + ": ", 0) == 0) return line.substr(name.size() + 2);
    return "";
}

TEST(VersionReport, FirstLineIsProgramAndGivenVersion) {
    const std::string report = versionReport("qualiclip", "9.8.7 (git abc1234)", {});
    EXPECT_EQ(firstLine(report), "qualiclip 9.8.7 (git abc1234)");
}

TEST(VersionReport, GitDescribeFollowsTheProjectVersion) {
    const std::string plain = projectVersion();
    EXPECT_FALSE(plain.empty());
    EXPECT_EQ(projectVersion("v0.1.0-3-gabc1234-dirty"), plain + " (git v0.1.0-3-gabc1234-dirty)");
    EXPECT_EQ(firstLine(versionReport("qualiclip-inspector", "", {})),
              "qualiclip-inspector " + plain);
}

TEST(VersionReport, ModelLineSaysWhichFileOrWhyNone) {
    EXPECT_EQ(lineValue(versionReport("p", "1", {"/m/q.pth", "ab12", ""}), "Model"),
              "/m/q.pth, sha256 ab12");
    EXPECT_EQ(lineValue(versionReport("p", "1", {"", "", "none loaded"}), "Model"),
              "none found (none loaded)");
    EXPECT_EQ(lineValue(versionReport("p", "1", {"/m/q.pth", "", "cannot read /m/q.pth"}), "Model"),
              "/m/q.pth (cannot read /m/q.pth)");
}

TEST(VersionReport, EveryLibraryHasALine) {
    const std::string report = versionReport("p", "1", {});
    for (const char* name : {"LibTorch", "oneDNN", "BLAS", "OpenCV", "Qt", "Exiv2", "SQLite", "CPU",
                             "CPU instruction sets", "ATen kernels", "Threads", "Model"})
        EXPECT_FALSE(lineValue(report, name).empty()) << name << " missing in\n" << report;
}

}  // namespace
}  // namespace qc
