// ImageScorer: the seam where scores come from, for anything that scores a list of paths and
// wants one result per path (research mode's study, `qualiclip score`). engineScorer() wraps a
// ScoringEngine (every image decoded and scored); catalogScorer() (library/CatalogScorer.h)
// answers from the catalog and scores only what it has not seen.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "engine/ScoringEngine.h"

namespace qc {

// Scores `paths` in order, calling back once per path; returns how many were delivered
// (fewer only when cancelled). ScoringEngine::scoreFiles has this shape.
using ImageScorer = std::function<size_t(const std::vector<std::string>& paths,
                                         const ScoringEngine::ResultCallback& onResult,
                                         const std::atomic<bool>* cancel)>;

// Scores through `engine`, which must outlive the returned function.
ImageScorer engineScorer(const ScoringEngine& engine);

}  // namespace qc
