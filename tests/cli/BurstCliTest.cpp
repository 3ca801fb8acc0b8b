// `qualiclip group` and `qualiclip cull --best-of-bursts / --reject-below` on a generated shoot of
// bursts (tests/fixtures/ShootFixtures.h: scenes of 3-8 frames, 0.1-0.5 s apart, EXIF capture
// times written with Exiv2, 12 s between scenes), run as real processes with the tiny oracle model
// and a temporary catalog.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <opencv2/imgcodecs.hpp>

#include "CliTestSupport.h"
#include "ShootFixtures.h"
#include "library/XmpSidecar.h"

namespace qc {
namespace {

using Json = nlohmann::ordered_json;
using test::RunResult;

QString q(const std::string& s) { return QString::fromStdString(s); }

class BurstCli : public ::testing::Test {
protected:
    void SetUp() override {
        QCI_REQUIRE_ORACLE();
        fixtures::BurstShootSpec spec;
        spec.scenes = 5;
        spec.width = 200;
        spec.height = 150;
        frames = fixtures::writeBurstShoot(dir.file("shoot"), spec);
    }
    // The tiny oracle model's random 32-float embeddings are far less alike within a burst than
    // a full-size model's (docs/benchmarks.md), hence its own --similarity.
    RunResult run(const QString& command, const QStringList& extra) {
        return test::runQualiclip(QStringList{command, "--model", test::oracleModel(), "--catalog",
                                              q(catalog), "--resize", "native", "--similarity",
                                              "0.5"} +
                                  extra);
    }
    const fixtures::ShootFrame& frameOf(const std::string& path) const {
        return *std::find_if(frames.begin(), frames.end(),
                             [&](const auto& f) { return f.path == path; });
    }

