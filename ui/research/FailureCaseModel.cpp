#include "ui/research/FailureCaseModel.h"

#include <QBrush>
#include <QColor>

#include <cmath>

#include "ui/research/ResearchWorker.h"

namespace qc::ui {

FailureCaseModel::FailureCaseModel(QObject* parent) : QAbstractTableModel(parent) {}

void FailureCaseModel::setRun(std::shared_ptr<const ResearchRun> run) {
    beginResetModel();
    run_ = std::move(run);
    order_ = run_ ? qc::failureCases(run_->study) : std::vector<size_t>{};
    endResetModel();
}

int FailureCaseModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(order_.size());
}

int FailureCaseModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailureCaseModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qc::AgreementRow& r = run_->study.rows[order_[size_t(index.row())]];
    const bool over = r.residual < 0;  // MOS below what the score predicts
    if (role == PathRole) return QString::fromStdString(r.path);
    if (role == Qt::ToolTipRole) return QString::fromStdString(r.path);
    if (role == Qt::TextAlignmentRole && index.column() != Name && index.column() != Kind)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == Kind)
        return QBrush(over ? QColor(200, 60, 30) : QColor(30, 100, 200));
    if (role != Qt::DisplayRole && role != kSortRole) return {};
    const bool sort = role == kSortRole;
    switch (index.column()) {
        case Rank:
            return index.row() + 1;
        case Kind:
            return sort ? QVariant(over ? 0 : 1)
                        : QVariant(over ? QStringLiteral("over-estimate")
                                        : QStringLiteral("under-estimate"));
        case Name:
            return QString::fromStdString(r.name);
        case Score:
            return sort ? QVariant(r.score) : QVariant(QString::number(r.score, 'f', 4));
        case Mos:
            return sort ? QVariant(r.mos) : QVariant(QString::number(r.mos, 'g', 4));
        case Fitted:
            return sort ? QVariant(r.fitted) : QVariant(QString::number(r.fitted, 'f', 3));
        case Residual:
            // Sorted by size: the worst of either kind first when sorted descending.
            return sort ? QVariant(std::abs(r.residual))
                        : QVariant(QString::asprintf("%+.3f", r.residual));
        default:
            return {};
    }
}

QVariant FailureCaseModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Rank:
            return QStringLiteral("#");
        case Kind:
            return QStringLiteral("Over / under");
        case Name:
            return QStringLiteral("Image");
        case Score:
            return QStringLiteral("Score");
        case Mos:
            return QStringLiteral("MOS");
        case Fitted:
            return QStringLiteral("Fitted MOS");
        case Residual:
            return QStringLiteral("MOS \u2212 fitted");
        default:
            return {};
    }
}

}  // namespace qc::ui
