// qualiclip-bench --compare-precision: bfloat16 against float32 with one model, one engine per
// precision (issue #15). Scores every photo of the folders in both precisions as
// `qualiclip score` does (the resize policy, decoding ahead), then times the network at 1024x768
// alternating float32 and bfloat16 in the same process, and prints the figures for
// docs/benchmarks.md: n, the float32 scores' spread, max and 99th percentile |difference|,
// Spearman's rho, seconds per image of each precision and their ratio.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/QualiClipModel.h"

namespace qc::bench {

struct PrecisionComparisonRequest {
    std::vector<std::string> folders;
    std::string resize = "long:1024";
    int speedRepeats = 3;  // 1024x768 runs per precision, alternating, after one warm-up each
};

// Returns the exit code: 0, or 2 with a message on stderr when the request cannot run (no
// photos, bfloat16 not available, a bad policy).
int comparePrecisions(const std::shared_ptr<const QualiClipModel>& float32Model,
                      const std::shared_ptr<const QualiClipModel>& bfloat16Model,
                      const PrecisionComparisonRequest& request);

}  // namespace qc::bench
