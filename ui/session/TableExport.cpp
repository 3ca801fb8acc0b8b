#include "ui/session/TableExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <sstream>

#include "results/ResultWriter.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"

namespace qc::ui {
namespace {

const char* flagName(CullFlag flag) {
    switch (flag) {
    case CullFlag::Pick: return "pick";
    case CullFlag::Reject: return "reject";
    case CullFlag::None: break;
    }
    return "none";
}

std::string number(double value) {
    std::ostringstream out;
    out.precision(6);
    out << value;
    return out.str();
}

}  // namespace

std::vector<ImageEntry> exportedEntries(const ScoreFilterProxyModel& proxy, bool filteredOnly) {
    std::vector<ImageEntry> rows;
    const auto* table = qobject_cast<const ScoreTableModel*>(proxy.sourceModel());
    if (!table) return rows;
    if (!filteredOnly) {
        for (int row = 0; row < table->count(); ++row) rows.push_back(table->entryAt(row));
        return rows;
    }
    for (int row = 0; row < proxy.rowCount(); ++row)
        if (const ImageEntry* e = table->entry(proxy.idAt(row))) rows.push_back(*e);
    return rows;
}

std::string tableToCsv(const std::vector<ImageEntry>& rows, const std::vector<qc::PromptPair>& pairs,
                       const TableExportHeader& header) {
    std::ostringstream out;
    out << "# model_sha256: " << header.modelSha256 << "\n"
        << "# resize: " << header.resize << "\n"
        << "# app_version: " << header.appVersion << "\n";
    out << "path,file,score,flag,stars";
    for (const qc::PromptPair& p : pairs) out << ',' << qc::csvEscape(p.key);
    out << ",width,height,resize,status\n";
    for (const ImageEntry& e : rows) {
        out << qc::csvEscape(e.path.toStdString()) << ',' << qc::csvEscape(e.fileName.toStdString()) << ','
            << (e.hasScore() ? number(e.score) : std::string()) << ',' << flagName(e.flag) << ',' << e.stars;
        for (size_t i = 0; i < pairs.size(); ++i)
            out << ',' << (e.hasScore() && i < e.pairProbabilities.size() ? number(e.pairProbabilities[i]) : std::string());
        out << ',' << e.width << ',' << e.height << ',' << qc::csvEscape(e.policy.toStdString()) << ','
            << qc::csvEscape(stateText(e).toStdString()) << "\n";
    }
    return out.str();
}

std::string tableToJson(const std::vector<ImageEntry>& rows, const std::vector<qc::PromptPair>& pairs,
                        const TableExportHeader& header) {
    QJsonArray array;
    for (const ImageEntry& e : rows) {
        QJsonObject row;
        row[QStringLiteral("path")] = e.path;
        row[QStringLiteral("file")] = e.fileName;
        row[QStringLiteral("score")] = e.hasScore() ? QJsonValue(e.score) : QJsonValue(QJsonValue::Null);
        row[QStringLiteral("flag")] = QString::fromLatin1(flagName(e.flag));
        row[QStringLiteral("stars")] = e.stars;
        QJsonObject pairValues;
        if (e.hasScore())
            for (size_t i = 0; i < pairs.size() && i < e.pairProbabilities.size(); ++i)
                pairValues[QString::fromStdString(pairs[i].key)] = e.pairProbabilities[i];
        row[QStringLiteral("pairs")] = pairValues;
        row[QStringLiteral("width")] = e.width;
        row[QStringLiteral("height")] = e.height;
        row[QStringLiteral("resize")] = e.policy;
        row[QStringLiteral("status")] = stateText(e);
        array.append(row);
    }
    QJsonObject root;
    root[QStringLiteral("model_sha256")] = QString::fromStdString(header.modelSha256);
    root[QStringLiteral("resize")] = QString::fromStdString(header.resize);
    root[QStringLiteral("app_version")] = QString::fromStdString(header.appVersion);
    root[QStringLiteral("rows")] = array;
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

bool exportTable(const QString& path, TableExportFormat format, const std::vector<ImageEntry>& rows,
                 const std::vector<qc::PromptPair>& pairs, const TableExportHeader& header, QString* error) {
    const std::string text =
        format == TableExportFormat::Csv ? tableToCsv(rows, pairs, header) : tableToJson(rows, pairs, header);
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(text.data(), qint64(text.size())) == qint64(text.size()) &&
        file.commit())
        return true;
    if (error) *error = QStringLiteral("'%1': %2").arg(path, file.errorString());
    return false;
}

}  // namespace qc::ui
