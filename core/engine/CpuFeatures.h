// What this processor offers the network beyond float32 (read once from /proc/cpuinfo; any
// thread may call it).
#pragma once

namespace qc {

// AVX512-BF16 or AMX: oneDNN runs bfloat16 convolutions and matrix products natively
// (`--precision bfloat16` on the CPU needs one of them).
bool cpuHasBFloat16();

}  // namespace qc
