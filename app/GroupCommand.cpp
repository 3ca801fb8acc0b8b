#include "GroupCommand.h"

#include <QCommandLineParser>

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "BurstSupport.h"
#include "CommandSupport.h"
#include "library/Catalog.h"
#include "library/ImageCollector.h"
#include "results/ResultWriter.h"

namespace qc::cli {
namespace {

int usageError(const std::string& message) { return qc::cli::usageError("group", message); }

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "Groups a shoot into bursts: photos in capture-time order (EXIF DateTimeOriginal with "
        "sub-seconds "
        "and offset, else the file's modification time) belong to one burst while the time between "
        "two "
        "frames is at most --gap seconds and their image embeddings' cosine similarity at least "
        "--similarity. Images not yet scored are scored first; scores, capture times and bursts "
        "are "
        "kept in the catalog. One row per photo, in capture order: path, burst (the catalog id of "
        "its "
        "first frame), position, burst_size, best (the highest score of its burst), capture_time, "
        "capture_time_source (exif or mtime), score, error.");
    parser.addHelpOption();
    parser.addOption({"format", "jsonl (default) or csv.", "FORMAT", "jsonl"});
    addShootOptions(parser, true);
    parser.addPositionalArgument("PATH", "Images or folders.", "PATH...");
}

std::optional<double> rowScore(const ShootPhoto& p) { return p.score; }

void writeJson(const ShootPhoto& p) {
    nlohmann::ordered_json row;
    row["path"] = p.path;
    row["burst"] = p.burstId;
    row["position"] = p.position;
    row["burst_size"] = p.burstSize;
    row["best"] = p.best;
    row["capture_time"] =
        p.captureTime ? nlohmann::ordered_json(p.captureTime->text) : nlohmann::ordered_json();
    row["capture_time_source"] =
        p.captureTime ? nlohmann::ordered_json(captureTimeSourceName(p.captureTime->source))
                      : nlohmann::ordered_json();
    row["score"] = rowScore(p) ? nlohmann::ordered_json(*p.score) : nlohmann::ordered_json();
    row["error"] = p.error;
    std::cout << row.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << std::endl;
}

void writeCsv(const ShootPhoto& p) {
    std::cout << csvEscape(p.path) << ',' << p.burstId << ',' << p.position << ',' << p.burstSize
              << ',' << (p.best ? "true" : "false") << ','
              << (p.captureTime ? p.captureTime->text : "") << ','
              << (p.captureTime ? captureTimeSourceName(p.captureTime->source) : "") << ',';
    if (p.score) std::cout << *p.score;
    std::cout << ',' << csvEscape(p.error) << std::endl;
}

}  // namespace

int runGroupCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "group")) return *stop;
    ShootArguments args;
    if (const std::string problem = parseShootOptions(parser, args); !problem.empty())
        return usageError(problem);
    const std::string format = parser.value("format").toStdString();
    if (format != "jsonl" && format != "csv")
        return usageError("invalid --format '" + format + "' (jsonl or csv)");
    std::vector<std::string> inputs;
    for (const QString& p : parser.positionalArguments()) inputs.push_back(p.toStdString());
    if (inputs.empty()) return usageError("no images or folders given");

    std::unique_ptr<Catalog> catalog;
    try {
        catalog = std::make_unique<Catalog>(catalogPathOption(parser));
    } catch (const std::exception& e) {
        std::cerr << "qualiclip group: " << e.what() << "\n";
        return kExitUsage;
    }
    const CollectedImages collected = collectImages(inputs, args.recursive);
    for (const CollectionProblem& p : collected.problems)
        std::cerr << "qualiclip group: '" << p.path << "': " << p.reason << "\n";
    bool interrupted = false;
    const std::optional<ScoredShoot> shoot =
        scoreShoot("group", args, *catalog, collected.images, interrupted);
    if (!shoot) return interrupted ? kExitInterrupted : kExitUsage;

    ShootGrouping grouping;
    try {
        grouping =
            groupShoot(*catalog, shoot->results, args.bursts, sharpnessPairIndex(shoot->pairs));
    } catch (const std::exception& e) {
        std::cerr << "qualiclip group: " << e.what() << "\n";
        return kExitFailed;
    }
    if (format == "csv")
        std::cout
            << "path,burst,position,burst_size,best,capture_time,capture_time_source,score,error"
            << std::endl;
    for (const ShootPhoto& p : grouping.photos) format == "csv" ? writeCsv(p) : writeJson(p);
    std::cerr << "qualiclip group: " << grouping.photos.size() << " photos in "
              << grouping.burstCount << " bursts\n";
    return shoot->failed > 0 || !collected.problems.empty() ? kExitFailed : kExitOk;
}

}  // namespace qc::cli
