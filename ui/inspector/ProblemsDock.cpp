#include "ui/inspector/ProblemsDock.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QTreeWidget>

namespace qc::ui {

// Core's messages name the file ("'/photos/a.jpg': cannot decode"); the File column already does,
// so the Problem column keeps only the reason (the full message stays in the tooltip).
QString reasonWithoutPath(const OpenProblem& problem) {
    QString reason = problem.reason;
    for (const QString& quoted :
         {QStringLiteral("'%1': ").arg(problem.path), QStringLiteral("'%1' ").arg(problem.path),
          problem.path + QStringLiteral(": "), problem.path})
        reason.replace(quoted, QString());
    reason = reason.trimmed();
    return reason.isEmpty() ? problem.reason : reason;
}

ProblemsDock::ProblemsDock(QWidget* parent)
    : QDockWidget(QStringLiteral("Problems"), parent), list_(new QTreeWidget(this)) {
    setObjectName(QStringLiteral("problemsDock"));
    list_->setColumnCount(2);
    list_->setHeaderLabels({QStringLiteral("File"), QStringLiteral("Problem")});
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    list_->header()->resizeSection(0, 200);
    setWidget(list_);
}

void ProblemsDock::add(const std::vector<OpenProblem>& problems) {
    if (problems.empty()) return;
    for (const OpenProblem& p : problems) {
        // The scorer and the thumbnailer may both report one bad file.
        const QString key = p.path + '\n' + p.reason;
        if (seen_.contains(key)) continue;
        seen_.insert(key);
        auto* item =
            new QTreeWidgetItem(list_, {QFileInfo(p.path).fileName(), reasonWithoutPath(p)});
        item->setToolTip(0, p.path);
        item->setToolTip(1, p.reason);
    }
    setWindowTitle(QStringLiteral("Problems (%1)").arg(count()));
    show();
}

void ProblemsDock::clear() {
    list_->clear();
    seen_.clear();
    setWindowTitle(QStringLiteral("Problems"));
}

int ProblemsDock::count() const { return list_->topLevelItemCount(); }

}  // namespace qc::ui
