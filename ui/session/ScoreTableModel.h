// ScoreTableModel: the list of opened images as a table (thumbnail, file, score, flag, stars,
// one column per prompt pair, size, resize policy, status). It holds plain ImageEntry values;
// every view (table, grid, histogram, viewer) reads it, usually through ScoreFilterProxyModel.
//
// Rows are found by ImageId, never by row number, because results arrive from the worker after
// rows may have been removed or moved. SortRole gives numbers for numeric columns so sorting is
// numeric, not by display text. GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QHash>

#include <utility>
#include <vector>

#include "ui/session/ImageEntry.h"
#include "engine/Prompts.h"

namespace qc {
struct ImageResult;
}

namespace qc::ui {

// "  ◆×5" on the best frame of a stack of 5, "  ·2/5" on its second frame, "" on a
// photo alone. Short: the File column is narrow.
QString burstBadge(const ImageEntry& e);

class ThumbnailCache;

class ScoreTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        SortRole = Qt::UserRole + 1,  // double for numeric columns, QString for text columns
        IdRole,                       // ImageId
        ScoreRole,                    // double, or invalid when not scored
        FlagRole,                     // int(CullFlag)
        StarsRole,                    // int 0..5
        PathRole,                     // QString
        ThumbnailRole,                // QImage (null until made), any column
        BurstRole,                    // qint64 burst id, 0 when not grouped
        BurstSizeRole,                // int frames in the row's burst (1: alone)
        BurstBestRole,                // bool: the best frame of its burst
    };
    enum FixedColumn { ThumbnailColumn = 0, FileColumn, ScoreColumn, FlagColumn, StarsColumn, FirstPairColumn };

    explicit ScoreTableModel(QObject* parent = nullptr);

    // The prompt pairs label the pair columns; they come from the loaded model (7 official ones
    // by default).
    void setPairs(std::vector<qc::PromptPair> pairs);
    const std::vector<qc::PromptPair>& pairs() const { return pairs_; }
    int pairColumn(int pair) const { return FirstPairColumn + pair; }
    int sizeColumn() const { return FirstPairColumn + int(pairs_.size()); }
    int policyColumn() const { return sizeColumn() + 1; }
    int statusColumn() const { return sizeColumn() + 2; }

    void setThumbnailCache(ThumbnailCache* cache);

    // Appends entries and gives each a fresh id; returns the ids in order.
    std::vector<ImageId> addImages(std::vector<ImageEntry> entries);
    void removeImages(const std::vector<ImageId>& ids);

    int count() const { return int(rows_.size()); }
    const ImageEntry& entryAt(int row) const { return rows_[size_t(row)]; }
    const ImageEntry* entry(ImageId id) const;
    int rowOf(ImageId id) const { return rowById_.value(id, -1); }
    std::vector<ImageId> allIds() const;

    // Stores a result from the worker. Returns false (and changes nothing) when the row was
    // removed meanwhile.
    bool applyResult(ImageId id, const qc::ImageResult& result);
    // Stores many results at once: one dataChanged per run of adjacent rows and one
    // scoresChanged, so the sorting proxy and the views catch up a few times a second rather
    // than once per image. Results for removed rows are skipped; returns how many were stored.
    int applyResults(const std::vector<std::pair<ImageId, qc::ImageResult>>& results);
    // Forgets every score (model or policy changed): scores made under another policy or
    // model must never share the column with new ones.
    void clearScores(ScoreState newState);
    void setState(const std::vector<ImageId>& ids, ScoreState state);
    // Unscored rows waiting for the worker become `state` (cancel, no model).
    void setWaitingState(ScoreState state);
    // Marks a row unreadable (e.g. its thumbnail could not be decoded) unless it has a result.
    void markUnreadable(ImageId id, const QString& message);

    bool setFlag(ImageId id, CullFlag flag);
    bool setStars(ImageId id, int stars);
    // The file was moved (same content): the row keeps its score and marks.
    bool setPath(ImageId id, const QString& path);
    bool setCompanionPath(ImageId id, const QString& path);  // a pair's JPEG moved

    std::vector<double> scores() const;  // of every scored row
    std::vector<ImageId> idsScoredBelow(double threshold) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // A row's place in its burst (ScoringSession::groupBursts).
    struct BurstPlace {
        ImageId id = 0;
        qint64 burstId = 0;
        int position = 0, size = 1;
        bool best = false;
    };
    void setBursts(const std::vector<BurstPlace>& places);
    void setCaptureTime(ImageId id, double seconds, bool fromMtime);

Q_SIGNALS:
    void burstsChanged();  // setBursts ran (stacks in the views, live counts)
    void scoresChanged();  // a score arrived or scores were cleared (histogram refresh)
    void marksChanged();   // a flag or star rating changed

private:
    QVariant displayText(const ImageEntry& e, int column) const;
    QVariant sortValue(const ImageEntry& e, int column) const;
    QVariant toolTip(const ImageEntry& e, int column) const;
    void store(ImageEntry& e, const qc::ImageResult& result);
    void rowChanged(int row);
    void onThumbnailReady(ImageId id);
    void rebuildIndex();

    std::vector<qc::PromptPair> pairs_;
    std::vector<ImageEntry> rows_;
    QHash<ImageId, int> rowById_;
    ImageId nextId_ = 1;
    ThumbnailCache* thumbnails_ = nullptr;
};

QString stateText(const ImageEntry& entry);

}  // namespace qc::ui
