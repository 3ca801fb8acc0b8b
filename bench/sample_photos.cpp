// qualiclip-sample-photos: writes a dozen generated landscape-like photos (sky, sun, hills,
// trees, houses) with the degradations QualiCLIP's prompts are about: sharp, blur, noise, JPEG
// blocking, dark, low resolution. For the screenshots in docs/screenshots (see README); the
// photos themselves are never committed. Deterministic.
//
//   qualiclip-sample-photos FOLDER [--count N] [--camera]
//
// --camera also writes every even-numbered photo as a DNG beside its JPEG (a RAW+JPEG pair, as a
// camera in RAW+JPEG mode does), every odd-numbered one as a lone DNG, and one HEIC.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "PhotoFixtures.h"

namespace {

constexpr int kWidth = 1200, kHeight = 800;

cv::Mat scene(cv::RNG& rng) {
    cv::Mat image(kHeight, kWidth, CV_8UC3);
    // Sky: a vertical gradient (BGR), deeper blue at the top.
    const cv::Vec3f top(rng.uniform(150.f, 200.f), rng.uniform(90.f, 130.f), rng.uniform(40.f, 80.f));
    const cv::Vec3f horizon(rng.uniform(220.f, 250.f), rng.uniform(200.f, 230.f), rng.uniform(170.f, 210.f));
    for (int y = 0; y < kHeight; ++y) {
        const float t = std::min(1.f, float(y) / (kHeight * 0.55f));
        image.row(y).setTo(cv::Scalar(top * (1 - t) + horizon * t));
    }
    cv::circle(image, {rng.uniform(100, kWidth - 100), rng.uniform(60, 220)}, rng.uniform(25, 45),
               cv::Scalar(120, 230, 255), cv::FILLED, cv::LINE_AA);
    // Three ranges of hills, farther ones paler.
    for (int layer = 0; layer < 3; ++layer) {
        const double base = kHeight * (0.45 + 0.12 * layer), amp = rng.uniform(25.0, 70.0);
        const double f1 = rng.uniform(0.002, 0.006), f2 = rng.uniform(0.008, 0.02), phase = rng.uniform(0.0, 6.28);
        std::vector<cv::Point> hill{{0, kHeight}};
        for (int x = 0; x <= kWidth; x += 8)
            hill.emplace_back(x, int(base - amp * std::sin(f1 * x + phase) - amp * 0.3 * std::sin(f2 * x)));
        hill.emplace_back(kWidth, kHeight);
        const int g = 150 - 30 * layer;
        cv::fillPoly(image, std::vector<std::vector<cv::Point>>{hill},
                     cv::Scalar(60 + 20 * (2 - layer), g, 50 + 10 * (2 - layer)), cv::LINE_AA);
    }
    // Trees and a few houses on the nearest slope.
    for (int i = 0; i < rng.uniform(12, 30); ++i) {
        const cv::Point foot(rng.uniform(0, kWidth), rng.uniform(int(kHeight * 0.68), kHeight - 20));
        const int h = rng.uniform(20, 60);
        cv::line(image, foot, foot - cv::Point(0, h), cv::Scalar(30, 50, 80), 3, cv::LINE_AA);
        cv::circle(image, foot - cv::Point(0, h), h / 2, cv::Scalar(40, rng.uniform(90, 140), 40), cv::FILLED,
                   cv::LINE_AA);
    }
    for (int i = 0; i < rng.uniform(1, 4); ++i) {
        const cv::Point corner(rng.uniform(50, kWidth - 150), rng.uniform(int(kHeight * 0.6), int(kHeight * 0.8)));
        const cv::Size size(rng.uniform(50, 110), rng.uniform(50, 120));
        cv::rectangle(image, cv::Rect(corner, size), cv::Scalar(80, 90, 170), cv::FILLED);
        for (int wy = corner.y + 8; wy + 10 < corner.y + size.height; wy += 18)
            for (int wx = corner.x + 8; wx + 10 < corner.x + size.width; wx += 16)
                cv::rectangle(image, cv::Rect(wx, wy, 8, 10), cv::Scalar(200, 230, 240), cv::FILLED);
    }
    return image;
}

// The degradation of photo i, and its name in the file name.
std::string degrade(cv::Mat& image, int i, std::vector<int>& jpegParams) {
    jpegParams = {cv::IMWRITE_JPEG_QUALITY, 92};
    switch (i % 6) {
    case 0: return "sharp";
    case 1: cv::GaussianBlur(image, image, {0, 0}, 4.0); return "blur";
    case 2: {
        cv::Mat noise(image.size(), CV_16SC3), sum;
        cv::randn(noise, 0, 28);
        image.convertTo(sum, CV_16SC3);
        sum += noise;
        sum.convertTo(image, CV_8UC3);
        return "noise";
    }
    case 3: jpegParams = {cv::IMWRITE_JPEG_QUALITY, 6}; return "jpeg";
    case 4: image.convertTo(image, -1, 0.25, 0); return "dark";
    default: {
        cv::Mat small;
        cv::resize(image, small, {}, 0.12, 0.12, cv::INTER_AREA);
        cv::resize(small, image, image.size(), 0, 0, cv::INTER_NEAREST);
        return "lowres";
    }
    }
}

// The camera files of photo i (see --camera): a DNG with a full-size JPEG preview, its JPEG
// removed for odd i (a lone RAW), and photo 1 also as a HEIC.
void writeCameraFiles(const std::string& folder, const std::string& jpegName, const cv::Mat& bgr, int i) {
    qc::fixtures::DngSpec dng;
    cv::cvtColor(bgr, dng.rgb, cv::COLOR_BGR2RGB);
    const std::string stem = folder + jpegName.substr(0, jpegName.size() - 4);
    qc::fixtures::writeDng(stem + ".dng", dng);
    if (i % 2 == 1) std::filesystem::remove(folder + jpegName);
    if (i == 0) {
        qc::fixtures::HeifSpec heif;
        heif.rgb = dng.rgb;
        qc::fixtures::writeHeif(stem + ".heic", heif);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') {
        std::fprintf(stderr, "usage: qualiclip-sample-photos FOLDER [--count N]\n");
        return 2;
    }
    const std::string folder = argv[1];
    int count = 12;
    bool camera = false;
    for (int i = 2; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--count") && i + 1 < argc) count = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--camera")) camera = true;
    }
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);  // the folder may not exist yet
    cv::RNG rng(20240311);
    for (int i = 0; i < count; ++i) {
        cv::Mat image = scene(rng);
        std::vector<int> params;
        const std::string kind = degrade(image, i, params);
        char name[64];
        std::snprintf(name, sizeof name, "/photo_%02d_%s.jpg", i + 1, kind.c_str());
        if (!cv::imwrite(folder + name, image, params)) {
            std::fprintf(stderr, "qualiclip-sample-photos: cannot write '%s%s'\n", folder.c_str(), name);
            return 1;
        }
        if (camera) writeCameraFiles(folder, name, image, i);
    }
    return 0;
}
