// qualiclip-bench: seconds per image, peak resident memory and achieved GFLOP/s of the network
// at native resolution, with a full-size random-weight checkpoint of the released shapes.
//
//   qualiclip-bench                 every size, each in a fresh process (so peak memory is per size)
//   qualiclip-bench --size 4000x3000 [--repeats N] [--threads N]
#include <unistd.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ComputeEnvironment.h"
#include "QualiClipModel.h"
#include "RandomCheckpoint.h"
#include "TorchBenchmark.h"

namespace {

const std::vector<std::pair<int, int>> kSizes = {{224, 224}, {1024, 768}, {2048, 1536}, {4000, 3000}, {6000, 4000}};

int benchOneSize(int width, int height, int repeats) {
    auto model = qc::QualiClipModel::fromCheckpoint(qc::makeRandomCheckpoint(qc::releasedModelSpec(), 1));
    const double modelMiB = qc::peakResidentMiB();
    cv::Mat image(height, width, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    model->run(image);  // warm-up (allocator, thread pools)
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) best = std::min(best, model->run(image).networkSeconds);
    const double gmacs = model->multiplyAdds(width, height) / 1e9;
    std::printf("| %dx%d | %.3f | %.0f | %.1f | %.1f | (%.0f MiB after model load)\n", width, height, best,
                qc::peakResidentMiB(), gmacs, 2 * gmacs / best, modelMiB);
    std::fflush(stdout);
    return 0;
}

int runChild(const char* self, int width, int height, int repeats, int threads) {
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string size = std::to_string(width) + "x" + std::to_string(height);
        const std::string rep = std::to_string(repeats), thr = std::to_string(threads);
        execl(self, self, "--size", size.c_str(), "--repeats", rep.c_str(), "--threads", thr.c_str(), nullptr);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);
    int width = 0, height = 0, repeats = 0, threads = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--size")) std::sscanf(argv[i + 1], "%dx%d", &width, &height);
        else if (!std::strcmp(argv[i], "--repeats")) repeats = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    }
    qc::setComputeThreads(threads);
    if (width > 0) return benchOneSize(width, height, repeats > 0 ? repeats : (width * height < 4e6 ? 3 : 1));
    std::printf("threads: %d\nmatrix multiply (2048^3 sgemm): %.1f GFLOP/s\n\n", qc::computeThreads(),
                qc::measureMatmulGflops());
    std::printf("| input (WxH) | seconds/image | peak RSS MiB | G multiply-adds | network GFLOP/s |\n");
    std::printf("|---|---|---|---|---|\n");
    std::fflush(stdout);
    int failures = 0;
    for (auto [w, h] : kSizes) failures += runChild("/proc/self/exe", w, h, repeats, threads) != 0;
    return failures ? 1 : 0;
}
