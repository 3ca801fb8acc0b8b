// CatalogImport: scores made elsewhere (a cluster's `qualiclip merge` output, read back with
// results/ResultRows.h and turned into ImageResults) stored in the local catalog, so that the
// window opens the data set with every score already there (`qualiclip catalog import`).
//
// Usage:
//   Catalog catalog(Catalog::defaultPath());
//   CatalogImportCounts counts = importScores(catalog, results, progress, &cancel);
//
// Each image is resolved on this machine (Catalog::resolve: the file must exist here; its size,
// time and fingerprint are taken now) and its score stored under the result's model SHA-256 and
// resize policy, replacing one stored before. Results that record an error are not stored.
// Runs on the calling thread, storing in batches of one transaction; checks `cancel` between
// images. The catalog must not be on a file system shared by several nodes (SQLite's WAL needs
// shared memory, which NFS does not give).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "engine/ScoringEngine.h"

namespace qc {

class Catalog;

struct CatalogImportProblem {
    std::string path;
    std::string reason;
};

struct CatalogImportCounts {
    size_t stored = 0;
    size_t failedRows = 0;  // results that record an error: nothing to store
    std::vector<CatalogImportProblem>
        problems;  // files not found or unreadable here, store failures
    bool cancelled = false;
};

using ImportProgress = std::function<void(size_t done, size_t total)>;

CatalogImportCounts importScores(Catalog& catalog, const std::vector<ImageResult>& results,
                                 const ImportProgress& progress = {},
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace qc
