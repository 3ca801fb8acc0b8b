#include "research/MosTable.h"

#include <algorithm>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "research/CsvReader.h"

namespace qc {
namespace {

std::string trimmed(const std::string& text) {
    const size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const size_t last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// Locale-independent (a decimal point, whatever LC_NUMERIC says); the whole field must be a number.
std::optional<double> parseNumber(const std::string& text) {
    const std::string t = trimmed(text);
    if (t.empty()) return std::nullopt;
    const char* begin = t.data() + (t.front() == '+' ? 1 : 0);
    double value = 0;
    const auto [end, error] = std::from_chars(begin, t.data() + t.size(), value);
    if (error != std::errc() || end != t.data() + t.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

size_t columnIndex(const std::vector<std::string>& header, const std::string& wanted,
                   const std::string& role, const std::string& source) {
    for (size_t i = 0; i < header.size(); ++i)
        if (trimmed(header[i]) == wanted) return i;
    std::string names;
    for (const std::string& h : header) names += (names.empty() ? "" : ", ") + trimmed(h);
    throw MosTableError("'" + source + "' has no " + role + " column '" + wanted +
                        "' (its columns: " + names + ")");
}

}  // namespace

std::optional<MosColumns> mosPreset(const std::string& preset) {
    if (preset == "koniq") return MosColumns{"image_name", "MOS"};
    if (preset == "flive") return MosColumns{"name", "mos"};
    return std::nullopt;
}

namespace {

// The preset whose two headers the file has (KonIQ-10k's image_name/MOS, FLIVE's name/mos).
MosColumns detectedColumns(const std::vector<std::string>& header, const std::string& source) {
    auto has = [&](const std::string& h) {
        return std::any_of(header.begin(), header.end(), [&](const std::string& f) { return trimmed(f) == h; });
    };
    for (const char* preset : {"koniq", "flive"}) {
        const MosColumns c = *mosPreset(preset);
        if (has(c.name) && has(c.mos)) return c;
    }
    std::string names;
    for (const std::string& h : header) names += (names.empty() ? "" : ", ") + trimmed(h);
    throw MosTableError("'" + source + "': its header (" + names +
                        ") is not one of a known dataset (image_name/MOS or name/mos); name its image-name "
                        "and score columns");
}

}  // namespace

MosTable parseMosTable(const std::string& csvText, const std::string& source,
                       const std::string& imagesFolder, const MosColumns& columns) {
    std::vector<CsvRecord> records;
    try {
        records = parseCsv(csvText);
    } catch (const CsvError& e) {
        throw MosTableError("'" + source + "' is not valid CSV: " + e.what());
    }
    if (records.empty()) throw MosTableError("'" + source + "' is empty");
    const std::vector<std::string>& header = records.front().fields;
    const MosColumns chosen = columns.name.empty() && columns.mos.empty() ? detectedColumns(header, source) : columns;
    const size_t nameAt = columnIndex(header, chosen.name, "image-name", source);
    const size_t mosAt = columnIndex(header, chosen.mos, "score", source);

    MosTable table;
    table.columns = chosen;
    std::unordered_map<std::string, size_t> firstLine;
    const std::filesystem::path folder(imagesFolder);
    for (size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records[r];
        const std::string name =
            nameAt < record.fields.size() ? trimmed(record.fields[nameAt]) : std::string();
        if (name.empty()) {
            table.problems.push_back(
                {record.line, {}, "no image name in column '" + columns.name + "'"});
            continue;
        }
        if (mosAt >= record.fields.size()) {
            table.problems.push_back(
                {record.line, name, "the row has no '" + columns.mos + "' field"});
            continue;
        }
        const std::optional<double> mos = parseNumber(record.fields[mosAt]);
        if (!mos) {
            table.problems.push_back(
                {record.line, name, "MOS '" + record.fields[mosAt] + "' is not a number"});
            continue;
        }
        if (const auto [it, inserted] = firstLine.emplace(name, record.line); !inserted) {
            table.problems.push_back(
                {record.line, name,
                 "listed again (line " + std::to_string(it->second) + " is used)"});
            continue;
        }
        MosEntry entry{name, *mos, record.line, {}};
        const std::filesystem::path path = folder / std::filesystem::u8path(name);
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec)) {
            entry.path = path.string();
            table.matched.push_back(std::move(entry));
        } else {
            table.unmatched.push_back(std::move(entry));
        }
    }
    return table;
}

MosTable loadMosTable(const std::string& csvPath, const std::string& imagesFolder,
                      const MosColumns& columns) {
    std::ifstream in(csvPath, std::ios::binary);
    if (!in) throw MosTableError("cannot open '" + csvPath + "'");
    std::error_code ec;
    if (!std::filesystem::is_directory(imagesFolder, ec))
        throw MosTableError("the images folder '" + imagesFolder + "' does not exist");
    std::ostringstream text;
    text << in.rdbuf();
    return parseMosTable(text.str(), csvPath, imagesFolder, columns);
}

}  // namespace qc
