#include "ui/widgets/ViewerImageLoader.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include "ui/widgets/DisplayImage.h"

namespace qc::ui {
namespace {

struct Decoded {
    QImage image;
    QString error;
};

Decoded decode(const QString& path) {
    Decoded d;
    d.image = loadDisplayImage(path, 0, &d.error);
    return d;
}

}  // namespace

ViewerImageLoader::ViewerImageLoader(QObject* parent) : QObject(parent) {}

void ViewerImageLoader::load(const QString& path) {
    if (path == path_) return;
    path_ = path;
    const quint64 request = ++latest_;
    auto* watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcher<Decoded>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        if (request != latest_) return;
        const Decoded d = watcher->result();
        if (d.image.isNull())
            Q_EMIT failed(d.error);
        else
            Q_EMIT loaded(d.image);
    });
    watcher->setFuture(QtConcurrent::run(&decode, path));
}

}  // namespace qc::ui
