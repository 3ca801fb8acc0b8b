// qualiclip-shoot-bench: a whole shoot, end to end. Writes a folder of N generated 24 MP JPEGs
// (6000x4000, a scene with gradients, shapes and sensor-like noise; seed 1; not timed), then runs
// the real `qualiclip score` on the folder as a user would (a fresh process: model loading, folder
// scan, decoding ahead, the network) and reports photos per second from start to the last row,
// with the process's CPU time and peak memory. Then, in this process and not overlapped, it
// decodes and resizes every photo once more as the engine does (engine/ImagePreparation.h) and
// reports that CPU time: the score process's CPU minus it is the network's and the start's.
//
//   qualiclip-shoot-bench --model MODEL.pth [--count N] [--resize long:1024] [--folder DIR]
//                         [--precision float32|bfloat16] [--batch N] [--qualiclip PATH] [--window]
//                         [--no-decode-pass]
//
// --batch passes `qualiclip score --batch N` (photos of one size per network pass). --window
// then opens the same folder in the real inspector window (qualiclip-gui-bench --folder, same
// model and resize policy, float32, thumbnails drawn as it scores) and prints its time from
// opening the folder to the last score next to the CLI's (which also counts its own start and
// model loading, ~2 s), and the ratio.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/ImagePreparation.h"
#include "images/ResizePolicy.h"

namespace {

constexpr int kWidth = 6000, kHeight = 4000;

cv::Mat photo(cv::RNG& rng) {
    cv::Mat small(kHeight / 8, kWidth / 8, CV_8UC3);
    const cv::Scalar top(rng.uniform(120, 220), rng.uniform(80, 160), rng.uniform(30, 90));
    const cv::Scalar bottom(rng.uniform(20, 90), rng.uniform(60, 140), rng.uniform(30, 100));
    for (int y = 0; y < small.rows; ++y) {
        const double t = double(y) / small.rows;
        small.row(y).setTo(top * (1 - t) + bottom * t);
    }
    for (int i = 0; i < 40; ++i)
        cv::circle(small, {rng.uniform(0, small.cols), rng.uniform(0, small.rows)},
                   rng.uniform(5, 80),
                   cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
                   cv::FILLED, cv::LINE_AA);
    cv::Mat image;
    cv::resize(small, image, cv::Size(kWidth, kHeight), 0, 0, cv::INTER_CUBIC);
    cv::Mat noise(image.size(), CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0),
              cv::Scalar::all(6));  // sensor-like grain: JPEG sizes as a camera's
    cv::add(image, noise, image);
    return image;
}

void writeShoot(const std::string& folder, int count) {
    std::filesystem::create_directories(folder);
    cv::RNG rng(1);
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "DSC%05d.jpg", i + 1);
        const std::string path = folder + "/" + name;
        if (std::filesystem::exists(path)) continue;
        cv::imwrite(path, photo(rng), {cv::IMWRITE_JPEG_QUALITY, 92});
    }
}

int countRows(const std::string& path) {
    std::ifstream in(path);
    int rows = 0, errors = 0;
    for (std::string line; std::getline(in, line);) {
        ++rows;
        if (line.find("\"error\":null") == std::string::npos &&
            line.find("\"error\":\"\"") == std::string::npos &&
            line.find("\"error\"") != std::string::npos)
            ++errors;
    }
    if (errors) std::fprintf(stderr, "%d rows with an error\n", errors);
    return rows;
}

double cpuSeconds(int who) {
    struct rusage usage {};
    getrusage(who, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
           usage.ru_stime.tv_usec / 1e6;
}

// CPU seconds that decoding and resizing the folder's photos take, one after another.
double decodeCpuSeconds(const std::string& folder, int count, const std::string& resize) {
    qc::ScoringOptions options;
    options.resize = qc::ResizePolicy::parse(resize).value_or(qc::ResizePolicy::native());
    const double before = cpuSeconds(RUSAGE_SELF);
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "DSC%05d.jpg", i + 1);
        const qc::PreparedImage prepared = qc::prepareImage(folder + "/" + name, options);
        if (!prepared.error.empty()) std::fprintf(stderr, "%s\n", prepared.error.c_str());
    }
    return cpuSeconds(RUSAGE_SELF) - before;
}

