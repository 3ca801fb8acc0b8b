#include "ui/lab/DegradationLabModel.h"

#include <QColor>

#include <cmath>
#include <limits>

#include "ui/widgets/ScoreColors.h"

namespace qc::ui {

DegradationLabModel::DegradationLabModel(QObject* parent) : QAbstractTableModel(parent) {
    qRegisterMetaType<qc::ui::LabCell>();
}

void DegradationLabModel::reset(quint64 generation, const std::vector<qc::DegradationFamily>& families, int levels,
                                const std::vector<qc::PromptPair>& pairs) {
    beginResetModel();
    generation_ = generation;
    families_ = families;
    levels_ = levels;
    pairs_ = pairs;
    original_.reset();
    originalPixmap_ = {};
    cells_.assign(families.size(), std::vector<std::optional<LabCell>>(static_cast<size_t>(levels)));
    pixmaps_.assign(families.size(), std::vector<QPixmap>(static_cast<size_t>(levels)));
    endResetModel();
}

void DegradationLabModel::setCell(const LabCell& cell) {
    if (cell.generation != generation_) return;
    if (cell.row < 0) {
        original_ = cell;
        originalPixmap_ = QPixmap::fromImage(cell.thumbnail);
        if (!families_.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0));
        return;
    }
    if (cell.row >= rowCount() || cell.level < 1 || cell.level > levels_) return;
    const auto r = static_cast<size_t>(cell.row), c = static_cast<size_t>(cell.level - 1);
    cells_[r][c] = cell;
    pixmaps_[r][c] = QPixmap::fromImage(cell.thumbnail);
    Q_EMIT dataChanged(index(cell.row, cell.level), index(cell.row, cell.level));
}

const LabCell* DegradationLabModel::cell(int row, int column) const {
    if (row < 0 || row >= rowCount() || column < 0 || column > levels_) return nullptr;
    if (column == 0) return original_ ? &*original_ : nullptr;
    const auto& c = cells_[static_cast<size_t>(row)][static_cast<size_t>(column - 1)];
    return c ? &*c : nullptr;
}

int DegradationLabModel::cellsDone() const {
    int done = original_ ? 1 : 0;
    for (const auto& row : cells_)
        for (const auto& c : row) done += c ? 1 : 0;
    return done;
}

std::vector<double> DegradationLabModel::scoresByLevel(int row) const {
    std::vector<double> scores;
    for (int column = 0; column <= levels_; ++column) {
        const LabCell* c = cell(row, column);
        scores.push_back(c && c->hasScore() ? c->score : std::numeric_limits<double>::quiet_NaN());
    }
    return scores;
}

std::optional<double> DegradationLabModel::spearman(int row) const {
    const std::vector<double> scores = scoresByLevel(row);
    for (double s : scores)
        if (std::isnan(s)) return std::nullopt;
    return qc::scoreLevelSpearman(scores);
}

std::string DegradationLabModel::fileName(int row, int column) const {
    if (column == 0) return "original.png";
    return std::string(qc::degradationInfo(families_[static_cast<size_t>(row)]).id) + "_L" + std::to_string(column) +
           ".png";
}

qc::StudyCell DegradationLabModel::toStudyCell(int row, int column) const {
    qc::StudyCell s;
    const LabCell* c = cell(row, column);
    if (column > 0) {
        s.family = families_[static_cast<size_t>(row)];
        s.parameter = qc::degradationParameter(*s.family, column);
    }
    s.level = column;
    if (!c) return s;
    s.scored = c->scored;
    s.result.score = c->score;
    s.result.pairProbabilities = c->pairProbabilities;
    s.error = c->error.toStdString();
    return s;
}

std::string DegradationLabModel::csv() const {
    std::string text = qc::studyCsvHeader(pairs_);
    if (original_) text += qc::studyCsvRow(toStudyCell(0, 0), pairs_, fileName(0, 0));
    for (int row = 0; row < rowCount(); ++row)
        for (int column = 1; column <= levels_; ++column)
            if (cell(row, column)) text += qc::studyCsvRow(toStudyCell(row, column), pairs_, fileName(row, column));
    return text;
}

int DegradationLabModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(families_.size());
}

int DegradationLabModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : levels_ + 1; }

QVariant DegradationLabModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const LabCell* c = cell(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (!c) return QStringLiteral("\u2026");
        if (!c->error.isEmpty()) return QStringLiteral("failed");
        return c->scored ? QString::number(c->score, 'f', 3) : QStringLiteral("no model");
    case Qt::DecorationRole:
        if (!c) return {};
        return index.column() == 0 ? originalPixmap_
                                   : pixmaps_[static_cast<size_t>(index.row())][static_cast<size_t>(index.column() - 1)];
    case Qt::ForegroundRole:
        if (c && c->hasScore()) return scoreTextColor(c->score);
        return {};
    case Qt::ToolTipRole: {
        if (index.column() == 0) return QStringLiteral("The original");
        const qc::DegradationInfo& info = qc::degradationInfo(families_[static_cast<size_t>(index.row())]);
        QString tip = QStringLiteral("%1, level %2: %3 = %4")
                          .arg(QString::fromUtf8(info.name))
                          .arg(index.column())
                          .arg(QString::fromUtf8(info.parameter))
                          .arg(qc::degradationParameter(info.family, index.column()));
        if (c && !c->error.isEmpty()) tip += QStringLiteral("\n") + c->error;
        return tip;
    }
    case Qt::TextAlignmentRole: return int(Qt::AlignHCenter | Qt::AlignBottom);
    case ScoreRole:
        if (c && c->hasScore()) return c->score;
        return {};
    default: return {};
    }
}

QVariant DegradationLabModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section > levels_) return {};
        return section == 0 ? QStringLiteral("Original") : QStringLiteral("Level %1").arg(section);
    }
    if (section < 0 || section >= rowCount()) return {};
    return QString::fromUtf8(qc::degradationInfo(families_[static_cast<size_t>(section)]).name);
}

}  // namespace qc::ui
