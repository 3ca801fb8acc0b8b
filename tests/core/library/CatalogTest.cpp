// Catalog: cache hits and misses, invalidation, renames, decisions, migrations, integrity.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "library/Catalog.h"
#include "engine/ScoringEngine.h"
#include "TestSupport.h"

namespace qc {
namespace {

namespace fs = std::filesystem;

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// Moves the modification time by seconds, as an edit a while later would.
void shiftMtime(const std::string& path, int seconds) {
    fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(seconds));
}

ImageResult fakeResult(const std::string& path, double score, const std::string& model = "m1",
                       const std::string& policy = "native") {
    ImageResult r;
    r.path = path;
    r.width = 640;
    r.height = 480;
    r.inputWidth = 320;
    r.inputHeight = 240;
    r.resize = policy;
    r.modelSha256 = model;
    r.score = score;
    r.pairProbabilities = {0.25, 0.5, score};
    r.embedding = {0.6f, 0.8f, 0.0f};
    return r;
}

std::string sqliteText(const std::string& db, const std::string& sql) {
    sqlite3* handle = nullptr;
    EXPECT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(handle);
    std::string text;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
        text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return text;
}

class CatalogTest : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string dbPath = dir.file("catalog.sqlite");
    std::string image = dir.file("IMG_1.jpg");
    void SetUp() override { writeFile(image, std::string(200000, 'a') + "end"); }
};

TEST_F(CatalogTest, StoredScoreIsACacheHitAfterReopening) {
    {
        Catalog catalog(dbPath);
        const CatalogImage img = catalog.resolve(image);
        EXPECT_EQ(img.match, CatalogMatch::New);
        EXPECT_FALSE(catalog.score(img.id, "m1", "native"));
        catalog.storeScore(img.id, fakeResult(image, 0.75));
    }
    Catalog catalog(dbPath);
    const CatalogImage img = catalog.resolve(image);
    EXPECT_EQ(img.match, CatalogMatch::Known);
    const auto hit = catalog.score(img.id, "m1", "native");
    ASSERT_TRUE(hit);
    EXPECT_DOUBLE_EQ(hit->score, 0.75);
    EXPECT_EQ(hit->pairProbabilities, (std::vector<double>{0.25, 0.5, 0.75}));
    EXPECT_EQ(hit->embedding, (std::vector<float>{0.6f, 0.8f, 0.0f}));
    EXPECT_EQ(hit->width, 640);
    EXPECT_EQ(hit->inputHeight, 240);
    EXPECT_GT(hit->scoredAt, 1.6e9);
    // Another model or policy is another score.
    EXPECT_FALSE(catalog.score(img.id, "m2", "native"));
    EXPECT_FALSE(catalog.score(img.id, "m1", "long:1024"));
    EXPECT_TRUE(catalog.cachedScore(dir.path().string() + "/./IMG_1.jpg", "m1", "native"));
}

TEST_F(CatalogTest, ChangedContentDropsTheScoreButTouchingKeepsIt) {
    Catalog catalog(dbPath);
    const int64_t id = catalog.resolve(image).id;
    catalog.storeScore(id, fakeResult(image, 0.5));
    catalog.setDecision(id, {CatalogFlag::Pick, 3, "Red", "keeper"});

    shiftMtime(image, 10);  // same bytes, new time
    CatalogImage touched = catalog.resolve(image);
    EXPECT_EQ(touched.match, CatalogMatch::Touched);
    EXPECT_TRUE(catalog.score(id, "m1", "native"));

    writeFile(image, std::string(200000, 'b') + "end");  // same size, new content
    shiftMtime(image, 20);
    CatalogImage edited = catalog.resolve(image);
    EXPECT_EQ(edited.match, CatalogMatch::Changed);
    EXPECT_EQ(edited.id, id);
    EXPECT_FALSE(catalog.score(id, "m1", "native"));
    EXPECT_EQ(catalog.decision(id).flag, CatalogFlag::Pick);  // decisions are about the photo

    catalog.storeScore(id, fakeResult(image, 0.6));
    writeFile(image, "shorter");  // new size
    EXPECT_EQ(catalog.resolve(image).match, CatalogMatch::Changed);
    EXPECT_FALSE(catalog.cachedScore(image, "m1", "native"));
}

