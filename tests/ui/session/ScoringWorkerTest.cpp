// ScoringWorker and ScoringSession with a small random-weight model on generated PNGs: cancel
// stops a long run within one image, results for removed rows are dropped safely, and a policy
// change never mixes scores of two policies.
#include <QSignalSpy>
#include <QtTest>

#include <atomic>

#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "ui/session/ScoringWorker.h"
#include "UiTestSupport.h"

using namespace qc::ui;

using test::entriesFor;

class ScoringWorkerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cancelStopsWithinOneImage() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 60, 384);
        ScoringWorker worker;
        worker.setEngine(test::smallModel(), qc::ScoringOptions{});
        // Counted on the worker's thread, as results are made, not when the GUI sees them.
        std::atomic<int> made{0};
        connect(&worker, &ScoringWorker::imageScored, this, [&made] { ++made; }, Qt::DirectConnection);
        QSignalSpy finished(&worker, &ScoringWorker::finished);
        std::vector<ScoringJob> jobs;
        for (int i = 0; i < paths.size(); ++i) jobs.push_back({ImageId(i + 1), paths[i]});
        worker.enqueue(jobs);

        QTRY_VERIFY_WITH_TIMEOUT(made.load() >= 2, 20000);
        const int dropped = worker.cancel();
        const int atCancel = made.load();
        QVERIFY(dropped > 0);
        // finished() comes after the engine has returned: no result is made after it.
        QVERIFY(finished.wait(10000));
        // At most the image that was in the network when cancel came.
        QVERIFY2(made.load() - atCancel <= 1, qPrintable(QStringLiteral("%1 results after cancel").arg(made.load() - atCancel)));
        QVERIFY(made.load() < paths.size());
    }

    void destructorCancelsAndJoins() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 60, 384);
        std::atomic<int> made{0};
        {
            ScoringWorker worker;
            worker.setEngine(test::smallModel(), qc::ScoringOptions{});
            connect(&worker, &ScoringWorker::imageScored, this, [&made] { ++made; }, Qt::DirectConnection);
            std::vector<ScoringJob> jobs;
            for (int i = 0; i < paths.size(); ++i) jobs.push_back({ImageId(i + 1), paths[i]});
            worker.enqueue(jobs);
            QTRY_VERIFY_WITH_TIMEOUT(made.load() >= 1, 20000);  // busy with the queue
        }
        // The destructor returned (joined) with most of the queue never scored.
        const int atDestruction = made.load();
        QVERIFY2(atDestruction < paths.size() / 2,
                 qPrintable(QStringLiteral("%1 of %2 images were scored: the destructor waited for the queue")
                                .arg(atDestruction).arg(paths.size())));
        QCOMPARE(made.load(), atDestruction);  // and nothing runs after it
    }

    void resultsForRemovedRowsAreDropped() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 24, 128);
        ScoringSession session;
        session.setModel(test::smallModel(), QStringLiteral("small random model"));
        const auto ids = session.addEntries(entriesFor(paths));
        QSignalSpy finished(&session, &ScoringSession::scoringFinished);
        // Remove every other row while the worker is busy with them.
        std::vector<ImageId> removed;
        for (size_t i = 0; i < ids.size(); i += 2) removed.push_back(ids[i]);
        session.remove(removed);
        QVERIFY(finished.wait(30000));
        const ScoreTableModel* table = session.table();
        QCOMPARE(table->count(), 12);
        for (ImageId id : removed) QVERIFY(table->entry(id) == nullptr);
        for (int row = 0; row < table->count(); ++row) {
            QVERIFY(table->entryAt(row).hasScore());
            QCOMPARE(table->entryAt(row).pairProbabilities.size(), size_t(7));
        }
    }

    void policyChangeRescoresWithoutMixing() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 16, 256);
        ScoringSession session;
        session.setPolicy(qc::ResizePolicy::native());
        session.setModel(test::smallModel(), QStringLiteral("small random model"));
        session.addEntries(entriesFor(paths));
        QSignalSpy finished(&session, &ScoringSession::scoringFinished);
        QTRY_VERIFY_WITH_TIMEOUT(!session.table()->scores().empty(), 20000);
        session.setPolicy(qc::ResizePolicy::longSide(64));
        // Right after the change no old score is left in the column.
        QVERIFY(session.table()->scores().empty());
        QTRY_VERIFY_WITH_TIMEOUT(!session.scoring(), 30000);
        for (int row = 0; row < session.table()->count(); ++row) {
            QVERIFY(session.table()->entryAt(row).hasScore());
            QCOMPARE(session.table()->entryAt(row).policy, QStringLiteral("long:64"));
        }
    }
};

QTEST_MAIN(ScoringWorkerTest)
#include "ScoringWorkerTest.moc"
