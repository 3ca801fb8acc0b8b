// ResultMerge: the shards of one run (`qualiclip score --shard I/N --output shard-I.jsonl`) made
// into one file sorted by path (`qualiclip merge`). Before anything is written it checks that
// the shards belong together: every row agrees on each of resultIdentityFields() (model
// SHA-256, resize policy, and precision, prompt set, recipe where rows have
// them), no path has two rows, and, given the expected paths, none is missing.
//
// Usage:
//   MergeReport report = mergeResultFiles({"s0.jsonl", "s1.jsonl"}, expectedPaths);  // throws
//   ResultFileError if (report.consistent()) writeMergedRows("all.jsonl", report);
//
// Pure functions plus one file write; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/ResultRows.h"

namespace qc {

// Two rows that disagree on a field that must be the same for the whole set.
struct MergeConflict {
    std::string field;
    std::string firstValue, firstWhere;  // JSON text; "FILE line N"
    std::string otherValue, otherWhere;
};

struct MergeDuplicate {
    std::string path;
    std::string keptWhere, droppedWhere;
};

struct MergeReport {
    std::vector<ResultRow> rows;  // one per path, sorted by path (byte order)
    std::vector<MergeConflict> conflicts;
    std::vector<MergeDuplicate> duplicates;
    std::vector<std::string> missing;     // expected paths without a row (only with expected paths)
    std::vector<std::string> unexpected;  // rows of paths not expected (only with expected paths)
    std::vector<std::string> truncatedFiles;  // shards with a half-written last line
    size_t errorRows = 0;                     // rows that record an image that failed to score

    bool consistent() const { return conflicts.empty(); }
    bool complete() const {
        return duplicates.empty() && missing.empty() && unexpected.empty() &&
               truncatedFiles.empty();
    }
};

// Reads every file (ResultFileError names an unreadable one or a bad line) and checks them.
// Paths are compared in their normal form (normalRowPath).
MergeReport mergeResultFiles(const std::vector<std::string>& files,
                             const std::optional<std::vector<std::string>>& expectedPaths);

// Writes the rows unchanged, one per line, through FILE.part renamed at the end, so a failed
// write never leaves a file that looks complete. Throws ResultFileError.
void writeMergedRows(const std::string& output, const MergeReport& report);

}  // namespace qc
