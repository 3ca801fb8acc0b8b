// choosePrecision: the precision that runs when one is asked for, the one rule the CLI's
// `--precision` and the window's Compute Device ▸ Precision share. Any thread may call it.
#pragma once

#include <string>

#include "engine/ComputeDevice.h"

namespace qc {

struct PrecisionChoice {
    Precision precision = Precision::Float32;
    std::string fallback;  // empty when the requested precision runs; else why it does not
};

// The requested precision, except bfloat16 on a CPU that cannot run it natively (CpuFeatures.h),
// which becomes float32 with `fallback` saying why (the CLI prints it, the window shows it).
// Rows and the catalog then record the precision that ran. Other combinations are passed on
// for checkPrecision to accept or refuse.
PrecisionChoice choosePrecision(const ComputeDevice& device, Precision requested);

}  // namespace qc
