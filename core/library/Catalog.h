// Catalog: the scores and culling decisions that survive the session, in one SQLite file
// (default: $XDG_DATA_HOME/qualiclip/catalog.sqlite; any path works, e.g. one per folder).
//
// Usage:
//   Catalog catalog(Catalog::defaultPath());
//   CatalogImage image = catalog.resolve("/shoot/IMG_1.CR2");       // stat, fingerprint if needed
//   if (auto hit = catalog.score(image.id, model.sha256, "native")) use(*hit);
//   else catalog.storeScore(image.id, engine.scoreFile(path));
//   catalog.setDecision(image.id, {CatalogFlag::Pick, 4, "Red", ""});  // committed on return
//
// An image is known by its path, size and modification time; when the path is new (or the
// size/time changed) a fast content fingerprint decides whether it is a file we already know
// (renamed or moved: the path is updated, scores and decisions kept; touched: kept) or new
// content (scores dropped, decisions kept: they are about the photo, not its bytes).
//
// Durability: WAL journal, synchronous=FULL, and every write is one transaction that is
// committed before the call returns, so a kill -9 or a power cut never loses a write that was
// acknowledged and never corrupts the file. Several processes may share a catalog (SQLite's
// locking, 5 s busy timeout).
//
// Threads: one Catalog is one connection guarded by a mutex; any thread may call it. For
// parallel readers open one Catalog per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "library/CaptureTime.h"

