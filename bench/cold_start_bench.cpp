// qualiclip-cold-start-bench: where the time from process start to the first score goes, with a
// full-size random-weight model in torch.save's zip format (the released file's layout and size).
//
//   qualiclip-cold-start-bench --write MODEL.pth      writes the model (seed 1; never real weights)
//   qualiclip-cold-start-bench --model MODEL.pth      one cold start, stage by stage
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include <opencv2/core.hpp>

#include "engine/Checkpoint.h"
#include "engine/CheckpointWriter.h"
#include "engine/ComputeEnvironment.h"
#include "engine/QualiClipModel.h"
#include "engine/RandomCheckpoint.h"
#include "engine/TorchBenchmark.h"

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

int coldStart(const std::string& path) {
    const auto start = Clock::now();
    const qc::Checkpoint checkpoint = qc::readCheckpoint(path);
    const double readSeconds = secondsSince(start);
    const auto built = Clock::now();
    auto model = qc::QualiClipModel::fromCheckpoint(checkpoint);
    const double buildSeconds = secondsSince(built);
    cv::Mat image(224, 224, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    const auto scored = Clock::now();
    const double score = model->run(image).score;
    const double runSeconds = secondsSince(scored);
    const qc::CheckpointReadTimes& r = checkpoint.readTimes;
    std::printf(
        "read: open+directory %.3f s, sha256 %.3f s, parse %.3f s, tensors (CRC, bounds, values) "
        "%.3f s\n",
        r.open, r.sha256, r.parse, r.tensors);
    std::printf(
        "readCheckpoint %.3f s, model construction %.3f s, first 224x224 score %.3f s (%.4f), "
        "total %.3f s, peak RSS %.0f MiB\n",
        readSeconds, buildSeconds, runSeconds, score, secondsSince(start), qc::peakResidentMiB());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);
    try {
        if (argc == 3 && !std::strcmp(argv[1], "--write")) {
            qc::Checkpoint checkpoint = qc::makeRandomCheckpoint(qc::releasedModelSpec(), 1);
            qc::writeCheckpoint(checkpoint, argv[2]);
            return 0;
        }
        if (argc == 3 && !std::strcmp(argv[1], "--model")) return coldStart(argv[2]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "qualiclip-cold-start-bench: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr,
                 "usage: qualiclip-cold-start-bench --write MODEL.pth | --model MODEL.pth\n");
    return 2;
}
