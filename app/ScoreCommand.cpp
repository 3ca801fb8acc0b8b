#include "ScoreCommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "CommandSupport.h"
#include "library/Catalog.h"
#include "research/AgreementStudy.h"
#include "library/CatalogScorer.h"
#include "Errors.h"
#include "library/ImageCollector.h"
#include "library/PhotoPairs.h"
#include "results/MapExport.h"
#include "models/ModelChoice.h"
#include "models/ModelLocator.h"
#include "engine/ComputeEnvironment.h"
#include "engine/PromptSetEncoder.h"
#include "engine/QualiClipModel.h"
#include "results/ResultWriter.h"
#include "results/ResultRows.h"
#include "results/ResultShards.h"
#include "engine/ScoringEngine.h"

namespace qc::cli {
namespace {

int usageError(const std::string& message) { return qc::cli::usageError("score", message); }

struct ScoreArguments {
    std::string modelPath;  // a file or a registry id (models/ModelChoice.h)
    std::optional<ScoringRecipe> recipe;  // --recipe; nullopt: the model's own
    ModelOptions modelOptions;  // device, precision
    ScoringOptions scoring;
    OutputFormat format = OutputFormat::Jsonl;
    std::string outputPath;  // empty: standard output
    bool recursive = false;
    int threads = 0;
    std::string mapsDir;  // with ScoringOptions::map
    std::string catalogPath;  // empty with --no-catalog
    std::string promptsPath;  // --prompts: a .prompts file instead of the model's stored pairs
    std::string vocabPath;
    std::vector<std::string> inputs;
    std::optional<ShardSpec> shard;  // --shard I/N (cluster runs, results/ResultShards.h)
    bool resume = false;
    std::optional<PairScoring> pairs;  // --pairs: one file per RAW+JPEG photo
};

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "Scores the quality of images with QualiCLIP. One row per image on standard output "
        "(or --output), written as soon as the image is done.");
    parser.addHelpOption();
    parser.addOptions({
        {"model", "QualiCLIP checkpoint, or an installed model's id such as qualiclip+-koniq (default: "
                  "$QUALICLIP_MODEL, then $XDG_DATA_HOME/qualiclip/models/qualiclip.pth).", "PATH|ID"},
        {"recipe", "official (the authors' model, default) or pyiqa (pyiqa's numbers: exp(logit_scale) / 2 "
                   "instead of 100; QualiCLIP+ models score only this way). Recorded as recipe in every row.",
         "RECIPE"},
        {"resize", "native (the reference, default), long:N (shrink so the long side is at most N) or "
                   "long:N/fast (JPEGs decoded by libjpeg at 1/2, 1/4 or 1/8 scale first: faster, slightly "
                   "other numbers).",
         "POLICY", "native"},
        {"raw", "Pixels of RAW files: auto (default: the embedded preview when it covers long:N, else "
                "the half-size demosaic when that does, else the full one), preview, half or full.",
         "MODE", "auto"},
        {"pairs", "Treat IMG_1.CR3 + IMG_1.JPG in one folder as one photo and score one of its files "
                  "(as the window does); the row names the scored file."},
        {"pairs-score", "With --pairs: which file of a pair is scored, jpeg (default) or raw.", "FILE",
         "jpeg"},
        {"format", "jsonl (default) or csv.", "FORMAT", "jsonl"},
        {"output", "Write rows to FILE instead of standard output.", "FILE"},
        {"recursive", "Descend into sub-folders of folders."},
        {"dense", "Add the per-position quality map (map_h, map_w, dense_map)."},
        {"threads", "Compute threads (default: one per core).", "N", "0"},
        {"max-megapixels", "Refuse images larger than this (default 250).", "MP", "250"},
        {"map", "Also write a quality map per image: dense, patches or gradcam.", "KIND"},
        {"pair", "Map target: mean (default; the score for patches/gradcam) or a pair name "
                 "such as sharp_image.", "NAME", "mean"},
        {"maps-dir", "Folder for the map files (<image>.<map>-<target>.png/.tiff/.csv/.json).", "DIR"},
        {"window", "Patch map window in pixels (default 224).", "N", "224"},
        {"stride", "Patch map stride in pixels (default 112).", "N", "112"},
        {"catalog", "Catalog of scores and decisions (default: $XDG_DATA_HOME/qualiclip/catalog.sqlite, the "
                    "window's). Images already scored with this model and policy are not scored again; "
                    "their rows say \"cached\": true. New scores are stored.", "PATH"},
        {"no-catalog", "Neither read nor write a catalog."},
        {"shard",
         "Score only share I of N (0 <= I < N) of the images; a path's share depends only on "
         "the path relative to its folder and N (cluster runs, docs/cluster.md).",
         "I/N"},
        {"resume",
         "With --output: keep the rows FILE (or FILE.part of a killed run) already has, "
         "score only the other images and append their rows."},
        {"prompts", "Score with the antonym pairs of FILE (one 'name: positive | negative' per line) "
                    "instead of the model's 7; rows then carry the set's SHA-256 as prompt_set.", "FILE"},
        {"vocab", "CLIP's vocabulary for --prompts (default: $QUALICLIP_VOCAB, then "
                  "$XDG_DATA_HOME/qualiclip/models/bpe_simple_vocab_16e6.txt.gz).", "PATH"},
    });
    addDeviceOptions(parser);
    parser.addPositionalArgument("PATH", "Images or folders.", "PATH...");
}

