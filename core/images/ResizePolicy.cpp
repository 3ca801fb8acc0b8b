#include "images/ResizePolicy.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace qc {

std::optional<ResizePolicy> ResizePolicy::parse(const std::string& text) {
    if (text == "native") return native();
    const std::string prefix = "long:";
    if (text.rfind(prefix, 0) != 0 || text.size() == prefix.size()) return std::nullopt;
    const std::string fastSuffix = "/fast";
    const bool fast = text.size() > fastSuffix.size() &&
                      text.compare(text.size() - fastSuffix.size(), fastSuffix.size(), fastSuffix) == 0;
    const std::string digits =
        text.substr(prefix.size(), text.size() - prefix.size() - (fast ? fastSuffix.size() : 0));
    if (digits.empty()) return std::nullopt;
    if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const int n = std::atoi(digits.c_str());
    // Below 32 px the network's feature map is empty (see docs/qualiclip-model.md).
    if (n < 32) return std::nullopt;
    return fast ? longSideFast(n) : longSide(n);
}

std::string ResizePolicy::toString() const {
    if (isNative()) return "native";
    return "long:" + std::to_string(maxLongSide) + (fastJpeg ? "/fast" : "");
}

void ResizePolicy::targetSize(int width, int height, int& outWidth, int& outHeight) const {
    outWidth = width;
    outHeight = height;
    const int longest = std::max(width, height);
    if (isNative() || longest <= maxLongSide) return;
    const double scale = static_cast<double>(maxLongSide) / longest;
    // The long side lands exactly on N; the short side is rounded, and kept >= 1.
    if (width >= height) {
        outWidth = maxLongSide;
        outHeight = std::max(1, static_cast<int>(std::lround(height * scale)));
    } else {
        outHeight = maxLongSide;
        outWidth = std::max(1, static_cast<int>(std::lround(width * scale)));
    }
}

}  // namespace qc
