#include "CatalogCommand.h"

#include <QCommandLineParser>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "CommandSupport.h"
#include "library/Catalog.h"
#include "library/CatalogImport.h"
#include "results/ResultRows.h"

namespace qc::cli {
namespace {

constexpr size_t kListedAtMost = 20;

int usageError(const std::string& message) { return qc::cli::usageError("catalog", message); }

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "qualiclip catalog import FILE.jsonl: stores the scores of a result file (qualiclip score "
        "or\nqualiclip merge output) in the catalog, with their model SHA-256, resize policy, "
        "pairs and\nembeddings when present, so the window shows them without scoring. Each image "
        "must exist on\nthis machine (its size, time and fingerprint are recorded). Relative "
        "paths are taken from the\ncurrent folder, or from --base.");
    parser.addHelpOption();
    parser.addOptions({
        {"catalog",
         "Catalog file (default: $XDG_DATA_HOME/qualiclip/catalog.sqlite, the window's).", "PATH"},
        {"base",
         "Folder that relative paths in the rows are relative to (default: the current folder).",
         "DIR"},
        {"replace-prefix",
         "Rewrite paths that begin with OLD to begin with NEW (where the cluster mounted "
         "the data set elsewhere).",
         "OLD=NEW"},
    });
    parser.addPositionalArgument("import", "The action: import.");
    parser.addPositionalArgument("FILE", "JSON Lines result file.");
}

// The row's path as a path on this machine.
std::string localPath(std::string path, const std::string& base, const std::string& oldPrefix,
                      const std::string& newPrefix) {
    if (!oldPrefix.empty() && path.compare(0, oldPrefix.size(), oldPrefix) == 0)
        path = newPrefix + path.substr(oldPrefix.size());
    if (!base.empty() && std::filesystem::path(path).is_relative())
        path = (std::filesystem::path(base) / path).string();
    return path;
}

}  // namespace

int runCatalogCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "catalog")) return *stop;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.front() != "import")
        return usageError(positional.isEmpty()
                              ? "no action given (import)"
                              : "unknown action '" + positional.front().toStdString() +
                                    "' (import)");
    if (positional.size() != 2) return usageError("catalog import takes one FILE.jsonl");
    const std::string rowsFile = positional.at(1).toStdString();
    std::string oldPrefix, newPrefix;
    if (parser.isSet("replace-prefix")) {
        const QString spec = parser.value("replace-prefix");
        const int equals = spec.indexOf('=');
        if (equals <= 0)
            return usageError("invalid --replace-prefix '" + spec.toStdString() + "' (OLD=NEW)");
        oldPrefix = spec.left(equals).toStdString();
        newPrefix = spec.mid(equals + 1).toStdString();
    }
    const std::string base = parser.value("base").toStdString();

    ResultFile file;
    try {
        file = readResultFile(rowsFile);
    } catch (const ResultFileError& e) {
        std::cerr << "qualiclip catalog: " << e.what() << "\n";
        return kExitUsage;
    }
    if (file.truncatedTail)
        std::cerr << "qualiclip catalog: '" << rowsFile
                  << "': the last line is cut off (a killed run?); it is skipped\n";
    std::vector<ImageResult> results;
    results.reserve(file.rows.size());
    for (const ResultRow& row : file.rows) {
        results.push_back(toImageResult(row));
        results.back().path = localPath(row.path, base, oldPrefix, newPrefix);
    }

    std::unique_ptr<Catalog> catalog;
    try {
        catalog = std::make_unique<Catalog>(parser.isSet("catalog")
                                                ? parser.value("catalog").toStdString()
                                                : Catalog::defaultPath());
    } catch (const std::exception& e) {
        std::cerr << "qualiclip catalog: " << e.what() << "\n";
        return kExitUsage;
    }
    const std::atomic<bool>& interrupted = watchInterrupts();
    const bool terminal = isatty(STDERR_FILENO) != 0;
    const CatalogImportCounts counts = importScores(
        *catalog, results,
        [terminal](size_t done, size_t total) {
            if (terminal && (done % 100 == 0 || done == total))
                std::fprintf(stderr, "\r%zu/%zu rows   ", done, total);
        },
        &interrupted);
    if (terminal) std::fputs("\n", stderr);
    for (size_t i = 0; i < counts.problems.size() && i < kListedAtMost; ++i)
        std::cerr << "qualiclip catalog: " << counts.problems[i].reason << "\n";
    if (counts.problems.size() > kListedAtMost)
        std::cerr << "qualiclip catalog: ... and " << counts.problems.size() - kListedAtMost
                  << " more not stored\n";
    std::cout << "stored " << counts.stored << " scores in '" << catalog->path() << "'";
    if (counts.failedRows > 0)
        std::cout << "; " << counts.failedRows << " rows record errors (nothing to store)";
    if (!counts.problems.empty()) std::cout << "; " << counts.problems.size() << " not stored";
    std::cout << "\n";
    if (counts.cancelled) return kExitInterrupted;
    return counts.failedRows == 0 && counts.problems.empty() && !file.truncatedTail ? kExitOk
                                                                                    : kExitFailed;
}

}  // namespace qc::cli
