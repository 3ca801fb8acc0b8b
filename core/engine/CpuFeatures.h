// What this processor offers the network beyond float32 (read once from /proc/cpuinfo and the
// environment; any thread may call it).
#pragma once

#include <string>

namespace qc {

// AVX512-BF16 or AMX, and oneDNN allowed to use them: oneDNN runs bfloat16 convolutions and
// matrix products natively (`--precision bfloat16` on the CPU needs this).
bool cpuHasBFloat16();

// Empty when cpuHasBFloat16(); else one sentence saying why not, for a message or a tooltip:
// the processor lacks AVX512-BF16 and AMX, or ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA limits
// oneDNN below them (where its bfloat16 kernels would be slow emulations).
std::string bfloat16Unavailable();

// Whether oneDNN's instruction-set cap (the value of ONEDNN_MAX_CPU_ISA, "" when unset) leaves
// its native bfloat16 kernels: ALL and every level from AVX512_CORE_BF16 up (AVX10, FP16, AMX).
bool oneDnnIsaCapAllowsBFloat16(const std::string& cap);

}  // namespace qc
