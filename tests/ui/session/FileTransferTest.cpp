// FileTransfer and ScoringSession::transferFlagged: images copied or moved into a folder with
// both sidecar conventions, nothing overwritten, moved rows and catalog entries following.
#include <QSignalSpy>
#include <QtTest>

#include "library/Catalog.h"
#include "ui/session/FileTransfer.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "UiTestSupport.h"

using namespace qc::ui;

namespace {

void writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

QByteArray readText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class FileTransferTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void moveKeepsBothSidecarsAndNeverOverwrites() {
        QTemporaryDir dir;
        const QStringList images = test::writeImages(dir, 2, 16);  // image_0000.png, image_0001.png
        const QString base0 = dir.filePath(QStringLiteral("image_0000"));
        writeText(base0 + ".xmp", "lightroom");
        writeText(base0 + ".png.xmp", "darktable");
        const QString out = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        writeText(out + "/image_0001.png", "already here");

        const TransferReport r = transferFiles(images, out, TransferMode::Move);
        QCOMPARE(int(r.done.size()), 1);
        QCOMPARE(r.done[0].second, out + "/image_0000.png");
        QVERIFY(!QFileInfo::exists(images[0]));
        QVERIFY(!QFileInfo::exists(base0 + ".xmp"));
        QVERIFY(!QFileInfo::exists(base0 + ".png.xmp"));
        QCOMPARE(readText(out + "/image_0000.xmp"), QByteArray("lightroom"));
        QCOMPARE(readText(out + "/image_0000.png.xmp"), QByteArray("darktable"));
        // The clash is skipped and reported; both files are as they were.
        QCOMPARE(int(r.skipped.size()), 1);
        QCOMPARE(r.skipped[0].path, images[1]);
        QVERIFY(r.skipped[0].reason.contains(QStringLiteral("already exists")));
        QVERIFY(QFileInfo::exists(images[1]));
        QCOMPARE(readText(out + "/image_0001.png"), QByteArray("already here"));
    }

    void aClashingSidecarBlocksTheImage() {
        QTemporaryDir dir;
        const QStringList images = test::writeImages(dir, 1, 16);
        writeText(dir.filePath(QStringLiteral("image_0000.xmp")), "mine");
        const QString out = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        writeText(out + "/image_0000.xmp", "theirs");
        const TransferReport r = transferFiles(images, out, TransferMode::Move);
        QVERIFY(r.done.empty());
        QCOMPARE(int(r.skipped.size()), 1);
        QVERIFY(QFileInfo::exists(images[0]));
        QVERIFY(!QFileInfo::exists(out + "/image_0000.png"));
        QCOMPARE(readText(out + "/image_0000.xmp"), QByteArray("theirs"));
    }

    void copyLeavesOriginals() {
        QTemporaryDir dir;
        const QStringList images = test::writeImages(dir, 1, 16);
        writeText(dir.filePath(QStringLiteral("image_0000.png.xmp")), "darktable");
        const QString out = dir.filePath(QStringLiteral("picks"));  // created
        const TransferReport r = transferFiles(images, out, TransferMode::Copy);
        QCOMPARE(int(r.done.size()), 1);
        QVERIFY(r.skipped.empty());
        QVERIFY(QFileInfo::exists(images[0]));
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("image_0000.png.xmp"))));
        QCOMPARE(readText(out + "/image_0000.png"), readText(images[0]));
        QCOMPARE(readText(out + "/image_0000.png.xmp"), QByteArray("darktable"));
    }

    void sessionMovesRejectsKeepingScoreAndDecisions() {
        QTemporaryDir dir;
        const QStringList images = test::writeImages(dir, 3, 16);
        const std::string dbPath = dir.filePath(QStringLiteral("catalog.sqlite")).toStdString();
        auto catalog = std::make_shared<qc::Catalog>(dbPath);
        qc::ImageResult result = test::fakeResult(0.42, std::vector<double>(7, 0.5), "native");
        result.path = images[1].toStdString();
        result.modelSha256 = "m";
        catalog->storeScore(catalog->resolve(result.path).id, result);

        ScoringSession session;
        session.setCatalog(catalog);
        const auto ids = session.addEntries(test::entriesFor(images));
        session.setFlag(ids[1], CullFlag::Reject);
        session.setStars(ids[1], 2);
        QSignalSpy problems(&session, &ScoringSession::problemsFound);

        const QString out = dir.filePath(QStringLiteral("rejects"));
        const TransferReport r = session.transferFlagged(CullFlag::Reject, out, TransferMode::Move);
        QCOMPARE(int(r.done.size()), 1);
        QCOMPARE(problems.count(), 0);
        const QString moved = out + "/image_0001.png";
        QCOMPARE(session.table()->entry(ids[1])->path, moved);
        QVERIFY(QFileInfo::exists(images[0]));
        QVERIFY(!QFileInfo::exists(images[1]));

        qc::Catalog other(dbPath);
        const qc::CatalogImage image = other.resolve(moved.toStdString());
        QCOMPARE(image.match, qc::CatalogMatch::Known);  // the session already told the catalog
        QCOMPARE(other.decision(image.id).flag, qc::CatalogFlag::Reject);
        QCOMPARE(other.decision(image.id).stars, 2);
        QVERIFY(other.score(image.id, "m", "native").has_value());
    }
};

QTEST_MAIN(FileTransferTest)
#include "FileTransferTest.moc"
