// ComputeDevice: where the network runs and in what precision. The CPU always works; a CUDA
// GPU works when the LibTorch the program was built against has CUDA (a CUDA LibTorch through
// Torch_DIR, see README) and the machine has a device. Debian's LibTorch is CPU-only: there
// "auto" is the CPU and "cuda" is a clear error, never a crash.
//
// Usage:
//   ModelOptions options{resolveDevice("auto"), Precision::Float32};
//   auto model = QualiClipModel::load(path, options);   // weights moved to the device once
//
// All functions may be called from any thread. LibTorch stays behind this header.
#pragma once

#include <optional>
#include <string>

namespace qc {

enum class DeviceKind { Cpu, Cuda };

struct ComputeDevice {
    DeviceKind kind = DeviceKind::Cpu;
    int index = 0;  // CUDA device number

    bool isCuda() const { return kind == DeviceKind::Cuda; }
    std::string toString() const;  // "cpu", "cuda:0": the `device` field of every row
    bool operator==(const ComputeDevice& o) const { return kind == o.kind && index == o.index; }
};

// float32 gives the reference's numbers everywhere (TF32 off on CUDA). The others trade
// accuracy for speed and run on CUDA only: tf32 (float32 storage, TF32 matrix units),
// float16 and bfloat16 (the convolutional trunk in that type, the head in float32; the
// reference's own GPU path uses float16 autocast).
enum class Precision { Float32, TF32, Float16, BFloat16 };

std::string precisionName(Precision precision);  // "float32", "tf32", "float16", "bfloat16"
std::optional<Precision> parsePrecision(const std::string& text);

// Parses "auto", "cpu", "cuda" (= cuda:0) or "cuda:N" and checks that it can be used. "auto"
// takes cuda:0 when LibTorch has CUDA and a device is present, else the CPU. Throws
// QualiClipError with one sentence saying what is missing: an unknown name, CUDA asked of a
// LibTorch built without it, or a device number the machine does not have.
ComputeDevice resolveDevice(const std::string& request);

// Throws QualiClipError when `precision` cannot run on `device` (anything but float32 on the CPU).
void checkPrecision(const ComputeDevice& device, Precision precision);

bool libtorchHasCuda();  // LibTorch was built with CUDA and its runtime loads
int cudaDeviceCount();   // 0 without CUDA

// One line for --version and bug reports, e.g. "cpu (LibTorch without CUDA)" or
// "cuda:0 (1 CUDA device)".
std::string deviceSummary(const ComputeDevice& device);

// Settings for a loaded model.
struct ModelOptions {
    ComputeDevice device;
    Precision precision = Precision::Float32;
};

}  // namespace qc
