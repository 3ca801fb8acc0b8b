#include "engine/ComputeEnvironment.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace qc {
namespace {

constexpr char kPassive[] = "OMP_WAIT_POLICY=passive";

// Runs from the executable's .preinit_array: after the libraries are mapped but before any of
// their constructors, so starting again here skips the expensive half of a start (LibTorch's
// operator registration, Qt's and OpenCV's static set-up: ~0.4 s of CPU on this machine) that a
// re-execution from main() paid twice. libc's own environment functions are not ready yet (libc
// sets `environ` after this), hence the hand-made copy of envp.
void restartWithPassiveOpenMp(int, char** argv, char** envp) {
    if (argv == nullptr || envp == nullptr) return;
    size_t count = 0;
    for (; envp[count] != nullptr; ++count)
        if (std::strncmp(envp[count], "OMP_WAIT_POLICY=", 16) == 0)
            return;  // the user's value stays
    auto** env = static_cast<char**>(std::malloc((count + 2) * sizeof(char*)));
    if (env == nullptr) return;
    std::memcpy(env, envp, count * sizeof(char*));
    env[count] = const_cast<char*>(kPassive);
    env[count + 1] = nullptr;
    execve("/proc/self/exe", argv, env);
    std::free(env);  // execve only returns on failure: prepareComputeEnvironment tries again
}

}  // namespace
}  // namespace qc

// Only an executable has a .preinit_array; qualiclip_core is a static library linked into one,
// and this file is linked only into programs that call prepareComputeEnvironment.
__attribute__((section(".preinit_array"), used)) static void (*const qciRestartWithPassiveOpenMp)(
    int, char**, char**) = &qc::restartWithPassiveOpenMp;

namespace qc {

void prepareComputeEnvironment(char** argv) {
    // Normally set already (above); this is the fallback where .preinit_array did not run.
    if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);
    // execv only returns on failure (no /proc): carry on, slower but correct.
}

}  // namespace qc
