// CullRulesDialog (Cull ▸ Bursts and Rules…): the burst settings with a live count of groups
// (the time gap, and the similarity as a slider), and the bulk rules — pick the best of each
// burst and reject the others, reject below a score, pick the top N % — each showing how many
// photos it would pick and reject before Apply changes anything. Grouping is stored (stacks in
// the table and grid) and the rule applied as one undo step, through ScoringSession.
#pragma once

#include <QDialog>

#include "library/BurstGrouping.h"
#include "library/CullRules.h"

class QButtonGroup;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;

namespace qc::ui {

class ScoringSession;

class CullRulesDialog : public QDialog {
    Q_OBJECT
public:
    enum class Rule { BestOfBursts = 0, RejectBelow = 1, PickTop = 2 };

    CullRulesDialog(ScoringSession& session, QWidget* parent = nullptr);

    void setRule(Rule rule);
    void setSimilarity(double similarity);  // the slider, 0.5 to 1 in steps of 0.0005
    void setGap(double seconds);
    QString groupsText() const;   // "31 photos in 6 groups"
    QString previewText() const;  // "Will pick 6 and reject 25 photos."
    qc::BurstSettings settings() const;
    qc::CullPlan plan() const { return plan_; }

    // Groups with the settings (stacks in the views) and applies the rule's plan: one undo step.
    void apply();

private:
    void update();

    ScoringSession& session_;
    QDoubleSpinBox* gap_;
    QSlider* similarity_;
    QLabel* similarityValue_;
    QLabel* groups_;
    QButtonGroup* rules_;
    QDoubleSpinBox* threshold_;
    QDoubleSpinBox* percent_;
    QCheckBox* starred_;
    QLabel* preview_;
    qc::CullPlan plan_;
};

}  // namespace qc::ui
