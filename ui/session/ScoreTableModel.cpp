#include "ui/session/ScoreTableModel.h"

#include <QColor>
#include <QFileInfo>
#include <QImage>

#include <algorithm>
#include <limits>

#include "ui/widgets/PairLabels.h"
#include "ui/widgets/ScoreColors.h"
#include "engine/ScoringEngine.h"
#include "ui/session/ThumbnailCache.h"

namespace qc::ui {
namespace {

// Unscored rows sort below every score in ascending order.
constexpr double kNoValue = -std::numeric_limits<double>::infinity();

QString starsText(int stars) { return stars > 0 ? QString(stars, QChar(0x2605)) : QString(); }

QString flagText(CullFlag flag) {
    switch (flag) {
    case CullFlag::Pick: return QStringLiteral("Pick");
    case CullFlag::Reject: return QStringLiteral("Reject");
    case CullFlag::None: break;
    }
    return {};
}

// Reject < none < pick, so "descending" puts picks first.
double flagRank(CullFlag flag) {
    return flag == CullFlag::Pick ? 1 : flag == CullFlag::Reject ? -1 : 0;
}

}  // namespace

QString stateText(const ImageEntry& e) {
    switch (e.state) {
    case ScoreState::Waiting: return QStringLiteral("waiting");
    case ScoreState::NoModel: return QStringLiteral("no model");
    case ScoreState::Scored: return QStringLiteral("scored");
    case ScoreState::Failed: return e.error;
    case ScoreState::Cancelled: return QStringLiteral("not scored (cancelled)");
    }
    return {};
}

ScoreTableModel::ScoreTableModel(QObject* parent)
    : QAbstractTableModel(parent), pairs_(qc::promptPairsFor(7)) {}

void ScoreTableModel::setPairs(std::vector<qc::PromptPair> pairs) {
    if (pairs.size() == pairs_.size()) {
        // Same columns, new names: keep the views' selection and current image.
        pairs_ = std::move(pairs);
        Q_EMIT headerDataChanged(Qt::Horizontal, FirstPairColumn, sizeColumn() - 1);
        return;
    }
    beginResetModel();
    pairs_ = std::move(pairs);
    endResetModel();
}

void ScoreTableModel::setThumbnailCache(ThumbnailCache* cache) {
    thumbnails_ = cache;
    connect(cache, &ThumbnailCache::thumbnailReady, this, &ScoreTableModel::onThumbnailReady);
    connect(cache, &ThumbnailCache::thumbnailFailed, this, &ScoreTableModel::markUnreadable);
}

std::vector<ImageId> ScoreTableModel::addImages(std::vector<ImageEntry> entries) {
    std::vector<ImageId> ids;
    if (entries.empty()) return ids;
    const int first = count();
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    for (ImageEntry& e : entries) {
        e.id = nextId_++;
        ids.push_back(e.id);
        rowById_.insert(e.id, int(rows_.size()));
        rows_.push_back(std::move(e));
    }
    endInsertRows();
    return ids;
}

void ScoreTableModel::removeImages(const std::vector<ImageId>& ids) {
    std::vector<int> rows;
    for (ImageId id : ids)
        if (int row = rowOf(id); row >= 0) rows.push_back(row);
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // Remove contiguous runs from the bottom so earlier row numbers stay valid.
    for (size_t i = 0; i < rows.size();) {
        size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] - 1) ++j;
        const int last = rows[i], first = rows[j];
        beginRemoveRows({}, first, last);
        rows_.erase(rows_.begin() + first, rows_.begin() + last + 1);
        endRemoveRows();
        i = j + 1;
    }
    rebuildIndex();
    if (!rows.empty()) Q_EMIT scoresChanged();
}

void ScoreTableModel::rebuildIndex() {
    rowById_.clear();
    for (int row = 0; row < count(); ++row) rowById_.insert(rows_[size_t(row)].id, row);
}

const ImageEntry* ScoreTableModel::entry(ImageId id) const {
    const int row = rowOf(id);
    return row < 0 ? nullptr : &rows_[size_t(row)];
}

std::vector<ImageId> ScoreTableModel::allIds() const {
    std::vector<ImageId> ids;
    ids.reserve(rows_.size());
    for (const ImageEntry& e : rows_) ids.push_back(e.id);
    return ids;
}

void ScoreTableModel::store(ImageEntry& e, const qc::ImageResult& result) {
    e.policy = QString::fromStdString(result.resize);
    e.source = QString::fromStdString(result.source);
    e.modelSha256 = QString::fromStdString(result.modelSha256);
    if (result.width > 0) {
        e.width = result.width;
        e.height = result.height;
    }
    if (result.ok()) {
        e.state = ScoreState::Scored;
        e.score = result.score;
        e.pairProbabilities = result.pairProbabilities;
        e.embedding = result.embedding;
        e.error.clear();
    } else {
        e.state = ScoreState::Failed;
        e.error = QString::fromStdString(result.error);
        e.pairProbabilities.clear();
        e.embedding.clear();
    }
}

