// The inspector with a catalog that refuses writes (issue #19): locked by a real second process
// (qci-catalog-lock-holder), on a full disk (this process's file size limit) and in a read-only
// folder. The window reports the problem once,
// keeps working (marks land in the table), shows how many decisions are not saved instead of
// pretending they are, and stores them once the catalog is free again.
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ReadOnlyFolder.h"
#include "UiTestSupport.h"
#include "library/Catalog.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/inspector/ProblemsDock.h"
#include "ui/session/CatalogWriteGuard.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// What another reader finds in the catalog (read-only: a writer would wait for the lock).
qc::CatalogDecision storedDecision(const std::string& catalog, const QString& image) {
    qc::Catalog check(catalog, qc::Catalog::Access::ReadOnly);
    const std::string path = image.toStdString();
    const auto id = check.findUnchanged(path, *qc::statFile(path));
    return id ? check.decision(*id) : qc::CatalogDecision{};
}

QString problemsText(const QSignalSpy& spy) {
    QString text;
    for (const QList<QVariant>& call : spy)
        for (const OpenProblem& p : call.at(0).value<std::vector<OpenProblem>>())
            text += p.path + ": " + p.reason + "\n";
    return text;
}

// A full disk for this process while it lives: writes that reach past the first byte of any file
// fail with EFBIG (SIGXFSZ ignored). Only the soft limit is lowered, so it can be raised again.
class FullDisk {
public:
    FullDisk() {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        previous_ = std::signal(SIGXFSZ, SIG_IGN);
        const rlimit full{1, saved_.rlim_max};
        ::setrlimit(RLIMIT_FSIZE, &full);
    }
    ~FullDisk() { makeRoom(); }
    void makeRoom() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previous_);
    }

private:
    rlimit saved_{};
    void (*previous_)(int) = SIG_DFL;
};

}  // namespace

class InspectorCatalogFaultTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<std::vector<OpenProblem>>(); }

    void lockedCatalogKeepsDecisionsUnsavedUntilItIsFree() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 4, 64);
        const std::string catalog =
            QDir(dir.path()).filePath(QStringLiteral("catalog.sqlite")).toStdString();
        { qc::Catalog create(catalog); }

        InspectorWindow window;
        window.show();
        ScoringSession* session = window.session();
        session->openCatalog(catalog);
        QVERIFY(session->catalog() && !session->catalog()->readOnly());
        const auto ids = session->addEntries(test::entriesFor(paths));
        auto* status = window.findChild<QLabel*>(QStringLiteral("catalogStatusLabel"));
        QVERIFY(status);
        QVERIFY(status->isHidden());
        QSignalSpy problems(session, &ScoringSession::problemsFound);

        QProcess holder;  // another program holding the catalog's write lock
        holder.start(QStringLiteral(QCI_BIN_DIR "/qci-catalog-lock-holder"),
                     {QString::fromStdString(catalog)});
        QVERIFY2(holder.waitForReadyRead(30000), holder.readAllStandardError().constData());
        QCOMPARE(holder.readLine().trimmed(), QByteArray("locked"));

        session->setFlag(ids[0], CullFlag::Pick);  // waits SQLite's busy timeout, then fails
        session->setStars(ids[1], 3);              // the catalog is resting: not tried again
        session->setFlag(ids[2], CullFlag::Reject);
        // The window kept working: every mark is in the table.
        QCOMPARE(session->table()->entry(ids[0])->flag, CullFlag::Pick);
        QCOMPARE(session->table()->entry(ids[1])->stars, 3);
        QCOMPARE(session->table()->entry(ids[2])->flag, CullFlag::Reject);
        // Not one of them is claimed as stored, and the problem was reported once.
        CatalogWriteGuard* guard = session->catalogGuard();
        QCOMPARE(guard->unsavedDecisions(), 3);
        QVERIFY(guard->isUnsaved(ids[0]) && guard->isUnsaved(ids[1]) && guard->isUnsaved(ids[2]));
        QCOMPARE(problems.count(), 1);
        const QString reported = problemsText(problems);
        QVERIFY2(reported.contains(QString::fromStdString(catalog)), qPrintable(reported));
        QVERIFY2(reported.contains(QStringLiteral("database is locked")), qPrintable(reported));
        QCOMPARE(window.findChild<ProblemsDock*>()->count(), 1);
        QVERIFY(!status->isHidden());
        QCOMPARE(status->text(), QStringLiteral("⚠ 3 decisions not saved in the catalog"));
        QVERIFY(status->toolTip().contains(QStringLiteral("database is locked")));
        QCOMPARE(storedDecision(catalog, paths[0]).flag, qc::CatalogFlag::None);

        holder.closeWriteChannel();  // the other program lets go
        QVERIFY(holder.waitForFinished(30000));
        guard->retryUnsaved();
        QCOMPARE(guard->unsavedDecisions(), 0);
        QVERIFY(guard->problem().isEmpty());
        QVERIFY(status->isHidden());
        QCOMPARE(storedDecision(catalog, paths[0]).flag, qc::CatalogFlag::Pick);
        QCOMPARE(storedDecision(catalog, paths[1]).stars, 3);
        QCOMPARE(storedDecision(catalog, paths[2]).flag, qc::CatalogFlag::Reject);
        // And the next mark is stored at once again.
        session->setStars(ids[3], 5);
        QCOMPARE(guard->unsavedDecisions(), 0);
        QCOMPARE(storedDecision(catalog, paths[3]).stars, 5);
        QCOMPARE(problems.count(), 1);
    }

    void fullDiskKeepsDecisionsUnsavedUntilThereIsRoom() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 3, 64);
        const std::string catalog =
            QDir(dir.path()).filePath(QStringLiteral("catalog.sqlite")).toStdString();
        InspectorWindow window;
        window.show();
        ScoringSession* session = window.session();
        session->openCatalog(catalog);
        QVERIFY(session->catalog() && !session->catalog()->readOnly());
        const auto ids = session->addEntries(test::entriesFor(paths));
        QSignalSpy problems(session, &ScoringSession::problemsFound);
        CatalogWriteGuard* guard = session->catalogGuard();

        FullDisk disk;
        session->setFlag(ids[0], CullFlag::Reject);
        session->setStars(ids[1], 2);
        QCOMPARE(session->table()->entry(ids[0])->flag, CullFlag::Reject);
        QCOMPARE(session->table()->entry(ids[1])->stars, 2);
        QCOMPARE(guard->unsavedDecisions(), 2);
        QCOMPARE(problems.count(), 1);
        const QString reported = problemsText(problems);
        QVERIFY2(reported.contains(QString::fromStdString(catalog)), qPrintable(reported));
        // The system's reason is passed on: EFBIG here; a real full disk says "No space left".
        QVERIFY2(reported.contains(QStringLiteral("(File too large)")), qPrintable(reported));
        auto* status = window.findChild<QLabel*>(QStringLiteral("catalogStatusLabel"));
        QVERIFY(status && !status->isHidden());
        QCOMPARE(status->text(), QStringLiteral("⚠ 2 decisions not saved in the catalog"));

        disk.makeRoom();
        guard->retryUnsaved();
        QCOMPARE(guard->unsavedDecisions(), 0);
        QVERIFY(status->isHidden());
        QCOMPARE(storedDecision(catalog, paths[0]).flag, qc::CatalogFlag::Reject);
        QCOMPARE(storedDecision(catalog, paths[1]).stars, 2);
        QCOMPARE(storedDecision(catalog, paths[2]).flag, qc::CatalogFlag::None);
    }

    void readOnlyCatalogFolderIsShownReadOnly() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 3, 64);
        const QString folder = QDir(dir.path()).filePath(QStringLiteral("catalogs"));
        QVERIFY(QDir().mkpath(folder));
        const std::string catalog =
            QDir(folder).filePath(QStringLiteral("catalog.sqlite")).toStdString();
        {
            qc::Catalog create(catalog);
            create.setDecision(create.resolve(paths[0].toStdString()).id,
                               {qc::CatalogFlag::Pick, 4, "", ""});
        }
        const std::string before = readFile(catalog);
        qc::test::ReadOnlyFolder readOnly(folder.toStdString());
        if (!readOnly.ok()) QSKIP(readOnly.why().c_str());

        InspectorWindow window;
        window.show();
        ScoringSession* session = window.session();
        QSignalSpy problems(session, &ScoringSession::problemsFound);
        session->openCatalog(catalog);
        QVERIFY(session->catalog());
        QVERIFY(session->catalog()->readOnly());
        QCOMPARE(problems.count(), 1);
        const QString reported = problemsText(problems);
        QVERIFY2(reported.contains(QStringLiteral("the folder '%1' is read-only").arg(folder)),
                 qPrintable(reported));
        QVERIFY2(reported.contains(QStringLiteral("opened read-only")), qPrintable(reported));
        auto* status = window.findChild<QLabel*>(QStringLiteral("catalogStatusLabel"));
        QVERIFY(status && !status->isHidden());
        QCOMPARE(status->text(), QStringLiteral("⚠ Catalog read-only"));

        // What the catalog holds is shown; a new mark works in the window and is counted unsaved.
        const auto ids = session->addEntries(test::entriesFor(paths));
        QCOMPARE(session->table()->entry(ids[0])->flag, CullFlag::Pick);
        QCOMPARE(session->table()->entry(ids[0])->stars, 4);
        session->setFlag(ids[1], CullFlag::Reject);
        QCOMPARE(session->table()->entry(ids[1])->flag, CullFlag::Reject);
        QCOMPARE(session->catalogGuard()->unsavedDecisions(), 1);
        QCOMPARE(status->text(), QStringLiteral("⚠ 1 decision not saved in the catalog"));
        QCOMPARE(problems.count(), 1);
        QCOMPARE(readFile(catalog), before);
        QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 1);  // no -wal, no -shm
    }
};

QTEST_MAIN(InspectorCatalogFaultTest)
#include "InspectorCatalogFaultTest.moc"
