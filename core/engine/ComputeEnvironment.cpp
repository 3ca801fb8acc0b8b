#include "engine/ComputeEnvironment.h"

#include <unistd.h>

#include <cstdlib>

namespace qc {

void prepareComputeEnvironment(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);
    // execv only returns on failure (no /proc): carry on, slower but correct.
}

}  // namespace qc
