#include "ui/inspector/BurstActions.h"

#include <QAction>
#include <QWidget>

#include <algorithm>

#include "ui/inspector/CullRulesDialog.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

namespace qc::ui {

BurstActions::BurstActions(ScoringSession& session, ScoreFilterProxyModel& proxy,
                           std::function<ImageId()> current, QWidget* window)
    : QObject(window),
      session_(session),
      proxy_(proxy),
      current_(std::move(current)),
      window_(window) {
    rules_ = new QAction(QStringLiteral("&Bursts and Rules\u2026"), this);
    rules_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    rules_->setToolTip(QStringLiteral(
        "Group bursts; pick the best of each, reject below a score, pick the top N % "
        "(counts first, one undo step)"));
    connect(rules_, &QAction::triggered, this, [this] {
        auto* dialog = new CullRulesDialog(session_, window_);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    collapse_ = new QAction(QStringLiteral("Collapse &Stacks"), this);
    collapse_->setCheckable(true);
    collapse_->setChecked(proxy_.stacksCollapsed());
    connect(collapse_, &QAction::toggled, &proxy_, &ScoreFilterProxyModel::setStacksCollapsed);
    toggle_ = new QAction(QStringLiteral("&Expand or Collapse Stack"), this);
    toggle_->setShortcut(QKeySequence(Qt::Key_S));
    connect(toggle_, &QAction::triggered, this, [this] { toggleStack(current_()); });
    compare_ = new QAction(QStringLiteral("Compare &Burst"), this);
    compare_->setShortcut(QKeySequence(Qt::Key_B));
    compare_->setToolTip(
        QStringLiteral("Every frame of the current photo's burst side by side (B)"));
    connect(compare_, &QAction::triggered, this, [this] {
        const std::vector<ImageEntry> frames = burstOf(current_());
        if (frames.size() > 1) Q_EMIT compareRequested(frames);
    });
}

bool BurstActions::toggleStack(ImageId id) {
    const ImageEntry* e = session_.table()->entry(id);
    if (!e || !e->inStack()) return false;
    proxy_.setStackExpanded(e->burstId, !proxy_.isStackExpanded(e->burstId));
    return true;
}

std::vector<ImageEntry> BurstActions::burstOf(ImageId id) const {
    const ImageEntry* e = session_.table()->entry(id);
    if (!e) return {};
    if (!e->inStack()) return {*e};
    std::vector<ImageEntry> frames;
    for (int row = 0; row < session_.table()->count(); ++row)
        if (session_.table()->entryAt(row).burstId == e->burstId)
            frames.push_back(session_.table()->entryAt(row));
    std::sort(frames.begin(), frames.end(), [](const ImageEntry& a, const ImageEntry& b) {
        return a.burstPosition < b.burstPosition;
    });
    return frames;
}

}  // namespace qc::ui
