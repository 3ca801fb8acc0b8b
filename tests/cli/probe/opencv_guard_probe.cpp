// opencv_guard_probe FILE: prepares its environment as qualiclip's and the inspector's main() do,
// then hands FILE straight to OpenCV, past the project's own header checks, and prints what
// OpenCV's own pixel limit made of it. Run by tests/cli/OpenCvGuardTest.cpp.
// opencv_guard_probe --environment: prints the library settings the program started with.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "engine/ComputeEnvironment.h"

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);
    if (argc != 2) return 2;
    if (std::string(argv[1]) == "--environment") {
        for (const char* name : {"OMP_WAIT_POLICY", "GLIBC_TUNABLES", "OPENBLAS_CORETYPE"}) {
            const char* value = std::getenv(name);
            std::printf("%s=%s\n", name, value ? value : "(unset)");
        }
        return 0;
    }
    const char* limit = std::getenv("OPENCV_IO_MAX_IMAGE_PIXELS");
    std::printf("limit %s\n", limit ? limit : "unset");
    std::ifstream in(argv[1], std::ios::binary);
    const std::vector<uchar> bytes{std::istreambuf_iterator<char>(in), {}};
    try {
        const cv::Mat image = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
        std::printf(image.empty() ? "not decoded\n" : "decoded %dx%d\n", image.cols, image.rows);
    } catch (const cv::Exception& e) {
        std::printf("refused: %s\n", e.err.c_str());
    }
    return 0;
}
