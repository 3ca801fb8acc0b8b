// qualiclip-formats-bench: what the camera formats of issue #12 cost, and how far the fast JPEG
// policy's scores are from the exact one's (docs/benchmarks.md).
//
//   qualiclip-formats-bench [--photos DIR] [--oracle DIR] [--skip-scores | --only-scores]
//
// Every file is written here: a 24 MP DNG with a full-size JPEG preview (tests/fixtures'
// writer), a 24 MP JPEG, a 12 MP HEIC (libheif's x265 encoder). Times are the median of 5 runs
// after one warm-up; memory is the peak resident size of a fresh process doing one decode.
// --photos: the folder qualiclip-sample-photos wrote; --oracle: the conformance images. Both
// are scaled up to 24 MP and 12 MP JPEGs and scored with a full-size random-weight model at
// long:1024 and long:1024/fast; the figure is the 99th percentile of |difference|.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <libraw/libraw.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "PhotoFixtures.h"
#include "engine/QualiClipModel.h"
#include "engine/RandomCheckpoint.h"
#include "engine/ScoringEngine.h"
#include "images/ImageLoader.h"

namespace fs = std::filesystem;

namespace {

double seconds(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double medianSeconds(const std::function<void()>& work, int runs = 5) {
    work();  // warm-up: page cache, allocator, thread pools
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) times.push_back(seconds(work));
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

long statusKiB(const char* field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    const size_t n = std::strlen(field);
    while (std::getline(status, line))
        if (line.compare(0, n, field) == 0) return std::atol(line.c_str() + n + 1);
    return 0;
}

// Peak resident MiB above its start that a fresh process of this program reaches doing one
// operation (`--measure OP FILE`): fork alone would deadlock on the OpenMP and OpenCV threads.
std::string selfPath;

double childPeakMiB(const std::string& operation, const std::string& file) {
    const std::string command = "'" + selfPath + "' --measure " + operation + " '" + file + "'";
    std::FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    double mib = -1;
    if (std::fscanf(pipe, "%lf", &mib) != 1) mib = -1;
    pclose(pipe);
    return mib;
}

// The embedded preview's bytes, as LibRaw hands them over (no JPEG decoding).
void extractPreviewBytes(const std::string& path) {
    LibRaw raw;
    if (raw.open_file(path.c_str()) != LIBRAW_SUCCESS || raw.unpack_thumb() != LIBRAW_SUCCESS)
        std::abort();
    int code = 0;
    libraw_processed_image_t* thumb = raw.dcraw_make_mem_thumb(&code);
    if (!thumb) std::abort();
    LibRaw::dcraw_clear_mem(thumb);
}

qc::DecodedImage load(const std::string& path, qc::RawMode mode, int target = 0,
                      bool fast = false) {
    qc::ImageLoadOptions options;
    options.raw = mode;
    options.targetLongSide = target;
    options.fastJpeg = fast;
    return qc::loadImageRgb8(path, options);
}

// Decode and shrink to the network input of long:1024, as the engine's prepare() does.
cv::Mat networkInput(const std::string& path, bool fast) {
    const qc::DecodedImage image = load(path, qc::RawMode::Auto, 1024, fast);
    int w = 0, h = 0;
    qc::ResizePolicy::longSide(1024).targetSize(image.fullWidth, image.fullHeight, w, h);
    cv::Mat input;
    cv::resize(image.rgb, input, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    return input;
}

void benchRaw(const fs::path& dir) {
    const std::string dng = (dir / "IMG_24MP.dng").string();
    qc::fixtures::DngSpec spec;
    spec.rgb = qc::fixtures::brightDarkScene(6000, 4000);
    spec.orientation = 6;
    spec.previewLongSide = 0;  // full-size preview, as most cameras embed
    qc::fixtures::writeDng(dng, spec);
    std::printf("## RAW: 6000x4000 DNG, full-size JPEG preview (%.1f MB)\n",
                fs::file_size(dng) / 1e6);
    std::printf("| step | median s | peak MiB above start |\n|---|---|---|\n");
    std::printf("| preview extraction (LibRaw open + unpack_thumb, JPEG bytes) | %.4f | %.0f |\n",
                medianSeconds([&] { extractPreviewBytes(dng); }), childPeakMiB("extract", dng));
    std::printf("| raw-preview to long:1024 input, exact JPEG decode | %.3f | %.0f |\n",
                medianSeconds([&] { networkInput(dng, false); }), childPeakMiB("exact", dng));
    std::printf("| raw-preview to long:1024 input, long:1024/fast | %.3f | %.0f |\n",
                medianSeconds([&] { networkInput(dng, true); }), childPeakMiB("fast", dng));
    std::printf("| raw-half demosaic (3000x2000) | %.3f | %.0f |\n",
                medianSeconds([&] { load(dng, qc::RawMode::Half); }, 3), childPeakMiB("half", dng));
    std::printf("| raw-full demosaic (6000x4000, AHD) | %.3f | %.0f |\n",
                medianSeconds([&] { load(dng, qc::RawMode::Full); }, 3), childPeakMiB("full", dng));
    std::fflush(stdout);
}

std::string writeJpeg(const fs::path& path, const cv::Mat& rgb) {
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    cv::imwrite(path.string(), bgr, {cv::IMWRITE_JPEG_QUALITY, 92});
    return path.string();
}

void benchJpeg(const fs::path& dir) {
    cv::Mat scene = qc::fixtures::brightDarkScene(6000, 4000);
    cv::Mat noise(scene.size(), CV_8UC3);
    cv::randu(noise, cv::Scalar::all(0),
              cv::Scalar::all(24));  // camera-like noise: a realistic file size
    scene += noise;
    const std::string jpeg = writeJpeg(dir / "IMG_24MP.jpg", scene);
    const double exact = medianSeconds([&] { networkInput(jpeg, false); });
    const double fast = medianSeconds([&] { networkInput(jpeg, true); });
    std::printf("\n## JPEG: 6000x4000 (%.1f MB, quality 92) to a long:1024 input (1024x683)\n",
                fs::file_size(jpeg) / 1e6);
    std::printf(
        "| decode | median s |\n|---|---|\n| exact (long:1024) | %.3f |\n| DCT-scaled 1/4 "
        "(long:1024/fast) | %.3f |\n",
        exact, fast);
    std::printf("speed-up: %.1fx\n", exact / fast);
    std::fflush(stdout);
}

void benchHeic(const fs::path& dir) {
    const std::string heic = (dir / "IMG_12MP.heic").string();
    qc::fixtures::HeifSpec spec;
    spec.rgb = qc::fixtures::brightDarkScene(4000, 3000);
    qc::fixtures::writeHeif(heic, spec);
    std::printf("\n## HEIC: 4000x3000, 8-bit, x265 quality 90 (%.1f MB)\n",
                fs::file_size(heic) / 1e6);
    std::printf(
        "| decode | median s | peak MiB above start |\n|---|---|---|\n| libheif (libde265) to "
        "8-bit RGB | %.3f | %.0f |\n",
        medianSeconds([&] { qc::loadImageRgb8(heic); }), childPeakMiB("decode", heic));
    std::fflush(stdout);
}

// Scenes to measure the fast policy on: each photo and conformance image scaled up to 24 MP
// (libjpeg scales by 1/4 for long:1024) and 12 MP (1/2).
std::vector<std::string> scaledUpJpegs(const fs::path& dir, const std::vector<fs::path>& sources) {
    std::vector<std::string> files;
    const std::vector<cv::Size> sizes = {{6000, 4000}, {4000, 3000}};
    for (const fs::path& source : sources) {
        const cv::Mat bgr = cv::imread(source.string(), cv::IMREAD_COLOR);
        if (bgr.empty()) continue;
        for (const cv::Size& size : sizes) {
            cv::Mat big, rgb;
            cv::resize(bgr, big, size, 0, 0, cv::INTER_CUBIC);
            cv::cvtColor(big, rgb, cv::COLOR_BGR2RGB);
            const std::string name =
                source.stem().string() + "_" + std::to_string(size.width) + ".jpg";
            files.push_back(writeJpeg(dir / name, rgb));
        }
    }
    return files;
}

std::vector<fs::path> imagesIn(const fs::path& folder) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (qc::hasImageExtension(entry.path().string())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

void benchFastScores(const fs::path& dir, const std::string& photos, const std::string& oracle) {
    std::vector<fs::path> sources = imagesIn(photos);
    const std::vector<fs::path> oracleImages = imagesIn(fs::path(oracle) / "images");
    sources.insert(sources.end(), oracleImages.begin(), oracleImages.end());
    const std::vector<std::string> files = scaledUpJpegs(dir, sources);
    auto model = std::shared_ptr<const qc::QualiClipModel>(
        qc::QualiClipModel::fromCheckpoint(qc::makeRandomCheckpoint(qc::releasedModelSpec(), 1)));
    qc::ScoringOptions exactOptions, fastOptions;
    exactOptions.resize = qc::ResizePolicy::longSide(1024);
    fastOptions.resize = qc::ResizePolicy::longSideFast(1024);
    const qc::ScoringEngine exact(model, exactOptions), fast(model, fastOptions);
    std::vector<double> differences, scores;
    std::printf(
        "\n## long:1024/fast against long:1024: %zu JPEGs (%zu sources at 6000x4000 and "
        "4000x3000), "
        "full-size random-weight model (seed 1)\n| image | long:1024 | long:1024/fast | "
        "|difference| |\n|---|---|---|---|\n",
        files.size(), sources.size());
    for (const std::string& file : files) {
        const qc::ImageResult a = exact.scoreFile(file), b = fast.scoreFile(file);
        if (!a.ok() || !b.ok()) {
            std::printf("| %s | error: %s%s |\n", fs::path(file).filename().c_str(),
                        a.error.c_str(), b.error.c_str());
            continue;
        }
        differences.push_back(std::abs(a.score - b.score));
        scores.push_back(a.score);
        std::printf("| %s | %.6f | %.6f | %.6f |\n", fs::path(file).filename().c_str(), a.score,
                    b.score, differences.back());
        std::fflush(stdout);
    }
    if (differences.empty()) return;
    std::sort(differences.begin(), differences.end());
    // Nearest-rank 99th percentile: with fewer than 100 images, the largest difference.
    const size_t rank = size_t(std::ceil(0.99 * double(differences.size()))) - 1;
    const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
    std::printf(
        "\n99th percentile |difference|: %.6f (max %.6f, median %.6f, n = %zu); spread of the "
        "exact "
        "scores: %.6f .. %.6f\n",
        differences[rank], differences.back(), differences[differences.size() / 2],
        differences.size(), *lo, *hi);
}

}  // namespace

// One operation, for childPeakMiB: prints the peak resident MiB above the start.
int measureOnce(const std::string& operation, const std::string& file) {
    const long before = statusKiB("VmRSS:");
    if (operation == "extract")
        extractPreviewBytes(file);
    else if (operation == "exact")
        networkInput(file, false);
    else if (operation == "fast")
        networkInput(file, true);
    else if (operation == "half")
        load(file, qc::RawMode::Half);
    else if (operation == "full")
        load(file, qc::RawMode::Full);
    else
        qc::loadImageRgb8(file);
    std::printf("%.1f\n", double(statusKiB("VmHWM:") - before) / 1024.0);
    return 0;
}

int main(int argc, char** argv) {
    selfPath = argv[0];
    if (argc == 4 && std::strcmp(argv[1], "--measure") == 0) return measureOnce(argv[2], argv[3]);
    std::string photos, oracle;
    bool onlyScores = false;
    bool skipScores = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--photos" && i + 1 < argc)
            photos = argv[++i];
        else if (arg == "--oracle" && i + 1 < argc)
            oracle = argv[++i];
        else if (arg == "--skip-scores")
            skipScores = true;
        else if (arg == "--only-scores")
            onlyScores = true;
        else {
            std::fprintf(stderr,
                         "usage: qualiclip-formats-bench [--photos DIR] [--oracle DIR] "
                         "[--skip-scores | --only-scores]\n");
            return 2;
        }
    }
    const fs::path dir =
        fs::temp_directory_path() / ("qci-formats-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    if (!onlyScores) {
        benchRaw(dir);
        benchJpeg(dir);
        benchHeic(dir);
    }
    if (!skipScores) benchFastScores(dir, photos, oracle);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