TEST_F(CatalogTest, RenameOrMoveKeepsScoreAndDecisions) {
    Catalog catalog(dbPath);
    const int64_t id = catalog.resolve(image).id;
    catalog.storeScore(id, fakeResult(image, 0.9));
    const CatalogDecision decision{CatalogFlag::Reject, 0, "Blue", "soft"};
    catalog.setDecision(id, decision);

    fs::create_directory(dir.file("sub"));
    const std::string moved = dir.file("sub/renamed.jpg");
    fs::rename(image, moved);
    const CatalogImage img = catalog.resolve(moved);
    EXPECT_EQ(img.match, CatalogMatch::Moved);
    EXPECT_EQ(img.id, id);
    EXPECT_EQ(img.previousPath, Catalog::normalPath(image));
    ASSERT_TRUE(catalog.score(img.id, "m1", "native"));
    EXPECT_DOUBLE_EQ(catalog.score(img.id, "m1", "native")->score, 0.9);
    EXPECT_EQ(catalog.decision(img.id), decision);

    const auto entries = catalog.listFolder(dir.path().string(), "m1", "native");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].path, Catalog::normalPath(moved));
    EXPECT_EQ(catalog.imageCount(), 1);
}

TEST_F(CatalogTest, CopyGetsTheScoresButNotTheDecisions) {
    Catalog catalog(dbPath);
    const int64_t id = catalog.resolve(image).id;
    catalog.storeScore(id, fakeResult(image, 0.4));
    catalog.setDecision(id, {CatalogFlag::Pick, 5, "", ""});
    const std::string copy = dir.file("copy.jpg");
    fs::copy_file(image, copy);
    const CatalogImage img = catalog.resolve(copy);
    EXPECT_EQ(img.match, CatalogMatch::Copied);
    EXPECT_NE(img.id, id);
    EXPECT_TRUE(catalog.score(img.id, "m1", "native"));
    EXPECT_TRUE(catalog.decision(img.id).empty());
}

TEST_F(CatalogTest, DecisionsAreCommittedWhenSetDecisionReturns) {
    Catalog writer(dbPath);
    const int64_t id = writer.resolve(image).id;
    writer.setDecision(id, {CatalogFlag::Pick, 4, "Green", "best of the set"});
    // A second connection (as another process would open) sees it while the first is open.
    Catalog reader(dbPath);
    const CatalogDecision seen = reader.decision(id);
    EXPECT_EQ(seen.flag, CatalogFlag::Pick);
    EXPECT_EQ(seen.stars, 4);
    EXPECT_EQ(seen.colorLabel, "Green");
    EXPECT_EQ(seen.note, "best of the set");
}

TEST_F(CatalogTest, UsesWalAndPassesTheIntegrityCheck) {
    Catalog catalog(dbPath);
    catalog.storeScore(catalog.resolve(image).id, fakeResult(image, 0.5));
    EXPECT_EQ(catalog.integrityCheck(), "ok");
    EXPECT_EQ(catalog.schemaVersion(), Catalog::kSchemaVersion);
    EXPECT_EQ(sqliteText(dbPath, "PRAGMA journal_mode"), "wal");
}

TEST_F(CatalogTest, ListsAFolderWithScoresAndDecisions) {
    Catalog catalog(dbPath);
    fs::create_directory(dir.file("a"));
    fs::create_directory(dir.file("a/deeper"));
    fs::create_directory(dir.file("ab"));  // shares the prefix "a" but is not inside a/
    for (const char* name : {"a/1.jpg", "a/2.jpg", "a/deeper/3.jpg", "ab/4.jpg"}) {
        writeFile(dir.file(name), name);
        const int64_t id = catalog.resolve(dir.file(name)).id;
        if (std::string(name) != "a/2.jpg") catalog.storeScore(id, fakeResult(dir.file(name), 0.1));
        if (std::string(name) == "a/1.jpg") catalog.setDecision(id, {CatalogFlag::Pick, 2, "", ""});
    }
    const auto all = catalog.listFolder(dir.file("a"), "m1", "native");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_TRUE(all[0].score);
    EXPECT_EQ(all[0].score->pairProbabilities.size(), 3u);
    EXPECT_TRUE(all[0].score->embedding.empty());
    EXPECT_EQ(all[0].decision.flag, CatalogFlag::Pick);
    EXPECT_FALSE(all[1].score);
    EXPECT_EQ(catalog.listFolder(dir.file("a") + "/", "m1", "native", false).size(), 2u);
    EXPECT_FALSE(catalog.listFolder(dir.file("a"), "other-model", "native")[0].score);
}

