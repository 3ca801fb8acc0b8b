#include "engine/PrecisionChoice.h"

#include "engine/CpuFeatures.h"

namespace qc {

PrecisionChoice choosePrecision(const ComputeDevice& device, Precision requested) {
    if (requested != Precision::BFloat16 || device.isCuda() || cpuHasBFloat16())
        return {requested, {}};
    return {Precision::Float32, bfloat16Unavailable() + ": running float32"};
}

}  // namespace qc
