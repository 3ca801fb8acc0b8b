#include "engine/ComputeEnvironment.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "images/ImageLoader.h"

namespace qc {
namespace {

constexpr char kOpenCvPixelLimit[] = "OPENCV_IO_MAX_IMAGE_PIXELS";
constexpr char kPassiveOpenMp[] = "OMP_WAIT_POLICY=passive";
// ImageLoadOptions{}.maxPixels as an environment entry (OpenCvGuardTest checks the two agree).
constexpr char kOpenCvPixelLimitSetting[] = "OPENCV_IO_MAX_IMAGE_PIXELS=250000000";

bool hasVariable(char** envp, const char* name) {
    const size_t length = std::strlen(name);
    for (size_t i = 0; envp[i] != nullptr; ++i)
        if (std::strncmp(envp[i], name, length) == 0 && envp[i][length] == '=') return true;
    return false;
}

// Runs from the executable's .preinit_array: after the libraries are mapped but before any of
// their constructors, so starting again here skips the expensive half of a start (LibTorch's
// operator registration, Qt's and OpenCV's static set-up: ~0.4 s of CPU on this machine) that a
// re-execution from main() paid twice. libc's own environment functions are not ready yet (libc
// sets `environ` after this), hence the hand-made copy of envp.
void restartWithLibrarySettings(int, char** argv, char** envp) {
    if (argv == nullptr || envp == nullptr) return;
    const bool needOpenMp = !hasVariable(envp, "OMP_WAIT_POLICY");
    const bool needOpenCv = !hasVariable(envp, kOpenCvPixelLimit);
    if (!needOpenMp && !needOpenCv) return;  // the user's values stay
    size_t count = 0;
    while (envp[count] != nullptr) ++count;
    auto** env = static_cast<char**>(std::malloc((count + 3) * sizeof(char*)));
    if (env == nullptr) return;
    std::memcpy(env, envp, count * sizeof(char*));
    if (needOpenMp) env[count++] = const_cast<char*>(kPassiveOpenMp);
    if (needOpenCv) env[count++] = const_cast<char*>(kOpenCvPixelLimitSetting);
    env[count] = nullptr;
    execve("/proc/self/exe", argv, env);
    std::free(env);  // execve only returns on failure: prepareComputeEnvironment tries again
}

bool setIfUnset(const char* name, const std::string& value) {
    if (std::getenv(name) != nullptr) return false;
    setenv(name, value.c_str(), 1);
    return true;
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
    bool changed = setIfUnset("OMP_WAIT_POLICY", "passive");
    changed = setIfUnset(kOpenCvPixelLimit, std::to_string(ImageLoadOptions{}.maxPixels)) || changed;
    if (!changed) return;
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