TEST_F(CatalogTest, MigratesAVersionOneCatalog) {
    // A catalog as the first version wrote it: no colour labels, no image sizes.
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(dbPath.c_str(), &db), SQLITE_OK);
        const char* v1 = R"sql(
            CREATE TABLE schema_version(version INTEGER NOT NULL);
            INSERT INTO schema_version(version) VALUES (1);
            CREATE TABLE images(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
                                mtime_ns INTEGER NOT NULL, fingerprint TEXT NOT NULL);
            CREATE INDEX images_fingerprint ON images(fingerprint);
            CREATE TABLE scores(image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                                model_sha256 TEXT NOT NULL, policy TEXT NOT NULL, score REAL NOT NULL,
                                pairs BLOB, embedding BLOB, scored_at REAL NOT NULL,
                                PRIMARY KEY(image_id, model_sha256, policy));
            CREATE TABLE decisions(image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
                                   flag INTEGER NOT NULL DEFAULT 0, stars INTEGER NOT NULL DEFAULT 0,
                                   note TEXT NOT NULL DEFAULT '');)sql";
        ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        const FileStamp stamp = *statFile(image);
        const std::string insert =
            "INSERT INTO images VALUES (7, '" + Catalog::normalPath(image) + "', " + std::to_string(stamp.size) + ", " +
            std::to_string(stamp.mtimeNs) + ", '" + fingerprintFile(image) + "');" +
            "INSERT INTO scores VALUES (7, 'm1', 'native', 0.625, NULL, NULL, 1700000000);"
            "INSERT INTO decisions VALUES (7, 2, 1, 'old note');";
        ASSERT_EQ(sqlite3_exec(db, insert.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        sqlite3_close(db);
    }
    Catalog catalog(dbPath);
    EXPECT_EQ(catalog.schemaVersion(), 3);
    const CatalogImage img = catalog.resolve(image);
    EXPECT_EQ(img.match, CatalogMatch::Known);
    EXPECT_EQ(img.id, 7);
    ASSERT_TRUE(catalog.score(7, "m1", "native"));
    EXPECT_DOUBLE_EQ(catalog.score(7, "m1", "native")->score, 0.625);
    const CatalogDecision old = catalog.decision(7);
    EXPECT_EQ(old.flag, CatalogFlag::Reject);
    EXPECT_EQ(old.note, "old note");
    EXPECT_EQ(old.colorLabel, "");
    catalog.setDecision(7, {CatalogFlag::Reject, 1, "Purple", "old note"});
    EXPECT_EQ(catalog.decision(7).colorLabel, "Purple");
    EXPECT_EQ(catalog.integrityCheck(), "ok");
}

TEST_F(CatalogTest, RefusesACatalogFromANewerProgram) {
    { Catalog catalog(dbPath); }
    sqliteText(dbPath, "UPDATE schema_version SET version = 99");
    EXPECT_THROW(Catalog catalog(dbPath), CatalogError);
}

TEST_F(CatalogTest, MissingFileIsAnErrorNamingIt) {
    Catalog catalog(dbPath);
    try {
        catalog.resolve(dir.file("nope.jpg"));
        FAIL() << "expected CatalogError";
    } catch (const CatalogError& e) {
        EXPECT_NE(std::string(e.what()).find("nope.jpg"), std::string::npos) << e.what();
    }
}

TEST(CatalogFingerprint, CoversSizeAndBothEnds) {
    test::TempDir dir;
    const std::string a = dir.file("a"), b = dir.file("b");
    std::string content(300000, 'x');
    writeFile(a, content);
    writeFile(b, content);
    EXPECT_EQ(fingerprintFile(a), fingerprintFile(b));
    content[content.size() - 10] = 'y';
    writeFile(b, content);
    EXPECT_NE(fingerprintFile(a), fingerprintFile(b));
    writeFile(b, "");
    EXPECT_EQ(fingerprintFile(b).size(), 64u);
}

}  // namespace
}  // namespace qc
