#include "library/CatalogImport.h"

#include "library/Catalog.h"

namespace qc {
namespace {

// Rows per transaction: one commit (an fsync with synchronous=FULL) per row would make an import
// of 100,000 rows take minutes; a batch this size loses at most a few seconds of work on a kill.
constexpr size_t kBatchSize = 500;

}  // namespace

CatalogImportCounts importScores(Catalog& catalog, const std::vector<ImageResult>& results,
                                 const ImportProgress& progress, const std::atomic<bool>* cancel) {
    CatalogImportCounts counts;
    std::vector<std::pair<int64_t, const ImageResult*>> batch;
    const auto flush = [&] {
        if (batch.empty()) return;
        try {
            catalog.storeScores(batch);
            counts.stored += batch.size();
        } catch (const CatalogError& e) {
            for (const auto& entry : batch)
                counts.problems.push_back({entry.second->path, e.what()});
        }
        batch.clear();
    };
    for (size_t i = 0; i < results.size(); ++i) {
        if (cancel && cancel->load()) {
            counts.cancelled = true;
            break;
        }
        const ImageResult& r = results[i];
        if (!r.ok()) {
            ++counts.failedRows;
        } else {
            try {
                batch.emplace_back(catalog.resolve(r.path).id, &r);
            } catch (const CatalogError& e) {
                counts.problems.push_back({r.path, e.what()});
            }
            if (batch.size() >= kBatchSize) flush();
        }
        if (progress) progress(i + 1, results.size());
    }
    flush();
    return counts;
}

}  // namespace qc
