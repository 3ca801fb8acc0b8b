// DecisionCommand: one step of the window's undo history (Ctrl+Z / Ctrl+Shift+Z): a culling
// decision on one photo or a bulk rule on many. Undo puts back exactly what was there before:
// the rows' flags and stars, the catalog's decision rows as stored (their time included, or
// their absence), and each XMP sidecar's bytes (or its absence: a sidecar the decision created
// is deleted). Redo puts back what the decision left, byte for byte, rather than deciding again.
// A RAW+JPEG pair row reaches both files' rows and sidecars, as the decision itself did. The
// catalog's record of a file (its images row, made when the file was first scored or decided)
// is not a decision and stays.
//
// Made by ScoringSession::applyDecisions, which pushes it on the session's QUndoStack; the
// stack runs the first redo(), which snapshots, applies and snapshots again.
//
// GUI thread only.
#pragma once

#include <QByteArray>
#include <QString>
#include <QUndoCommand>

#include <optional>
#include <vector>

#include "library/Catalog.h"
#include "ui/session/ImageEntry.h"

namespace qc::ui {

class ScoringSession;

// The flag and stars a row should get.
struct RowDecision {
    ImageId id = 0;
    CullFlag flag = CullFlag::None;
    int stars = 0;
};

class DecisionCommand : public QUndoCommand {
public:
    DecisionCommand(ScoringSession& session, std::vector<RowDecision> decisions,
                    const QString& text);

    void redo() override;
    void undo() override;

private:
    // What one decision touches, as it was at one moment.
    struct FileState {
        QString path;
        std::optional<int64_t> catalogId;       // nullopt: no catalog, or the file is unknown to it
        std::optional<qc::StoredDecision> row;  // the catalog's decision row
        QString sidecar;                        // "" when sidecars are not written
        std::optional<QByteArray> sidecarBytes;  // nullopt: no sidecar file
    };
    struct RowState {
        ImageId id = 0;
        CullFlag flag = CullFlag::None;
        int stars = 0;
        std::vector<FileState> files;
    };

    std::vector<RowState> snapshot() const;
    void restore(const std::vector<RowState>& state);

    ScoringSession& session_;
    std::vector<RowDecision> decisions_;
    std::vector<RowState> before_, after_;
    bool done_ = false;  // the first redo() ran
};

}  // namespace qc::ui
