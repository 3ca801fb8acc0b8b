#include "engine/CpuFeatures.h"

#include <cctype>
#include <cstdlib>
#include <fstream>

namespace qc {
namespace {

// The kernel's names for the instructions oneDNN's bfloat16 kernels need (AVX512-BF16 on Cooper
// Lake, Zen 4 and later; AMX on Sapphire Rapids and later).
bool processorHasBFloat16() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("flags", 0) == 0)
            return line.find(" avx512_bf16") != std::string::npos ||
                   line.find(" amx_bf16") != std::string::npos;
    return false;
}

// oneDNN reads ONEDNN_MAX_CPU_ISA first and DNNL_MAX_CPU_ISA as its older name.
std::string oneDnnIsaCap() {
    for (const char* name : {"ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"})
        if (const char* value = std::getenv(name); value && *value) return value;
    return {};
}

}  // namespace

bool oneDnnIsaCapAllowsBFloat16(const std::string& cap) {
    std::string upper;
    for (char c : cap) upper += char(std::toupper(static_cast<unsigned char>(c)));
    // oneDNN's levels, lowest first: SSE41, AVX, AVX2, AVX2_VNNI(_2), AVX512_CORE(_VNNI), then
    // AVX512_CORE_BF16, AVX10_1_512 / AVX512_CORE_FP16, AVX512_CORE_AMX(_FP16); DEFAULT and ALL
    // mean no cap.
    return upper.empty() || upper == "ALL" || upper == "DEFAULT" ||
           upper.find("BF16") != std::string::npos || upper.find("FP16") != std::string::npos ||
           upper.find("AMX") != std::string::npos || upper.find("AVX10") != std::string::npos;
}

std::string bfloat16Unavailable() {
    static const std::string reason = []() -> std::string {
        if (!processorHasBFloat16())
            return "bfloat16 needs a processor with AVX512-BF16 or AMX; this one has neither";
        const std::string cap = oneDnnIsaCap();
        if (!oneDnnIsaCapAllowsBFloat16(cap))
            return "bfloat16 needs AVX512-BF16 or AMX, and ONEDNN_MAX_CPU_ISA=" + cap +
                   " keeps oneDNN from using them";
        return {};
    }();
    return reason;
}

bool cpuHasBFloat16() { return bfloat16Unavailable().empty(); }

}  // namespace qc
