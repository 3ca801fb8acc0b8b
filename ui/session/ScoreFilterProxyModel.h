// ScoreFilterProxyModel: what the table and the grid show of ScoreTableModel. It sorts on the
// model's numeric SortRole and filters by a score range (dragged on the histogram), by cull flag
// and by a minimum star rating, and folds bursts into stacks. GUI thread only.
#pragma once

#include <QSortFilterProxyModel>

#include <optional>
#include <set>

#include "ui/session/ImageEntry.h"

namespace qc::ui {

enum class FlagFilter { All, Picked, Rejected, Unflagged, NotRejected };

struct ScoreRange {
    double low = 0, high = 1;  // inclusive
};

class ScoreFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ScoreFilterProxyModel(QObject* parent = nullptr);

    // Only scored images within the range pass; nullopt shows every image.
    void setScoreRange(std::optional<ScoreRange> range);
    std::optional<ScoreRange> scoreRange() const { return range_; }
    void setFlagFilter(FlagFilter filter);
    FlagFilter flagFilter() const { return flagFilter_; }
    // 1..5: at least that many stars; 0: any rating; kUnratedOnly: only images without stars.
    static constexpr int kUnratedOnly = -1;
    void setMinimumStars(int stars);
    int minimumStars() const { return minimumStars_; }

    // Stacks (bursts of several frames, ScoringSession::groupBursts): collapsed, a stack shows
    // only its best frame, which the sorting and the filters then see; an expanded stack shows
    // every frame. Collapsed by default.
    void setStacksCollapsed(bool collapsed);
    bool stacksCollapsed() const { return stacksCollapsed_; }
    void setStackExpanded(qint64 burstId, bool expanded);
    bool isStackExpanded(qint64 burstId) const { return expanded_.count(burstId) > 0; }

    bool isFiltering() const;
    ImageId idAt(int proxyRow) const;

Q_SIGNALS:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();

    std::optional<ScoreRange> range_;
    FlagFilter flagFilter_ = FlagFilter::All;
    int minimumStars_ = 0;
    bool stacksCollapsed_ = true;
    std::set<qint64> expanded_;
};

bool flagPasses(FlagFilter filter, CullFlag flag);

}  // namespace qc::ui
