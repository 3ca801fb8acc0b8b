#include "library/Catalog.h"
#include "library/CrashPoints.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QCryptographicHash>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "models/ModelLocator.h"
#include "engine/PromptSet.h"
#include "engine/ScoringEngine.h"

namespace qc {
namespace {

// Schema history. Version 1 is what the first catalog wrote; each later version is a migration
// from the one before, so a fresh file and an old one go through the same steps.
const char* const kSchemaV1 = R"sql(
CREATE TABLE schema_version(version INTEGER NOT NULL);
INSERT INTO schema_version(version) VALUES (1);
CREATE TABLE images(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  fingerprint TEXT NOT NULL);
CREATE INDEX images_fingerprint ON images(fingerprint);
CREATE TABLE scores(
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  model_sha256 TEXT NOT NULL,
  policy TEXT NOT NULL,
  score REAL NOT NULL,
  pairs BLOB,
  embedding BLOB,
  scored_at REAL NOT NULL,
  PRIMARY KEY(image_id, model_sha256, policy));
CREATE TABLE decisions(
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  flag INTEGER NOT NULL DEFAULT 0,
  stars INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '');
)sql";

// Version 2: colour labels (for xmp:Label) and the image sizes, so a cached row says what a
// fresh one says.
const char* const kMigrateV1toV2 = R"sql(
ALTER TABLE decisions ADD COLUMN color_label TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN updated_at REAL NOT NULL DEFAULT 0;
ALTER TABLE scores ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scores ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scores ADD COLUMN input_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scores ADD COLUMN input_height INTEGER NOT NULL DEFAULT 0;
UPDATE schema_version SET version = 2;
)sql";

// Version 3 (issue #13): capture times (with the file's mtime they were read at, so an edited
// file is read again) and bursts (one row per image; a re-grouping replaces it).
const char* const kMigrateV2toV3 = R"sql(
CREATE TABLE capture_times(
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  seconds REAL NOT NULL,
  text TEXT NOT NULL,
  source TEXT NOT NULL,
  file_mtime_ns INTEGER NOT NULL);
CREATE TABLE bursts(
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  burst_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  size INTEGER NOT NULL,
  best INTEGER NOT NULL,
  settings TEXT NOT NULL,
  grouped_at REAL NOT NULL);
CREATE INDEX bursts_burst ON bursts(burst_id);
UPDATE schema_version SET version = 3;
)sql";

const char* const kMigrations[] = {kMigrateV1toV2, kMigrateV2toV3};  // kMigrations[v - 1] goes from v to v + 1

double nowSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Blobs hold the values' native bytes (little-endian on every platform we build for).
template <typename T>
std::vector<T> fromBlob(const void* data, int bytes) {
    std::vector<T> values(static_cast<size_t>(bytes) / sizeof(T));
    if (!values.empty()) std::memcpy(values.data(), data, values.size() * sizeof(T));
    return values;
}

// Why SQLite cannot open or write a catalog at path although the file may be fine: a folder in
// which it cannot create the WAL's -wal and -shm files. Empty when the folder can be written.
std::string folderProblem(const std::string& path) {
    std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (folder.empty()) folder = ".";
    if (::access(folder.c_str(), W_OK) == 0) return {};
    return "the folder '" + folder.string() + "' is read-only (" + std::strerror(errno) +
           "), and SQLite needs to create the catalog's -wal and -shm files in it";
}

// A file name as the path of an SQLite URI: '%', '?' and '#' percent-encoded.
std::string uriPath(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
            out += hex;
        } else {
            out += c;
        }
    }
    return out;
}

// SQLite's message with what it means for the user: the system's reason behind an I/O error
// (e.g. "File too large" when a size limit is hit) and who holds a lock.
// callErrno: errno right after the failed call, for when SQLite kept none.
std::string explainSqliteError(sqlite3* handle, const std::string& message, int callErrno) {
    const int code = sqlite3_errcode(handle) & 0xff;
    std::string text = message;
    const int systemErrno =
        sqlite3_system_errno(handle) != 0 ? sqlite3_system_errno(handle) : callErrno;
    if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) &&
        systemErrno != 0)
        text += " (" + std::string(std::strerror(systemErrno)) + ")";
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        text += " (another program holds a lock on it; waited 5 s)";
    return text;
}

}  // namespace

