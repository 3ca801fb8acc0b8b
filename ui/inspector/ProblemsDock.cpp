#include "ui/inspector/ProblemsDock.h"

#include <QHeaderView>
#include <QTreeWidget>

namespace qc::ui {

ProblemsDock::ProblemsDock(QWidget* parent)
    : QDockWidget(QStringLiteral("Problems"), parent), list_(new QTreeWidget(this)) {
    setObjectName(QStringLiteral("problemsDock"));
    list_->setColumnCount(2);
    list_->setHeaderLabels({QStringLiteral("File"), QStringLiteral("Problem")});
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    list_->header()->resizeSection(0, 320);
    setWidget(list_);
}

void ProblemsDock::add(const std::vector<OpenProblem>& problems) {
    if (problems.empty()) return;
    for (const OpenProblem& p : problems) {
        // The scorer and the thumbnailer may both report one bad file.
        const QString key = p.path + '\n' + p.reason;
        if (seen_.contains(key)) continue;
        seen_.insert(key);
        auto* item = new QTreeWidgetItem(list_, {p.path, p.reason});
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
