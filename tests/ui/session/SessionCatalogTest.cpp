// ScoringSession with a catalog: a re-opened folder shows its cached scores and decisions at once
// and queues nothing; flags and stars are in the catalog as soon as they are set.
#include <QSignalSpy>
#include <QtTest>

#include "library/Catalog.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "UiTestSupport.h"

using namespace qc::ui;

using test::entriesFor;

class SessionCatalogTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reopenedFolderUsesCachedScoresAndDecisions() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 6, 64);
        const std::string dbPath = QDir(dir.path()).filePath(QStringLiteral("catalog.sqlite")).toStdString();
        std::vector<double> firstScores;
        {
            ScoringSession session;
            session.setCatalog(std::make_shared<qc::Catalog>(dbPath));
            session.setPolicy(qc::ResizePolicy::native());
            session.setModel(test::smallModel(), QStringLiteral("small random model"));
            const auto ids = session.addEntries(entriesFor(paths));
            QTRY_VERIFY_WITH_TIMEOUT(!session.scoring(), 30000);
            QCOMPARE(int(session.table()->scores().size()), 6);
            firstScores = session.table()->scores();
            session.setFlag(ids[0], CullFlag::Pick);
            session.setStars(ids[1], 4);
            // Saved immediately: another connection sees them while the session is open.
            qc::Catalog other(dbPath);
            QCOMPARE(other.decision(other.resolve(paths[0].toStdString()).id).flag, qc::CatalogFlag::Pick);
            QCOMPARE(other.decision(other.resolve(paths[1].toStdString()).id).stars, 4);
        }
        ScoringSession session;
        session.setCatalog(std::make_shared<qc::Catalog>(dbPath));
        session.setPolicy(qc::ResizePolicy::native());
        session.setModel(test::smallModel(), QStringLiteral("small random model"));
        session.addEntries(entriesFor(paths));
        // At once, with no run: every score came from the catalog.
        QVERIFY(!session.scoring());
        QCOMPARE(session.table()->scores(), firstScores);
        QCOMPARE(session.table()->entryAt(0).flag, CullFlag::Pick);
        QCOMPARE(session.table()->entryAt(1).stars, 4);
    }
};

QTEST_MAIN(SessionCatalogTest)
#include "SessionCatalogTest.moc"
