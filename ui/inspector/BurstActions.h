// BurstActions: the window's burst commands, kept apart from InspectorWindow: Cull ▸ Bursts and
// Rules… (CullRulesDialog), View ▸ Collapse Stacks, Expand or Collapse Stack (S, or a double
// click on a stack), and Compare Burst (B: every frame of the current photo's burst side by side).
#pragma once

#include <QObject>

#include <functional>
#include <vector>

#include "ui/session/ImageEntry.h"

class QAction;
class QWidget;

namespace qc::ui {

class ScoringSession;
class ScoreFilterProxyModel;

class BurstActions : public QObject {
    Q_OBJECT
public:
    BurstActions(ScoringSession& session, ScoreFilterProxyModel& proxy,
                 std::function<ImageId()> current, QWidget* window);

    QAction* rulesAction() const { return rules_; }
    QAction* collapseAction() const { return collapse_; }
    QAction* toggleStackAction() const { return toggle_; }
    QAction* compareBurstAction() const { return compare_; }

    // Expands a collapsed stack or collapses an expanded one; false when the photo is alone.
    bool toggleStack(ImageId id);
    // The frames of the photo's burst, in capture order (just the photo when it is alone).
    std::vector<ImageEntry> burstOf(ImageId id) const;

Q_SIGNALS:
    void compareRequested(const std::vector<qc::ui::ImageEntry>& entries);

private:
    ScoringSession& session_;
    ScoreFilterProxyModel& proxy_;
    std::function<ImageId()> current_;
    QWidget* window_;
    QAction *rules_, *collapse_, *toggle_, *compare_;
};

}  // namespace qc::ui
