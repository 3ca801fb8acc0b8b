// FolderScanner: turns the files and folders the user opened into ImageEntry rows, on a pool
// thread (core's collectImages for the listing, then each file's size and header dimensions),
// so opening thousands of images never blocks the window. GUI thread only; scans may overlap
// and are reported in the order they finish.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

#include "ui/session/ImageEntry.h"

namespace qc::ui {

// Something that could not be opened, and why.
struct OpenProblem {
    QString path;
    QString reason;
};

struct ScannedImages {
    std::vector<ImageEntry> entries;
    std::vector<OpenProblem> problems;
};

// The work itself; any thread.
ScannedImages scanImages(const QStringList& inputs, bool recursive);

class FolderScanner : public QObject {
    Q_OBJECT
public:
    explicit FolderScanner(QObject* parent = nullptr);

    void scan(const QStringList& inputs, bool recursive);
    bool scanning() const { return running_ > 0; }

Q_SIGNALS:
    void scanned(const qc::ui::ScannedImages& images);

private:
    int running_ = 0;
};

}  // namespace qc::ui
