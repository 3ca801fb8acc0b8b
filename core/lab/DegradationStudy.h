// DegradationStudy: one image, chosen degradation families, levels 1..N, each degraded image
// scored from memory by the ScoringEngine (no files written). The original is scored once and
// stands as level 0 of every family. Both the CLI (`qualiclip degrade`) and the lab window run it.
//
// Usage:
//   DegradationStudyRequest request{rgb, "photo.jpg", {DegradationFamily::Jpeg}, 5, 1};
//   runDegradationStudy(request, &engine, [](const StudyCell& cell, size_t done, size_t total) {...},
//                       &cancelFlag);
//   double rho = scoreLevelSpearman(scoresOfLevels0To5);  // -1: the score falls at every level
//
// runDegradationStudy() calls back on the calling thread, original first, then family by family,
// level by level. It checks the cancel flag between cells (and the engine checks it between
// network stages), and returns how many cells were delivered. A const engine may be shared.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "lab/Degradations.h"
#include "engine/Prompts.h"
#include "engine/ScoringEngine.h"

namespace qc {

struct DegradationStudyRequest {
    cv::Mat rgb;                                // CV_8UC3, R, G, B; the study keeps a reference
    std::string name;                           // names the image in results and errors
    std::vector<DegradationFamily> families;    // in the order they are run
    int levels = kDegradationLevels;            // 1..5: levels 1..levels are made
    uint32_t seed = 1;
};

struct StudyCell {
    std::optional<DegradationFamily> family;  // nullopt: the original
    int level = 0;
    double parameter = 0;                     // the table's value for the level (0 for the original)
    cv::Mat image;                            // CV_8UC3 RGB, the input's size
    bool scored = false;                      // an engine was given and the cell reached it
    ImageResult result;                       // score, pair probabilities, or the error
    std::string error;                        // degradation or scoring problem, in words

    bool ok() const { return error.empty(); }
    std::string id() const;                   // "original" or "<family>_L<level>", used for file names
};

using StudyCellCallback = std::function<void(const StudyCell& cell, size_t done, size_t total)>;

// Number of cells a request makes (the original included).
size_t studyCellCount(const DegradationStudyRequest& request);

// engine may be null: the cells are degraded but not scored. Throws std::invalid_argument for a
// request that is not CV_8UC3 or has levels outside 1..5.
size_t runDegradationStudy(const DegradationStudyRequest& request, const ScoringEngine* engine,
                           const StudyCellCallback& onCell, const std::atomic<bool>* cancel = nullptr);

// Spearman correlation of score with level for scores of levels 0, 1, 2, ... (NaN when fewer
// than two or all equal). -1 means the score falls at every level.
double scoreLevelSpearman(const std::vector<double>& scoresByLevel);

// The study's CSV (RFC 4180): family, level, parameter, value, file, score, one column per pair,
// error. Unscored cells leave score and pairs empty.
std::string studyCsvHeader(const std::vector<PromptPair>& pairs);
std::string studyCsvRow(const StudyCell& cell, const std::vector<PromptPair>& pairs, const std::string& file);

}  // namespace qc
