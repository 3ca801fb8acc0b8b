// prepareComputeEnvironment: call first thing in main() of a program that runs the network.
//
// LibTorch's convolutions run on an OpenMP pool and its matrix products on OpenBLAS's own
// pthread pool; on a 2-core machine both pools want both cores. libgomp's default busy-wait
// after every parallel region steals the cores OpenBLAS needs for the next product (measured
// here: 1024x768 took 1.28-1.47 s instead of 1.00-1.06 s). libgomp reads OMP_WAIT_POLICY once,
// when it is loaded, before main() runs; so when the variable is unset the program starts again
// once with OMP_WAIT_POLICY=passive. That happens from the executable's .preinit_array, before
// any library's constructor has run (half the cost of a start); prepareComputeEnvironment is the
// fallback where that did not happen. A value the user set is respected.
#pragma once

namespace qc {

void prepareComputeEnvironment(char** argv);

}  // namespace qc
