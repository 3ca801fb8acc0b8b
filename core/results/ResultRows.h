// ResultRows: reading back the JSON Lines rows that `qualiclip score` wrote
// (results/ResultWriter.h), for resuming a run, merging shards, importing into the catalog and
// correlating without scoring.
//
// Usage:
//   const ResultFile file = readResultFile("shard-3.jsonl");   // throws ResultFileError
//   for (const ResultRow& row : file.rows) use(row.path, row.score);
//   ImageResult r = toImageResult(file.rows[0]);                 // as the engine had made it
//
// A last line without its newline that is not valid JSON is what a killed writer leaves: it is
// reported (truncatedTail) rather than refused. Any other line that is not a row is an error
// naming the file and the line. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "Errors.h"
#include "engine/ImageScorer.h"

namespace qc {

class ResultFileError : public QualiClipError {
public:
    using QualiClipError::QualiClipError;
};

// Fields that say how a score was made. Rows of one result set must agree on each of them
// wherever a row has it (and it is not null or empty); a field added to the rows later only
// needs its name here.
const std::vector<std::string>& resultIdentityFields();

struct ResultRow {
    std::string line;  // the row exactly as written, without the newline
    size_t lineNumber = 0;
    std::string path;
    std::optional<double> score;                        // absent for a row that records an error
    std::vector<std::pair<std::string, double>> pairs;  // in the row's order (checkpoint order)
    std::vector<float> embedding;                       // when the row has "embedding"
    int width = 0, height = 0, inputWidth = 0, inputHeight = 0;
    std::string modelSha256, resize, error;
    std::string source;  // "file", "raw-preview", ...; empty in rows from before RAW support
    double seconds = 0;
    // resultIdentityFields() present in the row: name -> value as JSON text.
    std::map<std::string, std::string> identity;
};

struct ResultFile {
    std::string path;
    std::vector<ResultRow> rows;
    bool truncatedTail = false;        // the last line was cut off mid-row (not in rows)
    bool missingFinalNewline = false;  // the last row is whole but its newline is missing
    uint64_t completeBytes = 0;  // bytes up to the end of the last whole row (and its newline)
};

// Reads a JSON Lines result file. Throws ResultFileError when it cannot be read or a line other
// than a cut-off last one is not a result row (an object with a string "path").
ResultFile readResultFile(const std::string& path);

// The row as the ImageResult the engine had delivered (score, pairs, sizes, model, policy,
// embedding when present; error rows keep their error).
ImageResult toImageResult(const ResultRow& row);

// "a/./b.png" and "a/b.png" are one image: the lexically normal, '/'-separated form rows are
// matched by.
std::string normalRowPath(const std::string& path);

// An ImageScorer that answers from rows instead of a model (`qualiclip correlate --scores`): a
// path is found by its normal form, else as absolute path, else by the longest row path that
// ends with the requested path's trailing components; a path no row has gets an error result.
ImageScorer resultRowScorer(std::vector<ResultRow> rows, std::string sourceName);

// Prepares `outputPath` for `qualiclip score --resume`: the rows of a killed run are in
// `partPath` (a finished run's in `outputPath`, which is moved there), a cut-off last line is
// cut away and a missing final newline added, so that appending to `partPath` continues the
// file. Returns the paths that already have a row. Refuses (ResultFileError) rows made with
// another model or resize policy than `modelSha256`/`resize`, or, where rows have them, other
// values of the identity fields in `fields` (e.g. precision, prompt_set: name -> this run's
// value), and the case where both files exist (it cannot tell which run is the latest).
std::vector<std::string> prepareResume(const std::string& outputPath, const std::string& partPath,
                                       const std::string& modelSha256, const std::string& resize,
                                       const std::map<std::string, std::string>& fields = {});

// `images` without those whose normal path is among `done` (the rows a resumed run already has),
// order kept.
std::vector<std::string> pathsWithoutRows(const std::vector<std::string>& images,
                                          const std::vector<std::string>& done);

}  // namespace qc
