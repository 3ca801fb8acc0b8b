// qualiclip-bench: seconds per image, peak resident memory and achieved GFLOP/s of the network
// at native resolution, with a full-size random-weight checkpoint of the released shapes.
//
//   qualiclip-bench                 every size, each in a fresh process (so peak memory is per
//   size) qualiclip-bench --size 4000x3000 [--repeats N] [--threads N] [--model PATH] [--strip-rows
//   N]
//                                   --strip-rows: -1 whole image, 0 automatic strips, N rows per
//                                   strip
//   qualiclip-bench --maps          each quality map kind at 1024x768 and 4000x3000 (+ dense
//   6000x4000) qualiclip-bench --size WxH --map dense|patches|gradcam qualiclip-bench --size WxH
//   --device cuda:0 [--precision float16] [--batch N]
//                                   one size on a device; with --batch, N images per pass
//                                   (images/s)
//   qualiclip-bench --compare-precision --photos DIR [--photos DIR...] [--model PATH]
//                   [--resize long:1024] [--repeats N]
//                                   bfloat16 against float32: agreement on the photos, speed at
//                                   1024x768 alternating (PrecisionComparison.h)
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "PrecisionComparison.h"
#include "engine/ComputeDevice.h"
#include "engine/ComputeEnvironment.h"
#include "engine/QualiClipModel.h"
#include "engine/QualityMaps.h"
#include "engine/RandomCheckpoint.h"
#include "engine/TorchBenchmark.h"

