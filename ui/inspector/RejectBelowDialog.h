// RejectBelowDialog: Cull > Reject All Below Score…. The user picks a score; the dialog says how
// many images it will reject before anything changes ("Reject 12"), and leaves picks alone, and
// starred photos unless "Also reject starred photos" is ticked (Lightroom keeps a pick a pick).
// rejectBelowCandidates() is the rule, shared with InspectorWindow::rejectBelow. GUI thread.
#pragma once

#include <QDialog>

#include <vector>

#include "ui/session/ImageEntry.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace qc::ui {

class ScoreTableModel;

// The scored images below `threshold` that are not picks (nor starred, unless includeStarred)
// and not rejected already.
std::vector<ImageId> rejectBelowCandidates(const ScoreTableModel& table, double threshold,
                                           bool includeStarred);

class RejectBelowDialog : public QDialog {
    Q_OBJECT
public:
    RejectBelowDialog(const ScoreTableModel& table, double threshold, QWidget* parent = nullptr);

    double threshold() const;
    bool includeStarred() const;
    QDoubleSpinBox* thresholdBox() const { return threshold_; }
    QCheckBox* starredBox() const { return starred_; }
    QPushButton* rejectButton() const { return reject_; }
    QString summary() const;  // what will happen, in words

private:
    void update();

    const ScoreTableModel& table_;
    QDoubleSpinBox* threshold_;
    QCheckBox* starred_;
    QLabel* summary_;
    QPushButton* reject_;
};

}  // namespace qc::ui