bool ScoreTableModel::applyResult(ImageId id, const qc::ImageResult& result) {
    const int row = rowOf(id);
    if (row < 0) return false;
    store(rows_[size_t(row)], result);
    rowChanged(row);
    Q_EMIT scoresChanged();
    return true;
}

int ScoreTableModel::applyResults(const std::vector<std::pair<ImageId, qc::ImageResult>>& results) {
    std::vector<int> rows;
    rows.reserve(results.size());
    for (const auto& [id, result] : results) {
        const int row = rowOf(id);
        if (row < 0) continue;
        store(rows_[size_t(row)], result);
        rows.push_back(row);
    }
    if (rows.empty()) return 0;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (size_t i = 0; i < rows.size();) {
        size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) ++j;
        Q_EMIT dataChanged(index(rows[i], 0), index(rows[j], columnCount() - 1));
        i = j + 1;
    }
    Q_EMIT scoresChanged();
    return int(rows.size());
}

void ScoreTableModel::clearScores(ScoreState newState) {
    for (ImageEntry& e : rows_) {
        e.state = newState;
        e.score = 0;
        e.pairProbabilities.clear();
        e.policy.clear();
        e.source.clear();
        e.modelSha256.clear();
        e.error.clear();
    }
    if (!rows_.empty()) Q_EMIT dataChanged(index(0, 0), index(count() - 1, columnCount() - 1));
    Q_EMIT scoresChanged();
}

void ScoreTableModel::setState(const std::vector<ImageId>& ids, ScoreState state) {
    for (ImageId id : ids) {
        const int row = rowOf(id);
        if (row < 0) continue;
        rows_[size_t(row)].state = state;
        rowChanged(row);
    }
}

void ScoreTableModel::setWaitingState(ScoreState state) {
    for (int row = 0; row < count(); ++row) {
        ImageEntry& e = rows_[size_t(row)];
        if (e.state != ScoreState::Waiting && e.state != ScoreState::NoModel &&
            e.state != ScoreState::Cancelled)
            continue;
        if (e.state == state) continue;
        e.state = state;
        rowChanged(row);
    }
}

void ScoreTableModel::markUnreadable(ImageId id, const QString& message) {
    const int row = rowOf(id);
    if (row < 0) return;
    ImageEntry& e = rows_[size_t(row)];
    if (e.state == ScoreState::Scored || e.state == ScoreState::Failed) return;
    e.state = ScoreState::Failed;
    e.error = message;
    rowChanged(row);
}

bool ScoreTableModel::setFlag(ImageId id, CullFlag flag) {
    const int row = rowOf(id);
    if (row < 0) return false;
    rows_[size_t(row)].flag = flag;
    rowChanged(row);
    Q_EMIT marksChanged();
    return true;
}

bool ScoreTableModel::setStars(ImageId id, int stars) {
    const int row = rowOf(id);
    if (row < 0 || stars < 0 || stars > 5) return false;
    rows_[size_t(row)].stars = stars;
    rowChanged(row);
    Q_EMIT marksChanged();
    return true;
}

bool ScoreTableModel::setCompanionPath(ImageId id, const QString& path) {
    const int row = rowOf(id);
    if (row < 0) return false;
    rows_[size_t(row)].companionPath = path;
    rowChanged(row);
    return true;
}

bool ScoreTableModel::setPath(ImageId id, const QString& path) {
    const int row = rowOf(id);
    if (row < 0) return false;
    rows_[size_t(row)].path = path;
    rows_[size_t(row)].fileName = QFileInfo(path).fileName();
    rowChanged(row);
    return true;
}

std::vector<double> ScoreTableModel::scores() const {
    std::vector<double> values;
    for (const ImageEntry& e : rows_)
        if (e.hasScore()) values.push_back(e.score);
    return values;
}

std::vector<ImageId> ScoreTableModel::idsScoredBelow(double threshold) const {
    std::vector<ImageId> ids;
    for (const ImageEntry& e : rows_)
        if (e.hasScore() && e.score < threshold) ids.push_back(e.id);
    return ids;
}

void ScoreTableModel::rowChanged(int row) {
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void ScoreTableModel::onThumbnailReady(ImageId id) {
    const int row = rowOf(id);
    if (row >= 0) Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1), {Qt::DecorationRole, ThumbnailRole});
}

int ScoreTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

int ScoreTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : statusColumn() + 1;
}

QVariant ScoreTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const ImageEntry& e = rows_[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return displayText(e, column);
    case Qt::ToolTipRole: return toolTip(e, column);
    case Qt::TextAlignmentRole:
        if (column == ScoreColumn || (column >= FirstPairColumn && column < sizeColumn()))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column == ScoreColumn && e.hasScore()) return scoreTextColor(e.score);
        if (column == ScoreColumn && e.state == ScoreState::Failed) return QColor(Qt::darkRed);
        if (column == statusColumn() && e.state == ScoreState::Failed) return QColor(Qt::darkRed);
        return {};
    case Qt::DecorationRole:
        if (column != ThumbnailColumn) return {};
        [[fallthrough]];
    case ThumbnailRole:
        return thumbnails_ ? thumbnails_->thumbnail(e.id, e.path) : QImage();
    case SortRole: return sortValue(e, column);
    case IdRole: return QVariant::fromValue(e.id);
    case ScoreRole: return e.hasScore() ? QVariant(e.score) : QVariant();
    case FlagRole: return int(e.flag);
    case StarsRole: return e.stars;
    case PathRole: return e.path;
    case BurstRole: return e.burstId;
    case BurstSizeRole: return e.burstSize;
    case BurstBestRole: return e.burstBest;
    default: return {};
    }
}

