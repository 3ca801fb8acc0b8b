// qualiclip-burst-bench: the two figures of issue #13 for docs/benchmarks.md.
//
//   qualiclip-burst-bench similarity [--scenes N] [--width W] [--seed S] [--model PATH]
//   qualiclip-burst-bench grouping [--images N]
//
// similarity: writes a generated shoot of bursts (tests/fixtures/ShootFixtures.h: N base scenes,
// 3-8 frames each with a small shift, blur and noise, 0.1-0.5 s apart), scores every frame with
// the full-size random-weight model (the released architecture, core/engine/RandomCheckpoint;
// never the real weights) and prints the cosine similarity of consecutive frames within a burst
// and across a scene boundary, and for thresholds S how many boundaries similarity alone (no
// time gap) separates and how many within-burst steps it would wrongly cut. The default S
// (library/BurstGrouping.h) is chosen from this table.
//
// grouping: a catalog of N photos (bursts of 5, 1024-float embeddings of the released shape,
// capture times stored), then the time to read the grouping inputs from the catalog, to group
// them, and to store the bursts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "ShootFixtures.h"
#include "engine/QualiClipModel.h"
#include "engine/RandomCheckpoint.h"
#include "engine/ScoringEngine.h"
#include "library/BurstGrouping.h"
#include "library/Catalog.h"

