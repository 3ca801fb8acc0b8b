#include "ui/session/ScoreFilterProxyModel.h"

#include "ui/session/ScoreTableModel.h"

namespace qc::ui {

bool flagPasses(FlagFilter filter, CullFlag flag) {
    switch (filter) {
    case FlagFilter::All: return true;
    case FlagFilter::Picked: return flag == CullFlag::Pick;
    case FlagFilter::Rejected: return flag == CullFlag::Reject;
    case FlagFilter::Unflagged: return flag == CullFlag::None;
    case FlagFilter::NotRejected: return flag != CullFlag::Reject;
    }
    return true;
}

ScoreFilterProxyModel::ScoreFilterProxyModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(ScoreTableModel::SortRole);
    // Scores arrive while the user looks at a sorted, filtered list: keep both up to date.
    setDynamicSortFilter(true);
}

void ScoreFilterProxyModel::setScoreRange(std::optional<ScoreRange> range) {
    range_ = range;
    refilter();
}

void ScoreFilterProxyModel::setFlagFilter(FlagFilter filter) {
    flagFilter_ = filter;
    refilter();
}

void ScoreFilterProxyModel::setMinimumStars(int stars) {
    minimumStars_ = stars;
    refilter();
}

void ScoreFilterProxyModel::refilter() {
    invalidateRowsFilter();
    Q_EMIT filterChanged();
}

bool ScoreFilterProxyModel::isFiltering() const {
    return range_.has_value() || flagFilter_ != FlagFilter::All || minimumStars_ != 0;
}

ImageId ScoreFilterProxyModel::idAt(int proxyRow) const {
    return index(proxyRow, 0).data(ScoreTableModel::IdRole).value<ImageId>();
}

void ScoreFilterProxyModel::setStacksCollapsed(bool collapsed) {
    if (collapsed == stacksCollapsed_) return;
    stacksCollapsed_ = collapsed;
    refilter();
}

void ScoreFilterProxyModel::setStackExpanded(qint64 burstId, bool expanded) {
    if (expanded == isStackExpanded(burstId)) return;
    if (expanded)
        expanded_.insert(burstId);
    else
        expanded_.erase(burstId);
    refilter();
}

bool ScoreFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex source = sourceModel()->index(sourceRow, 0, sourceParent);
    if (stacksCollapsed_ && source.data(ScoreTableModel::BurstSizeRole).toInt() > 1 &&
        !source.data(ScoreTableModel::BurstBestRole).toBool() &&
        !isStackExpanded(source.data(ScoreTableModel::BurstRole).toLongLong()))
        return false;
    if (!flagPasses(flagFilter_, CullFlag(source.data(ScoreTableModel::FlagRole).toInt())))
        return false;
    const int stars = source.data(ScoreTableModel::StarsRole).toInt();
    if (minimumStars_ == kUnratedOnly ? stars != 0 : stars < minimumStars_) return false;
    if (range_) {
        const QVariant score = source.data(ScoreTableModel::ScoreRole);
        if (!score.isValid()) return false;
        const double s = score.toDouble();
        if (s < range_->low || s > range_->high) return false;
    }
    return true;
}

bool ScoreFilterProxyModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::Double && b.typeId() == QMetaType::Double) {
        if (a.toDouble() != b.toDouble()) return a.toDouble() < b.toDouble();
    } else {
        const int order = QString::localeAwareCompare(a.toString(), b.toString());
        if (order != 0) return order < 0;
    }
    // Ties in file-name order, so equal scores do not shuffle as other rows change.
    return QString::localeAwareCompare(left.siblingAtColumn(ScoreTableModel::FileColumn).data().toString(),
                                       right.siblingAtColumn(ScoreTableModel::FileColumn).data().toString()) < 0;
}

}  // namespace qc::ui
