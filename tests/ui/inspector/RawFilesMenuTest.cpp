// Scoring ▸ RAW Files (issue #12): the RAW source and which file of a RAW+JPEG pair is scored are
// offered, remembered and handed to the session; the window's default policy is the one
// docs/benchmarks.md justifies.
#include <QMenu>
#include <QMenuBar>
#include <QtTest>

#include "ui/inspector/InspectorSettings.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

namespace {

QMenu* rawMenu(InspectorWindow& window) {
    for (QAction* top : window.menuBar()->actions())
        if (top->menu())
            for (QAction* item : top->menu()->actions())
                if (item->menu() && item->text().remove('&') == QStringLiteral("RAW Files"))
                    return item->menu();
    return nullptr;
}

QAction* entry(QMenu* menu, const QString& text) {
    for (QAction* a : menu->actions())
        if (a->text().remove('&') == text) return a;
    return nullptr;
}

}  // namespace

class RawFilesMenuTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void choicesAreRememberedAndReachTheSession() {
        InspectorSettings().setRawMode(qc::RawMode::Auto);
        InspectorSettings().setPairScoring(qc::PairScoring::Jpeg);
        {
            InspectorWindow window;
            QMenu* menu = rawMenu(window);
            QVERIFY(menu);
            QAction* automatic = entry(menu, QStringLiteral("Automatic"));
            QAction* full = entry(menu, QStringLiteral("Full Demosaic"));
            QAction* pairRaw = entry(menu, QStringLiteral("RAW+JPEG Pairs: Score the RAW"));
            QVERIFY(automatic && full && pairRaw);
            QVERIFY(automatic->isChecked());
            full->trigger();
            pairRaw->trigger();
            QCOMPARE(window.session()->rawMode(), qc::RawMode::Full);
            QCOMPARE(window.session()->pairScoring(), qc::PairScoring::Raw);
        }
        QCOMPARE(InspectorSettings().rawMode(), qc::RawMode::Full);
        QCOMPARE(InspectorSettings().pairScoring(), qc::PairScoring::Raw);
        InspectorWindow again;  // a new window starts with the remembered choices
        QCOMPARE(again.session()->rawMode(), qc::RawMode::Full);
        QVERIFY(entry(rawMenu(again), QStringLiteral("Full Demosaic"))->isChecked());
        InspectorSettings().setRawMode(qc::RawMode::Auto);
        InspectorSettings().setPairScoring(qc::PairScoring::Jpeg);
    }

    void defaultPolicyIsTheMeasuredOne() {
        QTemporaryDir dir;
        const InspectorSettings fresh(std::make_unique<QSettings>(
            dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat));
        QCOMPARE(QString::fromStdString(fresh.resizePolicy().toString()),
                 QStringLiteral("long:1024/fast"));
        QCOMPARE(fresh.rawMode(), qc::RawMode::Auto);
        QCOMPARE(fresh.pairScoring(), qc::PairScoring::Jpeg);
    }
};

QTEST_MAIN(RawFilesMenuTest)
#include "RawFilesMenuTest.moc"
