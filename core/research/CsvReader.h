// CsvReader: splits comma-separated text into records as RFC 4180 describes it, the way the
// datasets' label files (KonIQ-10k, FLIVE, spreadsheets' exports) are written: fields may be
// quoted, a quoted field may hold commas, doubled quotes ("") and line breaks; records end with
// LF or CRLF; a UTF-8 byte order mark at the start is skipped. Used by MosTable.
//
// Free functions of plain data, safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "Errors.h"

namespace qc {

// The text is not valid CSV (a quote left open, text after a closing quote).
class CsvError : public QualiClipError {
public:
    using QualiClipError::QualiClipError;
};

struct CsvRecord {
    size_t line = 0;  // 1-based line on which the record starts
    std::vector<std::string> fields;
};

// Blank lines are skipped. Throws CsvError naming the line of the problem.
std::vector<CsvRecord> parseCsv(std::string_view text);

}  // namespace qc
