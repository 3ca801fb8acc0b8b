// FailureCaseModel: the scored images of a research run, worst agreement first (core's
// failureCases() order): rank, over/under, name, score, MOS, fitted MOS, residual. Sorting goes
// through a QSortFilterProxyModel on kSortRole (numbers, never display strings); PathRole gives
// the image file. GUI thread.
#pragma once

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace qc::ui {

struct ResearchRun;

class FailureCaseModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Kind, Name, Score, Mos, Fitted, Residual, ColumnCount };
    static constexpr int kSortRole = Qt::UserRole + 1;
    static constexpr int PathRole = Qt::UserRole + 2;

    explicit FailureCaseModel(QObject* parent = nullptr);

    void setRun(std::shared_ptr<const ResearchRun> run);  // null clears
    const ResearchRun* run() const { return run_.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const ResearchRun> run_;
    std::vector<size_t> order_;  // indices into run_->study.rows
};

}  // namespace qc::ui
