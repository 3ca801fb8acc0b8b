// ShootBursts: grouping a shoot's scored photos into bursts through the catalog, the one code
// path of `qualiclip group`, `qualiclip cull --best-of-bursts` and the window.
//
// For each photo: its catalog id, its capture time (from the catalog while the file is
// unchanged, else read with library/CaptureTime.h and stored), its embedding and score from
// the result; then library/BurstGrouping.h's groupBursts, and the bursts are stored in the
// catalog (Catalog::replaceBursts), replacing an earlier grouping of these photos.
//
// Usage:
//   std::vector<ImageResult> results = ...;  // from an ImageScorer (scores and embeddings)
//   ShootGrouping g = groupShoot(catalog, results, BurstSettings{},
//   sharpnessPairIndex(model.info().pairs)); for (const ShootPhoto& p : g.photos) print(p.path,
//   p.burstId, p.position, p.best);
//
// Threads: the caller's; the catalog must not be used by another thread's transaction at once
// beyond what Catalog allows (it locks).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/Prompts.h"
#include "engine/ScoringEngine.h"
#include "library/BurstGrouping.h"
#include "library/CaptureTime.h"

namespace qc {

class Catalog;

struct ShootPhoto {
    std::string path;
    int64_t catalogId = 0;  // 0 when the file could not be resolved (error says why)
    std::optional<CaptureTime> captureTime;
    std::optional<double> score;
    std::vector<double> pairProbabilities;
    std::string error;  // scoring or reading problem; the photo is then a burst of its own
    int64_t burstId = 0;
    int position = 0;
    int burstSize = 1;
    bool best = false;
};

struct ShootGrouping {
    std::vector<ShootPhoto> photos;  // in capture order, burst after burst
    size_t burstCount = 0;
};

// The index of the sharpness pair ("sharp_image") among the model's pairs, -1 when it has none.
int sharpnessPairIndex(const std::vector<PromptPair>& pairs);

// "gap=2 similarity=0.9": what the catalog keeps with the bursts.
std::string burstSettingsText(const BurstSettings& settings);

// The photo's capture time, from the catalog or the file (then stored). Throws
// CaptureTimeError / CatalogError naming the file.
CaptureTime catalogCaptureTime(Catalog& catalog, int64_t imageId, const std::string& path);

// The same for many photos (imageIds[i] is paths[i]'s), the new ones stored in one
// transaction; a photo whose time cannot be read gets nullopt and its problem in problems[i].
std::vector<std::optional<CaptureTime>> catalogCaptureTimes(Catalog& catalog,
                                                            const std::vector<int64_t>& imageIds,
                                                            const std::vector<std::string>& paths,
                                                            std::vector<std::string>& problems);

// Groups the results (failed ones included: they stay bursts of their own) and stores the
// bursts. sharpnessPair: sharpnessPairIndex() of the model, -1 for no tie-break on sharpness.
ShootGrouping groupShoot(Catalog& catalog, const std::vector<ImageResult>& results,
                         const BurstSettings& settings, int sharpnessPair);

}  // namespace qc
