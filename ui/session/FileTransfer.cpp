#include "ui/session/FileTransfer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "library/XmpSidecar.h"

namespace qc::ui {
namespace {

constexpr qc::SidecarNaming kNamings[] = {qc::SidecarNaming::ReplaceExtension, qc::SidecarNaming::AppendExtension};

QString sidecarOf(const QString& imagePath, qc::SidecarNaming naming) {
    return QString::fromStdString(qc::sidecarPath(imagePath.toStdString(), naming));
}

// One file to copy or move; false with *error saying why.
bool transferOne(const QString& from, const QString& to, TransferMode mode, QString* error) {
    QFile source(from);
    if (mode == TransferMode::Move && source.rename(to)) return true;
    // Copy, or a move to another file system (rename cannot): copy, then remove the original.
    if (!QFile::copy(from, to)) {
        *error = QStringLiteral("cannot copy '%1' to '%2': %3").arg(from, to, source.errorString());
        return false;
    }
    if (mode == TransferMode::Move && !QFile::remove(from)) {
        *error = QStringLiteral("copied to '%1' but cannot remove '%2'").arg(to, from);
        return false;
    }
    return true;
}

}  // namespace

QStringList existingSidecars(const QString& imagePath) {
    QStringList found;
    for (qc::SidecarNaming naming : kNamings) {
        const QString sidecar = sidecarOf(imagePath, naming);
        if (QFileInfo::exists(sidecar) && !found.contains(sidecar)) found << sidecar;
    }
    return found;
}

TransferReport transferFiles(const QStringList& imagePaths, const QString& folder, TransferMode mode) {
    TransferReport report;
    if (!QDir().mkpath(folder)) {
        for (const QString& path : imagePaths) report.skipped.push_back({path, QStringLiteral("cannot create '%1'").arg(folder)});
        return report;
    }
    const QDir target(folder);
    for (const QString& image : imagePaths) {
        if (!QFileInfo::exists(image)) {
            report.skipped.push_back({image, QStringLiteral("no such file")});
            continue;
        }
        const QString imageTo = target.absoluteFilePath(QFileInfo(image).fileName());
        if (QFileInfo(image).absoluteFilePath() == imageTo) {
            report.skipped.push_back({image, QStringLiteral("already in '%1'").arg(folder)});
            continue;
        }
        // Every file of the image and where it goes, checked before anything is touched.
        std::vector<std::pair<QString, QString>> files{{image, imageTo}};
        for (qc::SidecarNaming naming : kNamings) {
            const QString sidecar = sidecarOf(image, naming);
            if (QFileInfo::exists(sidecar)) files.emplace_back(sidecar, sidecarOf(imageTo, naming));
        }
        QString clash;
        for (const auto& [from, to] : files)
            if (QFileInfo::exists(to)) clash = to;
        if (!clash.isEmpty()) {
            report.skipped.push_back({image, QStringLiteral("'%1' already exists; not overwritten").arg(clash)});
            continue;
        }
        QString error;
        size_t transferred = 0;
        while (transferred < files.size() && transferOne(files[transferred].first, files[transferred].second, mode, &error))
            ++transferred;
        // The image itself went (even if a sidecar then failed): its new path must be known.
        if (transferred > 0) report.done.emplace_back(image, imageTo);
        if (transferred < files.size()) report.skipped.push_back({image, error});
    }
    return report;
}

}  // namespace qc::ui
