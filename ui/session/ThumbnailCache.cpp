#include "ui/session/ThumbnailCache.h"

#include <QMetaObject>

#include "ui/widgets/DisplayImage.h"

namespace qc::ui {

ThumbnailCache::ThumbnailCache(int side, int capacity, QObject* parent)
    : QObject(parent), side_(side), cache_(capacity) {
    // Two decoders: enough to keep up with scrolling, and leaves the cores to the scorer.
    pool_.setMaxThreadCount(2);
}

ThumbnailCache::~ThumbnailCache() {
    {
        std::lock_guard lock(mutex_);
        queue_.clear();
    }
    pool_.waitForDone();
}

QImage ThumbnailCache::thumbnail(ImageId id, const QString& path) {
    if (const QImage* cached = cache_.object(id)) return *cached;
    if (requested_.contains(id) || failed_.contains(id)) return {};
    requested_.insert(id);
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({id, path});
        if (queue_.size() > kMaxQueued) {
            requested_.remove(queue_.front().id);
            queue_.pop_front();
        }
    }
    pool_.start([this] { makeOne(); });
    return {};
}

bool ThumbnailCache::idle() const { return requested_.isEmpty(); }

void ThumbnailCache::makeOne() {
    Request request;
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) return;  // dropped as too old
        request = queue_.back();
        queue_.pop_back();
    }
    QString error;
    const QImage image = loadDisplayImage(request.path, side_, &error);
    const ImageId id = request.id;
    // Back to the GUI thread; dropped by Qt if the cache is gone by then.
    QMetaObject::invokeMethod(this, [this, id, image, error] { deliver(id, image, error); },
                              Qt::QueuedConnection);
}

void ThumbnailCache::deliver(ImageId id, const QImage& image, const QString& error) {
    requested_.remove(id);
    if (image.isNull()) {
        failed_.insert(id);
        Q_EMIT thumbnailFailed(id, error);
        return;
    }
    cache_.insert(id, new QImage(image));
    Q_EMIT thumbnailReady(id);
}

}  // namespace qc::ui