// Returns an empty string when the arguments are valid, else the problem.
std::string parseArguments(const QCommandLineParser& parser, ScoreArguments& a) {
    a.modelPath = parser.value("model").toStdString();
    if (parser.isSet("recipe")) {
        a.recipe = parseRecipe(parser.value("recipe").toStdString());
        if (!a.recipe) return "invalid --recipe '" + parser.value("recipe").toStdString() + "' (official or pyiqa)";
    }
    const auto policy = ResizePolicy::parse(parser.value("resize").toStdString());
    if (!policy)
        return "invalid --resize '" + parser.value("resize").toStdString() +
               "' (native, long:N or long:N/fast, N >= 32)";
    a.scoring.resize = *policy;
    const auto raw = parseRawMode(parser.value("raw").toStdString());
    if (!raw) return "invalid --raw '" + parser.value("raw").toStdString() + "' (auto, preview, half or full)";
    a.scoring.load.raw = *raw;
    const auto pairScoring = parsePairScoring(parser.value("pairs-score").toStdString());
    if (!pairScoring) return "invalid --pairs-score '" + parser.value("pairs-score").toStdString() + "' (jpeg or raw)";
    if (parser.isSet("pairs")) a.pairs = *pairScoring;
    else if (parser.isSet("pairs-score")) return "--pairs-score needs --pairs";
    const QString format = parser.value("format");
    if (format == "jsonl") a.format = OutputFormat::Jsonl;
    else if (format == "csv") a.format = OutputFormat::Csv;
    else return "invalid --format '" + format.toStdString() + "' (jsonl or csv)";
    a.outputPath = parser.value("output").toStdString();
    a.recursive = parser.isSet("recursive");
    a.scoring.dense = parser.isSet("dense");
    bool ok = false;
    a.threads = parser.value("threads").toInt(&ok);
    if (!ok || a.threads < 0 || a.threads > 1024) return "invalid --threads '" + parser.value("threads").toStdString() + "'";
    const double megapixels = parser.value("max-megapixels").toDouble(&ok);
    if (!ok || megapixels <= 0) return "invalid --max-megapixels '" + parser.value("max-megapixels").toStdString() + "'";
    a.scoring.load.maxPixels = static_cast<int64_t>(megapixels * 1e6);
    if (!parser.isSet("map")) {
        for (const char* option : {"pair", "window", "stride", "maps-dir"})
            if (parser.isSet(option)) return std::string("--") + option + " needs --map";
    } else {
        const auto kind = parseMapKind(parser.value("map").toStdString());
        if (!kind) return "invalid --map '" + parser.value("map").toStdString() + "' (dense, patches or gradcam)";
        MapRequest request;
        request.kind = *kind;
        request.patches.window = parser.value("window").toInt(&ok);
        if (!ok || request.patches.window < QualiClipModel::kMinSide) return "invalid --window (at least 31)";
        request.patches.stride = parser.value("stride").toInt(&ok);
        if (!ok || request.patches.stride < 1 || request.patches.stride > request.patches.window)
            return "invalid --stride (between 1 and the window)";
        a.scoring.map = request;
        a.mapsDir = parser.value("maps-dir").toStdString();
        if (a.mapsDir.empty()) return "--map needs --maps-dir DIR";
    }
    if (parser.isSet("no-catalog") && parser.isSet("catalog")) return "--catalog and --no-catalog together";
    if (!parser.isSet("no-catalog"))
        a.catalogPath = parser.isSet("catalog") ? parser.value("catalog").toStdString() : Catalog::defaultPath();
    a.promptsPath = parser.value("prompts").toStdString();
    a.vocabPath = parser.value("vocab").toStdString();
    for (const QString& p : parser.positionalArguments()) a.inputs.push_back(p.toStdString());
    if (a.inputs.empty()) return "no images or folders given";
    if (parser.isSet("shard")) {
        a.shard = parseShard(parser.value("shard").toStdString());
        if (!a.shard)
            return "invalid --shard '" + parser.value("shard").toStdString() +
                   "' (I/N with 0 <= I < N)";
    }
    a.resume = parser.isSet("resume");
    if (a.resume && (a.outputPath.empty() || a.format != OutputFormat::Jsonl))
        return "--resume needs --output FILE and --format jsonl";
    return parseDeviceOptions(parser, a.modelOptions, a.scoring.batch);
}

