// ThumbnailCache: small pictures of the images for the table and the grid, made on a private
// thread pool so the GUI thread never decodes. thumbnail() answers at once from the cache or
// with a null image, and asks for the picture; thumbnailReady(id) follows when it is made.
// The newest requests are served first (what the user scrolled to), and old unserved ones are
// dropped, to be asked again if their rows come back into view.
//
// GUI thread only (the pool threads only decode). The destructor waits for the pool.
#pragma once

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QThreadPool>

#include <deque>
#include <mutex>

#include "ui/session/ImageEntry.h"

namespace qc::ui {

class ThumbnailCache : public QObject {
    Q_OBJECT
public:
    explicit ThumbnailCache(int side = 96, int capacity = 1000, QObject* parent = nullptr);
    ~ThumbnailCache() override;

    int side() const { return side_; }
    QImage thumbnail(ImageId id, const QString& path);
    bool idle() const;  // nothing requested is still being made

Q_SIGNALS:
    void thumbnailReady(qc::ui::ImageId id);
    void thumbnailFailed(qc::ui::ImageId id, const QString& message);

private:
    struct Request {
        ImageId id;
        QString path;
    };
    void makeOne();
    void deliver(ImageId id, const QImage& image, const QString& error);

    // Requests beyond this are the oldest and most likely scrolled away.
    static constexpr size_t kMaxQueued = 256;

    const int side_;
    QCache<ImageId, QImage> cache_;
    QSet<ImageId> requested_;
    QSet<ImageId> failed_;
    std::mutex mutex_;
    std::deque<Request> queue_;  // newest at the back
    QThreadPool pool_;
};

}  // namespace qc::ui
