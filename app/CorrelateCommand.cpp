#include "CommandSupport.h"
#include "CorrelateCommand.h"

#include <QCommandLineParser>

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "research/AgreementStudy.h"
#include "library/Catalog.h"
#include "library/CatalogScorer.h"
#include "models/ModelChoice.h"
#include "models/ModelLocator.h"
#include "research/MosTable.h"
#include "results/ResultRows.h"
#include "engine/QualiClipModel.h"
#include "engine/ScoringEngine.h"

namespace qc::cli {
namespace {

constexpr size_t kFailuresShown = 5;  // per direction

int usageError(const std::string& message) { return qc::cli::usageError("correlate", message); }

struct CorrelateArguments {
    std::string mosFile, imagesFolder, modelPath, reportFolder;  // modelPath: a file or a registry id
    std::optional<ScoringRecipe> recipe;                          // --recipe
    std::string catalogPath;  // empty with --no-catalog
    std::string scoresFile;   // --scores: rows instead of a model
    MosColumns columns;
    ScoringOptions scoring;
    ModelOptions modelOptions;  // device, precision
    AgreementOptions statistics;
    int threads = 0;
};

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "Scores every image listed in a MOS file and prints how well the scores agree with the "
        "human\n"
        "scores, as IQA papers report it: SRCC, KRCC (tau-b), and PLCC and RMSE after the "
        "4-parameter\n"
        "VQEG logistic, each with a 95% percentile bootstrap interval. Names that match no image "
        "under\n"
        "--images are listed. --report DIR also writes images.csv, failures.csv (worst residuals "
        "first),\n"
        "unmatched.csv and summary.json.");
    parser.addHelpOption();
    parser.addOptions({
        {"mos", "CSV file of human scores (UTF-8, header row).", "FILE"},
        {"images", "Folder the image names in the MOS file are relative to.", "DIR"},
        {"preset", "Columns of a known dataset: koniq (image_name, MOS) or flive (name, mos).",
         "NAME"},
        {"name-col", "Header of the image-name column (with --mos-col; default: found from the header).", "C"},
        {"mos-col", "Header of the score column (with --name-col).", "C"},
        {"model",
         "QualiCLIP checkpoint, or an installed model's id such as qualiclip+-koniq (default: "
         "$QUALICLIP_MODEL, then $XDG_DATA_HOME/qualiclip/models/qualiclip.pth).",
         "PATH|ID"},
        {"recipe", "official (default) or pyiqa (pyiqa's numbers; QualiCLIP+ models score only this way).",
         "RECIPE"},
        {"resize", "native (the reference, default) or long:N.", "POLICY", "native"},
        {"report", "Write the report folder here (created if needed).", "DIR"},
        {"seed", "Seed of the bootstrap (default 1).", "N", "1"},
        {"bootstrap", "Bootstrap resamples (default 1000; 0: no intervals).", "N", "1000"},
        {"threads", "Compute threads (default: one per core).", "N", "0"},
        {"catalog",
         "Catalog of scores (default: $XDG_DATA_HOME/qualiclip/catalog.sqlite, the one `score` "
         "and the window use). Images already scored with this model and policy are not scored "
         "again; new scores are stored.",
         "PATH"},
        {"no-catalog", "Neither read nor write a catalog: score every image."},
        {"scores",
         "Take the scores from this JSON Lines file (qualiclip score or merge output) instead "
         "of scoring: no model is loaded and no catalog opened.",
         "FILE"},
    });
    addDeviceOptions(parser);
}

