#include "engine/ComputeEnvironment.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>


namespace qc {
namespace {

constexpr char kOpenCvPixelLimit[] = "OPENCV_IO_MAX_IMAGE_PIXELS";
// ImageLoadOptions{}.maxPixels as an environment entry (OpenCvGuardTest checks the two agree).
constexpr char kOpenCvPixelLimitSetting[] = "OPENCV_IO_MAX_IMAGE_PIXELS=250000000";
constexpr char kPassiveOpenMp[] = "OMP_WAIT_POLICY=passive";
constexpr char kHugePageMalloc[] = "GLIBC_TUNABLES=glibc.malloc.hugetlb=1";
constexpr char kAvx512Blas[] = "OPENBLAS_CORETYPE=SKYLAKEX";

bool hasVariable(char** envp, const char* name) {
    const size_t length = std::strlen(name);
    for (size_t i = 0; envp[i] != nullptr; ++i)
        if (std::strncmp(envp[i], name, length) == 0 && envp[i][length] == '=') return true;
    return false;
}

// OpenBLAS 0.3.21 takes a processor it does not know (AMD Zen 4 and later) for Haswell and uses
// its AVX2 kernels; its AVX-512 ("SkylakeX") kernels need these four extensions.
bool hasAvx512ForBlas() {
    __builtin_cpu_init();  // libgcc's own initialisation may not have run yet (see below)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

// The settings below that are missing from `envp`, as "NAME=value" entries.
std::vector<const char*> missingSettings(char** envp) {
    std::vector<const char*> missing;
    auto add = [&](const char* entry) {
        const std::string name(entry, std::strchr(entry, '='));
        if (!hasVariable(envp, name.c_str())) missing.push_back(entry);
    };
    add(kPassiveOpenMp);
    add(kOpenCvPixelLimitSetting);
    add(kHugePageMalloc);
    if (hasAvx512ForBlas()) add(kAvx512Blas);
    return missing;
}

// Runs from the executable's .preinit_array: after the libraries are mapped but before any of
// their constructors, so starting again here skips the expensive half of a start (LibTorch's
// operator registration, Qt's and OpenCV's static set-up: ~0.4 s of CPU on this machine) that a
// re-execution from main() paid twice. libc's own environment functions are not ready yet (libc
// sets `environ` after this, from the same array: a setenv() here is lost), hence the hand-made
// copy of envp.
void restartWithLibrarySettings(int, char** argv, char** envp) {
    if (argv == nullptr || envp == nullptr) return;
    const std::vector<const char*> missing = missingSettings(envp);
    if (missing.empty()) return;  // the user's values stay
    size_t count = 0;
    while (envp[count] != nullptr) ++count;
    std::vector<char*> env(envp, envp + count);
    for (const char* entry : missing) env.push_back(const_cast<char*>(entry));
    env.push_back(nullptr);
    execve("/proc/self/exe", argv, env.data());
    // execve only returns on failure: prepareComputeEnvironment tries again
}

}  // namespace
}  // namespace qc

// Only an executable has a .preinit_array; qualiclip_core is a static library linked into one,
// and this file is linked only into programs that call prepareComputeEnvironment.
__attribute__((section(".preinit_array"), used)) static void (*const qciRestartWithLibrarySettings)(
    int, char**, char**) = &qc::restartWithLibrarySettings;

namespace qc {

void prepareComputeEnvironment(char** argv) {
    // Normally set already (above); this is the fallback where .preinit_array did not run.
    const std::vector<const char*> missing = missingSettings(environ);
    if (missing.empty()) return;
    for (const char* entry : missing) putenv(const_cast<char*>(entry));
    execv("/proc/self/exe", argv);
    // execv only returns on failure (no /proc): carry on, slower and with OpenCV's wider limit.
}

void raiseOpenCvPixelLimit(int64_t maxPixels, const std::vector<std::string>& arguments) {
    const char* current = std::getenv(kOpenCvPixelLimit);
    if (current == nullptr || std::strtoll(current, nullptr, 10) >= maxPixels || arguments.empty()) return;
    setenv(kOpenCvPixelLimit, std::to_string(maxPixels).c_str(), 1);
    std::vector<char*> argv;
    for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
}

}  // namespace qc
