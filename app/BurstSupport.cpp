#include "BurstSupport.h"

#include <iostream>

#include "CommandSupport.h"
#include "images/ResizePolicy.h"
#include "library/Catalog.h"
#include "library/CatalogScorer.h"
#include "models/ModelChoice.h"

namespace qc::cli {

void addShootOptions(QCommandLineParser& parser, bool withCatalogAndRecursive) {
    parser.addOptions({
        {"model", "Model file or registry id (default: the installed model).", "PATH"},
        {"resize",
         "Resize policy of the scores (default long:1024/fast, the window's; scores the catalog "
         "holds under it are not computed again).",
         "POLICY", "long:1024/fast"},
        {"gap", "Longest time between two frames of one burst, in seconds (default 2).", "S", "2"},
        {"similarity",
         "Lowest cosine similarity of the image embeddings of two consecutive frames of one "
         "burst (default " +
             QString::number(kDefaultBurstSimilarity) + ").",
         "X", QString::number(kDefaultBurstSimilarity)},
    });
    if (withCatalogAndRecursive)
        parser.addOptions({
            {"catalog", "Catalog (default: $XDG_DATA_HOME/qualiclip/catalog.sqlite).", "PATH"},
            {"recursive", "Descend into sub-folders of folders."},
        });
    addDeviceOptions(parser);
}

std::string catalogPathOption(const QCommandLineParser& parser) {
    return parser.isSet("catalog") ? parser.value("catalog").toStdString() : Catalog::defaultPath();
}

std::string parseShootOptions(const QCommandLineParser& parser, ShootArguments& args) {
    args.modelPath = parser.value("model").toStdString();
    const auto policy = ResizePolicy::parse(parser.value("resize").toStdString());
    if (!policy)
        return "invalid --resize '" + parser.value("resize").toStdString() +
               "' (native, long:N or long:N/fast)";
    args.scoring.resize = *policy;
    bool ok = false;
    args.bursts.maxGapSeconds = parser.value("gap").toDouble(&ok);
    if (!ok || args.bursts.maxGapSeconds < 0)
        return "invalid --gap '" + parser.value("gap").toStdString() + "' (seconds, 0 or more)";
    args.bursts.minSimilarity = parser.value("similarity").toDouble(&ok);
    if (!ok || args.bursts.minSimilarity < -1 || args.bursts.minSimilarity > 1)
        return "invalid --similarity '" + parser.value("similarity").toStdString() + "' (-1 to 1)";
    args.recursive = parser.isSet("recursive");
    return parseDeviceOptions(parser, args.modelOptions, args.scoring.batch);
}

std::optional<ScoredShoot> scoreShoot(const std::string& command, const ShootArguments& args,
                                      Catalog& catalog, const std::vector<std::string>& images,
                                      bool& interrupted) {
    std::string problem;
    const std::optional<ModelChoice> choice = chooseModel(args.modelPath, problem);
    if (!choice) {
        std::cerr << "qualiclip " << command << ": " << problem << "\n";
        return std::nullopt;
    }
    std::shared_ptr<const QualiClipModel> model;
    try {
        model = loadChosenModel(*choice, args.modelOptions, std::nullopt);
    } catch (const std::exception& e) {
        std::cerr << "qualiclip " << command << ": " << e.what() << "\n";
        return std::nullopt;
    }
    ScoringEngine engine(model, args.scoring);
    CatalogScorerCounts counts;
    const ImageScorer scorer =
        catalogScorer(catalog, engine, &counts, /*readCache=*/true, /*withEmbeddings=*/true);
    ScoredShoot shoot;
    shoot.pairs = model->info().pairs;
    const std::atomic<bool>& interruptFlag = watchInterrupts();
    scorer(
        images,
        [&](size_t, const ImageResult& r) {
            if (!r.ok()) {
                ++shoot.failed;
                std::cerr << "qualiclip " << command << ": " << r.error << "\n";
            }
            shoot.results.push_back(r);
        },
        &interruptFlag);
    interrupted = interruptFlag.load();
    if (interrupted) return std::nullopt;
    return shoot;
}

}  // namespace qc::cli
