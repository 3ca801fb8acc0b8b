// TorchRuntimeInfo: what the network runs on in this process, for version reports
// (`qualiclip --version`, Help > About): LibTorch's version, the CPU kernels ATen dispatches
// to, oneDNN's version, the BLAS library that was loaded (Debian picks it through
// alternatives, so only the running process can tell) and the compute thread count.
// Any thread; cheap (no model needed).
#pragma once

#include <string>

namespace qc {

struct TorchRuntimeInfo {
    std::string libtorchVersion;  // e.g. "1.13.0"
    std::string atenCapability;   // ATen's CPU kernel set: "AVX2", "AVX512", "DEFAULT"
    std::string onednnVersion;    // oneDNN (MKL-DNN) used for convolutions, "" when absent
    std::string blasLibrary;      // the file libblas.so.3 resolved to
    std::string blasConfig;       // OpenBLAS's own config string and core, "" for another BLAS
    int threads = 0;              // compute threads now (LibTorch and OpenBLAS pools)
    int cores = 0;                // hardware threads; scoring uses one per core by default
};

TorchRuntimeInfo torchRuntimeInfo();

}  // namespace qc
