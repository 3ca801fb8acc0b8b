// Undo/redo of culling decisions (DecisionCommand): a bulk rule applied and undone leaves the
// catalog's rows and the XMP sidecars byte-identical to before (sidecars it created are gone,
// ones it changed have their old bytes, a hand-written one included); redo brings back exactly
// what the rule left; a RAW+JPEG pair row's two files follow; single decisions are steps too.
#include <QFile>
#include <QUndoStack>
#include <QtTest>

#include <sqlite3.h>

#include <memory>

#include "UiTestSupport.h"
#include "library/Catalog.h"
#include "library/XmpSidecar.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

namespace {

// Every row of the catalog's tables, each value with its type and exact bytes, in key order.
QByteArray catalogDump(const QString& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return "<no db>";
    QByteArray dump;
    for (const char* table : {"images", "scores", "decisions", "capture_times", "bursts"}) {
        sqlite3_stmt* stmt = nullptr;
        const QByteArray sql = QByteArray("SELECT * FROM ") + table + " ORDER BY 1";
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            dump += QByteArray("<no table ") + table + ">";
            continue;
        }
        dump += QByteArray("[") + table + "]\n";
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                dump += QByteArray::number(sqlite3_column_type(stmt, c)) + ":";
                const void* bytes = sqlite3_column_blob(stmt, c);
                dump += QByteArray(static_cast<const char*>(bytes), sqlite3_column_bytes(stmt, c))
                            .toHex() +
                        " ";
            }
            dump += "\n";
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return dump;
}

// Each sidecar's bytes, or "<absent>".
QByteArray sidecarsDump(const QStringList& images) {
    QByteArray dump;
    for (const QString& image : images) {
        const QString sidecar = QString::fromStdString(
            qc::sidecarPath(image.toStdString(), qc::SidecarNaming::ReplaceExtension));
        QFile file(sidecar);
        dump += sidecar.toUtf8() + "=" +
                (file.open(QIODevice::ReadOnly) ? file.readAll().toHex() : QByteArray("<absent>")) +
                "\n";
    }
    return dump;
}

const char* const kHandWrittenSidecar =
    "<?xml version=\"1.0\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
    "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:Rating=\"2\" "
    "xmp:Label=\"Blue\"/></rdf:RDF></x:xmpmeta>\n";

}  // namespace

class DecisionUndoTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bulkRuleUndoneLeavesCatalogAndSidecarsByteIdentical() {
        QTemporaryDir dir;
        QStringList images = test::writeImages(dir, 6, 16);
        // images[4] and [5] are one RAW+JPEG photo: [4] stands for the RAW, [5] its JPEG.
        const QString catalogPath = dir.filePath(QStringLiteral("catalog.sqlite"));
        auto catalog = std::make_shared<qc::Catalog>(catalogPath.toStdString());
        // The catalog knows every file, as it does once the window has scored them (the images
        // row is the catalog's record of the file, not a decision: undo keeps it).
        for (const QString& image : images) catalog->resolve(image.toStdString());
        ScoringSession session;
        session.setCatalog(catalog);
        session.setSidecarWriting(qc::SidecarNaming::ReplaceExtension);
        std::vector<ImageEntry> entries;
        for (int i = 0; i < 5; ++i) {
            ImageEntry e;
            e.path = images[i];
            e.fileName = QFileInfo(images[i]).fileName();
            if (i == 4) e.companionPath = images[5];
            entries.push_back(e);
        }
        const std::vector<ImageId> ids = session.addEntries(entries);

        // Before the rule: image 0 picked with 3 stars through the session (catalog row and
        // sidecar), image 1 with a hand-written sidecar and no catalog row, the rest untouched.
        session.setFlag(ids[0], CullFlag::Pick);
        session.setStars(ids[0], 3);
        {
            QFile hand(QString::fromStdString(
                qc::sidecarPath(images[1].toStdString(), qc::SidecarNaming::ReplaceExtension)));
            QVERIFY(hand.open(QIODevice::WriteOnly));
            hand.write(kHandWrittenSidecar);
        }
        QCOMPARE(session.undoStack()->count(), 2);
        const QByteArray catalogBefore = catalogDump(catalogPath);
        const QByteArray sidecarsBefore = sidecarsDump(images);
        QVERIFY(catalogBefore.contains("[decisions]"));

        session.setFlags(ids, CullFlag::Reject, QStringLiteral("Reject all"));
        QCOMPARE(session.undoStack()->count(), 3);  // one step for the whole rule
        for (ImageId id : ids) QCOMPARE(session.table()->entry(id)->flag, CullFlag::Reject);
        QCOMPARE(qc::readSidecar(images[5].toStdString(), qc::SidecarNaming::ReplaceExtension)
                     ->rating.value_or(0),
                 -1);
        QCOMPARE(qc::readSidecar(images[1].toStdString(), qc::SidecarNaming::ReplaceExtension)
                     ->label.value_or(""),
                 std::string("Blue"));  // merged into the hand-written one
        const QByteArray catalogAfter = catalogDump(catalogPath);
        const QByteArray sidecarsAfter = sidecarsDump(images);
        QVERIFY(catalogAfter != catalogBefore);
        QVERIFY(sidecarsAfter != sidecarsBefore);

        session.undoStack()->undo();
        QCOMPARE(catalogDump(catalogPath), catalogBefore);
        QCOMPARE(sidecarsDump(images), sidecarsBefore);
        QCOMPARE(session.table()->entry(ids[0])->flag, CullFlag::Pick);
        QCOMPARE(session.table()->entry(ids[0])->stars, 3);
        QCOMPARE(session.table()->entry(ids[2])->flag, CullFlag::None);

        session.undoStack()->redo();
        QCOMPARE(catalogDump(catalogPath), catalogAfter);
        QCOMPARE(sidecarsDump(images), sidecarsAfter);

        // All the way back: no decision rows, only the hand-written sidecar.
        session.undoStack()->setIndex(0);
        QVERIFY(!catalog->storedDecision(catalog->resolve(images[0].toStdString()).id));
        QVERIFY(!QFile::exists(QString::fromStdString(
            qc::sidecarPath(images[0].toStdString(), qc::SidecarNaming::ReplaceExtension))));
        QFile hand(QString::fromStdString(
            qc::sidecarPath(images[1].toStdString(), qc::SidecarNaming::ReplaceExtension)));
        QVERIFY(hand.open(QIODevice::ReadOnly));
        QCOMPARE(hand.readAll(), QByteArray(kHandWrittenSidecar));
    }

    void unchangedRowsMakeNoStep() {
        QTemporaryDir dir;
        const QStringList images = test::writeImages(dir, 2, 16);
        ScoringSession session;
        std::vector<ImageEntry> entries(2);
        entries[0].path = images[0];
        entries[1].path = images[1];
        const auto ids = session.addEntries(entries);
        session.setFlags(ids, CullFlag::None, QStringLiteral("Unflag"));
        QCOMPARE(session.undoStack()->count(), 0);
        session.setFlag(ids[1], CullFlag::Pick);
        session.setFlags(ids, CullFlag::Pick, QStringLiteral("Pick all"));  // only ids[0] changes
        QCOMPARE(session.undoStack()->count(), 2);
        session.undoStack()->undo();
        QCOMPARE(session.table()->entry(ids[0])->flag, CullFlag::None);
        QCOMPARE(session.table()->entry(ids[1])->flag, CullFlag::Pick);
    }
};

QTEST_MAIN(DecisionUndoTest)
#include "DecisionUndoTest.moc"
