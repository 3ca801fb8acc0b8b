// prepareImage: one photo made ready for the network exactly as ScoringEngine does it (decode,
// EXIF orientation, the resize policy, the minimum-size check), without a model. The engine
// calls it on its decode thread; benchmarks call it to measure what decoding costs alone.
// Any thread may call it.
#pragma once

#include <string>

#include "engine/ScoringEngine.h"

namespace qc {

// Never throws for a bad file: the PreparedImage's error names the file and the problem.
PreparedImage prepareImage(const std::string& path, const ScoringOptions& options);

}  // namespace qc
