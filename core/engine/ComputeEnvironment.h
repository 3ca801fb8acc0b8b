// prepareComputeEnvironment: call first thing in main() of a program that runs the network.
//
// Some libraries read a setting from the environment once, when they are loaded, before main()
// runs; so when one of these variables is unset the program starts again once with them set. That
// happens from the executable's .preinit_array, before any library's constructor has run (half
// the cost of a start); prepareComputeEnvironment is the fallback where that did not happen. A
// value the user set is respected.
// - OMP_WAIT_POLICY=passive. LibTorch's convolutions run on an OpenMP pool and its matrix
//   products on OpenBLAS's own pthread pool; on a 2-core machine both pools want both cores.
//   libgomp's default busy-wait after every parallel region steals the cores OpenBLAS needs for
//   the next product (measured here: 1024x768 took 1.28-1.47 s instead of 1.00-1.06 s).
// - OPENCV_IO_MAX_IMAGE_PIXELS = ImageLoader's default limit (250 MP). ImageLoader refuses larger
//   images from their headers; OpenCV's own limit (2^30 by default) is the second guard behind it
//   and is kept at the same figure.
// - GLIBC_TUNABLES=glibc.malloc.hugetlb=1: glibc maps every allocation over 32 MB afresh (each
//   activation of a large image) and the kernel faults it in 4 KB at a time; with transparent huge
//   pages it is 2 MB at a time. 6000x4000: 108 s -> 28 s together with the next item.
// - OPENBLAS_CORETYPE=SKYLAKEX where the processor has AVX-512 (F, BW, DQ, VL): Debian's OpenBLAS
//   0.3.21 takes processors newer than it (AMD Zen 4 and 5) for Haswell and runs AVX2 kernels.
// docs/benchmarks.md, "Speed II", has the measurements.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qc {

void prepareComputeEnvironment(char** argv);

// For a command whose pixel limit is above OpenCV's (qualiclip score --max-megapixels 400):
// re-executes the program with OpenCV's limit raised to `maxPixels`; returns when it already is
// that high (or when the program cannot be re-executed).
void raiseOpenCvPixelLimit(int64_t maxPixels, const std::vector<std::string>& arguments);

}  // namespace qc
