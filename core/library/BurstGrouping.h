// BurstGrouping: which photos of a shoot are one burst (five to twenty frames of one moment),
// and the best frame of each. A pure function of capture times, embeddings and scores; the
// catalog stores what it returns (Catalog::replaceBursts) and library/ShootBursts.h feeds it.
//
// The rule: photos sorted by capture time (equal times by file name); two consecutive photos
// are in one burst when the time between them is at most `maxGapSeconds` AND the cosine
// similarity of their CLIP image embeddings is at least `minSimilarity`. A photo without a
// capture time, or without an embedding (not scored, or failed), is a burst of its own: we never
// claim a similarity we did not measure. Photos without a time come last, by name.
//
// Best of a burst: the highest score; ties broken by the sharpness pair's probability
// ("Sharp image." vs "Blurry image."), then by file name (the first wins). A burst in which no
// photo has a score has no best.
//
// Usage:
//   std::vector<BurstPhoto> photos = ...;               // one per photo, any order
//   BurstGroups g = groupBursts(photos, BurstSettings{});
//   for (const Burst& b : g.bursts) use(b.members, b.best);
//
// Threads: any; no shared state.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace qc {

// The default S comes from the measurement in docs/benchmarks.md ("Bursts: the default
// similarity"): two generated shoots (31 scenes, 158 frames) scored by the full-size
// random-weight model gave within-burst steps of at least 0.99984 and scene boundaries of at
// most 0.99855; 0.999 lies between them, separating every boundary by similarity alone and
// cutting no burst. A random-weight model's similarities crowd near 1, so the real weights' scale
// differs: `qualiclip-burst-bench similarity --model qualiclip.pth` measures it, and the window's
// slider shows the number of groups live.
inline constexpr double kDefaultBurstGapSeconds = 2.0;
inline constexpr double kDefaultBurstSimilarity = 0.999;

struct BurstSettings {
    double maxGapSeconds = kDefaultBurstGapSeconds;
    double minSimilarity = kDefaultBurstSimilarity;
};

struct BurstPhoto {
    std::string name;  // file name or path: the last tie-break and the order of equal times
    std::optional<double> captureSeconds;  // library/CaptureTime.h
    std::vector<float> embedding;          // empty when not scored
    std::optional<double> score;
    double sharpness = 0;  // probability of the sharpness pair, 0 when unknown
};

struct Burst {
    std::vector<size_t> members;  // indices into the input, in capture order
    std::optional<size_t> best;   // index into the input; nullopt when no member has a score
};

struct BurstGroups {
    std::vector<Burst> bursts;  // in capture order of their first frames; photos without time last
    // For each input photo: its burst (index into bursts) and its position in it (0 = first).
    std::vector<size_t> burstOf, positionOf;
};

BurstGroups groupBursts(const std::vector<BurstPhoto>& photos, const BurstSettings& settings);

// Cosine similarity of two embeddings; nullopt when either is empty, their sizes differ or
// one has no length.
std::optional<double> cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b);

// Whether photo b comes right after photo a in a burst, under settings (the rule above).
bool sameBurst(const BurstPhoto& a, const BurstPhoto& b, const BurstSettings& settings);

// The index of the best photo among members (the rule above), nullopt when none has a score.
std::optional<size_t> bestOfBurst(const std::vector<BurstPhoto>& photos,
                                  const std::vector<size_t>& members);

}  // namespace qc
