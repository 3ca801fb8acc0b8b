#include "MergeCommand.h"

#include <QCommandLineParser>

#include <filesystem>
#include <iostream>

#include "CommandSupport.h"
#include "library/ImageCollector.h"
#include "results/ResultMerge.h"

namespace qc::cli {
namespace {

constexpr size_t kListedAtMost = 20;  // per kind of problem; the count is always given

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "Merges the JSON Lines files of `qualiclip score --shard I/N` runs into one file sorted by "
        "path.\nRefuses shards that disagree on model_sha256, resize (and source, precision, "
        "prompt_set,\nrecipe where rows have them); reports paths with two rows and, with "
        "--expect, images\nwithout a row. Writes --output only when the set is consistent and "
        "complete.");
    parser.addHelpOption();
    parser.addOptions({
        {"output", "The merged file.", "FILE"},
        {"expect",
         "Images or folders the run was given (repeatable): every image in them must have "
         "a row.",
         "PATH"},
        {"recursive", "--expect folders include their sub-folders (as score --recursive)."},
        {"allow-incomplete",
         "Write --output even when rows are duplicated or missing (still exit 1)."},
    });
    parser.addPositionalArgument("SHARD", "Shard files written by qualiclip score --shard.",
                                 "SHARD.jsonl...");
}

template <typename T, typename Print>
void listSome(const std::vector<T>& items, const char* title, Print print) {
    if (items.empty()) return;
    std::cerr << "qualiclip merge: " << items.size() << " " << title << ":\n";
    for (size_t i = 0; i < items.size() && i < kListedAtMost; ++i) print(items[i]);
    if (items.size() > kListedAtMost)
        std::cerr << "  ... and " << items.size() - kListedAtMost << " more\n";
}

void reportProblems(const MergeReport& report) {
    listSome(report.conflicts, "fields that differ between rows (the shards are not one run)",
             [](const MergeConflict& c) {
                 std::cerr << "  " << c.field << ": " << c.firstValue << " (" << c.firstWhere
                           << ") but " << c.otherValue << " (" << c.otherWhere << ")\n";
             });
    listSome(report.truncatedFiles,
             "shards with a half-written last line (rerun them with --resume)",
             [](const std::string& f) { std::cerr << "  " << f << "\n"; });
    listSome(report.duplicates, "paths with more than one row (the first kept)",
             [](const MergeDuplicate& d) {
                 std::cerr << "  " << d.path << ": " << d.keptWhere << " and " << d.droppedWhere
                           << "\n";
             });
    listSome(report.missing, "expected images without a row",
             [](const std::string& p) { std::cerr << "  " << p << "\n"; });
    listSome(report.unexpected, "rows of images not expected",
             [](const std::string& p) { std::cerr << "  " << p << "\n"; });
}

}  // namespace

int runMergeCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "merge")) return *stop;
    const std::string output = parser.value("output").toStdString();
    if (output.empty()) return usageError("merge", "--output FILE is required");
    std::vector<std::string> shards;
    for (const QString& s : parser.positionalArguments()) shards.push_back(s.toStdString());
    if (shards.empty()) return usageError("merge", "no shard files given");
    for (const std::string& shard : shards) {
        std::error_code ec;
        if (std::filesystem::exists(shard, ec)) continue;
        std::cerr
            << "qualiclip merge: '" << shard << "' does not exist"
            << (std::filesystem::exists(shard + ".part", ec)
                    ? " ('" + shard +
                          ".part' does: that shard did not finish; run it again with --resume)"
                    : "")
            << "\n";
        return kExitFailed;
    }

    std::optional<std::vector<std::string>> expected;
    if (parser.isSet("expect")) {
        std::vector<std::string> inputs;
        for (const QString& p : parser.values("expect")) inputs.push_back(p.toStdString());
        CollectedImages collected = collectImages(inputs, parser.isSet("recursive"));
        for (const CollectionProblem& p : collected.problems)
            std::cerr << "qualiclip merge: --expect '" << p.path << "': " << p.reason << "\n";
        if (!collected.problems.empty()) return kExitUsage;
        expected = std::move(collected.images);
    }

    MergeReport report;
    try {
        report = mergeResultFiles(shards, expected);
    } catch (const ResultFileError& e) {
        std::cerr << "qualiclip merge: " << e.what() << "\n";
        return kExitUsage;
    }
    reportProblems(report);
    const bool write =
        report.consistent() && (report.complete() || parser.isSet("allow-incomplete"));
    if (write) {
        try {
            writeMergedRows(output, report);
        } catch (const ResultFileError& e) {
            std::cerr << "qualiclip merge: " << e.what() << "\n";
            return kExitUsage;
        }
    }
    std::cerr << "qualiclip merge: " << report.rows.size() << " images from " << shards.size()
              << " files"
              << (report.errorRows > 0
                      ? " (" + std::to_string(report.errorRows) + " rows record errors)"
                      : "")
              << (write ? ", written to '" + output + "'" : ", nothing written") << "\n";
    return report.consistent() && report.complete() ? kExitOk : kExitFailed;
}

}  // namespace qc::cli