std::string parseArguments(const QCommandLineParser& parser, CorrelateArguments& a) {
    if (!parser.positionalArguments().isEmpty())
        return "unexpected argument '" + parser.positionalArguments().front().toStdString() + "'";
    if (!parser.isSet("mos")) return "--mos FILE is required";
    if (!parser.isSet("images")) return "--images DIR is required";
    a.mosFile = parser.value("mos").toStdString();
    a.imagesFolder = parser.value("images").toStdString();
    if (parser.isSet("preset")) {
        const auto preset = mosPreset(parser.value("preset").toStdString());
        if (!preset)
            return "unknown --preset '" + parser.value("preset").toStdString() +
                   "' (koniq or flive)";
        a.columns = *preset;
    }
    const bool columnsNamed = parser.isSet("name-col") || parser.isSet("mos-col");
    if (parser.isSet("preset") && columnsNamed) return "--preset and --name-col/--mos-col together: choose one";
    if (parser.isSet("name-col") != parser.isSet("mos-col"))
        return "--name-col and --mos-col go together (or neither: the columns are then found from the header)";
    if (parser.isSet("name-col")) a.columns.name = parser.value("name-col").toStdString();
    if (parser.isSet("mos-col")) a.columns.mos = parser.value("mos-col").toStdString();
    if (parser.isSet("no-catalog") && parser.isSet("catalog"))
        return "--catalog and --no-catalog together";
    a.scoresFile = parser.value("scores").toStdString();
    for (const char* option : {"model", "catalog", "resize", "recipe"})
        if (!a.scoresFile.empty() && parser.isSet(option))
            return std::string("--scores takes the scores from its file; --") + option +
                   " does not apply";
    if (!parser.isSet("no-catalog") && a.scoresFile.empty())
        a.catalogPath = parser.isSet("catalog") ? parser.value("catalog").toStdString()
                                                : Catalog::defaultPath();
    a.modelPath = parser.value("model").toStdString();
    if (parser.isSet("recipe")) {
        a.recipe = parseRecipe(parser.value("recipe").toStdString());
        if (!a.recipe) return "invalid --recipe '" + parser.value("recipe").toStdString() + "' (official or pyiqa)";
    }
    a.reportFolder = parser.value("report").toStdString();
    const auto policy = ResizePolicy::parse(parser.value("resize").toStdString());
    if (!policy)
        return "invalid --resize '" + parser.value("resize").toStdString() +
               "' (native or long:N, N >= 32)";
    a.scoring.resize = *policy;
    bool ok = false;
    a.statistics.seed = parser.value("seed").toULongLong(&ok);
    if (!ok) return "invalid --seed '" + parser.value("seed").toStdString() + "'";
    a.statistics.bootstrapResamples = parser.value("bootstrap").toInt(&ok);
    if (!ok || a.statistics.bootstrapResamples < 0 || a.statistics.bootstrapResamples > 1000000)
        return "invalid --bootstrap '" + parser.value("bootstrap").toStdString() +
               "' (0 to 1000000)";
    a.threads = parser.value("threads").toInt(&ok);
    if (!ok || a.threads < 0 || a.threads > 1024)
        return "invalid --threads '" + parser.value("threads").toStdString() + "'";
    return parseDeviceOptions(parser, a.modelOptions, a.scoring.batch);
}

void printEstimate(const char* label, const EstimateWithInterval& e, bool intervals) {
    if (intervals)
        std::printf("%s  %8.4f  [%.4f, %.4f]\n", label, e.value, e.low, e.high);
    else
        std::printf("%s  %8.4f\n", label, e.value);
}

void printFailures(const AgreementStudy& study) {
    std::vector<size_t> over, under;
    for (size_t i : failureCases(study)) (study.rows[i].residual < 0 ? over : under).push_back(i);
    const auto print = [&](const char* title, const std::vector<size_t>& rows) {
        if (rows.empty()) return;
        std::printf("%s\n", title);
        for (size_t k = 0; k < rows.size() && k < kFailuresShown; ++k) {
            const AgreementRow& r = study.rows[rows[k]];
            std::printf("  %+9.4f  score %.4f  MOS %.4f  fitted %.4f  %s\n", r.residual, r.score,
                        r.mos, r.fitted, r.name.c_str());
        }
    };
    print("Worst over-estimates (MOS - fitted, score, MOS, fitted, name):", over);
    print("Worst under-estimates:", under);
}

// The model (and the catalog, unless --no-catalog) as the scorer.
std::optional<int> scorerFromModel(const CorrelateArguments& args,
                                   std::unique_ptr<ScoringEngine>& engine,
                                   std::unique_ptr<Catalog>& catalog, CatalogScorerCounts& counts,
                                   ImageScorer& scorer) {
    std::string problem;
    const std::optional<ModelChoice> choice = chooseModel(args.modelPath, problem);
    if (!choice) {
        std::cerr << "qualiclip correlate: " << problem << "\n";
        return kExitUsage;
    }
    try {
        engine = std::make_unique<ScoringEngine>(loadChosenModel(*choice, args.modelOptions, args.recipe),
                                                 args.scoring);
    } catch (const std::exception& e) {
        std::cerr << "qualiclip correlate: " << e.what() << "\n";
        return kExitUsage;
    }

    if (!args.catalogPath.empty()) {
        try {
            catalog = std::make_unique<Catalog>(args.catalogPath);
        } catch (const std::exception& e) {
            std::cerr << "qualiclip correlate: " << e.what()
                      << " (--no-catalog scores without one)\n";
            return kExitUsage;
        }
    }
    scorer = catalog ? catalogScorer(*catalog, *engine, &counts) : engineScorer(*engine);
    return std::nullopt;
}

// --scores FILE: a scorer that answers from the file's rows; the model and policy are the rows'.
std::optional<int> scorerFromRows(const std::string& file, ImageScorer& scorer,
                                  std::string& modelSha256, std::string& policy) {
    ResultFile rows;
    try {
        rows = readResultFile(file);
    } catch (const ResultFileError& e) {
        std::cerr << "qualiclip correlate: " << e.what() << "\n";
        return kExitUsage;
    }
    for (const ResultRow& row : rows.rows) {
        if (row.modelSha256.empty()) continue;
        if (!modelSha256.empty() && (row.modelSha256 != modelSha256 || row.resize != policy)) {
            std::cerr
                << "qualiclip correlate: '" << file << "' line " << row.lineNumber
                << " was made with another model or resize policy than the rows before it; merge "
                   "refuses such sets, and so does correlate\n";
            return kExitUsage;
        }
        modelSha256 = row.modelSha256;
        policy = row.resize;
    }
    scorer = resultRowScorer(std::move(rows.rows), file);
    return std::nullopt;
}

}  // namespace

int runCorrelateCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "correlate")) return *stop;
    CorrelateArguments args;
    if (const std::string problem = parseArguments(parser, args); !problem.empty())
        return usageError(problem);

    MosTable table;
    try {
        table = loadMosTable(args.mosFile, args.imagesFolder, args.columns);
    } catch (const MosTableError& e) {
        std::cerr << "qualiclip correlate: " << e.what() << "\n";
        return kExitUsage;
    }
    for (const MosEntry& e : table.unmatched)
        std::cerr << "qualiclip correlate: no image '" << e.name << "' under '" << args.imagesFolder
                  << "' (line " << e.line << ")\n";
    for (const MosRowProblem& p : table.problems)
        std::cerr << "qualiclip correlate: '" << args.mosFile << "' line " << p.line << ": "
                  << p.reason << "\n";

    setComputeThreads(args.threads);
    std::unique_ptr<ScoringEngine> engine;
    std::unique_ptr<Catalog> catalog;
    CatalogScorerCounts counts;
    std::string modelSha256, policy = args.scoring.resize.toString();
    std::string recipe = kOfficialRecipeName, promptSet = kDefaultPromptSetId;
    ImageScorer scorer;
    if (!args.scoresFile.empty()) {
        if (const auto status = scorerFromRows(args.scoresFile, scorer, modelSha256, policy))
            return *status;
    } else {
        if (const auto status = scorerFromModel(args, engine, catalog, counts, scorer))
            return *status;
        modelSha256 = engine->model().info().sha256;
        recipe = recipeName(engine->model().info().recipe);
        promptSet = engine->model().info().promptSet;
    }

    const std::atomic<bool>& interrupted = watchInterrupts();
    const bool terminal = isatty(STDERR_FILENO) != 0;
    AgreementStudy study;
    try {
        study = runAgreementStudy(
            table, scorer, args.statistics,
            [&](StudyStage stage, size_t done, size_t total) {
                if (!terminal) return;
                std::fprintf(stderr, "\r%s %zu/%zu   ",
                             stage == StudyStage::Scoring ? "scoring" : "bootstrap", done, total);
                if (done == total) std::fputs("\n", stderr);
            },
            &interrupted);
    } catch (const Cancelled&) {
        std::cerr << "qualiclip correlate: interrupted\n";
        return kExitInterrupted;
    } catch (const StatisticsError& e) {
        std::cerr << "qualiclip correlate: " << e.what() << "\n";
        return kExitUsage;
    }
    for (const AgreementRow& row : study.rows)
        if (!row.error.empty()) std::cerr << "qualiclip correlate: " << row.error << "\n";
    if (catalog)
        std::cerr << "qualiclip correlate: catalog '" << catalog->path() << "': " << counts.cached
                  << " cached, " << counts.scored << " scored\n";
    if (counts.storeFailures > 0)
        std::cerr << "qualiclip correlate: " << counts.storeFailures
                  << " scores could not be stored in the catalog\n";

    const AgreementReport& r = study.report;
    const size_t listed = study.rows.size() + study.unmatched.size() + study.problems.size();
    std::printf(
        "n = %zu (of %zu listed: %zu without an image, %zu unusable rows, %zu failed to score)\n",
        r.n, listed, study.unmatched.size(), study.problems.size(),
        study.rows.size() - study.scoredCount);
    const bool intervals = r.bootstrapResamples > 0;
    printEstimate("SRCC", r.srcc, intervals);
    printEstimate("KRCC", r.krcc, intervals);
    printEstimate("PLCC", r.plcc, intervals);
    printEstimate("RMSE", r.rmse, intervals);
    if (intervals)
        std::printf("%.0f%% percentile bootstrap intervals, %d resamples, seed %llu\n",
                    100 * r.confidence, r.bootstrapResamples,
                    static_cast<unsigned long long>(r.seed));
    const LogisticParameters& p = r.logistic.parameters;
    std::printf("logistic: b1 %.6g  b2 %.6g  b3 %.6g  b4 %.6g%s\n", p.b1, p.b2, p.b3, p.b4,
                r.logistic.converged ? "" : "  (the fit stopped at its evaluation limit)");
    printFailures(study);

    if (!args.reportFolder.empty()) {
        try {
            writeAgreementReport(
                args.reportFolder, study,
                {modelSha256, policy, QCI_VERSION, args.mosFile, args.imagesFolder, recipe, promptSet});
        } catch (const QualiClipError& e) {
            std::cerr << "qualiclip correlate: " << e.what() << "\n";
            return kExitUsage;
        }
        std::printf("Report written to %s\n", args.reportFolder.c_str());
    }
    const bool incomplete = !study.unmatched.empty() || !study.problems.empty() ||
                            study.scoredCount < study.rows.size();
    return incomplete ? kExitFailed : kExitOk;
}

}  // namespace qc::cli
