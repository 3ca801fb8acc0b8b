#include "CommandSupport.h"
#include "DegradeCommand.h"

#include <QCommandLineParser>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "lab/DegradationStudy.h"
#include "lab/Degradations.h"
#include "Errors.h"
#include "images/ImageLoader.h"
#include "models/ModelLocator.h"
#include "engine/QualiClipModel.h"

namespace qc::cli {
namespace {

constexpr const char* kCsvName = "degradations.csv";

int usageError(const std::string& message) { return qc::cli::usageError("degrade", message); }

std::string familyIds() {
    std::string ids;
    for (const DegradationInfo& info : degradationTable()) ids += (ids.empty() ? "" : ",") + std::string(info.id);
    return ids;
}

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "Degrades one image with synthetic distortions (KADID-10k style) at increasing levels, writes\n"
        "every degraded image as PNG (the codec families also keep their .jpg / .jp2 file) and\n"
        "degradations.csv to DIR, and scores them when a QualiCLIP model is available.\n"
        "--list prints the table of families and level parameters (docs/degradations.md).");
    parser.addHelpOption();
    parser.addOptions({
        {"families", "Comma-separated family ids (default: all): " + QString::fromStdString(familyIds()) + ".",
         "LIST"},
        {"levels", "Levels 1..N to make, N from 1 to 5 (default 5).", "N", "5"},
        {"seed", "Seed of the random families (default 1).", "N", "1"},
        {"model", "QualiCLIP checkpoint (default: $QUALICLIP_MODEL, then "
                  "$XDG_DATA_HOME/qualiclip/models/qualiclip.pth). Without one, images are written unscored.",
         "PATH"},
        {"resize", "What the network sees: native (default) or long:N. Images are always written at full size.",
         "POLICY", "native"},
        {"out", "Folder for the images and the CSV (created if needed).", "DIR"},
        {"list", "Print the families and the parameter of every level (Markdown) and exit."},
    });
    parser.addPositionalArgument("IMAGE", "The image to degrade.");
}

struct DegradeArguments {
    std::string image, outDir, modelPath;
    DegradationStudyRequest request;
    ScoringOptions scoring;
};

std::string parseArguments(const QCommandLineParser& parser, DegradeArguments& a) {
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) return positional.isEmpty() ? "no image given" : "give exactly one image";
    a.image = positional.front().toStdString();
    if (!parser.isSet("out")) return "--out DIR is required";
    a.outDir = parser.value("out").toStdString();
    a.modelPath = parser.value("model").toStdString();
    bool ok = false;
    a.request.levels = parser.value("levels").toInt(&ok);
    if (!ok || a.request.levels < 1 || a.request.levels > kDegradationLevels)
        return "invalid --levels '" + parser.value("levels").toStdString() + "' (1 to 5)";
    a.request.seed = parser.value("seed").toUInt(&ok);
    if (!ok) return "invalid --seed '" + parser.value("seed").toStdString() + "' (0 to 4294967295)";
    const auto policy = ResizePolicy::parse(parser.value("resize").toStdString());
    if (!policy) return "invalid --resize '" + parser.value("resize").toStdString() + "' (native or long:N, N >= 32)";
    a.scoring.resize = *policy;
    if (parser.isSet("families")) {
        for (const QString& id : parser.value("families").split(',', Qt::SkipEmptyParts)) {
            const auto family = parseDegradationFamily(id.trimmed().toStdString());
            if (!family) return "unknown family '" + id.toStdString() + "' (one of " + familyIds() + ")";
            a.request.families.push_back(*family);
        }
        if (a.request.families.empty()) return "--families is empty";
    } else {
        for (const DegradationInfo& info : degradationTable()) a.request.families.push_back(info.family);
    }
    return {};
}

bool writePng(const std::filesystem::path& path, const cv::Mat& rgb) {
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return cv::imwrite(path.string(), bgr);
}

bool writeBytes(const std::filesystem::path& path, const std::vector<unsigned char>& bytes) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(file);
}

}  // namespace

int runDegradeCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "degrade")) return *stop;
    if (parser.isSet("list")) {
        std::cout << degradationTableMarkdown();
        return kExitOk;
    }
    DegradeArguments args;
    if (const std::string problem = parseArguments(parser, args); !problem.empty()) return usageError(problem);

    // The model is optional here: without one the images are still useful. An explicit --model
    // that cannot be used is an error, though.
    std::unique_ptr<ScoringEngine> engine;
    const ModelLocation location = locateModel(args.modelPath);
    if (!location.path && !location.refusal.empty()) {
        std::cerr << "qualiclip degrade: " << location.refusal << "\n";
        return kExitUsage;
    }
    if (location.path) {
        try {
            engine = std::make_unique<ScoringEngine>(QualiClipModel::load(*location.path), args.scoring);
        } catch (const std::exception& e) {
            std::cerr << "qualiclip degrade: " << e.what() << "\n";
            return kExitUsage;
        }
    } else {
        std::cerr << "qualiclip degrade: note: no QualiCLIP model found, so the images are written without "
                     "scores (the score columns of "
                  << kCsvName << " stay empty).\n"
                  << missingModelMessage(location) << "\n";
    }

    try {
        args.request.rgb = loadImageRgb8(args.image).rgb;
    } catch (const std::exception& e) {
        std::cerr << "qualiclip degrade: " << e.what() << "\n";
        return kExitFailed;
    }
    args.request.name = args.image;

    const std::filesystem::path out(args.outDir);
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    const std::filesystem::path csvPath = out / kCsvName, partPath = out / (std::string(kCsvName) + ".part");
    std::ofstream csv(partPath, std::ios::binary | std::ios::trunc);
    if (ec || !csv) {
        std::cerr << "qualiclip degrade: cannot write to '" << args.outDir << "'\n";
        return kExitUsage;
    }
    const std::vector<PromptPair> pairs = engine ? engine->model().info().pairs : std::vector<PromptPair>{};
    csv << studyCsvHeader(pairs);

    const std::atomic<bool>& interrupted = watchInterrupts();
    size_t failed = 0;
    // Scores of levels 0..N per family, for the monotonicity summary.
    double originalScore = NAN;
    std::vector<std::vector<double>> scores(args.request.families.size());
    runDegradationStudy(
        args.request, engine.get(),
        [&](const StudyCell& delivered, size_t done, size_t total) {
            StudyCell cell = delivered;  // shares the pixels; may gain a write error
            std::string file = cell.id() + ".png";
            if (cell.ok() && !writePng(out / file, cell.image)) cell.error = "cannot write '" + (out / file).string() + "'";
            if (cell.ok() && cell.family) {
                // The codec families also keep the very file that was decoded.
                const EncodedImage encoded = encodeWithCodec(args.request.rgb, *cell.family, cell.level);
                if (!encoded.bytes.empty()) writeBytes(out / (cell.id() + encoded.extension), encoded.bytes);
            }
            if (!cell.ok()) {
                ++failed;
                file.clear();
                std::cerr << "qualiclip degrade: " << cell.error << "\n";
            }
            csv << studyCsvRow(cell, pairs, file);
            const bool scored = cell.scored && cell.result.ok();
            if (!cell.family) originalScore = scored ? cell.result.score : NAN;
            else
                for (size_t i = 0; i < args.request.families.size(); ++i)
                    if (args.request.families[i] == *cell.family) scores[i].push_back(scored ? cell.result.score : NAN);
            std::fprintf(stderr, "%zu/%zu %s\n", done, total, cell.id().c_str());
        },
        &interrupted);
    csv.close();
    if (!csv) {
        std::cerr << "qualiclip degrade: writing '" << partPath.string() << "' failed (disk full?)\n";
        return kExitUsage;
    }
    if (interrupted.load()) {
        std::cerr << "qualiclip degrade: interrupted; partial rows kept in '" << partPath.string() << "'\n";
        return kExitInterrupted;
    }
    std::filesystem::rename(partPath, csvPath, ec);
    if (ec) {
        std::cerr << "qualiclip degrade: cannot rename '" << partPath.string() << "': " << ec.message() << "\n";
        return kExitUsage;
    }

    std::cout << "Wrote " << studyCellCount(args.request) << " images and " << csvPath.string() << "\n";
    if (engine) {
        std::printf("original score %.4f\n%-22s %s\n", originalScore, "family", "Spearman(score, level)  scores L0..L5");
        for (size_t i = 0; i < scores.size(); ++i) {
            std::vector<double> byLevel{originalScore};
            byLevel.insert(byLevel.end(), scores[i].begin(), scores[i].end());
            const double rho = scoreLevelSpearman(byLevel);
            std::printf("%-22s %+.3f%s ", degradationInfo(args.request.families[i]).id, rho,
                        rho <= -1.0 + 1e-12 ? "  " : " *");
            for (double s : byLevel) std::printf(" %.4f", s);
            std::printf("\n");
        }
        std::printf("(* the score does not fall at every level)\n");
    }
    return failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace qc::cli
