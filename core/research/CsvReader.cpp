#include "research/CsvReader.h"

namespace qc {

std::vector<CsvRecord> parseCsv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
    std::vector<CsvRecord> records;
    CsvRecord record;
    std::string field;
    size_t line = 1;
    bool fieldStarted = false;  // the record has content (so an empty line is not a record)
    auto endField = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
    };
    auto endRecord = [&] {
        if (fieldStarted || !record.fields.empty()) {
            endField();
            records.push_back(std::move(record));
        }
        record = CsvRecord{};
        fieldStarted = false;
    };
    size_t i = 0;
    while (i < text.size()) {
        if (!fieldStarted && record.fields.empty()) record.line = line;
        const char c = text[i];
        if (c == '"' && field.empty()) {
            // A quoted field: up to the closing quote; "" is a literal quote.
            const size_t openedOn = line;
            ++i;
            for (;;) {
                if (i >= text.size())
                    throw CsvError("line " + std::to_string(openedOn) +
                                   ": a quoted field is never closed");
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (text[i] == '\n') ++line;
                field += text[i++];
            }
            fieldStarted = true;
            if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                throw CsvError("line " + std::to_string(line) +
                               ": unexpected text after a closing quote");
            continue;
        }
        if (c == ',') {
            fieldStarted = true;
            endField();
            ++i;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;  // CRLF: the LF ends the record
        } else if (c == '\n') {
            endRecord();
            ++line;
            ++i;
        } else {
            fieldStarted = true;
            field += c;
            ++i;
        }
    }
    endRecord();
    return records;
}

}  // namespace qc
