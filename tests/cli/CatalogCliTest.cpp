// `qualiclip score --catalog` / `--no-catalog` and `qualiclip cull`, run as real processes.
// Every run names a temporary catalog (or --no-catalog): tests never touch the user's own.
#include <gtest/gtest.h>

#include <QProcess>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "CliTestSupport.h"
#include "library/Catalog.h"
#include "library/XmpSidecar.h"

namespace qc {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

using test::RunResult;

RunResult run(const QStringList& args) { return test::runQualiclip(args); }
std::vector<Json> rows(const std::string& text) { return test::jsonLines(text); }

QString q(const std::string& s) { return QString::fromStdString(s); }
QString model() { return test::oracleModel(); }

class CatalogCli : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string catalog = dir.file("catalog.sqlite");
    std::string image(const std::string& name) {
        const std::string copy = dir.file(name + ".png");
        if (!fs::exists(copy)) fs::copy_file(test::oracleDir() / "images" / (name + ".png"), copy);
        return copy;
    }
    RunResult score(const QStringList& extra) {
        return run(QStringList{"score", "--model", model(), "--catalog", q(catalog)} + extra);
    }
};

TEST_F(CatalogCli, SecondRunTakesScoresFromTheCatalogInInputOrder) {
    QCI_REQUIRE_ORACLE();
    const std::string a = image("checker_250x187"), b = image("mixed_63x95"), c = image("scene_512x384");
    RunResult first = score({q(a), q(c)});
    ASSERT_EQ(first.exitCode, 0) << first.err;
    const auto fresh = rows(first.out);
    ASSERT_EQ(fresh.size(), 2u);
    EXPECT_FALSE(fresh[0]["cached"].get<bool>());

    RunResult second = score({q(a), q(b), q(c)});
    ASSERT_EQ(second.exitCode, 0) << second.err;
    const auto mixed = rows(second.out);
    ASSERT_EQ(mixed.size(), 3u);
    EXPECT_EQ(mixed[0]["path"], a);
    EXPECT_EQ(mixed[1]["path"], b);
    EXPECT_EQ(mixed[2]["path"], c);
    EXPECT_TRUE(mixed[0]["cached"].get<bool>());
    EXPECT_FALSE(mixed[1]["cached"].get<bool>());
    EXPECT_TRUE(mixed[2]["cached"].get<bool>());
    for (const std::string key : {"score", "pairs", "width", "height", "input_width", "input_height", "resize",
                                  "model_sha256"}) {
        EXPECT_EQ(mixed[0][key], fresh[0][key]) << key;
        EXPECT_EQ(mixed[2][key], fresh[1][key]) << key;
    }

    // Another resize policy is another score.
    const auto resized = rows(score({"--resize", "long:128", q(a)}).out);
    ASSERT_EQ(resized.size(), 1u);
    EXPECT_FALSE(resized[0]["cached"].get<bool>());
    EXPECT_EQ(Catalog(catalog).integrityCheck(), "ok");
}

TEST_F(CatalogCli, CsvHasTheCachedColumn) {
    QCI_REQUIRE_ORACLE();
    const std::string a = image("checker_250x187");
    ASSERT_EQ(score({q(a)}).exitCode, 0);
    RunResult r = score({"--format", "csv", q(a)});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find(",error,cached\r\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(",true\r\n"), std::string::npos) << r.out;
}

TEST_F(CatalogCli, NoCatalogNeitherReadsNorWrites) {
    QCI_REQUIRE_ORACLE();
    RunResult r = run({"score", "--no-catalog", "--model", model(), q(image("mixed_63x95"))});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(rows(r.out)[0]["cached"].get<bool>());
    EXPECT_FALSE(fs::exists(catalog));
    EXPECT_EQ(run({"score", "--no-catalog", "--catalog", q(catalog), "x.png"}).exitCode, 2);
}

TEST_F(CatalogCli, CullSetsDecisionsAndWritesSidecars) {
    QCI_REQUIRE_ORACLE();
    const std::string a = image("checker_250x187");
    RunResult r = run({"cull", "--catalog", q(catalog), "--pick", "--stars", "4", "--label", "Red", "--xmp",
                       "darktable", q(a)});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto acked = rows(r.out);
    ASSERT_EQ(acked.size(), 1u);
    EXPECT_EQ(acked[0]["flag"], "pick");
    {
        Catalog c(catalog);
        const CatalogDecision d = c.decision(c.resolve(a).id);
        EXPECT_EQ(d.flag, CatalogFlag::Pick);
        EXPECT_EQ(d.stars, 4);
        EXPECT_EQ(d.colorLabel, "Red");
    }
    const auto sidecar = readSidecar(a, SidecarNaming::AppendExtension);
    ASSERT_TRUE(sidecar);
    EXPECT_EQ(sidecar->rating, 4);
    EXPECT_EQ(sidecar->label, "Red");

    // A reject goes to the sidecar as -1; a rating from a Lightroom sidecar can be imported.
    ASSERT_EQ(run({"cull", "--catalog", q(catalog), "--reject", "--xmp", "darktable", q(a)}).exitCode, 0);
    EXPECT_EQ(readSidecar(a, SidecarNaming::AppendExtension)->rating, -1);
    const std::string b = image("mixed_63x95");
    SidecarFields lightroom;
    lightroom.rating = 2;
    lightroom.label = "Blue";
    writeSidecar(b, SidecarNaming::ReplaceExtension, lightroom);
    const auto imported = rows(run({"cull", "--catalog", q(catalog), "--import-xmp", "lightroom", q(b)}).out);
    ASSERT_EQ(imported.size(), 1u);
    EXPECT_EQ(imported[0]["stars"], 2);
    EXPECT_EQ(imported[0]["label"], "Blue");
}

}  // namespace
}  // namespace qc
