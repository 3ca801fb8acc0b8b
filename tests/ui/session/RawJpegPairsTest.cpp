// RAW+JPEG pairs in the window: one row (the RAW's name, "+JPG"), the JPEG scored by default,
// and every decision, sidecar, catalog entry and move reaching both files. Lone files stay single.
#include <QSignalSpy>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "PhotoFixtures.h"
#include "UiTestSupport.h"
#include "library/Catalog.h"
#include "library/XmpSidecar.h"
#include "ui/session/FolderScanner.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

namespace {

QString writeDng(const QTemporaryDir& dir, const QString& name) {
    qc::fixtures::DngSpec spec;
    spec.rgb = qc::fixtures::brightDarkScene(96, 64);
    const QString path = dir.filePath(name);
    qc::fixtures::writeDng(path.toStdString(), spec);
    return path;
}

QString writeJpeg(const QTemporaryDir& dir, const QString& name) {
    const QString path = dir.filePath(name);
    cv::imwrite(path.toStdString(), cv::Mat(64, 96, CV_8UC3, cv::Scalar(40, 120, 200)));
    return path;
}

}  // namespace

class RawJpegPairsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scanMakesOneRowPerPhoto() {
        QTemporaryDir dir;
        const QString raw1 = writeDng(dir, QStringLiteral("IMG_0001.dng"));
        const QString jpg1 = writeJpeg(dir, QStringLiteral("IMG_0001.jpg"));
        const QString jpg2 = writeJpeg(dir, QStringLiteral("IMG_0002.jpg"));
        const QString raw3 = writeDng(dir, QStringLiteral("IMG_0003.dng"));
        const ScannedImages scanned = scanImages({dir.path()}, false);
        QCOMPARE(int(scanned.entries.size()), 3);
        QCOMPARE(scanned.entries[0].path, raw1);
        QCOMPARE(scanned.entries[0].companionPath, jpg1);
        QCOMPARE(scanned.entries[0].width, 96);  // the RAW's header, from LibRaw
        QCOMPARE(scanned.entries[1].path, jpg2);
        QVERIFY(!scanned.entries[1].isPair());
        QCOMPARE(scanned.entries[2].path, raw3);
        QVERIFY(!scanned.entries[2].isPair());

        ScoringSession session;
        const auto ids = session.addEntries(scanned.entries);
        const ScoreTableModel* table = session.table();
        QCOMPARE(
            table->data(table->index(0, ScoreTableModel::FileColumn), Qt::DisplayRole).toString(),
            QStringLiteral("IMG_0001.dng  +JPG"));
        QCOMPARE(
            table->data(table->index(1, ScoreTableModel::FileColumn), Qt::DisplayRole).toString(),
            QStringLiteral("IMG_0002.jpg"));
        QCOMPARE(session.scoringPath(*table->entry(ids[0])), jpg1);  // the JPEG by default
        session.setPairScoring(qc::PairScoring::Raw);
        QCOMPARE(session.scoringPath(*table->entry(ids[0])), raw1);
        QCOMPARE(session.scoringPath(*table->entry(ids[2])), raw3);
    }

    void decisionsAndSidecarsReachBothFiles() {
        QTemporaryDir dir;
        const QString raw = writeDng(dir, QStringLiteral("IMG_0001.CR2"));
        const QString jpg = writeJpeg(dir, QStringLiteral("IMG_0001.JPG"));
        const std::string dbPath = dir.filePath(QStringLiteral("catalog.sqlite")).toStdString();
        auto catalog = std::make_shared<qc::Catalog>(dbPath);
        ScoringSession session;
        session.setCatalog(catalog);
        session.setSidecarWriting(qc::SidecarNaming::AppendExtension);
        const ImageId id = session.addEntries(scanImages({dir.path()}, false).entries).at(0);
        QVERIFY(session.table()->entry(id)->isPair());
        session.setStars(id, 4);
        for (const QString& file : {raw, jpg}) {
            const auto sidecar =
                qc::readSidecar(file.toStdString(), qc::SidecarNaming::AppendExtension);
            QVERIFY2(sidecar.has_value(), qPrintable(file));
            QCOMPARE(sidecar->rating.value_or(-99), 4);
            qc::Catalog other(dbPath);
            QCOMPARE(other.decision(other.resolve(file.toStdString()).id).stars, 4);
        }
    }

    void moveTakesTheJpegAlong() {
        QTemporaryDir dir;
        const QString raw = writeDng(dir, QStringLiteral("IMG_0001.NEF"));
        const QString jpg = writeJpeg(dir, QStringLiteral("IMG_0001.jpg"));
        const QString lone = writeJpeg(dir, QStringLiteral("IMG_0002.jpg"));
        ScoringSession session;
        const auto ids = session.addEntries(scanImages({dir.path()}, false).entries);
        QCOMPARE(int(ids.size()), 2);
        session.setFlag(ids[0], CullFlag::Reject);
        const QString out = dir.filePath(QStringLiteral("rejects"));
        const TransferReport r = session.transferFlagged(CullFlag::Reject, out, TransferMode::Move);
        QCOMPARE(int(r.done.size()), 2);
        QVERIFY(!QFileInfo::exists(raw));
        QVERIFY(!QFileInfo::exists(jpg));
        QVERIFY(QFileInfo::exists(lone));
        const ImageEntry* moved = session.table()->entry(ids[0]);
        QCOMPARE(moved->path, out + QStringLiteral("/IMG_0001.NEF"));
        QCOMPARE(moved->companionPath, out + QStringLiteral("/IMG_0001.jpg"));
        QVERIFY(QFileInfo::exists(moved->path));
        QVERIFY(QFileInfo::exists(moved->companionPath));
    }
};

QTEST_MAIN(RawJpegPairsTest)
#include "RawJpegPairsTest.moc"