struct Catalog::Db {
    sqlite3* handle = nullptr;
    std::string file;

    [[noreturn]] void fail(const std::string& what, int callErrno = 0) const {
        throw CatalogStorageError("catalog '" + file + "': " + what + ": " +
                                  explainSqliteError(handle, sqlite3_errmsg(handle), callErrno));
    }
    void exec(const char* sql) const {
        char* message = nullptr;
        errno = 0;
        if (sqlite3_exec(handle, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            const int callErrno = errno;
            std::string text = message ? message : "unknown error";
            sqlite3_free(message);
            throw CatalogStorageError("catalog '" + file +
                                      "': " + explainSqliteError(handle, text, callErrno));
        }
    }
};

namespace {

// A prepared statement, finalized on scope exit. Bind indices start at 1, columns at 0.
class Statement {
public:
    Statement(const Catalog::Db& db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db.handle, sql, -1, &stmt_, nullptr) != SQLITE_OK) db.fail("preparing a query");
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, int64_t v) { return check(sqlite3_bind_int64(stmt_, i, v)); }
    Statement& bind(int i, int v) { return check(sqlite3_bind_int(stmt_, i, v)); }
    Statement& bind(int i, double v) { return check(sqlite3_bind_double(stmt_, i, v)); }
    Statement& bind(int i, const std::string& v) {
        return check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    Statement& bindBlob(int i, const void* data, size_t bytes) {
        return check(sqlite3_bind_blob(stmt_, i, data, static_cast<int>(bytes), SQLITE_TRANSIENT));
    }
    // True while there is a row.
    bool step() {
        errno = 0;
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        db_.fail("running a query", errno);
    }
    void run() {
        while (step()) {
        }
    }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    int64_t int64(int c) const { return sqlite3_column_int64(stmt_, c); }
    int integer(int c) const { return sqlite3_column_int(stmt_, c); }
    double real(int c) const { return sqlite3_column_double(stmt_, c); }
    bool isNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
    std::string text(int c) const {
        const auto* p = sqlite3_column_text(stmt_, c);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, c)))
                 : std::string();
    }
    template <typename T>
    std::vector<T> blob(int c) const {
        return fromBlob<T>(sqlite3_column_blob(stmt_, c), sqlite3_column_bytes(stmt_, c));
    }

private:
    Statement& check(int rc) {
        if (rc != SQLITE_OK) db_.fail("binding a value");
        return *this;
    }
    const Catalog::Db& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a
// read to a write. Rolled back unless commit() was reached.
class Transaction {
public:
    explicit Transaction(const Catalog::Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!done_) sqlite3_exec(db_.handle, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    // `kind` names the write for the kill tests' crash points ("score" gives "score-commit" and
    // "score-committed", library/CrashPoints.h); nullptr for writes they do not stop at.
    void commit(const char* kind = nullptr) {
        if (kind) crashPoint((std::string(kind) + "-commit").c_str());
        db_.exec("COMMIT");
        done_ = true;
        if (kind) crashPoint((std::string(kind) + "-committed").c_str());
    }

private:
    const Catalog::Db& db_;
    bool done_ = false;
};

void insertScore(Statement& insert, int64_t imageId, const ImageResult& r) {
    if (!r.ok()) throw CatalogError("catalog: refusing to store a failed result for '" + r.path + "'");
    insert.reset();
    insert.bind(1, imageId).bind(2, scoringKey(r.modelSha256, r.promptSet, r.recipe)).bind(3, scoreVariant(r.resize, r.precision, r.source)).bind(4, r.score);
    insert.bindBlob(5, r.pairProbabilities.data(), r.pairProbabilities.size() * sizeof(double));
    insert.bindBlob(6, r.embedding.data(), r.embedding.size() * sizeof(float));
    insert.bind(7, nowSeconds()).bind(8, r.width).bind(9, r.height).bind(10, r.inputWidth).bind(11, r.inputHeight);
    insert.run();
}

const char* const kInsertScore =
    "INSERT OR REPLACE INTO scores(image_id, model_sha256, policy, score, pairs, embedding, scored_at, "
    "width, height, input_width, input_height) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

}  // namespace

