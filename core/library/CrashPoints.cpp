#include "library/CrashPoints.h"

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace qc {
namespace {

struct CrashRequest {
    std::string point;  // empty: no crash requested
    long hit = 0;
};

CrashRequest requestFromEnvironment() {
    const char* value = std::getenv("QUALICLIP_CRASH_AT");
    if (value == nullptr) return {};
    const std::string text = value;
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) return {};
    return {text.substr(0, colon), std::strtol(text.c_str() + colon + 1, nullptr, 10)};
}

}  // namespace

void crashPoint(const char* point) {
    static const CrashRequest request = requestFromEnvironment();
    static std::atomic<long> hits{0};
    if (request.point.empty() || request.point != point) return;
    if (++hits == request.hit) ::raise(SIGKILL);
}

}  // namespace qc