// Progress line on stderr, only when a person is watching a terminal.
class ProgressLine {
public:
    explicit ProgressLine(size_t total) : total_(total), enabled_(isatty(STDERR_FILENO) != 0) {}
    void update(size_t done) {
        if (!enabled_) return;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double rate = elapsed > 0 ? done / elapsed : 0;
        const double left = rate > 0 ? (total_ - done) / rate : 0;
        std::fprintf(stderr, "\r%zu/%zu images, %.2f img/s, %02d:%02d left   ", done, total_, rate,
                     static_cast<int>(left) / 60, static_cast<int>(left) % 60);
        std::fflush(stderr);
    }
    void finish() {
        if (enabled_) std::fputs("\n", stderr);
    }

private:
    size_t total_;
    bool enabled_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::shared_ptr<const QualiClipModel> loadModel(const ScoreArguments& a, std::string& error) {
    const std::optional<ModelChoice> choice = chooseModel(a.modelPath, error);
    if (!choice) return nullptr;
    if (choice->isQualiClipPlus() && !a.promptsPath.empty()) {
        error = "--prompts and a QualiCLIP+ model together: QualiCLIP+ scores with its own learned prompts";
        return nullptr;
    }
    try {
        return loadChosenModel(*choice, a.modelOptions, a.recipe, a.vocabPath);
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
}

// The model scoring with the --prompts set (its features computed by the model's own text
// encoder), or nullptr with the problem in error.
std::shared_ptr<const QualiClipModel> withPromptSet(const std::shared_ptr<const QualiClipModel>& model,
                                                    const ScoreArguments& a, std::string& error) {
    try {
        const PromptSet set = readPromptSetFile(a.promptsPath);
        const ModelLocation vocabulary = locateVocabulary(a.vocabPath);
        if (!vocabulary.path) {
            error = missingVocabularyMessage(vocabulary);
            return nullptr;
        }
        return PromptSetEncoder::forModel(*model, *vocabulary.path)->modelFor(model, set);
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
}

// -1 for "mean"/"score", the pair's index, or -2 when no pair has that name.
int pairIndex(const std::vector<PromptPair>& pairs, const std::string& name) {
    if (name == "mean" || name == "score") return -1;
    for (size_t i = 0; i < pairs.size(); ++i)
        if (pairs[i].key == name) return static_cast<int>(i);
    return -2;
}

// <maps-dir>/<image stem>.<kind>-<target>, unique within one run.
class MapFileNamer {
public:
    explicit MapFileNamer(std::string folder) : folder_(std::move(folder)) {}
    std::string baseFor(const ImageResult& r) {
        const std::string stem = std::filesystem::path(r.path).stem().string();
        const std::string suffix = "." + mapKindName(r.map->kind) + "-" + r.map->target;
        std::string base = (std::filesystem::path(folder_) / (stem + suffix)).string();
        for (int n = 2; !used_.insert(base).second; ++n)
            base = (std::filesystem::path(folder_) / (stem + "-" + std::to_string(n) + suffix)).string();
        return base;
    }

private:
    std::string folder_;
    std::set<std::string> used_;
};

void writeMap(const ImageResult& r, MapFileNamer& names, size_t& failed) {
    try {
        writeMapFiles(names.baseFor(r), *r.map, r.networkInput, {r.path, r.modelSha256, r.resize});
    } catch (const std::exception& e) {
        ++failed;
        std::cerr << "qualiclip score: map for '" << r.path << "': " << e.what() << "\n";
    }
}


// --pairs: one file per photo, a RAW+JPEG pair counted once.
std::vector<std::string> scoredFilesOfPhotos(const std::vector<std::string>& paths, PairScoring which) {
    std::vector<std::string> scored;
    for (const Photo& photo : pairRawAndJpeg(paths, which)) scored.push_back(photo.scoredPath);
    return scored;
}

// The program's command line as the operating system gave it (for re-executing it).
std::vector<std::string> localArguments(const QStringList& arguments) {
    std::vector<std::string> out;
    for (const QString& a : arguments) out.push_back(a.toLocal8Bit().toStdString());
    return out;
}

}  // namespace

int runScoreCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "score")) return *stop;
    ScoreArguments args;
    if (const std::string problem = parseArguments(parser, args); !problem.empty()) return usageError(problem);
    // Nothing is open yet: OpenCV's own pixel limit can still follow a raised --max-megapixels.
    raiseOpenCvPixelLimit(args.scoring.load.maxPixels, localArguments(QCoreApplication::arguments()));

    setComputeThreads(args.threads);
    std::string modelError;
    auto model = loadModel(args, modelError);
    if (!model) {
        std::cerr << "qualiclip score: " << modelError << "\n";
        return kExitUsage;
    }
    if (!args.promptsPath.empty() && !(model = withPromptSet(model, args, modelError))) {
        std::cerr << "qualiclip score: " << modelError << "\n";
        return kExitUsage;
    }

    if (args.scoring.map) {
        const std::string pair = parser.value("pair").toStdString();
        args.scoring.map->pair = pairIndex(model->info().pairs, pair);
        if (args.scoring.map->pair < -1) return usageError("unknown --pair '" + pair + "'");
        std::error_code ec;
        std::filesystem::create_directories(args.mapsDir, ec);
        if (ec) return usageError("cannot create --maps-dir '" + args.mapsDir + "': " + ec.message());
    }
    MapFileNamer mapNames(args.mapsDir);

    CollectedImages collected = collectImages(args.inputs, args.recursive);
    for (const CollectionProblem& p : collected.problems)
        std::cerr << "qualiclip score: '" << p.path << "': " << p.reason << "\n";
    if (args.pairs) collected.images = scoredFilesOfPhotos(collected.images, *args.pairs);
    if (args.shard) collected.images = selectShard(collected.images, args.inputs, *args.shard);

    // Rows go to FILE.part, renamed when the run completes: an interrupted run never leaves a
    // file that looks complete.
    std::ofstream file;
    const std::string partPath = args.outputPath + ".part";
    if (args.resume) {
        try {
            const auto done = prepareResume(args.outputPath, partPath, model->info().sha256,
                                            args.scoring.resize.toString(),
                                            {{"precision", precisionName(model->info().precision)},
                                             {"prompt_set", model->info().promptSet},
                                             {"recipe", recipeName(model->info().recipe)}});
            collected.images = pathsWithoutRows(collected.images, done);
        } catch (const ResultFileError& e) {
            std::cerr << "qualiclip score: " << e.what() << "\n";
            return kExitUsage;
        }
    }
    if (!args.outputPath.empty()) {
        file.open(partPath, std::ios::binary | (args.resume ? std::ios::app : std::ios::trunc));
        if (!file) {
            std::cerr << "qualiclip score: cannot write '" << partPath << "'\n";
            return kExitUsage;
        }
    }
    std::ostream& out = args.outputPath.empty() ? std::cout : file;
    ResultWriter writer(out, args.format, model->info().pairs, args.scoring.dense);

    std::unique_ptr<Catalog> catalog;
    if (!args.catalogPath.empty()) {
        try {
            catalog = std::make_unique<Catalog>(args.catalogPath);
        } catch (const std::exception& e) {
            std::cerr << "qualiclip score: " << e.what() << " (--no-catalog scores without one)\n";
            return kExitUsage;
        }
    }
    // Images whose score the catalog holds are not scored again. Dense and quality maps are not
    // stored, so runs that ask for them score everything (and still store the scores). Either way
    // a score is stored before its row is written: a row on screen is a row in the catalog.
    const std::atomic<bool>& interruptFlag = watchInterrupts();
    ScoringEngine engine(model, args.scoring);
    CatalogScorerCounts counts;
    const bool readCache = !args.scoring.dense && !args.scoring.map;
    const ImageScorer scorer = catalog ? catalogScorer(*catalog, engine, &counts, readCache) : engineScorer(engine);
    // An input that names nothing to score is a row too (README: a bad input gives a row with
    // `error`), written once across the shards of a cluster run.
    if (!args.shard || args.shard->index == 0) {
        for (const CollectionProblem& p : collected.problems) {
            PreparedImage unreadable;
            unreadable.path = p.path;
            unreadable.error = "'" + p.path + "': " + p.reason;
            writer.write(engine.resultFor(unreadable));
        }
    }
    const size_t total = collected.images.size();
    ProgressLine progress(total);
    size_t failed = 0;
    // A row that cannot be written (disk full, a file size limit) stops the run: every later
    // row would be lost too. The rows before it stay in FILE.part for --resume.
    std::string writeProblem;
    const size_t done = scorer(
        collected.images,
        [&](size_t index, const ImageResult& r) {
            if (!r.ok()) {
                ++failed;
                std::cerr << (isatty(STDERR_FILENO) ? "\n" : "") << "qualiclip score: " << r.error << "\n";
            }
            if (r.ok() && r.map) writeMap(r, mapNames, failed);
            errno = 0;
            writer.write(r);
            if (!out && writeProblem.empty()) {
                writeProblem = errno != 0 ? std::strerror(errno) : "write error";
                stopRun();
            }
            progress.update(index + 1);
        },
        &interruptFlag);
    const bool interrupted = interruptFlag.load() && writeProblem.empty();
    if (counts.storeFailures > 0)
        std::cerr << "qualiclip score: " << counts.storeFailures << " scores could not be stored in the catalog ("
                  << counts.firstStoreError << ")\n";
    progress.finish();

    if (!args.outputPath.empty()) {
        errno = 0;
        file.close();
        if (!file && writeProblem.empty()) writeProblem = errno != 0 ? std::strerror(errno) : "write error";
    }
    if (!writeProblem.empty()) {
        std::cerr << "qualiclip score: cannot write the rows to "
                  << (args.outputPath.empty() ? std::string("standard output") : "'" + partPath + "'") << ": "
                  << writeProblem << "; stopped after " << done << " of " << total << " images"
                  << (args.outputPath.empty() ? std::string()
                                              : ", '" + args.outputPath + "' was not written (the same command "
                                                "with --resume continues once there is room)")
                  << "\n";
        return kExitUsage;
    }
    if (interrupted) {
        std::cerr << "qualiclip score: interrupted after " << done << " of " << collected.images.size()
                  << " images" << (args.outputPath.empty() ? "" : "; partial rows kept in '" + partPath + "'")
                  << "\n";
        return kExitInterrupted;
    }
    if (!args.outputPath.empty()) {
        std::error_code ec;
        std::filesystem::rename(partPath, args.outputPath, ec);
        if (ec) {
            std::cerr << "qualiclip score: cannot rename '" << partPath << "' to '" << args.outputPath
                      << "': " << ec.message() << "\n";
            return kExitUsage;
        }
    }
    const bool anyFailed = failed > 0 || !collected.problems.empty() || counts.storeFailures > 0;
    return anyFailed ? kExitFailed : kExitOk;
}

std::optional<ScoreCommandLine> parseScoreCommandLine(const QStringList& arguments,
                                                      std::string& problem) {
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(arguments)) {
        problem = parser.errorText().toStdString();
        return std::nullopt;
    }
    ScoreArguments args;
    problem = parseArguments(parser, args);
    if (!problem.empty()) return std::nullopt;
    return ScoreCommandLine{args.inputs, args.recursive, args.outputPath,
                            args.format == OutputFormat::Jsonl};
}

}  // namespace qc::cli
