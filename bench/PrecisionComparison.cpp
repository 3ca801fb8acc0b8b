#include "PrecisionComparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include <opencv2/core.hpp>

#include "engine/ScoringEngine.h"
#include "images/ResizePolicy.h"
#include "library/ImageCollector.h"
#include "research/RankCorrelation.h"

namespace qc::bench {
namespace {

// One score per path in order; NaN where the photo failed (its error goes to stderr).
std::vector<double> scoreAll(const ScoringEngine& engine, const std::vector<std::string>& paths) {
    std::vector<double> scores(paths.size(), std::nan(""));
    engine.scoreFiles(paths, [&](size_t index, const ImageResult& result) {
        if (result.ok())
            scores[index] = result.score;
        else
            std::fprintf(stderr, "%s\n", result.error.c_str());
    });
    return scores;
}

// numpy.percentile's default: linear interpolation between the order statistics.
double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const double position = p / 100 * double(values.size() - 1);
    const size_t below = size_t(std::floor(position));
    const size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - double(below)) * (values[above] - values[below]);
}

double median(std::vector<double> values) { return percentile(std::move(values), 50); }

double standardDeviation(const std::vector<double>& values) {
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    return std::sqrt(squares / double(values.size() - 1));
}

void printAgreement(const std::vector<double>& f32, const std::vector<double>& bf16) {
    std::vector<double> a, b, differences;
    for (size_t i = 0; i < f32.size(); ++i)
        if (!std::isnan(f32[i]) && !std::isnan(bf16[i])) {
            a.push_back(f32[i]);
            b.push_back(bf16[i]);
            differences.push_back(std::abs(f32[i] - bf16[i]));
        }
    if (a.size() < 3) {
        std::printf("only %zu photos scored in both precisions: no figures\n", a.size());
        return;
    }
    const auto [low, high] = std::minmax_element(a.begin(), a.end());
    std::printf(
        "| photos scored in both | float32 scores: mean, sd, range | max abs difference | p99 abs "
        "difference | mean abs difference | Spearman |\n|---|---|---|---|---|---|\n");
    std::printf(
        "| %zu | %.4f, %.4f, %.4f-%.4f | %.5f | %.5f | %.5f | %.5f |\n", a.size(),
        std::accumulate(a.begin(), a.end(), 0.0) / double(a.size()), standardDeviation(a), *low,
        *high, *std::max_element(differences.begin(), differences.end()),
        percentile(differences, 99),
        std::accumulate(differences.begin(), differences.end(), 0.0) / double(differences.size()),
        spearmanCorrelation(a, b));
}

// The network alone at 1024x768, float32 and bfloat16 taking turns so that both see the same
// machine load; seconds per image from each run's own network timer.
void printSpeed(const QualiClipModel& f32, const QualiClipModel& bf16, int repeats) {
    cv::Mat image(768, 1024, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    f32.run(image);  // warm-up: oneDNN creates its primitives on the first run
    bf16.run(image);
    std::vector<double> f32Seconds, bf16Seconds;
    for (int i = 0; i < repeats; ++i) {
        f32Seconds.push_back(f32.run(image).networkSeconds);
        bf16Seconds.push_back(bf16.run(image).networkSeconds);
        std::printf("run %d: float32 %.3f s, bfloat16 %.3f s\n", i + 1, f32Seconds.back(),
                    bf16Seconds.back());
        std::fflush(stdout);
    }
    const double f32Median = median(f32Seconds), bf16Median = median(bf16Seconds);
    std::printf(
        "\n| 1024x768, %d alternating runs | float32 s/image (median, best) | bfloat16 s/image "
        "(median, best) | bfloat16 speed / float32 (medians) |\n|---|---|---|---|\n",
        repeats);
    std::printf("| | %.3f, %.3f | %.3f, %.3f | %.2fx |\n", f32Median,
                *std::min_element(f32Seconds.begin(), f32Seconds.end()), bf16Median,
                *std::min_element(bf16Seconds.begin(), bf16Seconds.end()), f32Median / bf16Median);
}

}  // namespace

int comparePrecisions(const std::shared_ptr<const QualiClipModel>& float32Model,
                      const std::shared_ptr<const QualiClipModel>& bfloat16Model,
                      const PrecisionComparisonRequest& request) {
    const auto policy = ResizePolicy::parse(request.resize);
    if (!policy) {
        std::fprintf(stderr, "qualiclip-bench: invalid --resize '%s'\n", request.resize.c_str());
        return 2;
    }
    const CollectedImages collected = collectImages(request.folders, false);
    for (const CollectionProblem& problem : collected.problems)
        std::fprintf(stderr, "%s: %s\n", problem.path.c_str(), problem.reason.c_str());
    if (collected.images.size() < 3) {
        std::fprintf(
            stderr,
            "qualiclip-bench: --compare-precision needs at least 3 photos in --photos folders\n");
        return 2;
    }
    ScoringOptions options;
    options.resize = *policy;
    std::printf("%zu photos at %s, model %s\n", collected.images.size(), request.resize.c_str(),
                float32Model->info().path.empty() ? "(random weights in memory)"
                                                  : float32Model->info().path.c_str());
    std::fflush(stdout);
    const std::vector<double> f32 =
        scoreAll(ScoringEngine(float32Model, options), collected.images);
    const std::vector<double> bf16 =
        scoreAll(ScoringEngine(bfloat16Model, options), collected.images);
    printAgreement(f32, bf16);
    std::printf("\n");
    if (request.speedRepeats > 0) printSpeed(*float32Model, *bfloat16Model, request.speedRepeats);
    return 0;
}

}  // namespace qc::bench
