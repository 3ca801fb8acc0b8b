#include "engine/ComputeEnvironment.h"

#include <unistd.h>

#include <cstdlib>

#include "images/ImageLoader.h"

namespace qc {
namespace {

constexpr const char* kOpenCvPixelLimit = "OPENCV_IO_MAX_IMAGE_PIXELS";

bool setIfUnset(const char* name, const std::string& value) {
    if (std::getenv(name) != nullptr) return false;
    setenv(name, value.c_str(), 1);
    return true;
}

}  // namespace

void prepareComputeEnvironment(char** argv) {
    bool changed = setIfUnset("OMP_WAIT_POLICY", "passive");
    changed =
        setIfUnset(kOpenCvPixelLimit, std::to_string(ImageLoadOptions{}.maxPixels)) || changed;
    if (!changed) return;
    execv("/proc/self/exe", argv);
    // execv only returns on failure (no /proc): carry on, slower and with OpenCV's wider limit.
}

void raiseOpenCvPixelLimit(int64_t maxPixels, const std::vector<std::string>& arguments) {
    const char* current = std::getenv(kOpenCvPixelLimit);
    if (current == nullptr || std::strtoll(current, nullptr, 10) >= maxPixels || arguments.empty())
        return;
    setenv(kOpenCvPixelLimit, std::to_string(maxPixels).c_str(), 1);
    std::vector<char*> argv;
    for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
}

}  // namespace qc