QString burstBadge(const ImageEntry& e) {
    if (!e.inStack()) return {};
    // The best frame stands for its stack: it carries the stack's size; the others their place.
    if (e.burstBest) return QStringLiteral("  \u25c6\u00d7%1").arg(e.burstSize);
    return QStringLiteral("  \u00b7%1/%2").arg(e.burstPosition + 1).arg(e.burstSize);
}

void ScoreTableModel::setBursts(const std::vector<BurstPlace>& places) {
    for (const BurstPlace& p : places) {
        const int row = rowOf(p.id);
        if (row < 0) continue;
        ImageEntry& e = rows_[size_t(row)];
        e.burstId = p.burstId;
        e.burstPosition = p.position;
        e.burstSize = p.size;
        e.burstBest = p.best;
    }
    if (!rows_.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    Q_EMIT burstsChanged();
}

void ScoreTableModel::setCaptureTime(ImageId id, double seconds, bool fromMtime) {
    const int row = rowOf(id);
    if (row < 0) return;
    rows_[size_t(row)].captureSeconds = seconds;
    rows_[size_t(row)].captureFromMtime = fromMtime;
}

QVariant ScoreTableModel::displayText(const ImageEntry& e, int column) const {
    // A RAW+JPEG pair: the RAW's name with a badge, as Photo Mechanic shows it.
    if (column == FileColumn) {
        const QString name = e.isPair() ? e.fileName + QStringLiteral("  +JPG") : e.fileName;
        return name + burstBadge(e);
    }
    if (column == ScoreColumn) {
        // A failure is marked where the score would be, not only in the far-right Status column.
        if (e.state == ScoreState::Failed) return QStringLiteral("\u26a0 failed");
        return e.hasScore() ? QString::number(e.score, 'f', 3) : QString();
    }
    if (column == FlagColumn) return flagText(e.flag);
    if (column == StarsColumn) return starsText(e.stars);
    if (column >= FirstPairColumn && column < sizeColumn()) {
        const size_t pair = size_t(column - FirstPairColumn);
        if (!e.hasScore() || pair >= e.pairProbabilities.size()) return {};
        return QString::number(e.pairProbabilities[pair], 'f', 2);
    }
    if (column == sizeColumn())
        return e.width > 0 ? QStringLiteral("%1 \u00d7 %2").arg(e.width).arg(e.height) : QString();
    if (column == policyColumn()) return e.policy;
    if (column == statusColumn()) return stateText(e);
    return {};
}

QVariant ScoreTableModel::sortValue(const ImageEntry& e, int column) const {
    if (column == FileColumn || column == ThumbnailColumn) return e.fileName.toLower();
    if (column == ScoreColumn) return e.hasScore() ? e.score : kNoValue;
    if (column == FlagColumn) return flagRank(e.flag);
    if (column == StarsColumn) return double(e.stars);
    if (column >= FirstPairColumn && column < sizeColumn()) {
        const size_t pair = size_t(column - FirstPairColumn);
        return e.hasScore() && pair < e.pairProbabilities.size() ? e.pairProbabilities[pair] : kNoValue;
    }
    if (column == sizeColumn()) return double(e.width) * double(e.height);
    if (column == policyColumn()) return e.policy;
    if (column == statusColumn()) return stateText(e);
    return {};
}

QVariant ScoreTableModel::toolTip(const ImageEntry& e, int column) const {
    if (column == statusColumn() || column == FileColumn || column == ThumbnailColumn) {
        QString tip = e.path;
        if (e.state == ScoreState::Failed) tip += '\n' + e.error;
        return tip;
    }
    if (column == ScoreColumn && e.hasScore())
        return QStringLiteral("Scored at resize policy %1").arg(e.policy);
    if (column == ScoreColumn && e.state == ScoreState::Failed) return e.error;
    return {};
}

QVariant ScoreTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    const bool isPair = section >= FirstPairColumn && section < sizeColumn();
    if (role == Qt::ToolTipRole && isPair) return pairDescription(pairs_[size_t(section - FirstPairColumn)]);
    if (role != Qt::DisplayRole) return {};
    if (isPair) return pairLabel(pairs_[size_t(section - FirstPairColumn)]);
    switch (section) {
    case ThumbnailColumn: return QString();
    case FileColumn: return QStringLiteral("File");
    case ScoreColumn: return QStringLiteral("Score");
    case FlagColumn: return QStringLiteral("Flag");
    case StarsColumn: return QStringLiteral("Rating");
    default: break;
    }
    if (section == sizeColumn()) return QStringLiteral("Size");
    if (section == policyColumn()) return QStringLiteral("Resize");
    if (section == statusColumn()) return QStringLiteral("Status");
    return {};
}

}  // namespace qc::ui
