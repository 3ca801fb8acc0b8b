// ProblemsDock: the list of files that could not be opened or scored, each with the reason, in
// a dock at the bottom of the window. It shows itself when something is added. GUI thread.
#pragma once

#include <QDockWidget>
#include <QSet>

#include <vector>

#include "ui/session/FolderScanner.h"

class QTreeWidget;

namespace qc::ui {

class ProblemsDock : public QDockWidget {
    Q_OBJECT
public:
    explicit ProblemsDock(QWidget* parent = nullptr);

    void add(const std::vector<OpenProblem>& problems);
    void clear();
    int count() const;
    QTreeWidget* list() const { return list_; }  // File (name; path in the tooltip), Problem

private:
    QTreeWidget* list_;
    QSet<QString> seen_;
};

QString reasonWithoutPath(const OpenProblem& problem);

}  // namespace qc::ui
