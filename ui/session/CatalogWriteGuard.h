// CatalogWriteGuard: how the window writes to a catalog that may refuse (locked by another
// program, a read-only folder, a full disk). The window must stay usable and must never show a
// decision as kept when it is not:
//   - the first failure is reported once (problemFound), not once per key press;
//   - a decision that cannot be stored stays "unsaved" (unsavedDecisions(), shown by the window)
//     and is written, with every other unsaved one, at the next decision once the catalog works;
//   - after a failure the catalog is left alone for kRetryAfterMs: a locked catalog makes each
//     write wait SQLite's 5 s busy timeout, which the GUI thread must not pay on every key.
// Scores that cannot be stored are only not cached: they are skipped, never retried.
//
// GUI thread only (it runs the writes it is given on the caller's thread).
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

#include "ui/session/ImageEntry.h"

namespace qc::ui {

class CatalogWriteGuard : public QObject {
    Q_OBJECT
public:
    static constexpr int kRetryAfterMs = 10000;

    // store writes a row's current decision to the catalog, throwing qc::CatalogError when it
    // cannot (CatalogStorageError: the catalog itself).
    explicit CatalogWriteGuard(std::function<void(ImageId)> store, QObject* parent = nullptr);

    // Stores the decision of row id, after the decisions still unsaved; true when it is stored
    // now. A storage failure keeps them unsaved; a failure of one image (a file that cannot be
    // read) is reported as that image's problem and not retried.
    bool saveDecision(ImageId id);
    // Tries the unsaved decisions now, even within kRetryAfterMs of a failure (Retry).
    void retryUnsaved();
    // Runs a write that may be skipped (a score for the cache); false when it failed or was
    // skipped because the catalog failed moments ago.
    bool tryWrite(const std::function<void()>& write);
    // A row that is gone needs no saving.
    void forget(ImageId id);

    // The catalog cannot be written at all (opened read-only): every decision is unsaved.
    void setReadOnly(const QString& reason);
    bool readOnly() const { return readOnly_; }

    int unsavedDecisions() const { return int(unsaved_.size()); }
    bool isUnsaved(ImageId id) const { return unsaved_.contains(id); }
    QString problem() const { return problem_; }  // empty while the catalog works

Q_SIGNALS:
    void problemFound(const QString& message);  // once, when the catalog starts failing
    void imageProblem(qc::ui::ImageId id, const QString& message);  // that image's decision failed
    void stateChanged();  // problem() or unsavedDecisions() changed

private:
    bool resting() const;  // failed less than kRetryAfterMs ago
    void fail(const QString& message);
    void recover();
    bool storeUnsaved(std::optional<ImageId> id);  // true when id (if given) was stored

    std::function<void(ImageId)> store_;
    QSet<ImageId> unsaved_;
    QString problem_;
    bool readOnly_ = false;
    QElapsedTimer sinceFailure_;
};

}  // namespace qc::ui
