// Measurements for the benchmark programs: the machine's single-precision matrix-multiply rate
// through the same BLAS the network uses, and this process's peak resident memory.
#pragma once

namespace qc {

// Best GFLOP/s of an n x n x n float32 matrix product over `repeats` runs.
double measureMatmulGflops(int n = 2048, int repeats = 5);

// Peak resident set size of this process in MiB (VmHWM), or -1 when unknown.
double peakResidentMiB();

}  // namespace qc
