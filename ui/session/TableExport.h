// TableExport: the inspector's table written out as CSV or JSON, for spreadsheets and scripts.
// Both carry a header naming the model (SHA-256), the resize policy and the app version, so a
// file says what its scores were made with.
//
// Usage:
//   TableExportHeader header{model->info().sha256, policy.toString(), "0.1.0"};
//   exportTable(path, TableExportFormat::Csv, exportedEntries(proxy, /*filteredOnly=*/true),
//               table->pairs(), header, &error);
//
// CSV: three comment lines (`# model_sha256: ...`, `# resize: ...`, `# app_version: ...`),
// then a header row and one row per image, quoted as RFC 4180 (core's csvEscape).
// JSON: {"model_sha256", "resize", "app_version", "rows": [{path, file, score, flag, stars,
// pairs: {key: p}, width, height, resize, status}]}; score is null when not scored.
// GUI thread (it reads the models); the writing itself is plain file I/O.
#pragma once

#include <QString>

#include <string>
#include <vector>

#include "ui/session/ImageEntry.h"
#include "engine/Prompts.h"

namespace qc::ui {

class ScoreFilterProxyModel;

enum class TableExportFormat { Csv, Json };

struct TableExportHeader {
    std::string modelSha256;
    std::string resize;
    std::string appVersion;
};

// The rows the proxy shows, in its order (filteredOnly), or every row of its source table.
std::vector<ImageEntry> exportedEntries(const ScoreFilterProxyModel& proxy, bool filteredOnly);

std::string tableToCsv(const std::vector<ImageEntry>& rows, const std::vector<qc::PromptPair>& pairs,
                       const TableExportHeader& header);
std::string tableToJson(const std::vector<ImageEntry>& rows, const std::vector<qc::PromptPair>& pairs,
                        const TableExportHeader& header);

// Writes the file atomically; false with *error naming the file and the reason.
bool exportTable(const QString& path, TableExportFormat format, const std::vector<ImageEntry>& rows,
                 const std::vector<qc::PromptPair>& pairs, const TableExportHeader& header, QString* error);

}  // namespace qc::ui
