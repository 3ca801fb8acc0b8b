// CatalogScorer: an ImageScorer (engine/ImageScorer.h) that answers from a Catalog (library/Catalog.h) and
// runs the engine only on the images whose score it does not hold for this model (SHA-256), prompt
// set (engine/PromptSet.h scoringKey) and resize policy; every new score is stored before it is delivered, so a study run twice on the
// same dataset scores nothing the second time.
//
// Usage:
//   Catalog catalog(Catalog::defaultPath());
//   CatalogScorerCounts counts;
//   runAgreementStudy(table, catalogScorer(catalog, engine, &counts), {});
//   // counts.cached: answered by the catalog; counts.scored: run through the network
//
// The catalog, the engine and the counts must outlive the returned function. It calls back on
// the calling thread, in path order, like ScoringEngine::scoreFiles; one call at a time.
#pragma once

#include <cstddef>
#include <string>

#include "engine/ImageScorer.h"
#include "engine/PromptSet.h"

namespace qc {

class Catalog;

struct CatalogScorerCounts {
    size_t cached = 0;            // scores the catalog held
    size_t scored = 0;            // images sent to the engine (failures included)
    size_t storeFailures = 0;     // scores that could not be stored (the study still uses them)
    std::string firstStoreError;  // why the first of them could not
};

// readCache = false: score every image anyway (still storing the scores), e.g. when the caller
// also wants dense maps, which the catalog does not keep. withEmbeddings: cached results carry
// the stored image embedding too (grouping bursts needs it; listing a folder does not).
ImageScorer catalogScorer(Catalog& catalog, const ScoringEngine& engine,
                          CatalogScorerCounts* counts = nullptr, bool readCache = true, bool withEmbeddings = false);

struct CatalogScore;
// A result for an image whose score the catalog holds, as the engine would have made it
// (`cached` set): one definition for the scorer above and the window's session.
ImageResult cachedImageResult(const std::string& path, const CatalogScore& score, const ModelInfo& model,
                              const std::string& resize, const std::string& source = "file");

// The pixel source ("file", "raw-preview", ...) the engine would use for this file under these
// options, which the catalog keys its score by (scoreVariant). "file" when the file cannot be read:
// the engine then reports the problem, and such a lookup only misses.
std::string plannedSourceName(const std::string& path, const ScoringOptions& options);

}  // namespace qc
