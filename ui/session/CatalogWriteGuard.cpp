#include "ui/session/CatalogWriteGuard.h"

#include <QList>

#include "library/Catalog.h"

namespace qc::ui {

CatalogWriteGuard::CatalogWriteGuard(std::function<void(ImageId)> store, QObject* parent)
    : QObject(parent), store_(std::move(store)) {}

bool CatalogWriteGuard::resting() const {
    return readOnly_ || (sinceFailure_.isValid() && sinceFailure_.elapsed() < kRetryAfterMs);
}

void CatalogWriteGuard::fail(const QString& message) {
    sinceFailure_.start();
    const bool first = problem_.isEmpty();
    problem_ = message;
    if (first) Q_EMIT problemFound(message);
}

void CatalogWriteGuard::recover() {
    if (problem_.isEmpty() || readOnly_) return;
    problem_.clear();
    sinceFailure_.invalidate();
}

void CatalogWriteGuard::setReadOnly(const QString& reason) {
    readOnly_ = true;
    fail(reason);
    Q_EMIT stateChanged();
}

bool CatalogWriteGuard::saveDecision(ImageId id) {
    unsaved_.insert(id);
    const bool stored = !resting() && storeUnsaved(id);
    Q_EMIT stateChanged();
    return stored;
}

void CatalogWriteGuard::retryUnsaved() {
    if (readOnly_ || unsaved_.isEmpty()) return;
    storeUnsaved(std::nullopt);
    Q_EMIT stateChanged();
}

bool CatalogWriteGuard::storeUnsaved(std::optional<ImageId> id) {
    bool stored = false;
    const QList<ImageId> waiting = unsaved_.values();
    for (ImageId pending : waiting) {
        try {
            store_(pending);
            unsaved_.remove(pending);
            stored = stored || pending == id;
        } catch (const qc::CatalogStorageError& e) {
            fail(QString::fromUtf8(e.what()));
            return stored;  // every other write would wait and fail the same way
        } catch (const std::exception& e) {
            unsaved_.remove(pending);  // that image's own problem: retrying cannot help
            Q_EMIT imageProblem(pending, QString::fromUtf8(e.what()));
        }
    }
    if (unsaved_.isEmpty()) recover();
    return stored;
}

bool CatalogWriteGuard::tryWrite(const std::function<void()>& write) {
    if (resting()) return false;
    try {
        write();
        return true;
    } catch (const qc::CatalogStorageError& e) {
        fail(QString::fromUtf8(e.what()));
        Q_EMIT stateChanged();
    } catch (const std::exception&) {
        // One image's file (e.g. gone since it was scored): its score is simply not cached.
    }
    return false;
}

void CatalogWriteGuard::forget(ImageId id) {
    if (unsaved_.remove(id)) Q_EMIT stateChanged();
}

}  // namespace qc::ui