namespace {

const std::vector<std::pair<int, int>> kSizes = {
    {224, 224}, {1024, 768}, {2048, 1536}, {4000, 3000}, {6000, 4000}};

// N copies of one image through one network pass: images per second (GPU throughput).
int benchBatch(const qc::QualiClipModel& model, const cv::Mat& image, int batch, int repeats) {
    const std::vector<cv::Mat> images(static_cast<size_t>(batch), image);
    model.runBatch(images);  // warm-up
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        model.runBatch(images);
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("| %dx%d | batch %d | %.3f s/pass | %.1f images/s | %s %s |\n", image.cols,
                image.rows, batch, best, batch / best, model.info().device.toString().c_str(),
                qc::precisionName(model.info().precision).c_str());
    return 0;
}

// --model: the model file (as the programs load it: mapped, then released); else random weights
// built in memory (their 400 MB count in the peak).
std::string g_modelPath;
int g_stripRows = 0;

std::shared_ptr<const qc::QualiClipModel> benchModel(const qc::ModelOptions& options) {
    if (!g_modelPath.empty()) return qc::QualiClipModel::load(g_modelPath, options);
    return qc::QualiClipModel::fromCheckpoint(qc::makeRandomCheckpoint(qc::releasedModelSpec(), 1),
                                              options);
}

int benchOneSize(int width, int height, int repeats, const qc::ModelOptions& options, int batch) {
    auto model = benchModel(options);
    const double modelMiB = qc::peakResidentMiB();
    cv::Mat image(height, width, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    if (batch > 1) return benchBatch(*model, image, batch, repeats);
    qc::ForwardOptions forward;
    forward.stripRows = g_stripRows;
    int strips = 1;
    model->run(image, forward);  // warm-up (allocator, thread pools)
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const qc::NetworkOutput out = model->run(image, forward);
        best = std::min(best, out.networkSeconds);
        strips = out.trunkStrips;
    }
    const double gmacs = model->multiplyAdds(width, height) / 1e9;
    std::printf("| %dx%d | %.3f | %.0f | %.1f | %.1f | %d strip%s | (%.0f MiB after model load)\n",
                width, height, best, qc::peakResidentMiB(), gmacs, 2 * gmacs / best, strips,
                strips == 1 ? "" : "s", modelMiB);
    std::fflush(stdout);
    return 0;
}

// One map of the released architecture: seconds (one run, after a warm-up on a small input)
// and the peak resident memory of the whole process.
int benchOneMap(int width, int height, qc::MapKind kind) {
    auto model =
        qc::QualiClipModel::fromCheckpoint(qc::makeRandomCheckpoint(qc::releasedModelSpec(), 1));
    cv::Mat image(height, width, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    model->run(image(cv::Rect(0, 0, 224, 224)).clone());
    const auto start = std::chrono::steady_clock::now();
    qc::ForwardOptions options;
    options.dense = kind == qc::MapKind::Dense;
    const qc::NetworkOutput out =
        kind == qc::MapKind::Dense ? model->run(image, options) : qc::NetworkOutput{};
    const qc::QualityMap map = qc::computeMap(*model, image, out, qc::MapRequest{kind, -1, {}});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("| %s | %dx%d | %dx%d cells | %.2f | %.0f |\n", qc::mapKindName(kind).c_str(),
                width, height, map.cols, map.rows, seconds, qc::peakResidentMiB());
    std::fflush(stdout);
    return 0;
}

int runChild(const char* self, int width, int height, int repeats, int threads,
             const char* map = nullptr) {
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string size = std::to_string(width) + "x" + std::to_string(height);
        const std::string rep = std::to_string(repeats), thr = std::to_string(threads);
        if (map)
            execl(self, self, "--size", size.c_str(), "--threads", thr.c_str(), "--map", map,
                  nullptr);
        else
            execl(self, self, "--size", size.c_str(), "--repeats", rep.c_str(), "--threads",
                  thr.c_str(), nullptr);
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
    std::string map, device = "cpu", precision = "float32";
    int batch = 1;
    bool maps = false, comparePrecision = false;
    qc::bench::PrecisionComparisonRequest comparison;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(argv[i], "--maps"))
            maps = true;
        else if (!std::strcmp(argv[i], "--compare-precision"))
            comparePrecision = true;
        else if (hasValue && !std::strcmp(argv[i], "--photos"))
            comparison.folders.push_back(argv[++i]);
        else if (hasValue && !std::strcmp(argv[i], "--resize"))
            comparison.resize = argv[++i];
        else if (hasValue && !std::strcmp(argv[i], "--size"))
            std::sscanf(argv[++i], "%dx%d", &width, &height);
        else if (hasValue && !std::strcmp(argv[i], "--repeats"))
            repeats = std::atoi(argv[++i]);
        else if (hasValue && !std::strcmp(argv[i], "--threads"))
            threads = std::atoi(argv[++i]);
        else if (hasValue && !std::strcmp(argv[i], "--map"))
            map = argv[++i];
        else if (hasValue && !std::strcmp(argv[i], "--device"))
            device = argv[++i];
        else if (hasValue && !std::strcmp(argv[i], "--precision"))
            precision = argv[++i];
        else if (hasValue && !std::strcmp(argv[i], "--batch"))
            batch = std::atoi(argv[++i]);
        else if (hasValue && !std::strcmp(argv[i], "--model"))
            g_modelPath = argv[++i];
        else if (hasValue && !std::strcmp(argv[i], "--strip-rows"))
            g_stripRows = std::atoi(argv[++i]);
    }
    qc::ModelOptions options;
    try {
        options.device = qc::resolveDevice(device);
        options.precision = qc::parsePrecision(precision).value_or(qc::Precision::Float32);
        qc::checkPrecision(options.device, options.precision);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "qualiclip-bench: %s\n", e.what());
        return 2;
    }
    qc::setComputeThreads(threads);
    if (comparePrecision) {
        if (repeats > 0) comparison.speedRepeats = repeats;
        try {
            qc::checkPrecision(options.device, qc::Precision::BFloat16);
            const auto f32 = benchModel({options.device, qc::Precision::Float32});
            const auto bf16 = benchModel({options.device, qc::Precision::BFloat16});
            return qc::bench::comparePrecisions(f32, bf16, comparison);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "qualiclip-bench: %s\n", e.what());
            return 2;
        }
    }
    if (width > 0 && !map.empty()) {
        const auto kind = qc::parseMapKind(map);
        return kind ? benchOneMap(width, height, *kind) : 2;
    }
    if (maps) {
        std::printf("| map | input | map size | seconds | peak RSS MiB |\n|---|---|---|---|---|\n");
        std::fflush(stdout);
        int failures = 0;
        for (auto [w, h] : std::vector<std::pair<int, int>>{{1024, 768}, {4000, 3000}})
            for (const char* kind : {"dense", "patches", "gradcam"})
                failures += runChild("/proc/self/exe", w, h, 1, threads, kind) != 0;
        failures += runChild("/proc/self/exe", 6000, 4000, 1, threads, "dense") != 0;
        return failures ? 1 : 0;
    }
    if (width > 0)
        return benchOneSize(width, height, repeats > 0 ? repeats : (width * height < 4e6 ? 3 : 1),
                            options, batch);
    std::printf("threads: %d\nmatrix multiply (2048^3 sgemm): %.1f GFLOP/s\n\n",
                qc::computeThreads(), qc::measureMatmulGflops());
    std::printf(
        "| input (WxH) | seconds/image | peak RSS MiB | G multiply-adds | network GFLOP/s |\n");
    std::printf("|---|---|---|---|---|\n");
    std::fflush(stdout);
    int failures = 0;
    for (auto [w, h] : kSizes) failures += runChild("/proc/self/exe", w, h, repeats, threads) != 0;
    return failures ? 1 : 0;
}
