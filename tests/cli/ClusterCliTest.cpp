// Cluster runs from the command line, as real processes: `score --shard/--resume`, `merge`,
// `slurm --dry-run`, `catalog import` and `correlate --scores` (issue #16). The Slurm cluster
// itself is tests/cluster/slurm_test.sh. Every run names a temporary catalog or --no-catalog.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "CliTestSupport.h"

namespace qc {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using test::RunResult;

QString q(const std::string& s) { return QString::fromStdString(s); }
QString images() { return q((test::oracleDir() / "images").string()); }

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<Json> rowsOf(const std::string& path) { return test::jsonLines(readText(path)); }

RunResult score(const QStringList& extra) {
    return test::runQualiclip(
        QStringList{"score", "--model", test::oracleModel(), "--no-catalog", "--threads", "1"} +
        extra);
}

class ClusterCli : public ::testing::Test {
protected:
    test::TempDir dir;
    // The oracle's eight images scored by one process: what every cluster path must reproduce.
    std::string singleRun() {
        const std::string path = dir.file("single.jsonl");
        if (!fs::exists(path)) {
            const RunResult r = score({"--output", q(path), images()});
            EXPECT_EQ(r.exitCode, 0) << r.err;
        }
        return path;
    }
};

std::map<std::string, double> scoresByPath(const std::vector<Json>& rows) {
    std::map<std::string, double> scores;
    for (const Json& row : rows)
        scores[row["path"].get<std::string>()] = row["score"].get<double>();
    return scores;
}

TEST_F(ClusterCli, ShardsPartitionTheImagesAndTheirMergeEqualsOneRun) {
    QCI_REQUIRE_ORACLE();
    const auto single = rowsOf(singleRun());
    ASSERT_EQ(single.size(), 8u);
    std::set<std::string> seen;
    QStringList shards;
    for (int i = 0; i < 3; ++i) {
        const std::string out = dir.file("shard-" + std::to_string(i) + ".jsonl");
        const RunResult r =
            score({"--shard", q(std::to_string(i) + "/3"), "--output", q(out), images()});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        for (const Json& row : rowsOf(out))
            EXPECT_TRUE(seen.insert(row["path"]).second) << row["path"] << " twice";
        shards << q(out);
    }
    EXPECT_EQ(seen.size(), 8u) << "the three shards together are every image, once";

    const std::string all = dir.file("all.jsonl");
    const RunResult merged =
        test::runQualiclip(QStringList{"merge", "--output", q(all), "--expect", images()} + shards);
    ASSERT_EQ(merged.exitCode, 0) << merged.err;
    const auto rows = rowsOf(all);
    ASSERT_EQ(rows.size(), 8u);
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(),
                               [](const Json& a, const Json& b) { return a["path"] < b["path"]; }));
    const auto expected = scoresByPath(single), actual = scoresByPath(rows);
    ASSERT_EQ(actual.size(), expected.size());
    for (const auto& [path, value] : expected) {
        ASSERT_EQ(actual.count(path), 1u) << path;
        EXPECT_NEAR(actual.at(path), value, 1e-6) << path;
    }
}

