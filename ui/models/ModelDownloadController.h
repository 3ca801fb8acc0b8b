// ModelDownloadController: runs core's installModel (ModelDownloader) on a pool thread for the
// window's Download button and reports on the GUI thread: progress text (bytes, rate, time
// left), then finished / failed / cancelled. One download at a time; the destructor cancels and
// waits for it. GUI thread only.
#pragma once

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>

#include "models/ModelRegistry.h"

namespace qc::ui {

class ModelDownloadController : public QObject {
    Q_OBJECT
public:
    explicit ModelDownloadController(QObject* parent = nullptr);
    ~ModelDownloadController() override;

    // Downloads `entry` into `folder` (from `url` when not empty). Ignored while one runs.
    void start(const qc::RegistryEntry& entry, const QString& folder, const QString& url = {});
    void cancel();
    bool running() const { return running_; }

Q_SIGNALS:
    void progressed(const QString& text, int permille);  // permille -1 while the size is unknown
    void finished(const QString& path, const QString& sha256, const QString& warning);
    void failed(const QString& message);
    void cancelled();

private:
    void onDone(bool ok, bool wasCancelled, const std::string& path, const std::string& sha256,
                const std::string& error, const std::string& warning);

    std::shared_ptr<std::atomic<bool>> cancel_;
    QFuture<void> future_;
    bool running_ = false;
};

}  // namespace qc::ui
