#include "results/ResultMerge.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

namespace qc {
namespace {

std::string where(const ResultFile& file, const ResultRow& row) {
    return file.path + " line " + std::to_string(row.lineNumber);
}

// The first value seen for each identity field, and where.
struct IdentitySeen {
    std::map<std::string, std::pair<std::string, std::string>> first;  // field -> (value, where)
    std::set<std::pair<std::string, std::string>> reported;  // (field, value) already in conflicts
};

void checkIdentity(const ResultFile& file, const ResultRow& row, IdentitySeen& seen,
                   MergeReport& report) {
    for (const auto& [field, value] : row.identity) {
        const auto [it, inserted] =
            seen.first.emplace(field, std::make_pair(value, where(file, row)));
        if (inserted || it->second.first == value) continue;
        // One conflict per differing value, not one per row: a wrong shard has thousands.
        if (!seen.reported.emplace(field, value).second) continue;
        report.conflicts.push_back(
            {field, it->second.first, it->second.second, value, where(file, row)});
    }
}

}  // namespace

MergeReport mergeResultFiles(const std::vector<std::string>& files,
                             const std::optional<std::vector<std::string>>& expectedPaths) {
    MergeReport report;
    IdentitySeen seen;
    std::unordered_map<std::string, std::string> firstWhere;  // normal path -> where its row is
    for (const std::string& name : files) {
        ResultFile file = readResultFile(name);
        if (file.truncatedTail) report.truncatedFiles.push_back(name);
        for (ResultRow& row : file.rows) {
            checkIdentity(file, row, seen, report);
            const std::string normal = normalRowPath(row.path);
            const auto [it, inserted] = firstWhere.emplace(normal, where(file, row));
            if (!inserted) {
                report.duplicates.push_back({row.path, it->second, where(file, row)});
                continue;
            }
            if (!row.score) ++report.errorRows;
            report.rows.push_back(std::move(row));
        }
    }
    std::sort(report.rows.begin(), report.rows.end(),
              [](const ResultRow& a, const ResultRow& b) { return a.path < b.path; });
    if (expectedPaths) {
        std::set<std::string> expected;
        for (const std::string& p : *expectedPaths) expected.insert(normalRowPath(p));
        for (const std::string& p : expected)
            if (firstWhere.count(p) == 0) report.missing.push_back(p);
        for (const ResultRow& row : report.rows)
            if (expected.count(normalRowPath(row.path)) == 0) report.unexpected.push_back(row.path);
    }
    return report;
}

void writeMergedRows(const std::string& output, const MergeReport& report) {
    const std::string part = output + ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        if (!out) throw ResultFileError("cannot write '" + part + "'");
        errno = 0;
        for (const ResultRow& row : report.rows) out << row.line << '\n';
        out.flush();
        if (!out) {
            // A half-written merge is of no use to anyone: remove it, say why.
            const std::string reason = errno != 0 ? std::strerror(errno) : "write error";
            out.close();
            std::remove(part.c_str());
            throw ResultFileError("cannot write '" + part + "': " + reason + "; '" + output +
                                  "' was not written");
        }
    }
    std::error_code ec;
    std::filesystem::rename(part, output, ec);
    if (ec)
        throw ResultFileError("cannot rename '" + part + "' to '" + output + "': " + ec.message());
}

}  // namespace qc
