#include "ui/session/FolderScanner.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent>

#include "library/ImageCollector.h"
#include "images/ImageLoader.h"

namespace qc::ui {

ScannedImages scanImages(const QStringList& inputs, bool recursive) {
    std::vector<std::string> paths;
    for (const QString& input : inputs) paths.push_back(input.toStdString());
    const qc::CollectedImages collected = qc::collectImages(paths, recursive);

    ScannedImages scanned;
    for (const qc::CollectionProblem& p : collected.problems)
        scanned.problems.push_back({QString::fromStdString(p.path), QString::fromStdString(p.reason)});
    scanned.entries.reserve(collected.images.size());
    for (const std::string& path : collected.images) {
        ImageEntry e;
        e.path = QString::fromStdString(path);
        const QFileInfo info(e.path);
        e.fileName = info.fileName();
        e.fileBytes = info.size();
        try {
            // Header only: the size shows at once; a file that cannot be read is scored
            // anyway and its row then says why.
            if (auto header = qc::readImageHeader(path)) {
                e.width = header->width;
                e.height = header->height;
            }
        } catch (const std::exception&) {
        }
        scanned.entries.push_back(std::move(e));
    }
    return scanned;
}

FolderScanner::FolderScanner(QObject* parent) : QObject(parent) {}

void FolderScanner::scan(const QStringList& inputs, bool recursive) {
    ++running_;
    auto* watcher = new QFutureWatcher<ScannedImages>(this);
    connect(watcher, &QFutureWatcher<ScannedImages>::finished, this, [this, watcher] {
        watcher->deleteLater();
        --running_;
        Q_EMIT scanned(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&scanImages, inputs, recursive));
}

}  // namespace qc::ui
