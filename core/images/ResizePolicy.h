// ResizePolicy: how an image is sized before the network sees it. `native` is what the
// reference does (no resize). `long:N` shrinks with area interpolation so the long side is at
// most N and never enlarges; it is ours, offered for speed, and always named in results.
#pragma once

#include <optional>
#include <string>

namespace qc {

struct ResizePolicy {
    int maxLongSide = 0;  // 0 = native

    static ResizePolicy native() { return {}; }
    static ResizePolicy longSide(int n) { return ResizePolicy{n}; }

    // Parses "native" or "long:N" (N >= 32); nullopt for anything else.
    static std::optional<ResizePolicy> parse(const std::string& text);

    bool isNative() const { return maxLongSide == 0; }
    std::string toString() const;  // "native" or "long:N"

    // The size the network sees for an image of width x height under this policy.
    void targetSize(int width, int height, int& outWidth, int& outHeight) const;

    bool operator==(const ResizePolicy& other) const { return maxLongSide == other.maxLongSide; }
    bool operator!=(const ResizePolicy& other) const { return !(*this == other); }
};

}  // namespace qc
