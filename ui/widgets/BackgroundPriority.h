// lowerCurrentThreadPriority: long computations (scoring, maps) run at a lower priority than the
// GUI thread, so on a 2-core laptop a repaint never waits behind the network. On Linux the nice
// value is per thread and threads inherit it, so the threads LibTorch's OpenMP pool and the
// engine's decoder start from here are lowered too.
#pragma once

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace qc::ui {

inline void lowerCurrentThreadPriority() {
    // Failure (no permission, non-Linux) only means the old behaviour: nothing to report.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
}

}  // namespace qc::ui