namespace qc {

struct ImageResult;

class CatalogError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The catalog file itself cannot be read or written (locked by another process, read-only,
// disk full, I/O error), as opposed to one image that cannot be read: every later write would
// fail the same way, so callers stop writing and say so once.
class CatalogStorageError : public CatalogError {
public:
    using CatalogError::CatalogError;
};

enum class CatalogFlag { None = 0, Pick = 1, Reject = 2 };

struct CatalogDecision {
    CatalogFlag flag = CatalogFlag::None;
    int stars = 0;            // 0..5
    std::string colorLabel;   // "" or a name as Lightroom writes it: Red, Yellow, Green, Blue, Purple
    std::string note;

    bool empty() const { return flag == CatalogFlag::None && stars == 0 && colorLabel.empty() && note.empty(); }
    bool operator==(const CatalogDecision& o) const {
        return flag == o.flag && stars == o.stars && colorLabel == o.colorLabel && note == o.note;
    }
};

struct CatalogScore {
    double score = 0;
    std::vector<double> pairProbabilities;
    std::vector<float> embedding;
    int width = 0, height = 0, inputWidth = 0, inputHeight = 0;
    double scoredAt = 0;  // seconds since 1970
};

// What the catalog knows of a file on disk.
enum class CatalogMatch {
    Known,    // same path, size and time
    Touched,  // same path and content, new time
    Moved,    // new path, content of an image whose old path is gone (scores and decisions kept)
    Copied,   // new path, content of an image that still exists (its scores copied, no decisions)
    Changed,  // same path, new content (scores dropped)
    New
};

struct CatalogImage {
    int64_t id = 0;
    CatalogMatch match = CatalogMatch::New;
    std::string previousPath;  // Moved/Copied: where the content was known
};

// One row of listFolder(): an image with its decision and, when there is one, its score for
// the requested model and policy.
struct CatalogEntry {
    int64_t id = 0;
    std::string path;
    int64_t size = 0, mtimeNs = 0;
    std::optional<CatalogScore> score;  // without the embedding (listing stays fast)
    CatalogDecision decision;
};

// A decision row exactly as stored (undo puts back this, not a new row with a new time).
struct StoredDecision {
    CatalogDecision decision;
    double updatedAt = 0;
    bool operator==(const StoredDecision& o) const { return decision == o.decision && updatedAt == o.updatedAt; }
};

// An image's place in the bursts of its shoot (library/BurstGrouping.h). The burst id is the
// catalog id of the burst's first frame: the same grouping gives the same ids run after run.
struct CatalogBurst {
    int64_t imageId = 0;
    int64_t burstId = 0;
    int position = 0;  // 0 = first frame
    int size = 1;      // frames in the burst
    bool best = false;
};

// What grouping needs of one image (Catalog::groupingInputs).
struct CatalogGroupingInput {
    int64_t id = 0;
    std::string path;
    std::optional<CaptureTime> captureTime;  // when stored for the file as it is now
    std::optional<double> score;
    std::vector<double> pairProbabilities;
    std::vector<float> embedding;
};

// Size, modification time and fingerprint of a file.
struct FileStamp {
    int64_t size = 0;
    int64_t mtimeNs = 0;
    std::string fingerprint;  // filled by fingerprintFile()
};

// size + mtime; nullopt when the file cannot be read (error says why).
std::optional<FileStamp> statFile(const std::string& path, std::string* error = nullptr);
// Hex SHA-256 of (size, first 64 KiB, last 64 KiB). Reading the whole of a 50 MB raw file to
// recognise it after a rename would cost more than scoring it; the ends of a photo hold its
// headers, maker notes and the last image rows, which differ between any two shots, and
// together with the size they tell files apart in practice. Throws CatalogError.
std::string fingerprintFile(const std::string& path);

class Catalog {
public:
    static constexpr int kSchemaVersion = 3;

    enum class Access { ReadWrite, ReadOnly };
    // Opens or creates the file (and its folder), migrates an older schema. Throws CatalogError
    // (CatalogStorageError when the file or its folder cannot be written or is locked).
    // ReadOnly opens an existing, current catalog without writing anything, even in a folder
    // that cannot be written (where SQLite could not create the WAL's side files); every write
    // then throws CatalogStorageError.
    explicit Catalog(const std::string& path, Access access = Access::ReadWrite);
    ~Catalog();
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    // $XDG_DATA_HOME/qualiclip/catalog.sqlite (XDG_DATA_HOME defaults to ~/.local/share).
    static std::string defaultPath();
    // Paths are stored absolute and lexically normal; every API call normalises its input.
    static std::string normalPath(const std::string& path);

    const std::string& path() const { return path_; }
    bool readOnly() const { return access_ == Access::ReadOnly; }
    int schemaVersion();
    std::string integrityCheck();  // "ok" when the file is sound

    // Finds or adds the image at path (which must exist), following renames and edits as the
    // header describes. Throws CatalogError when the file cannot be read.
    CatalogImage resolve(const std::string& path);
    // Looks up without writing: the id when path, size and time all match, else nullopt.
    std::optional<int64_t> findUnchanged(const std::string& path, const FileStamp& stamp);

    std::optional<CatalogScore> score(int64_t imageId, const std::string& modelSha256,
                                      const std::string& policy, bool withEmbedding = true);
    // resolve() + score(): the cached score of the file as it is now, if any.
    std::optional<CatalogScore> cachedScore(const std::string& path, const std::string& modelSha256,
                                            const std::string& policy);
    // Stores a successful result under (image, scoringKey(result.modelSha256, result.promptSet),
    // result.resize). Lookups pass that key as modelSha256: the stored prompts' key is the plain
    // hash, so catalogs written before custom prompts existed keep working.
    void storeScore(int64_t imageId, const ImageResult& result);
    // Many at once, one transaction (imports, benchmarks).
    void storeScores(const std::vector<std::pair<int64_t, const ImageResult*>>& results);

    CatalogDecision decision(int64_t imageId);
    void setDecision(int64_t imageId, const CatalogDecision& decision);

    // Many at once, one transaction: a bulk rule is one step, all or nothing.
    void setDecisions(const std::vector<std::pair<int64_t, CatalogDecision>>& decisions);
    // The row as stored, nullopt when the image has none (undo: remember before changing).
    std::optional<StoredDecision> storedDecision(int64_t imageId);
    // Puts rows back exactly (time included), deleting those that were absent; one transaction.
    void restoreDecisions(const std::vector<std::pair<int64_t, std::optional<StoredDecision>>>& rows);

    // The capture time stored for the image while its file keeps the modification time it had
    // when the time was stored; nullopt otherwise.
    std::optional<CaptureTime> captureTime(int64_t imageId);
    // Many at once, one transaction (a shoot's worth of fsyncs would cost seconds).
    void storeCaptureTimes(const std::vector<std::pair<int64_t, CaptureTime>>& times);

    // Replaces the bursts of the given images (a re-grouping with other settings, or of a part
    // of the shoot); `settings` is kept with them ("gap=2 similarity=0.9"). One transaction.
    void replaceBursts(const std::vector<CatalogBurst>& bursts, const std::string& settings);
    std::optional<CatalogBurst> burst(int64_t imageId);

    // Every image under folder (recursive) with its capture time and its score and embedding
    // for (model, policy), ordered by path: the input of grouping a shoot from the catalog.
    std::vector<CatalogGroupingInput> groupingInputs(const std::string& folder, const std::string& modelSha256,
                                                     const std::string& policy);

    // Every image under folder (recursive: in sub-folders too), ordered by path, with its
    // decision and its score for (model, policy). One indexed range query.
    std::vector<CatalogEntry> listFolder(const std::string& folder, const std::string& modelSha256,
                                         const std::string& policy, bool recursive = true);
    int64_t imageCount();

    struct Db;  // the connection; opaque outside Catalog.cpp

private:
    void openReadOnly();
    std::string path_;
    Access access_;
    std::unique_ptr<Db> db_;
    std::mutex mutex_;
};

const char* catalogFlagName(CatalogFlag flag);  // "none", "pick", "reject"

}  // namespace qc
