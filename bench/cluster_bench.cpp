// qualiclip-cluster-bench: what the cluster pieces (issue #16) cost next to scoring, on a data
// set of N images.
//
//   qualiclip-cluster-bench [--images N] [--shards S] [--import M]
//
// Makes N paths (a KonIQ-like folder), times assigning them to S shards (selectShard, what every
// array task does before scoring), writes S shard files of N rows of the released shape (7 pairs;
// no embedding, as `score` writes them), times `merge` (reading, checking, sorting, writing the
// merged file), then writes M small files (random bytes; the catalog never decodes them) and
// times importing their rows into a fresh catalog (`catalog import`: stat, fingerprint, store).
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
#include "library/CatalogImport.h"
#include "results/ResultMerge.h"
#include "results/ResultRows.h"
#include "results/ResultShards.h"

namespace {

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

const char* const kPairs[] = {"good_photo", "sharp_image",  "sharp_edges", "high_resolution",
                              "noise_free", "high_quality", "good_picture"};

std::string rowFor(const std::string& path, std::mt19937& random) {
    std::uniform_real_distribution<double> uniform(0, 1);
    char buffer[160];
    std::string row = "{\"path\":\"" + path +
                      "\",\"width\":1024,\"height\":768,\"input_width\":1024,\"input_height\":768,"
                      "\"resize\":\"native\",";
    std::snprintf(buffer, sizeof buffer, "\"score\":%.17g,\"pairs\":{", uniform(random));
    row += buffer;
    for (size_t i = 0; i < std::size(kPairs); ++i) {
        std::snprintf(buffer, sizeof buffer, "%s\"%s\":%.17g", i ? "," : "", kPairs[i],
                      uniform(random));
        row += buffer;
    }
    return row + "},\"model_sha256\":\"" + std::string(64, 'a') +
           "\",\"seconds\":0.98,\"error\":null,\"cached\":false}";
}

}  // namespace

int main(int argc, char** argv) {
    int count = 100000, shards = 16, importCount = 10000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--images")) count = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--shards")) shards = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--import")) importCount = std::atoi(argv[i + 1]);
    }
    if (count < 1 || shards < 1 || importCount < 0 || importCount > count) {
        std::fprintf(
            stderr, "usage: qualiclip-cluster-bench [--images N] [--shards S] [--import M <= N]\n");
        return 2;
    }
    std::string pattern =
        (std::filesystem::temp_directory_path() / "qci-cluster-bench-XXXXXX").string();
    const std::string folder = ::mkdtemp(pattern.data());
    const std::string dataset = folder + "/koniq10k";
    std::filesystem::create_directories(dataset);

    std::vector<std::string> paths;
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "/%010d.jpg", 100000 + i * 7);
        paths.push_back(dataset + name);
    }

    auto start = std::chrono::steady_clock::now();
    size_t smallest = paths.size(), largest = 0;
    std::vector<std::vector<std::string>> shardPaths;
    for (int s = 0; s < shards; ++s) {
        shardPaths.push_back(qc::selectShard(paths, {dataset}, {s, shards}));
        smallest = std::min(smallest, shardPaths.back().size());
        largest = std::max(largest, shardPaths.back().size());
    }
    const double assign = since(start);
    std::printf(
        "shard assignment: %d paths into %d shards, all shards: %.3f s (%.2f us per path per "
        "task); "
        "shard sizes %zu..%zu (mean %.0f)\n",
        count, shards, assign, 1e6 * assign / (static_cast<double>(count) * shards), smallest,
        largest, static_cast<double>(count) / shards);

    std::mt19937 random(1);
    std::vector<std::string> files;
    uintmax_t bytes = 0;
    for (int s = 0; s < shards; ++s) {
        files.push_back(folder + "/shard-" + std::to_string(s) + ".jsonl");
        std::ofstream out(files.back(), std::ios::binary);
        for (const std::string& path : shardPaths[s]) out << rowFor(path, random) << '\n';
        out.close();
        bytes += std::filesystem::file_size(files.back());
    }

    start = std::chrono::steady_clock::now();
    const qc::MergeReport report = qc::mergeResultFiles(files, paths);
    const double check = since(start);
    start = std::chrono::steady_clock::now();
    qc::writeMergedRows(folder + "/all.jsonl", report);
    const double write = since(start);
    std::printf(
        "merge: %zu rows, %.1f MB in %d files: read + check + sort %.3f s, write %.3f s (%s)\n",
        report.rows.size(), bytes / 1e6, shards, check, write,
        report.consistent() && report.complete() ? "complete" : "INCOMPLETE");

    if (importCount > 0) {
        std::vector<char> noise(4096);
        for (int i = 0; i < importCount; ++i) {
            for (char& b : noise) b = static_cast<char>(random());
            std::ofstream(report.rows[i].path, std::ios::binary)
                .write(noise.data(), static_cast<std::streamsize>(noise.size()));
        }
        std::vector<qc::ImageResult> results;
        for (int i = 0; i < importCount; ++i) results.push_back(qc::toImageResult(report.rows[i]));
        qc::Catalog catalog(folder + "/catalog.sqlite");
        start = std::chrono::steady_clock::now();
        const qc::CatalogImportCounts counts = qc::importScores(catalog, results);
        const double import = since(start);
        std::printf("catalog import: %zu rows stored in %.3f s (%.0f rows/s), %zu problems\n",
                    counts.stored, import, counts.stored / import, counts.problems.size());
    }
    std::filesystem::remove_all(folder);
    return 0;
}
