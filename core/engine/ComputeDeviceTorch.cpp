#include <ATen/ATen.h>
#include <ATen/Context.h>

#include <cctype>
#include <string>

#include "Errors.h"
#include "engine/ComputeDevice.h"
#include "engine/CpuFeatures.h"

namespace qc {

std::string ComputeDevice::toString() const {
    return isCuda() ? "cuda:" + std::to_string(index) : "cpu";
}

std::string precisionName(Precision precision) {
    switch (precision) {
        case Precision::Float32: return "float32";
        case Precision::TF32: return "tf32";
        case Precision::Float16: return "float16";
        case Precision::BFloat16: return "bfloat16";
    }
    return "float32";
}

std::optional<Precision> parsePrecision(const std::string& text) {
    for (Precision p : {Precision::Float32, Precision::TF32, Precision::Float16, Precision::BFloat16})
        if (text == precisionName(p)) return p;
    return std::nullopt;
}

bool libtorchHasCuda() { return at::hasCUDA(); }

int cudaDeviceCount() { return libtorchHasCuda() ? static_cast<int>(at::getNumGPUs()) : 0; }

namespace {

std::optional<int> parseIndex(const std::string& digits) {
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    for (char c : digits)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    return std::stoi(digits);
}

}  // namespace

ComputeDevice resolveDevice(const std::string& request) {
    if (request == "cpu") return {};
    if (request == "auto") return cudaDeviceCount() > 0 ? ComputeDevice{DeviceKind::Cuda, 0} : ComputeDevice{};
    std::optional<int> index;
    if (request == "cuda") index = 0;
    else if (request.rfind("cuda:", 0) == 0) index = parseIndex(request.substr(5));
    if (!index)
        throw QualiClipError("unknown device '" + request + "': use auto, cpu, cuda or cuda:N");
    if (!libtorchHasCuda())
        throw QualiClipError("device '" + request +
                             "' needs a LibTorch built with CUDA; this program uses a CPU-only LibTorch "
                             "(build against a CUDA LibTorch with -DTorch_DIR=..., see README) or use --device cpu");
    const int count = cudaDeviceCount();
    if (*index >= count)
        throw QualiClipError("device '" + request + "' does not exist: this machine has " +
                             std::to_string(count) + " CUDA device" + (count == 1 ? "" : "s"));
    return {DeviceKind::Cuda, *index};
}

void checkPrecision(const ComputeDevice& device, Precision precision) {
    if (precision == Precision::Float32 || device.isCuda()) return;
    if (precision == Precision::BFloat16) {
        if (cpuHasBFloat16()) return;
        throw QualiClipError(bfloat16Unavailable() + ": use float32");
    }
    throw QualiClipError("precision " + precisionName(precision) +
                         " runs on a CUDA device only; on the CPU use float32 (or bfloat16 where the processor "
                         "has AVX512-BF16 or AMX)");
}

std::string deviceSummary(const ComputeDevice& device) {
    if (!libtorchHasCuda()) return device.toString() + " (LibTorch without CUDA)";
    const int count = cudaDeviceCount();
    return device.toString() + " (" + std::to_string(count) + " CUDA device" + (count == 1 ? "" : "s") + ")";
}

}  // namespace qc