namespace {

namespace fs = std::filesystem;

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string textOption(int argc, char** argv, const char* name) {
    for (int i = 2; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
    return {};
}

int intOption(int argc, char** argv, const char* name, int fallback) {
    for (int i = 2; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::atoi(argv[i + 1]);
    return fallback;
}

fs::path freshFolder() {
    std::string pattern = (fs::temp_directory_path() / "qci-burst-bench-XXXXXX").string();
    return ::mkdtemp(pattern.data());
}

int similarity(int argc, char** argv) {
    qc::fixtures::BurstShootSpec spec;
    spec.scenes = intOption(argc, argv, "--scenes", 12);
    spec.width = intOption(argc, argv, "--width", 448);
    spec.height = spec.width * 3 / 4;
    spec.seed = uint32_t(intOption(argc, argv, "--seed", 1));
    const fs::path folder = freshFolder();
    const auto frames = qc::fixtures::writeBurstShoot(folder.string(), spec);
    const std::string modelPath = textOption(argc, argv, "--model");
    auto model = modelPath.empty()
                     ? std::shared_ptr<const qc::QualiClipModel>(qc::QualiClipModel::fromCheckpoint(
                           qc::makeRandomCheckpoint(qc::releasedModelSpec(), 1)))
                     : qc::QualiClipModel::load(modelPath);
    const qc::ScoringEngine engine(model, {});
    std::vector<std::vector<float>> embeddings;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& f : frames) {
        const qc::ImageResult r = engine.scoreFile(f.path);
        if (!r.ok()) {
            std::fprintf(stderr, "%s\n", r.error.c_str());
            return 1;
        }
        embeddings.push_back(r.embedding);
    }
    std::printf("shoot: %d scenes, %zu frames of %dx%d, scored in %.1f s (%s)\n", spec.scenes,
                frames.size(), spec.width, spec.height, since(start),
                modelPath.empty() ? "full-size random-weight model" : modelPath.c_str());
    std::vector<double> within, across;
    for (size_t i = 1; i < frames.size(); ++i) {
        const double s = *qc::cosineSimilarity(embeddings[i - 1], embeddings[i]);
        (frames[i].scene == frames[i - 1].scene ? within : across).push_back(s);
    }
    std::sort(within.begin(), within.end());
    std::sort(across.begin(), across.end());
    auto mean = [](const std::vector<double>& v) {
        double sum = 0;
        for (double x : v) sum += x;
        return v.empty() ? 0 : sum / double(v.size());
    };
    std::printf("within a burst (%zu steps): min %.5f  mean %.5f  max %.5f\n", within.size(),
                within.front(), mean(within), within.back());
    std::printf("across scenes  (%zu boundaries): min %.5f  mean %.5f  max %.5f\n", across.size(),
                across.front(), mean(across), across.back());
    std::printf("%8s  %22s  %22s\n", "S", "boundaries separated", "burst steps cut");
    for (double s :
         {0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999}) {
        const auto separated =
            std::count_if(across.begin(), across.end(), [&](double x) { return x < s; });
        const auto cut =
            std::count_if(within.begin(), within.end(), [&](double x) { return x < s; });
        std::printf("%8.4f  %12zu of %3zu (%3.0f%%)  %12zu of %3zu\n", s, size_t(separated),
                    across.size(), 100.0 * double(separated) / double(across.size()), size_t(cut),
                    within.size());
    }
    fs::remove_all(folder);
    return 0;
}

int grouping(int argc, char** argv) {
    const int count = intOption(argc, argv, "--images", 10000);
    const fs::path folder = freshFolder();
    const std::string catalogPath = (folder / "catalog.sqlite").string();
    std::mt19937 rng(1);
    std::normal_distribution<float> gauss;
    {
        qc::Catalog catalog(catalogPath);
        std::vector<qc::ImageResult> results(static_cast<size_t>(count));
        std::vector<std::pair<int64_t, const qc::ImageResult*>> scores;
        std::vector<std::pair<int64_t, qc::CaptureTime>> times;
        std::vector<float> scene(1024);
        for (int i = 0; i < count; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "IMG_%05d.jpg", i);
            const std::string path = (folder / name).string();
            std::ofstream(path) << "photo " << i;  // the catalog never decodes it
            if (i % 5 == 0)
                for (float& x : scene) x = gauss(rng);
            qc::ImageResult& r = results[size_t(i)];
            r.path = path;
            r.modelSha256 = "bench";
            r.resize = "native";
            r.score = 0.5;
            r.pairProbabilities.assign(7, 0.5);
            r.embedding = scene;
            for (float& x : r.embedding) x += 0.1f * gauss(rng);
            const int64_t id = catalog.resolve(path).id;
            scores.emplace_back(id, &r);
            times.emplace_back(
                id, qc::CaptureTime{i / 5 * 10.0 + (i % 5) * 0.3, "", qc::CaptureTimeSource::Exif});
        }
        catalog.storeScores(scores);
        catalog.storeCaptureTimes(times);
    }
    const auto open = std::chrono::steady_clock::now();
    qc::Catalog catalog(catalogPath);
    const double openSeconds = since(open);
    const auto read = std::chrono::steady_clock::now();
    const auto inputs = catalog.groupingInputs(folder.string(), "bench", "native");
    const double readSeconds = since(read);
    const auto group = std::chrono::steady_clock::now();
    std::vector<qc::BurstPhoto> photos;
    photos.reserve(inputs.size());
    for (const auto& in : inputs)
        photos.push_back(
            {in.path,
             in.captureTime ? std::optional<double>(in.captureTime->seconds) : std::nullopt,
             in.embedding, in.score,
             in.pairProbabilities.size() > 1 ? in.pairProbabilities[1] : 0.0});
    const qc::BurstGroups groups = qc::groupBursts(photos, {});
    const double groupSeconds = since(group);
    const auto store = std::chrono::steady_clock::now();
    std::vector<qc::CatalogBurst> bursts;
    for (size_t i = 0; i < photos.size(); ++i) {
        const qc::Burst& b = groups.bursts[groups.burstOf[i]];
        bursts.push_back({inputs[i].id, inputs[b.members.front()].id, int(groups.positionOf[i]),
                          int(b.members.size()), b.best == i});
    }
    catalog.replaceBursts(bursts, "gap=2 similarity=0.9");
    const double storeSeconds = since(store);
    std::printf("%zu photos (1024-float embeddings) -> %zu bursts\n", inputs.size(),
                groups.bursts.size());
    std::printf(
        "open catalog %.3f s, read inputs %.3f s, group %.3f s, store bursts %.3f s; read + group "
        "%.3f s\n",
        openSeconds, readSeconds, groupSeconds, storeSeconds, readSeconds + groupSeconds);
    fs::remove_all(folder);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "similarity") return similarity(argc, argv);
    if (mode == "grouping") return grouping(argc, argv);
    std::fprintf(stderr,
                 "usage: qualiclip-burst-bench similarity [--scenes N] [--width W] [--seed S] "
                 "[--model PATH]\n"
                 "       qualiclip-burst-bench grouping [--images N]\n");
    return 2;
}
