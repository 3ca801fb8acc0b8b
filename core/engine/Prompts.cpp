#include "engine/Prompts.h"

namespace qc {

std::vector<PromptPair> promptPairsFor(int pairCount) {
    static const std::vector<PromptPair> official = {
        {"good_photo", "Good photo.", "Bad photo."},
        {"sharp_image", "Sharp image.", "Blurry image."},
        {"sharp_edges", "Sharp edges.", "Blurry edges."},
        {"high_resolution", "High-resolution image.", "Low-resolution image."},
        {"noise_free", "Noise-free image.", "Noisy image."},
        {"high_quality", "High-quality image.", "Low-quality image."},
        {"good_picture", "Good picture.", "Bad picture."},
    };
    if (pairCount == static_cast<int>(official.size())) return official;
    std::vector<PromptPair> numbered;
    for (int i = 1; i <= pairCount; ++i) numbered.push_back({"pair_" + std::to_string(i), {}, {}});
    return numbered;
}

}  // namespace qc
