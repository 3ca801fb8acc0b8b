#include "engine/ImageScorer.h"

namespace qc {

ImageScorer engineScorer(const ScoringEngine& engine) {
    return
        [&engine](const std::vector<std::string>& paths,
                  const ScoringEngine::ResultCallback& onResult, const std::atomic<bool>* cancel) {
            return engine.scoreFiles(paths, onResult, cancel);
        };
}

}  // namespace qc
