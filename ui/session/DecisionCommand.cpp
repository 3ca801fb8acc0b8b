#include "ui/session/DecisionCommand.h"

#include <QFile>
#include <QSaveFile>
#include <QtDebug>

#include "library/XmpSidecar.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

namespace qc::ui {
namespace {

std::optional<QByteArray> readBytes(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    return file.readAll();
}

// Puts a sidecar back as it was: its bytes (written atomically) or no file.
bool restoreSidecar(const QString& path, const std::optional<QByteArray>& bytes) {
    if (!bytes) return !QFile::exists(path) || QFile::remove(path);
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(*bytes) == bytes->size() && file.commit();
}

}  // namespace

DecisionCommand::DecisionCommand(ScoringSession& session, std::vector<RowDecision> decisions,
                                 const QString& text)
    : QUndoCommand(text), session_(session), decisions_(std::move(decisions)) {}

std::vector<DecisionCommand::RowState> DecisionCommand::snapshot() const {
    std::vector<RowState> state;
    qc::Catalog* catalog = session_.catalog();
    const std::optional<qc::SidecarNaming> naming = session_.sidecarWriting();
    for (const RowDecision& d : decisions_) {
        const ImageEntry* e = session_.table()->entry(d.id);
        if (!e) continue;
        RowState row{e->id, e->flag, e->stars, {}};
        for (const QString& path : e->files()) {
            FileState file;
            file.path = path;
            if (catalog) {
                try {
                    file.catalogId = catalog->resolve(path.toStdString()).id;
                    file.row = catalog->storedDecision(*file.catalogId);
                } catch (const std::exception& ex) {
                    qWarning("catalog: %s", ex.what());
                }
            }
            if (naming) {
                file.sidecar = QString::fromStdString(qc::sidecarPath(path.toStdString(), *naming));
                file.sidecarBytes = readBytes(file.sidecar);
            }
            row.files.push_back(std::move(file));
        }
        state.push_back(std::move(row));
    }
    return state;
}

void DecisionCommand::restore(const std::vector<RowState>& state) {
    std::vector<std::pair<int64_t, std::optional<qc::StoredDecision>>> rows;
    for (const RowState& row : state) {
        session_.table()->setFlag(row.id, row.flag);
        session_.table()->setStars(row.id, row.stars);
        for (const FileState& file : row.files) {
            if (file.catalogId) rows.emplace_back(*file.catalogId, file.row);
            if (!file.sidecar.isEmpty() && !restoreSidecar(file.sidecar, file.sidecarBytes))
                Q_EMIT session_.problemsFound(
                    {{file.path,
                      QStringLiteral("XMP sidecar '%1' could not be restored").arg(file.sidecar)}});
        }
    }
    if (qc::Catalog* catalog = session_.catalog(); catalog && !rows.empty()) {
        try {
            catalog->restoreDecisions(rows);
        } catch (const std::exception& ex) {
            qWarning("catalog: %s", ex.what());
        }
    }
}

void DecisionCommand::redo() {
    if (done_) {
        restore(after_);
        return;
    }
    before_ = snapshot();
    session_.applyNow(decisions_);
    after_ = snapshot();
    done_ = true;
}

void DecisionCommand::undo() { restore(before_); }

}  // namespace qc::ui
