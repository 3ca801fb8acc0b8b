// DegradationLabModel: the lab's grid as a table model over plain LabCell values. One row per
// family, column 0 the original (the same cell in every row: level 0 of each family), columns
// 1..N the levels. Cells arrive one by one from the DegradationLabWorker; results of an older
// run (another generation) are dropped. It also answers the lab's figures: scores by level and
// the Spearman correlation of score with level per family. GUI thread.
#pragma once

#include <QAbstractTableModel>
#include <QImage>
#include <QPixmap>
#include <QString>

#include <optional>
#include <vector>

#include "lab/DegradationStudy.h"
#include "lab/Degradations.h"
#include "engine/Prompts.h"

namespace qc::ui {

// One degraded (or original) image of a lab run, as the worker delivers it.
struct LabCell {
    quint64 generation = 0;
    int row = -1;     // index of the family in the run's list; -1: the original
    int level = 0;
    double parameter = 0;
    QImage image;      // the working-size picture, RGB888
    QImage thumbnail;  // at most DegradationLabModel::kThumbnailSize
    bool scored = false;
    double score = 0;  // valid when scored && error.isEmpty()
    std::vector<double> pairProbabilities;
    QString error;

    bool hasScore() const { return scored && error.isEmpty(); }
};

class DegradationLabModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { ScoreRole = Qt::UserRole + 1 };  // double, or invalid when not scored
    static constexpr QSize kThumbnailSize{132, 90};

    explicit DegradationLabModel(QObject* parent = nullptr);

    // Clears the grid for a new run.
    void reset(quint64 generation, const std::vector<qc::DegradationFamily>& families, int levels,
               const std::vector<qc::PromptPair>& pairs);
    void setCell(const LabCell& cell);  // ignored when of another generation

    quint64 generation() const { return generation_; }
    const std::vector<qc::DegradationFamily>& families() const { return families_; }
    int levels() const { return levels_; }
    const std::vector<qc::PromptPair>& pairs() const { return pairs_; }
    const LabCell* cell(int row, int column) const;  // column 0: the original; null until it arrives
    int cellsDone() const;
    int cellsTotal() const { return 1 + static_cast<int>(families_.size()) * levels_; }

    // Scores of levels 0..N of a family's row, NaN where missing or failed.
    std::vector<double> scoresByLevel(int row) const;
    // Spearman correlation of score with level; nullopt until the row is complete and scored.
    std::optional<double> spearman(int row) const;
    // The score falls at every level (rho == -1).
    static bool isMonotone(double rho) { return rho <= -1.0 + 1e-9; }

    // The study's CSV (core's format), file names as `qualiclip degrade` writes them.
    std::string csv() const;
    std::string fileName(int row, int column) const;  // "original.png", "jpeg_L3.png"

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    qc::StudyCell toStudyCell(int row, int column) const;

    quint64 generation_ = 0;
    std::vector<qc::DegradationFamily> families_;
    int levels_ = 0;
    std::vector<qc::PromptPair> pairs_;
    std::optional<LabCell> original_;
    QPixmap originalPixmap_;
    std::vector<std::vector<std::optional<LabCell>>> cells_;  // [row][level - 1]
    std::vector<std::vector<QPixmap>> pixmaps_;
};

}  // namespace qc::ui

Q_DECLARE_METATYPE(qc::ui::LabCell)
