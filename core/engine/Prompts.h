// The antonym prompt pairs of QualiCLIP, in checkpoint order (Agnolucci et al., 2024,
// and the authors' hubconf.py). The scores use the checkpoint's stored prompt features;
// these names only label them.
#pragma once

#include <string>
#include <vector>

namespace qc {

struct PromptPair {
    std::string key;       // short stable name used in output files, e.g. "sharp_image"
    std::string positive;  // "Sharp image."
    std::string negative;  // "Blurry image."
};

// The 7 official pairs when pairCount == 7; otherwise "pair_1".."pair_N" with empty prompts.
std::vector<PromptPair> promptPairsFor(int pairCount);

}  // namespace qc
