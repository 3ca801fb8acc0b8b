// MosTable: human mean opinion scores (MOS) read from a dataset's CSV file, each name matched to
// an image file under the images folder. Names that match no file, and rows that cannot be
// read (no name, a score that is not a number, a name listed twice), are kept in lists of their
// own so that a user sees them: nothing is dropped silently.
//
// Columns are chosen by header name, or by a preset:
//   koniq  KonIQ-10k's koniq10k_scores_and_distributions.csv: image_name, MOS (1..5 scale;
//          MOS_zscore, the 0..100 scale, is another column a user may choose);
//   flive  FLIVE's (PaQ-2-PiQ) labels_image.csv: name (a path relative to the database folder,
//          e.g. "AVA__149.jpg" or "voc_emotic_ava/..."), mos. Assumed from the dataset's public
//          loaders; the file itself is not redistributable, so no copy was checked here.
//
// Usage:
//   MosTable t = loadMosTable("koniq.csv", "/data/koniq/1024x768", *mosPreset("koniq"));
//   for (const MosEntry& e : t.matched) ... e.path, e.mos
//
// Free functions of plain data, safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "Errors.h"

namespace qc {

// The file cannot be used at all: unreadable, not CSV, or without the columns asked for.
class MosTableError : public QualiClipError {
public:
    using QualiClipError::QualiClipError;
};

struct MosColumns {
    std::string name;  // header of the image-name column
    std::string mos;   // header of the score column
};

// "koniq" or "flive"; nothing for an unknown preset. Columns left empty when parsing are found
// from the header when it has a preset's two columns.
std::optional<MosColumns> mosPreset(const std::string& preset);

struct MosEntry {
    std::string name;  // as written in the file
    double mos = 0;
    size_t line = 0;   // where the row starts in the file (1-based)
    std::string path;  // the image file (matched entries only)
};

struct MosRowProblem {
    size_t line = 0;
    std::string name;    // may be empty
    std::string reason;  // in words, e.g. "MOS 'n/a' is not a number"
};

struct MosTable {
    MosColumns columns;
    std::vector<MosEntry> matched;        // in file order
    std::vector<MosEntry> unmatched;      // names with no file under the images folder
    std::vector<MosRowProblem> problems;  // rows that could not be used
};

// Reads text (UTF-8, with or without BOM, LF or CRLF) from csvPath. Throws MosTableError.
MosTable loadMosTable(const std::string& csvPath, const std::string& imagesFolder,
                      const MosColumns& columns);

// The same from CSV text already in memory; `source` names it in messages.
MosTable parseMosTable(const std::string& csvText, const std::string& source,
                       const std::string& imagesFolder, const MosColumns& columns);

}  // namespace qc
