// Helpers shared by the ui tests: a small random-weight model (fast, and never the real
// weights), generated images in a temporary folder, and results made by hand.
#pragma once

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

#include "ui/session/ImageEntry.h"
#include "engine/QualiClipModel.h"
#include "engine/RandomCheckpoint.h"
#include "engine/ScoringEngine.h"

// The oracle's files (../shared/oracle) are the project's test data: a test that needs one skips,
// saying why, on a machine without them, but fails under CI, where a skip would hide a broken setup.
#define QCI_UI_REQUIRE_ORACLE_FILE(path)                                                          \
    do {                                                                                          \
        if (!QFileInfo::exists(path)) {                                                           \
            if (qEnvironmentVariableIsSet("CI")) QFAIL(qPrintable("oracle file missing under CI: " + QString(path))); \
            QSKIP("conformance oracle not found (set -DQCI_ORACLE_DIR=...)");                     \
        }                                                                                         \
    } while (0)

namespace qc::ui::test {

// CLIP's modified ResNet at width 8 with one block per stage and the 7 official pairs.
inline qc::ModelSpec smallSpec() { return qc::smallModelSpec(7); }

inline std::shared_ptr<const qc::QualiClipModel> smallModel() {
    static auto model = qc::QualiClipModel::fromCheckpoint(qc::makeRandomCheckpoint(smallSpec(), 5));
    return model;
}

// Writes `count` PNGs of side x side pixels, each a different pattern; returns their paths.
inline QStringList writeImages(const QTemporaryDir& dir, int count, int side) {
    QStringList paths;
    for (int i = 0; i < count; ++i) {
        QImage image(side, side, QImage::Format_RGB888);
        image.fill(QColor::fromHsv((i * 37) % 360, 120, 200));
        QPainter painter(&image);
        painter.setBrush(QColor::fromHsv((i * 91) % 360, 200, 120));
        painter.drawEllipse(QPoint(side / 2, side / 2), side / (3 + i % 4), side / 4);
        painter.end();
        const QString path = QDir(dir.path()).filePath(QStringLiteral("image_%1.png").arg(i, 4, 10, QLatin1Char('0')));
        image.save(path);
        paths << path;
    }
    return paths;
}

// Table entries for files, as the folder scanner makes them (path and file name).
inline std::vector<ImageEntry> entriesFor(const QStringList& paths) {
    std::vector<ImageEntry> entries;
    for (const QString& p : paths) {
        ImageEntry e;
        e.path = p;
        e.fileName = QFileInfo(p).fileName();
        entries.push_back(e);
    }
    return entries;
}

inline qc::ImageResult fakeResult(double score, std::vector<double> pairs, const std::string& policy = "long:1024") {
    qc::ImageResult r;
    r.score = score;
    r.pairProbabilities = std::move(pairs);
    r.resize = policy;
    return r;
}

}  // namespace qc::ui::test
