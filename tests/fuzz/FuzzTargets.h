// The project's parsers of untrusted input, each as one function of a byte string: what the
// libFuzzer programs (tests/fuzz/FuzzEntry.cpp) call on every generated input and what
// FuzzRegressionTest replays from tests/fuzz/regressions/ in the plain build.
//
// A target returns normally when the input was handled: parsed, or refused with the project's
// own error type (a message naming the input). Anything else escapes (another exception, a
// crash, a sanitizer report) and is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qc::fuzz {

using FuzzFunction = void (*)(const uint8_t* data, size_t size);

struct FuzzTarget {
    std::string name;  // also the folder of its seeds and regression inputs
    FuzzFunction run;
};

const std::vector<FuzzTarget>& fuzzTargets();
const FuzzTarget* findFuzzTarget(const std::string& name);

}  // namespace qc::fuzz