std::optional<FileStamp> statFile(const std::string& path, std::string* error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (error) *error = "'" + path + "': " + std::strerror(errno);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        if (error) *error = "'" + path + "' is not a regular file";
        return std::nullopt;
    }
    FileStamp stamp;
    stamp.size = static_cast<int64_t>(st.st_size);
    stamp.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    return stamp;
}

std::string fingerprintFile(const std::string& path) {
    constexpr std::streamoff kBlock = 64 * 1024;
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw CatalogError("cannot read '" + path + "' to fingerprint it");
    const std::streamoff size = in.tellg();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const std::string sizeText = std::to_string(size) + "\n";
    hash.addData(QByteArrayView(sizeText.data(), static_cast<qsizetype>(sizeText.size())));
    std::vector<char> buffer(static_cast<size_t>(kBlock));
    auto addRange = [&](std::streamoff from, std::streamoff bytes) {
        in.seekg(from);
        in.read(buffer.data(), bytes);
        if (in.gcount() != bytes) throw CatalogError("cannot read '" + path + "' to fingerprint it");
        hash.addData(QByteArrayView(buffer.data(), static_cast<qsizetype>(bytes)));
    };
    addRange(0, std::min(size, kBlock));
    if (size > kBlock) {
        const std::streamoff tailStart = std::max(kBlock, size - kBlock);
        addRange(tailStart, size - tailStart);
    }
    return hash.result().toHex().toStdString();
}

const char* catalogFlagName(CatalogFlag flag) {
    switch (flag) {
    case CatalogFlag::Pick: return "pick";
    case CatalogFlag::Reject: return "reject";
    case CatalogFlag::None: break;
    }
    return "none";
}

std::string Catalog::defaultPath() {
    return (std::filesystem::path(defaultModelsFolder()).parent_path() / "catalog.sqlite").string();
}

std::string Catalog::normalPath(const std::string& path) {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::absolute(path, ec);
    if (ec) p = path;
    return p.lexically_normal().string();
}

