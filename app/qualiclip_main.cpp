// qualiclip: the command-line face of the engine. Each subcommand lives in its own file and
// drives qualiclip_core; nothing here computes a score.
#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <cstring>
#include <iostream>

#include "GitVersion.h"  // QCI_GIT_DESCRIBE, made at build time by cmake/GitVersion.cmake
#include "about/VersionReport.h"
#include "engine/ComputeEnvironment.h"
#include "CatalogCommand.h"
#include "CorrelateCommand.h"
#include "CullCommand.h"
#include "DegradeCommand.h"
#include "GroupCommand.h"
#include "MergeCommand.h"
#include "ModelsCommand.h"
#include "ScoreCommand.h"
#include "SlurmCommand.h"

namespace {

const char* kUsage =
    "Usage: qualiclip <command> [options]\n"
    "\n"
    "Image quality with QualiCLIP (Agnolucci et al., arXiv 2403.11176).\n"
    "\n"
    "Commands:\n"
    "  score      score images or folders (qualiclip score --help)\n"
    "  degrade    degrade one image at increasing levels and score it (qualiclip degrade --help)\n"
    "  models     list, download and verify model files (qualiclip models --help)\n"
    "  correlate  agreement of the scores with human MOS on a dataset (qualiclip correlate --help)\n"
    "  cull       pick, reject, rate and label images in the catalog (qualiclip cull --help)\n"
    "  group      group a shoot into bursts by capture time and similarity (qualiclip group --help)\n"
    "  merge      merge the shard files of a cluster run into one (qualiclip merge --help)\n"
    "  slurm      score on a Slurm cluster as a job array, then merge (qualiclip slurm --help)\n"
    "  catalog    import a result file's scores into the catalog (qualiclip catalog --help)\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  -v, --version  show the versions of this program, its libraries and the active model\n";

}  // namespace

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("qualiclip");
    QCoreApplication::setApplicationVersion(QCI_VERSION);
    const QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args.at(1) : QString();
    if (command.isEmpty() || command == "-h" || command == "--help" || command == "help") {
        std::cout << kUsage;
        return command.isEmpty() ? 2 : 0;
    }
    if (command == "-v" || command == "--version") {
        // The block for bug reports: versions, CPU, threads and the model that would be used.
        std::cout << qc::versionReport("qualiclip", qc::projectVersion(QCI_GIT_DESCRIBE),
                                       qc::describeActiveModel(""));
        return 0;
    }
    QStringList rest = args.mid(1);  // the subcommand name stands where the program name was
    rest[0] = "qualiclip " + command;
    if (command == "score") return qc::cli::runScoreCommand(rest);
    if (command == "degrade") return qc::cli::runDegradeCommand(rest);
    if (command == "models") return qc::cli::runModelsCommand(rest);
    if (command == "correlate") return qc::cli::runCorrelateCommand(rest);
    if (command == "cull") return qc::cli::runCullCommand(rest);
    if (command == "group") return qc::cli::runGroupCommand(rest);
    if (command == "merge") return qc::cli::runMergeCommand(rest);
    if (command == "slurm") return qc::cli::runSlurmCommand(rest);
    if (command == "catalog") return qc::cli::runCatalogCommand(rest);
    std::cerr << "qualiclip: unknown command '" << command.toStdString() << "'\n\n" << kUsage;
    return 2;
}
