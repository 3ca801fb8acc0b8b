#include "ui/models/ModelDownloadController.h"

#include <QMetaObject>
#include <QtConcurrent>

#include "models/ModelDownloader.h"

namespace qc::ui {

ModelDownloadController::ModelDownloadController(QObject* parent) : QObject(parent) {}

ModelDownloadController::~ModelDownloadController() {
    if (cancel_) cancel_->store(true);
    future_.waitForFinished();
}

void ModelDownloadController::start(const qc::RegistryEntry& entry, const QString& folder, const QString& url) {
    if (running_) return;
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const std::shared_ptr<std::atomic<bool>> cancel = cancel_;
    // `this` outlives the task (the destructor waits for it); events queued to it after it is
    // gone are dropped by Qt.
    future_ = QtConcurrent::run([this, cancel, entry, folder, url] {
        auto progress = [this](const qc::DownloadProgress& p) {
            const QString text = QString::fromStdString(qc::describeProgress(p));
            const int permille = p.total > 0 ? static_cast<int>(1000 * p.received / p.total) : -1;
            QMetaObject::invokeMethod(this, [this, text, permille] { Q_EMIT progressed(text, permille); },
                                      Qt::QueuedConnection);
        };
        const qc::DownloadResult r =
            qc::installModel(entry, folder.toStdString(), url.toStdString(), progress, cancel.get());
        QMetaObject::invokeMethod(this, [this, r] { onDone(r.ok, r.cancelled, r.path, r.sha256, r.error, r.warning); },
                                  Qt::QueuedConnection);
    });
}

void ModelDownloadController::onDone(bool ok, bool wasCancelled, const std::string& path, const std::string& sha256,
                                     const std::string& error, const std::string& warning) {
    running_ = false;
    if (ok)
        Q_EMIT finished(QString::fromStdString(path), QString::fromStdString(sha256), QString::fromStdString(warning));
    else if (wasCancelled)
        Q_EMIT cancelled();
    else
        Q_EMIT failed(QString::fromStdString(error));
}

void ModelDownloadController::cancel() {
    if (cancel_) cancel_->store(true);
}

}  // namespace qc::ui