Catalog::Catalog(const std::string& path, Access access)
    : path_(path), access_(access), db_(std::make_unique<Db>()) {
    db_->file = path;
    if (access == Access::ReadOnly) {
        openReadOnly();
        return;
    }
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
    }
    if (sqlite3_open_v2(path.c_str(), &db_->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string message = db_->handle ? sqlite3_errmsg(db_->handle) : "out of memory";
        sqlite3_close(db_->handle);
        const std::string folderText = folderProblem(path);
        throw CatalogStorageError("cannot open catalog '" + path +
                                  "': " + (folderText.empty() ? message : folderText));
    }
    try {
        sqlite3_busy_timeout(db_->handle, 5000);
        db_->exec("PRAGMA journal_mode=WAL");
        // FULL: in WAL mode NORMAL may lose the last commits on a power cut; a decision shown
        // on screen must survive one. One fsync per write is cheap next to scoring an image.
        db_->exec("PRAGMA synchronous=FULL");
        db_->exec("PRAGMA foreign_keys=ON");
        Transaction t(*db_);
        int version = 0;
        {
            Statement hasTable(*db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'");
            hasTable.step();
            if (hasTable.integer(0) > 0) {
                Statement read(*db_, "SELECT version FROM schema_version");
                if (read.step()) version = read.integer(0);
            }
        }
        if (version > kSchemaVersion)
            throw CatalogError("catalog '" + path + "' has schema version " + std::to_string(version) +
                               ", newer than this program's " + std::to_string(kSchemaVersion) +
                               "; update QualiCLIP Inspector");
        if (version == 0) {
            db_->exec(kSchemaV1);
            version = 1;
        }
        for (; version < kSchemaVersion; ++version) db_->exec(kMigrations[version - 1]);
        t.commit();
    } catch (const CatalogStorageError&) {
        sqlite3_close(db_->handle);
        db_->handle = nullptr;
        // SQLite says "unable to open database file" when it cannot create the -wal file: name
        // the real reason.
        const std::string folderText = folderProblem(path);
        if (folderText.empty()) throw;
        throw CatalogStorageError("cannot open catalog '" + path + "': " + folderText);
    } catch (...) {
        sqlite3_close(db_->handle);
        db_->handle = nullptr;
        throw;
    }
}

void Catalog::openReadOnly() {
    // A WAL catalog is read through its -shm file, which SQLite creates beside it. Where the
    // folder cannot be written and no -wal is there (everything is in the main file), the file
    // is opened as immutable; with a -wal, SQLite reads it too.
    std::error_code ec;
    const bool immutable =
        !folderProblem(path_).empty() && !std::filesystem::exists(path_ + "-wal", ec);
    const std::string uri = "file:" + uriPath(path_) + (immutable ? "?immutable=1" : "?mode=ro");
    if (sqlite3_open_v2(uri.c_str(), &db_->handle,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string message = db_->handle ? sqlite3_errmsg(db_->handle) : "out of memory";
        sqlite3_close(db_->handle);
        db_->handle = nullptr;
        throw CatalogStorageError("cannot open catalog '" + path_ + "' to read it: " + message);
    }
    try {
        sqlite3_busy_timeout(db_->handle, 5000);
        Statement read(*db_, "SELECT version FROM schema_version");
        const int version = read.step() ? read.integer(0) : 0;
        if (version != kSchemaVersion)
            throw CatalogError("catalog '" + path_ + "' has schema version " +
                               std::to_string(version) + " and this program reads version " +
                               std::to_string(kSchemaVersion) +
                               " (updating it needs write access)");
    } catch (...) {
        sqlite3_close(db_->handle);
        db_->handle = nullptr;
        throw;
    }
}

Catalog::~Catalog() {
    if (db_ && db_->handle) sqlite3_close(db_->handle);
}

int Catalog::schemaVersion() {
    std::lock_guard lock(mutex_);
    Statement s(*db_, "SELECT version FROM schema_version");
    return s.step() ? s.integer(0) : 0;
}

std::string Catalog::integrityCheck() {
    std::lock_guard lock(mutex_);
    Statement s(*db_, "PRAGMA integrity_check");
    std::string result;
    while (s.step()) result += (result.empty() ? "" : "\n") + s.text(0);
    return result;
}

std::optional<int64_t> Catalog::findUnchanged(const std::string& path, const FileStamp& stamp) {
    std::lock_guard lock(mutex_);
    Statement s(*db_, "SELECT id FROM images WHERE path = ?1 AND size = ?2 AND mtime_ns = ?3");
    s.bind(1, normalPath(path)).bind(2, stamp.size).bind(3, stamp.mtimeNs);
    if (s.step()) return s.int64(0);
    return std::nullopt;
}

CatalogImage Catalog::resolve(const std::string& rawPath) {
    const std::string path = normalPath(rawPath);
    std::string error;
    const std::optional<FileStamp> stamp = statFile(path, &error);
    if (!stamp) throw CatalogError("cannot read " + error);
    if (auto id = findUnchanged(path, *stamp)) return {*id, CatalogMatch::Known, {}};

    const std::string fingerprint = fingerprintFile(path);
    std::lock_guard lock(mutex_);
    Transaction t(*db_);
    CatalogImage image;
    Statement byPath(*db_, "SELECT id, fingerprint FROM images WHERE path = ?1");
    byPath.bind(1, path);
    if (byPath.step()) {
        image.id = byPath.int64(0);
        const bool sameContent = byPath.text(1) == fingerprint;
        image.match = sameContent ? CatalogMatch::Touched : CatalogMatch::Changed;
        Statement update(*db_, "UPDATE images SET size = ?2, mtime_ns = ?3, fingerprint = ?4 WHERE id = ?1");
        update.bind(1, image.id).bind(2, stamp->size).bind(3, stamp->mtimeNs).bind(4, fingerprint).run();
        if (!sameContent) Statement(*db_, "DELETE FROM scores WHERE image_id = ?1").bind(1, image.id).run();
        t.commit();
        return image;
    }

    Statement byContent(*db_, "SELECT id, path FROM images WHERE fingerprint = ?1 ORDER BY id");
    byContent.bind(1, fingerprint);
    int64_t copiedFrom = 0;
    while (byContent.step()) {
        const std::string oldPath = byContent.text(1);
        std::error_code ec;
        if (!std::filesystem::exists(oldPath, ec)) {
            image.id = byContent.int64(0);
            image.match = CatalogMatch::Moved;
            image.previousPath = oldPath;
            break;
        }
        if (copiedFrom == 0) {
            copiedFrom = byContent.int64(0);
            image.previousPath = oldPath;
        }
    }
    if (image.match == CatalogMatch::Moved) {
        Statement move(*db_, "UPDATE images SET path = ?2, size = ?3, mtime_ns = ?4 WHERE id = ?1");
        move.bind(1, image.id).bind(2, path).bind(3, stamp->size).bind(4, stamp->mtimeNs).run();
    } else {
        Statement insert(*db_, "INSERT INTO images(path, size, mtime_ns, fingerprint) VALUES (?1, ?2, ?3, ?4)");
        insert.bind(1, path).bind(2, stamp->size).bind(3, stamp->mtimeNs).bind(4, fingerprint).run();
        image.id = sqlite3_last_insert_rowid(db_->handle);
        image.match = copiedFrom ? CatalogMatch::Copied : CatalogMatch::New;
        if (copiedFrom) {
            Statement copy(*db_,
                           "INSERT INTO scores(image_id, model_sha256, policy, score, pairs, embedding, scored_at, "
                           "width, height, input_width, input_height) SELECT ?1, model_sha256, policy, score, pairs, "
                           "embedding, scored_at, width, height, input_width, input_height FROM scores WHERE image_id = ?2");
            copy.bind(1, image.id).bind(2, copiedFrom).run();
        }
    }
    t.commit();
    return image;
}

std::optional<CatalogScore> Catalog::score(int64_t imageId, const std::string& modelSha256, const std::string& policy,
                                           bool withEmbedding) {
    std::lock_guard lock(mutex_);
    Statement s(*db_,
                "SELECT score, pairs, embedding, scored_at, width, height, input_width, input_height FROM scores "
                "WHERE image_id = ?1 AND model_sha256 = ?2 AND policy = ?3");
    s.bind(1, imageId).bind(2, modelSha256).bind(3, policy);
    if (!s.step()) return std::nullopt;
    CatalogScore score;
    score.score = s.real(0);
    score.pairProbabilities = s.blob<double>(1);
    if (withEmbedding) score.embedding = s.blob<float>(2);
    score.scoredAt = s.real(3);
    score.width = s.integer(4);
    score.height = s.integer(5);
    score.inputWidth = s.integer(6);
    score.inputHeight = s.integer(7);
    return score;
}

std::optional<CatalogScore> Catalog::cachedScore(const std::string& path, const std::string& modelSha256,
                                                 const std::string& policy) {
    return score(resolve(path).id, modelSha256, policy);
}

void Catalog::storeScore(int64_t imageId, const ImageResult& result) { storeScores({{imageId, &result}}); }

void Catalog::storeScores(const std::vector<std::pair<int64_t, const ImageResult*>>& results) {
    std::lock_guard lock(mutex_);
    Transaction t(*db_);
    Statement insert(*db_, kInsertScore);
    for (const auto& [id, result] : results) insertScore(insert, id, *result);
    t.commit("score");
}

CatalogDecision Catalog::decision(int64_t imageId) {
    std::lock_guard lock(mutex_);
    Statement s(*db_, "SELECT flag, stars, color_label, note FROM decisions WHERE image_id = ?1");
    s.bind(1, imageId);
    CatalogDecision d;
    if (s.step()) {
        d.flag = static_cast<CatalogFlag>(s.integer(0));
        d.stars = s.integer(1);
        d.colorLabel = s.text(2);
        d.note = s.text(3);
    }
    return d;
}

void Catalog::setDecision(int64_t imageId, const CatalogDecision& d) {
    std::lock_guard lock(mutex_);
    Transaction t(*db_);
    Statement s(*db_,
                "INSERT OR REPLACE INTO decisions(image_id, flag, stars, color_label, note, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    s.bind(1, imageId).bind(2, static_cast<int>(d.flag)).bind(3, d.stars).bind(4, d.colorLabel).bind(5, d.note);
    s.bind(6, nowSeconds()).run();
    t.commit("decision");
}

void Catalog::setDecisions(const std::vector<std::pair<int64_t, CatalogDecision>>& decisions) {
    std::lock_guard lock(mutex_);
    Transaction t(*db_);
    Statement s(*db_,
                "INSERT OR REPLACE INTO decisions(image_id, flag, stars, color_label, note, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    const double now = nowSeconds();
    for (const auto& [id, d] : decisions) {
        s.reset();
        s.bind(1, id).bind(2, static_cast<int>(d.flag)).bind(3, d.stars).bind(4, d.colorLabel).bind(5, d.note);
        s.bind(6, now).run();
    }
    t.commit();
}

std::optional<StoredDecision> Catalog::storedDecision(int64_t imageId) {
    std::lock_guard lock(mutex_);
    Statement s(*db_, "SELECT flag, stars, color_label, note, updated_at FROM decisions WHERE image_id = ?1");
    s.bind(1, imageId);
    if (!s.step()) return std::nullopt;
    StoredDecision row;
    row.decision.flag = static_cast<CatalogFlag>(s.integer(0));
    row.decision.stars = s.integer(1);
    row.decision.colorLabel = s.text(2);
    row.decision.note = s.text(3);
    row.updatedAt = s.real(4);
    return row;
}

void Catalog::restoreDecisions(const std::vector<std::pair<int64_t, std::optional<StoredDecision>>>& rows) {
    std::lock_guard lock(mutex_);
    Transaction t(*db_);
    Statement put(*db_,
                  "INSERT OR REPLACE INTO decisions(image_id, flag, stars, color_label, note, updated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    Statement remove(*db_, "DELETE FROM decisions WHERE image_id = ?1");
    for (const auto& [id, row] : rows) {
        if (!row) {
            remove.reset();
            remove.bind(1, id).run();
            continue;
        }
        const CatalogDecision& d = row->decision;
        put.reset();
        put.bind(1, id).bind(2, static_cast<int>(d.flag)).bind(3, d.stars).bind(4, d.colorLabel).bind(5, d.note);
        put.bind(6, row->updatedAt).run();
    }
    t.commit();
}

std::optional<CaptureTime> Catalog::captureTime(int64_t imageId) {
    std::lock_guard lock(mutex_);
    Statement s(*db_,
                "SELECT c.seconds, c.text, c.source FROM capture_times c JOIN images i ON i.id = c.image_id "
                "WHERE c.image_id = ?1 AND c.file_mtime_ns = i.mtime_ns");
    s.bind(1, imageId);
    if (!s.step()) return std::nullopt;
    const auto source = parseCaptureTimeSource(s.text(2));
    if (!source) return std::nullopt;
    return CaptureTime{s.real(0), s.text(1), *source};
}

void Catalog::storeCaptureTimes(const std::vector<std::pair<int64_t, CaptureTime>>& times) {
    std::lock_guard lock(mutex_);
    Transaction t(*db_);
    Statement s(*db_,
                "INSERT OR REPLACE INTO capture_times(image_id, seconds, text, source, file_mtime_ns) "
                "SELECT id, ?2, ?3, ?4, mtime_ns FROM images WHERE id = ?1");
    for (const auto& [id, time] : times) {
        s.reset();
        s.bind(1, id).bind(2, time.seconds).bind(3, time.text).bind(4, std::string(captureTimeSourceName(time.source)));
        s.run();
    }
    t.commit();
}

void Catalog::replaceBursts(const std::vector<CatalogBurst>& bursts, const std::string& settings) {
    std::lock_guard lock(mutex_);
    Transaction t(*db_);
    Statement s(*db_,
                "INSERT OR REPLACE INTO bursts(image_id, burst_id, position, size, best, settings, grouped_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    const double now = nowSeconds();
    for (const CatalogBurst& b : bursts) {
        s.reset();
        s.bind(1, b.imageId).bind(2, b.burstId).bind(3, b.position).bind(4, b.size).bind(5, int(b.best));
        s.bind(6, settings).bind(7, now).run();
    }
    t.commit();
}

std::optional<CatalogBurst> Catalog::burst(int64_t imageId) {
    std::lock_guard lock(mutex_);
    Statement s(*db_, "SELECT burst_id, position, size, best FROM bursts WHERE image_id = ?1");
    s.bind(1, imageId);
    if (!s.step()) return std::nullopt;
    return CatalogBurst{imageId, s.int64(0), s.integer(1), s.integer(2), s.integer(3) != 0};
}

std::vector<CatalogGroupingInput> Catalog::groupingInputs(const std::string& folder, const std::string& modelSha256,
                                                          const std::string& policy) {
    std::string prefix = normalPath(folder);
    if (prefix.empty() || prefix.back() != '/') prefix += '/';
    std::string end = prefix;
    end.back() = '/' + 1;
    std::lock_guard lock(mutex_);
    Statement s(*db_,
                "SELECT i.id, i.path, c.seconds, c.text, c.source, s.score, s.pairs, s.embedding FROM images i "
                "LEFT JOIN capture_times c ON c.image_id = i.id AND c.file_mtime_ns = i.mtime_ns "
                "LEFT JOIN scores s ON s.image_id = i.id AND s.model_sha256 = ?3 AND s.policy = ?4 "
                "WHERE i.path >= ?1 AND i.path < ?2 ORDER BY i.path");
    s.bind(1, prefix).bind(2, end).bind(3, modelSha256).bind(4, policy);
    std::vector<CatalogGroupingInput> inputs;
    while (s.step()) {
        CatalogGroupingInput in;
        in.id = s.int64(0);
        in.path = s.text(1);
        if (!s.isNull(2))
            if (const auto source = parseCaptureTimeSource(s.text(4)))
                in.captureTime = CaptureTime{s.real(2), s.text(3), *source};
        if (!s.isNull(5)) {
            in.score = s.real(5);
            in.pairProbabilities = s.blob<double>(6);
            in.embedding = s.blob<float>(7);
        }
        inputs.push_back(std::move(in));
    }
    return inputs;
}

std::vector<CatalogEntry> Catalog::listFolder(const std::string& folder, const std::string& modelSha256,
                                              const std::string& policy, bool recursive) {
    std::string prefix = normalPath(folder);
    if (prefix.empty() || prefix.back() != '/') prefix += '/';
    std::string end = prefix;
    end.back() = '/' + 1;  // every path starting with prefix sorts before prefix with '/' -> '0'
    std::lock_guard lock(mutex_);
    Statement s(*db_,
                "SELECT i.id, i.path, i.size, i.mtime_ns, s.score, s.pairs, s.scored_at, s.width, s.height, "
                "s.input_width, s.input_height, d.flag, d.stars, d.color_label, d.note FROM images i "
                "LEFT JOIN scores s ON s.image_id = i.id AND s.model_sha256 = ?3 AND s.policy = ?4 "
                "LEFT JOIN decisions d ON d.image_id = i.id "
                "WHERE i.path >= ?1 AND i.path < ?2 ORDER BY i.path");
    s.bind(1, prefix).bind(2, end).bind(3, modelSha256).bind(4, policy);
    std::vector<CatalogEntry> entries;
    while (s.step()) {
        CatalogEntry e;
        e.path = s.text(1);
        if (!recursive && e.path.find('/', prefix.size()) != std::string::npos) continue;
        e.id = s.int64(0);
        e.size = s.int64(2);
        e.mtimeNs = s.int64(3);
        if (!s.isNull(4)) {
            CatalogScore score;
            score.score = s.real(4);
            score.pairProbabilities = s.blob<double>(5);
            score.scoredAt = s.real(6);
            score.width = s.integer(7);
            score.height = s.integer(8);
            score.inputWidth = s.integer(9);
            score.inputHeight = s.integer(10);
            e.score = std::move(score);
        }
        if (!s.isNull(11)) {
            e.decision.flag = static_cast<CatalogFlag>(s.integer(11));
            e.decision.stars = s.integer(12);
            e.decision.colorLabel = s.text(13);
            e.decision.note = s.text(14);
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

int64_t Catalog::imageCount() {
    std::lock_guard lock(mutex_);
    Statement s(*db_, "SELECT count(*) FROM images");
    s.step();
    return s.int64(0);
}

}  // namespace qc
