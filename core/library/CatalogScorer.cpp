#include "library/CatalogScorer.h"

#include <optional>

#include "library/Catalog.h"

namespace qc {

ImageResult cachedImageResult(const std::string& path, const CatalogScore& c, const ModelInfo& model,
                              const std::string& resize, const std::string& source) {
    ImageResult r;
    r.path = path;
    r.source = source;
    r.width = c.width;
    r.height = c.height;
    r.inputWidth = c.inputWidth;
    r.inputHeight = c.inputHeight;
    r.resize = resize;
    r.modelSha256 = model.sha256;
    r.promptSet = model.promptSet;
    r.recipe = model.recipe;
    r.device = model.device.toString();
    r.precision = model.precision;
    r.score = c.score;
    r.pairProbabilities = c.pairProbabilities;
    r.embedding = c.embedding;
    r.cached = true;
    return r;
}

std::string plannedSourceName(const std::string& path, const ScoringOptions& options) {
    try {
        return pixelSourceName(plannedPixelSource(path, effectiveLoadOptions(options)));
    } catch (const std::exception&) {
        return pixelSourceName(PixelSource::File);
    }
}

ImageScorer catalogScorer(Catalog& catalog, const ScoringEngine& engine,
                          CatalogScorerCounts* counts, bool readCache, bool withEmbeddings) {
    return [&catalog, &engine, counts, readCache, withEmbeddings](const std::vector<std::string>& paths,
                                       const ScoringEngine::ResultCallback& onResult,
                                       const std::atomic<bool>* cancel) -> size_t {
        const std::string& model = engine.model().info().sha256;
        const std::string& promptSet = engine.model().info().promptSet;
        const std::string key = scoringKey(model, promptSet, engine.model().info().recipe);
        std::vector<std::string> sources(paths.size(), "file");
        std::vector<int64_t> ids(paths.size(), 0);
        std::vector<std::optional<CatalogScore>> hits(paths.size());
        std::vector<std::string> toScore;
        std::vector<size_t> toScoreIndex;
        for (size_t i = 0; i < paths.size(); ++i) {
            if (cancel && cancel->load()) break;
            try {
                ids[i] = catalog.resolve(paths[i]).id;
                sources[i] = plannedSourceName(paths[i], engine.options());
                const std::string policy = scoreVariant(engine.options().resize.toString(),
                                                        engine.model().info().precision, sources[i]);
                if (readCache) hits[i] = catalog.score(ids[i], key, policy, withEmbeddings);
            } catch (const std::exception&) {
                // Unreadable: the engine reports it in the image's result.
            }
            if (!hits[i]) {
                toScore.push_back(paths[i]);
                toScoreIndex.push_back(i);
            }
        }
        // Results go out in path order: cached ones just before the next scored one.
        size_t delivered = 0;
        const auto deliverCachedUpTo = [&](size_t end) {
            for (; delivered < end; ++delivered) {
                if (cancel && cancel->load()) return false;
                if (!hits[delivered]) return false;  // cancelled before it was looked up
                if (counts) ++counts->cached;
                onResult(delivered,
                         cachedImageResult(paths[delivered], *hits[delivered], engine.model().info(),
                                           engine.options().resize.toString(), sources[delivered]));
            }
            return true;
        };
        bool stopped = false;
        engine.scoreFiles(
            toScore,
            [&](size_t k, const ImageResult& r) {
                const size_t index = toScoreIndex[k];
                if (stopped || !deliverCachedUpTo(index)) {
                    stopped = true;
                    return;
                }
                if (counts) ++counts->scored;
                if (r.ok() && ids[index] != 0) {
                    try {
                        catalog.storeScore(ids[index], r);
                    } catch (const std::exception& e) {
                        if (counts && counts->storeFailures++ == 0)
                            counts->firstStoreError = e.what();
                    }
                }
                onResult(index, r);
                delivered = index + 1;
            },
            cancel);
        if (!stopped && !(cancel && cancel->load())) deliverCachedUpTo(paths.size());
        return delivered;
    };
}

}  // namespace qc
