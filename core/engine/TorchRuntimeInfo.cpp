#include "engine/TorchRuntimeInfo.h"

#include <ATen/Version.h>
#include <dlfcn.h>
#include <torch/version.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "engine/QualiClipModel.h"

namespace qc {
namespace {

// at::show_config() is the one public place that names the kernel set chosen at run time
// (from the CPU and ATEN_CPU_CAPABILITY): a line "  - CPU capability usage: AVX2".
std::string atenCapability() {
    std::istringstream config(at::show_config());
    const std::string key = "CPU capability usage: ";
    for (std::string line; std::getline(config, line);) {
        const auto at = line.find(key);
        if (at != std::string::npos) return line.substr(at + key.size());
    }
    return "unknown";
}

// The BLAS symbols LibTorch calls are resolved from whatever libblas.so.3 the dynamic linker
// found; dladdr names that file, and OpenBLAS describes itself.
void describeBlas(TorchRuntimeInfo& info) {
    Dl_info where{};
    if (void* sgemm = dlsym(RTLD_DEFAULT, "sgemm_");
        sgemm && dladdr(sgemm, &where) && where.dli_fname) {
        // libblas.so.3 is an alternatives link; the file it leads to names the implementation.
        std::error_code error;
        const auto real = std::filesystem::canonical(where.dli_fname, error);
        info.blasLibrary = error ? where.dli_fname : real.string();
    } else {
        info.blasLibrary = "not loaded";
    }
    using Text = char* (*)();
    const auto config = reinterpret_cast<Text>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
    const auto core = reinterpret_cast<Text>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    if (config) info.blasConfig = config();
    if (core) info.blasConfig += std::string(info.blasConfig.empty() ? "" : ", core ") + core();
}

}  // namespace

TorchRuntimeInfo torchRuntimeInfo() {
    TorchRuntimeInfo info;
    info.libtorchVersion = TORCH_VERSION;
    info.atenCapability = atenCapability();
    info.onednnVersion = at::hasMKLDNN() ? at::get_mkldnn_version() : std::string();
    describeBlas(info);
    info.threads = computeThreads();
    info.cores = static_cast<int>(std::thread::hardware_concurrency());
    return info;
}

}  // namespace qc