    test::TempDir dir;
    std::string catalog = dir.file("catalog.sqlite");
    std::vector<fixtures::ShootFrame> frames;
};

TEST_F(BurstCli, GroupRecoversEveryBurstOfTheShoot) {
    // A scan without EXIF falls back to its modification time (now: after the 2024 shoot).
    const std::string scan = dir.file("shoot/scan.png");
    cv::imwrite(scan, fixtures::randomScene(64, 48, 3));
    const RunResult r = run("group", {q(dir.file("shoot"))});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::vector<Json> rows = test::jsonLines(r.out);
    ASSERT_EQ(rows.size(), frames.size() + 1);
    EXPECT_EQ(rows.back()["path"], scan);
    EXPECT_EQ(rows.back()["capture_time_source"], "mtime");
    EXPECT_EQ(rows.back()["burst_size"], 1);
    rows.pop_back();
    std::map<int64_t, std::set<int>> scenesOfBurst;
    std::map<int64_t, std::vector<const Json*>> members;
    for (size_t i = 0; i < rows.size(); ++i) {
        const Json& row = rows[i];
        const fixtures::ShootFrame& f = frameOf(row["path"]);
        EXPECT_EQ(row["path"], frames[i].path) << "rows are in capture order";
        EXPECT_EQ(row["position"], f.frame) << f.path;
        EXPECT_EQ(row["capture_time_source"], "exif");
        EXPECT_EQ(row["capture_time"],
                  "2024-06-01T" + f.exifDateTime.substr(11) + "." + f.exifSubSeconds + "+02:00");
        EXPECT_EQ(row["error"], "");
        scenesOfBurst[row["burst"]].insert(f.scene);
        members[row["burst"]].push_back(&row);
    }
    ASSERT_EQ(scenesOfBurst.size(), 5u) << r.out;  // and the scan's own
    for (const auto& [burst, scenes] : scenesOfBurst)
        EXPECT_EQ(scenes.size(), 1u) << "burst " << burst;
    // One best per burst: the highest score (the tiny model's scores differ within a burst).
    for (const auto& [burst, rowsOfBurst] : members) {
        EXPECT_EQ((*rowsOfBurst.front())["burst_size"], rowsOfBurst.size());
        const Json* best = *std::max_element(
            rowsOfBurst.begin(), rowsOfBurst.end(), [](const Json* a, const Json* b) {
                return (*a)["score"].get<double>() < (*b)["score"].get<double>();
            });
        for (const Json* row : rowsOfBurst)
            EXPECT_EQ((*row)["best"], row == best) << (*row)["path"];
    }
    EXPECT_NE(r.err.find("in 6 bursts"), std::string::npos) << r.err;

    // Again, now from the catalog (scores and embeddings cached, capture times stored): the same
    // rows.
    const RunResult again = run("group", {q(dir.file("shoot"))});
    ASSERT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(again.out, r.out);
}

TEST_F(BurstCli, SettingsChangeTheGroupingAndCsvHasAHeader) {
    // A gap below the shortest step between frames (0.1 s): every photo is its own burst.
    const RunResult apart =
        run("group", {"--gap", "0.05", "--format", "csv", q(dir.file("shoot"))});
    ASSERT_EQ(apart.exitCode, 0) << apart.err;
    EXPECT_EQ(apart.out.substr(0, apart.out.find('\n')),
              "path,burst,position,burst_size,best,capture_time,capture_time_source,score,error");
    EXPECT_NE(apart.err.find(" in " + std::to_string(frames.size()) + " bursts"), std::string::npos)
        << apart.err;
}

TEST_F(BurstCli, BadInputIsNamed) {
    const RunResult gap = run("group", {"--gap", "soon", q(dir.file("shoot"))});
    EXPECT_EQ(gap.exitCode, 2);
    EXPECT_NE(gap.err.find("invalid --gap 'soon'"), std::string::npos) << gap.err;
    const RunResult missing =
        run("group", {q(dir.file("shoot/IMG_0001.jpg")), q(dir.file("gone.jpg"))});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.err.find("gone.jpg"), std::string::npos) << missing.err;
    EXPECT_EQ(test::jsonLines(missing.out).size(), 1u);
}

TEST_F(BurstCli, CullBestOfBurstsCountsFirstThenPicksOneAndRejectsTheRest) {
    const RunResult dry = run("cull", {"--best-of-bursts", "--dry-run", q(dir.file("shoot"))});
    ASSERT_EQ(dry.exitCode, 0) << dry.err;
    const std::string counts =
        "best of bursts: 5 to pick, " + std::to_string(frames.size() - 5) + " to reject";
    EXPECT_NE(dry.err.find(counts), std::string::npos) << dry.err;
    EXPECT_TRUE(dry.out.empty()) << dry.out;

    const RunResult applied =
        run("cull", {"--best-of-bursts", "--xmp", "lightroom", q(dir.file("shoot"))});
    ASSERT_EQ(applied.exitCode, 0) << applied.err;
    EXPECT_NE(applied.err.find(counts), std::string::npos) << applied.err;
    EXPECT_EQ(test::jsonLines(applied.out).size(), frames.size());
    // The decisions as the plain cull command lists them, against the group command's best.
    const auto grouped = test::jsonLines(run("group", {q(dir.file("shoot"))}).out);
    const auto listed = test::jsonLines(
        test::runQualiclip({"cull", "--catalog", q(catalog), q(dir.file("shoot"))}).out);
    ASSERT_EQ(listed.size(), frames.size());
    std::map<std::string, std::string> flagOf;
    for (const Json& row : listed) flagOf[row["path"]] = row["flag"];
    for (const Json& row : grouped) {
        const std::string path = row["path"];
        EXPECT_EQ(flagOf[path], row["best"].get<bool>() ? "pick" : "reject") << path;
        const auto sidecar = readSidecar(path, SidecarNaming::ReplaceExtension);
        ASSERT_TRUE(sidecar) << path;
        EXPECT_EQ(sidecar->rating.value_or(99), row["best"].get<bool>() ? 0 : -1) << path;
    }
}

TEST_F(BurstCli, CullRejectBelowScoresFirstAndRejectsOnlyUnflaggedBelowTheThreshold) {
    // Never scored before: the rule scores the shoot through the catalog first.
    const auto grouped = test::jsonLines(run("group", {q(dir.file("shoot"))}).out);
    std::vector<double> scores;
    for (const Json& row : grouped) scores.push_back(row["score"]);
    std::sort(scores.begin(), scores.end());
    const double threshold = scores[scores.size() / 2];
    const size_t below = size_t(
        std::count_if(scores.begin(), scores.end(), [&](double s) { return s < threshold; }));
    // One photo below the threshold is picked by hand first: the rule leaves it.
    std::string picked;
    for (const Json& row : grouped)
        if (row["score"].get<double>() < threshold) picked = row["path"];
    ASSERT_EQ(test::runQualiclip({"cull", "--catalog", q(catalog), "--pick", q(picked)}).exitCode,
              0);
    const RunResult r =
        run("cull", {"--reject-below", QString::number(threshold, 'g', 17), q(dir.file("shoot"))});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("reject below: 0 to pick, " + std::to_string(below - 1) + " to reject"),
              std::string::npos)
        << r.err;
    for (const Json& row : test::jsonLines(r.out)) {
        EXPECT_EQ(row["flag"], "reject");
        EXPECT_NE(row["path"], picked);
    }
}

}  // namespace
}  // namespace qc
