// One libFuzzer program per target: compiled once for each with QCI_FUZZ_TARGET set to its name.
#include <cstdio>
#include <cstdlib>

#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const qc::fuzz::FuzzTarget* target = [] {
        const qc::fuzz::FuzzTarget* t = qc::fuzz::findFuzzTarget(QCI_FUZZ_TARGET);
        if (!t) {
            std::fprintf(stderr, "no fuzz target named %s\n", QCI_FUZZ_TARGET);
            std::abort();
        }
        return t;
    }();
    target->run(data, size);
    return 0;
}
