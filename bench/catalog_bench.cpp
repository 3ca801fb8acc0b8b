// qualiclip-catalog-bench: re-opening a folder of N scored images from the catalog (issue #6).
//
//   qualiclip-catalog-bench [--images N] [--dir DIR]
//
// Writes N small files (random bytes; the catalog never decodes them) into DIR (default: a new
// temporary folder, removed afterwards), adds them to a fresh catalog with a score of the released
// shape (7 pairs, 1024-float embedding) each, closes it, then times what re-opening the folder
// costs: opening the file, listing the folder with scores (one query), and the per-file check the
// CLI does (stat + unchanged lookup + score). Also the cost of one committed decision (fsync).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "library/Catalog.h"
#include "engine/ScoringEngine.h"

namespace {

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    int count = 10000;
    std::string folder;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--images")) count = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--dir")) folder = argv[i + 1];
    }
    const bool temporary = folder.empty();
    if (temporary) {
        std::string pattern = (std::filesystem::temp_directory_path() / "qci-catalog-bench-XXXXXX").string();
        folder = ::mkdtemp(pattern.data());
    }
    const std::string images = folder + "/shoot";
    const std::string dbPath = folder + "/catalog.sqlite";
    std::filesystem::create_directories(images);
    std::filesystem::remove(dbPath);

    std::mt19937 random(1);
    std::vector<std::string> paths;
    std::vector<char> bytes(4096);
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "/IMG_%05d.jpg", i);
        paths.push_back(images + name);
        for (char& b : bytes) b = static_cast<char>(random());
        std::ofstream(paths.back(), std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }

    const std::string model(64, 'a');
    {
        qc::Catalog catalog(dbPath);
        auto start = std::chrono::steady_clock::now();
        std::vector<int64_t> ids;
        for (const std::string& p : paths) ids.push_back(catalog.resolve(p).id);
        const double importSeconds = since(start);
        std::vector<qc::ImageResult> results(paths.size());
        std::vector<std::pair<int64_t, const qc::ImageResult*>> batch;
        for (size_t i = 0; i < paths.size(); ++i) {
            qc::ImageResult& r = results[i];
            r.path = paths[i];
            r.resize = "long:1024";
            r.modelSha256 = model;
            r.score = 0.5;
            r.pairProbabilities.assign(7, 0.5);
            r.embedding.assign(1024, 0.03125f);
            batch.emplace_back(ids[i], &r);
        }
        start = std::chrono::steady_clock::now();
        catalog.storeScores(batch);
        const double storeSeconds = since(start);
        start = std::chrono::steady_clock::now();
        const int decisions = 200;
        for (int i = 0; i < decisions; ++i) catalog.setDecision(ids[static_cast<size_t>(i)], {qc::CatalogFlag::Pick, 3, "", ""});
        const double decisionMs = since(start) * 1000 / decisions;
        std::printf("| first import: stat + fingerprint + insert, one transaction per image | %.3f s |\n", importSeconds);
        std::printf("| storing %d scores in one transaction | %.3f s |\n", count, storeSeconds);
        std::printf("| one decision, committed (fsync) | %.2f ms |\n", decisionMs);
    }
    auto start = std::chrono::steady_clock::now();
    qc::Catalog catalog(dbPath);
    const double openSeconds = since(start);
    start = std::chrono::steady_clock::now();
    const auto listed = catalog.listFolder(images, model, "long:1024");
    const double listSeconds = since(start);
    size_t withScore = 0;
    for (const auto& e : listed) withScore += e.score ? 1 : 0;
    start = std::chrono::steady_clock::now();
    size_t hits = 0;
    for (const std::string& p : paths) {
        const auto stamp = qc::statFile(p);
        if (!stamp) continue;
        if (auto id = catalog.findUnchanged(p, *stamp))
            if (catalog.score(*id, model, "long:1024", false)) ++hits;
    }
    const double checkSeconds = since(start);
    std::printf("| re-open: open the catalog file (schema check) | %.3f s |\n", openSeconds);
    std::printf("| re-open: list the folder with scores and decisions (%zu rows, %zu scored) | %.3f s |\n",
                listed.size(), withScore, listSeconds);
    std::printf("| re-open: per file stat + unchanged lookup + score (%zu hits) | %.3f s |\n", hits, checkSeconds);
    std::printf("| catalog size | %.1f MiB |\n", std::filesystem::file_size(dbPath) / 1048576.0);
    if (temporary) std::filesystem::remove_all(folder);
    return listed.size() == static_cast<size_t>(count) && hits == static_cast<size_t>(count) ? 0 : 1;
}