// Runs qualiclip-gui-bench on the folder; returns its "open folder → all scored" seconds, or -1.
double windowSeconds(const std::string& guiBench, const std::string& folder, const std::string& model,
                     const std::string& resize) {
    const std::string command = "'" + guiBench + "' --folder '" + folder + "' --model '" + model +
                                "' --resize '" + resize + "'";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return -1;
    double seconds = -1;
    char line[512];
    const char kTotal[] = "| open folder → all scored | ";
    while (std::fgets(line, sizeof line, pipe) != nullptr) {
        std::fputs(line, stdout);
        if (std::strncmp(line, kTotal, sizeof kTotal - 1) == 0) seconds = std::atof(line + sizeof kTotal - 1);
    }
    return pclose(pipe) == 0 ? seconds : -1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string model, resize = "long:1024", folder = "/tmp/qualiclip-shoot", precision = "float32";
    std::string qualiclip = (std::filesystem::path(argv[0]).parent_path() / "qualiclip").string();
    const std::string guiBench = (std::filesystem::path(argv[0]).parent_path() / "qualiclip-gui-bench").string();
    int count = 100;
    std::string batch = "0";
    bool window = false, decodePass = true;
    for (int i = 1; i < argc; i += 2) {
        if (!std::strcmp(argv[i], "--window")) {
            window = true;
            --i;  // no value
        } else if (!std::strcmp(argv[i], "--no-decode-pass")) {
            decodePass = false;
            --i;
        } else if (i + 1 >= argc) {
            model.clear();  // a flag without its value: print the usage
        } else if (!std::strcmp(argv[i], "--model"))
            model = argv[i + 1];
        else if (!std::strcmp(argv[i], "--count"))
            count = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--resize"))
            resize = argv[i + 1];
        else if (!std::strcmp(argv[i], "--folder"))
            folder = argv[i + 1];
        else if (!std::strcmp(argv[i], "--precision"))
            precision = argv[i + 1];
        else if (!std::strcmp(argv[i], "--qualiclip"))
            qualiclip = argv[i + 1];
        else if (!std::strcmp(argv[i], "--batch"))
            batch = argv[i + 1];
    }
    if (model.empty() || count <= 0) {
        std::fprintf(stderr,
                     "usage: qualiclip-shoot-bench --model MODEL.pth [--count N] [--resize POLICY] "
                     "[--folder DIR] [--precision P] [--batch N] [--qualiclip PATH] [--window] "
                     "[--no-decode-pass]\n");
        return 2;
    }
    writeShoot(folder, count);
    const std::string rows = folder + ".jsonl";
    std::filesystem::remove(rows);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        execl(qualiclip.c_str(), qualiclip.c_str(), "score", "--model", model.c_str(), "--resize",
              resize.c_str(), "--precision", precision.c_str(), "--batch", batch.c_str(), "--no-catalog", "--output",
              rows.c_str(), folder.c_str(), nullptr);
        _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                       usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    const int scored = countRows(rows);
    std::printf(
        "| %d x 6000x4000 JPEG | %s | %s | batch %s | %.1f s | %.2f photos/s | CPU %.1f s (%.0f %% of 2 "
        "cores) | peak RSS %.0f MiB | exit %d |\n",
        scored, resize.c_str(), precision.c_str(), batch.c_str(), seconds, scored / seconds, cpu,
        100 * cpu / (2 * seconds), usage.ru_maxrss / 1024.0,
        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    const double decodeCpu = decodePass ? decodeCpuSeconds(folder, count, resize) : 0;
    if (decodePass)
        std::printf(
        "decode + resize alone (this process, one photo after another): CPU %.1f s, %.2f s per "
        "photo; the rest of the score process's CPU (start, model, network, rows): %.1f s\n",
        decodeCpu, decodeCpu / count, cpu - decodeCpu);
    if (window) {
        const double inWindow = windowSeconds(guiBench, folder, model, resize);
        if (inWindow < 0) {
            std::fprintf(stderr, "qualiclip-shoot-bench: the window run failed\n");
            return 1;
        }
        std::printf("window: %.1f s (%.2f photos/s) against the CLI's %.1f s: %.2fx the CLI's time (%+.0f %%)\n",
                    inWindow, count / inWindow, seconds, inWindow / seconds, 100 * (inWindow / seconds - 1));
    }
    return scored == count ? 0 : 1;
}
