// ResizePolicy: how an image is sized before the network sees it. `native` is what the
// reference does (no resize). `long:N` shrinks with area interpolation so the long side is at
// most N and never enlarges; it is ours, offered for speed, and always named in results.
// `long:N/fast` also lets libjpeg decode JPEGs at 1/2, 1/4 or 1/8 scale (never below N) before
// that shrink: slightly other pixels, so a policy of its own (docs/benchmarks.md has the figure).
#pragma once

#include <optional>
#include <string>

namespace qc {

struct ResizePolicy {
    int maxLongSide = 0;    // 0 = native
    bool fastJpeg = false;  // DCT-scaled JPEG decoding (long:N/fast only)

    static ResizePolicy native() { return {}; }
    static ResizePolicy longSide(int n) { return ResizePolicy{n}; }
    static ResizePolicy longSideFast(int n) { return ResizePolicy{n, true}; }

    // Parses "native", "long:N" or "long:N/fast" (N >= 32); nullopt for anything else.
    static std::optional<ResizePolicy> parse(const std::string& text);

    bool isNative() const { return maxLongSide == 0; }
    std::string toString() const;  // "native", "long:N" or "long:N/fast"

    // The size the network sees for an image of width x height under this policy.
    void targetSize(int width, int height, int& outWidth, int& outHeight) const;

    bool operator==(const ResizePolicy& other) const { return maxLongSide == other.maxLongSide && fastJpeg == other.fastJpeg; }
    bool operator!=(const ResizePolicy& other) const { return !(*this == other); }
};

}  // namespace qc
