#include "ui/session/FolderScanner.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent>

#include "images/ImageLoader.h"
#include "library/CaptureTime.h"
#include "library/ImageCollector.h"
#include "library/PhotoPairs.h"

namespace qc::ui {

ScannedImages scanImages(const QStringList& inputs, bool recursive) {
    std::vector<std::string> paths;
    for (const QString& input : inputs) paths.push_back(input.toStdString());
    const qc::CollectedImages collected = qc::collectImages(paths, recursive);

    ScannedImages scanned;
    for (const qc::CollectionProblem& p : collected.problems)
        scanned.problems.push_back({QString::fromStdString(p.path), QString::fromStdString(p.reason)});
    // RAW+JPEG pairs become one row named by the RAW (which file is scored is the session's
    // choice).
    const std::vector<qc::Photo> photos =
        qc::pairRawAndJpeg(collected.images, qc::PairScoring::Raw);
    scanned.entries.reserve(photos.size());
    for (const qc::Photo& photo : photos) {
        const std::string& path = photo.path;
        ImageEntry e;
        e.path = QString::fromStdString(path);
        e.companionPath = QString::fromStdString(photo.companion);
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
        try {
            // For bursts: read here, off the GUI thread, like the header.
            const qc::CaptureTime t = qc::readCaptureTime(path);
            e.captureSeconds = t.seconds;
            e.captureFromMtime = t.source == qc::CaptureTimeSource::FileModified;
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
