// FileTransfer: copies or moves image files into a folder, each with its XMP sidecars (both
// naming conventions, IMG_1.xmp and IMG_1.CR2.xmp, see core's library/XmpSidecar.h), for "copy the
// picks" and "move the rejects". It never overwrites: an image whose file or a sidecar already
// exists in the folder is skipped and reported, and nothing of it is copied or moved. Moving
// removes the originals; asking the user first is the caller's job (the window asks).
//
// Usage:
//   TransferReport r = transferFiles({"/shoot/IMG_1.CR2"}, "/shoot/rejects", TransferMode::Move);
//   for (const auto& [from, to] : r.moved) table->setPath(id, to);
//   for (const OpenProblem& p : r.skipped) problems->add({p});
//
// Plain file I/O without dialogs; any thread.
#pragma once

#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

#include "ui/session/FolderScanner.h"

namespace qc::ui {

enum class TransferMode { Copy, Move };

struct TransferReport {
    std::vector<std::pair<QString, QString>> done;  // image path -> its path in the folder
    std::vector<OpenProblem> skipped;               // each with the reason
};

// The sidecars of an image that exist, by either convention (none, one or two).
QStringList existingSidecars(const QString& imagePath);

TransferReport transferFiles(const QStringList& imagePaths, const QString& folder, TransferMode mode);

}  // namespace qc::ui