TEST_F(ClusterCli, ResumeAfterAKilledRunRepairsTheCutLineAndScoresOnlyTheRest) {
    QCI_REQUIRE_ORACLE();
    const std::string single = readText(singleRun());
    // A run killed while writing its fourth row: three whole rows and half of the fourth.
    std::vector<std::string> lines;
    std::istringstream in(single);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    ASSERT_EQ(lines.size(), 8u);
    const std::string out = dir.file("out.jsonl");
    const std::string kept = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n";
    std::ofstream(out + ".part", std::ios::binary)
        << kept << lines[3].substr(0, lines[3].size() / 2);

    const RunResult r = score({"--resume", "--output", q(out), images()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(fs::exists(out + ".part"));
    const std::string text = readText(out);
    EXPECT_EQ(text.substr(0, kept.size()), kept) << "the rows already written stay as they were";
    const auto rows = test::jsonLines(text);
    ASSERT_EQ(rows.size(), 8u) << text;
    const auto expected = scoresByPath(rowsOf(singleRun())), actual = scoresByPath(rows);
    EXPECT_EQ(actual.size(), 8u) << "no path twice";
    for (const auto& [path, value] : expected) EXPECT_NEAR(actual.at(path), value, 1e-6) << path;

    // Resuming a finished file scores nothing and changes nothing.
    const RunResult again = score({"--resume", "--output", q(out), images()});
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(readText(out), text);
}

TEST_F(ClusterCli, ResumeRefusesRowsOfAnotherModel) {
    QCI_REQUIRE_ORACLE();
    const std::string out = dir.file("out.jsonl");
    std::ofstream(out)
        << "{\"path\":\"x.png\",\"resize\":\"native\",\"score\":0.5,\"model_sha256\":\""
        << std::string(64, 'f') << "\"}\n";
    const RunResult r = score({"--resume", "--output", q(out), images()});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("out.jsonl' line 1: made with model ffff"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(out));
    const RunResult noOutput = score({"--resume", images()});
    EXPECT_EQ(noOutput.exitCode, 2);
    EXPECT_NE(noOutput.err.find("--resume needs --output FILE"), std::string::npos) << noOutput.err;
    const RunResult badShard = score({"--shard", "4/4", images()});
    EXPECT_EQ(badShard.exitCode, 2);
    EXPECT_NE(badShard.err.find("invalid --shard '4/4'"), std::string::npos) << badShard.err;
}

TEST_F(ClusterCli, MergeRefusesMixedModelsAndWritesNothing) {
    QCI_REQUIRE_ORACLE();
    const std::string a = dir.file("a.jsonl"), b = dir.file("b.jsonl"), all = dir.file("all.jsonl");
    ASSERT_EQ(score({"--shard", "0/2", "--output", q(a), images()}).exitCode, 0);
    const RunResult other = test::runQualiclip(
        {"score", "--model", q((test::oracleDir() / "text_multihead_qualiclip.pth").string()),
         "--no-catalog", "--shard", "1/2", "--output", q(b), images()});
    ASSERT_EQ(other.exitCode, 0) << other.err;
    const RunResult merged = test::runQualiclip({"merge", "--output", q(all), q(a), q(b)});
    EXPECT_EQ(merged.exitCode, 1);
    EXPECT_NE(merged.err.find("model_sha256: \"de91cdef"), std::string::npos) << merged.err;
    EXPECT_NE(merged.err.find("nothing written"), std::string::npos) << merged.err;
    EXPECT_FALSE(fs::exists(all));
}

TEST_F(ClusterCli, MergeReportsMissingImagesAndUnfinishedShards) {
    QCI_REQUIRE_ORACLE();
    const std::string a = dir.file("a.jsonl"), all = dir.file("all.jsonl");
    ASSERT_EQ(score({"--shard", "0/2", "--output", q(a), images()}).exitCode, 0);
    const size_t inShard = rowsOf(a).size();
    ASSERT_GT(inShard, 0u);
    ASSERT_LT(inShard, 8u);
    const RunResult merged =
        test::runQualiclip({"merge", "--output", q(all), "--expect", images(), q(a)});
    EXPECT_EQ(merged.exitCode, 1);
    EXPECT_NE(merged.err.find(std::to_string(8 - inShard) + " expected images without a row"),
              std::string::npos)
        << merged.err;
    EXPECT_FALSE(fs::exists(all));

    std::ofstream(dir.file("b.jsonl.part")) << "";
    const RunResult unfinished =
        test::runQualiclip({"merge", "--output", q(all), q(a), q(dir.file("b.jsonl"))});
    EXPECT_EQ(unfinished.exitCode, 1);
    EXPECT_NE(unfinished.err.find("that shard did not finish; run it again with --resume"),
              std::string::npos)
        << unfinished.err;
}

TEST_F(ClusterCli, ImportedScoresAreWhatTheCatalogAnswersWith) {
    QCI_REQUIRE_ORACLE();
    const std::string catalog = dir.file("catalog.sqlite");
    const RunResult imported =
        test::runQualiclip({"catalog", "import", "--catalog", q(catalog), q(singleRun())});
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    EXPECT_NE(imported.out.find("stored 8 scores"), std::string::npos) << imported.out;
    // Scoring with that catalog now scores nothing: every row comes from the import.
    const RunResult cached = test::runQualiclip(
        {"score", "--model", test::oracleModel(), "--catalog", q(catalog), images()});
    ASSERT_EQ(cached.exitCode, 0) << cached.err;
    const auto rows = test::jsonLines(cached.out);
    ASSERT_EQ(rows.size(), 8u);
    const auto expected = scoresByPath(rowsOf(singleRun()));
    for (const Json& row : rows) {
        EXPECT_TRUE(row["cached"].get<bool>()) << row["path"];
        EXPECT_NEAR(row["score"].get<double>(), expected.at(row["path"]), 1e-6);
    }
}

TEST_F(ClusterCli, CatalogImportNamesRowsWhoseImageIsNotHereAndRewritesPrefixes) {
    QCI_REQUIRE_ORACLE();
    const std::string rows = dir.file("rows.jsonl");
    std::ofstream(rows)
        << "{\"path\":\"/no/such/dir/a.png\",\"resize\":\"native\",\"score\":0.5,\"pairs\":{},"
           "\"model_sha256\":\"abc\"}\n";
    const RunResult r =
        test::runQualiclip({"catalog", "import", "--catalog", q(dir.file("c.sqlite")), q(rows)});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("/no/such/dir/a.png"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("stored 0 scores"), std::string::npos) << r.out;
    // Where the cluster saw the data set elsewhere: the prefix is rewritten before the lookup.
    const std::string moved = dir.file("moved.jsonl");
    std::ofstream(moved)
        << "{\"path\":\"/cluster/data/flat_31x31.png\",\"resize\":\"native\",\"score\":0.5,"
           "\"pairs\":{},\"model_sha256\":\"abc\"}\n";
    const RunResult rewritten =
        test::runQualiclip({"catalog", "import", "--catalog", q(dir.file("c.sqlite")),
                            "--replace-prefix", "/cluster/data=" + images(), q(moved)});
    EXPECT_EQ(rewritten.exitCode, 0) << rewritten.err;
    EXPECT_NE(rewritten.out.find("stored 1 scores"), std::string::npos) << rewritten.out;
    const RunResult bad = test::runQualiclip({"catalog", "export", q(rows)});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("unknown action 'export'"), std::string::npos) << bad.err;
}

TEST_F(ClusterCli, CorrelateFromScoresMatchesCorrelateWithTheModel) {
    QCI_REQUIRE_ORACLE();
    const std::string mos = dir.file("mos.csv");
    std::ofstream(mos)
        << "file,rating\nchecker_250x187.png,20\ngradient_224x224.png,70\nnoise_96x320.png,10\n"
           "scene_512x384.png,80\nmixed_63x95.png,45\nrings_32x32.png,30\n";
    const QStringList common{"correlate",  "--mos",     q(mos),      "--images", images(),
                             "--name-col", "file",      "--mos-col", "rating",   "--bootstrap",
                             "0",          "--threads", "1"};
    const RunResult withModel =
        test::runQualiclip(common + QStringList{"--model", test::oracleModel(), "--no-catalog"});
    ASSERT_EQ(withModel.exitCode, 0) << withModel.err;
    const RunResult fromScores =
        test::runQualiclip(common + QStringList{"--scores", q(singleRun())});
    ASSERT_EQ(fromScores.exitCode, 0) << fromScores.err;
    EXPECT_NE(fromScores.out.find("n = 6 (of 6 listed"), std::string::npos) << fromScores.out;
    EXPECT_EQ(fromScores.out, withModel.out);
    const RunResult both =
        test::runQualiclip(common + QStringList{"--scores", q(singleRun()), "--model", "m.pth"});
    EXPECT_EQ(both.exitCode, 2);
    EXPECT_NE(both.err.find("--model does not apply"), std::string::npos) << both.err;
}

TEST_F(ClusterCli, SlurmDryRunWritesAnArrayAndADependentMerge) {
    const std::string jobs = dir.file("jobs");
    const RunResult r = test::runQualiclip({"slurm",
                                            "--shards",
                                            "4",
                                            "--cpus",
                                            "2",
                                            "--partition",
                                            "short",
                                            "--time",
                                            "01:00:00",
                                            "--job-dir",
                                            q(jobs),
                                            "--dry-run",
                                            "--",
                                            "score",
                                            "--model",
                                            "m.pth",
                                            "--recursive",
                                            "--output",
                                            q(dir.file("all.jsonl")),
                                            "data set"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string array = readText(jobs + "/score-array.sbatch");
    EXPECT_NE(array.find("#SBATCH --array=0-3\n"), std::string::npos) << array;
    EXPECT_NE(array.find("#SBATCH --cpus-per-task=2\n"), std::string::npos);
    EXPECT_NE(array.find("#SBATCH --partition=short\n"), std::string::npos);
    EXPECT_NE(array.find("#SBATCH --time=01:00:00\n"), std::string::npos);
    EXPECT_NE(array.find("score --shard \"$i/4\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" --resume"),
              std::string::npos)
        << array;
    EXPECT_NE(
        array.find("/shard-\"$i\".jsonl '--model' 'm.pth' '--recursive' 'data set' '--no-catalog'"),
        std::string::npos)
        << array;
    const std::string merge = readText(jobs + "/merge.sbatch");
    EXPECT_NE(merge.find("merge --output '" + dir.file("all.jsonl") + "' --recursive"),
              std::string::npos)
        << merge;
    EXPECT_NE(merge.find("--expect 'data set'"), std::string::npos) << merge;
    EXPECT_NE(merge.find("'" + jobs + "/shard-3.jsonl'"), std::string::npos) << merge;
    EXPECT_NE(r.out.find("sbatch --dependency=afterok:$id"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::is_directory(jobs + "/logs"));
}

TEST_F(ClusterCli, SlurmRefusesTheCatalogAndArgumentsItSetsItself) {
    const auto refused = [&](const QStringList& scoreArgs, const std::string& why) {
        const RunResult r = test::runQualiclip(QStringList{"slurm", "--shards", "2", "--job-dir",
                                                           q(dir.file("j")), "--dry-run", "--"} +
                                               scoreArgs);
        EXPECT_EQ(r.exitCode, 2) << scoreArgs.join(' ').toStdString();
        EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
    };
    refused({"score", "--catalog", "c.sqlite", "--output", "a.jsonl", "x"},
            "SQLite's WAL does not work over NFS");
    refused({"score", "--shard", "0/2", "--output", "a.jsonl", "x"},
            "'--shard' is set by qualiclip slurm");
    refused({"score", "x"}, "need --output ALL.jsonl");
    refused({"score", "--format", "csv", "--output", "a.csv", "x"}, "JSON Lines");
    refused({"degrade", "x"}, "-- score ARGS");
    refused({"score", "--resize", "wide", "--output", "a.jsonl", "x"}, "invalid --resize 'wide'");
}

}  // namespace
}  // namespace qc
