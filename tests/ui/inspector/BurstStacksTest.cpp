// Bursts in the window: the Bursts and Rules dialog's live group count and rule preview, the
// rule applied as one undo step, stacks collapsed to their best frame in the table and grid
// (expanded by a key or a double click), and Compare Burst showing every frame. The photos are
// a generated shoot with EXIF capture times (tests/fixtures/ShootFixtures.h); scores and
// embeddings are given (scene-wise embeddings, the second frame of each burst scored best).
//
// With QCI_SCREENSHOT_DIR set it also saves the stacks in the table and the grid at 1400x900 and
// 1024x700 there (docs/screenshots/).
#include <QAbstractItemView>
#include <QListView>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

#include <map>

#include "ShootFixtures.h"
#include "UiTestSupport.h"
#include "ui/inspector/BurstActions.h"
#include "ui/inspector/CompareView.h"
#include "ui/inspector/CullRulesDialog.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

namespace {

struct Shoot {
    QTemporaryDir dir;
    std::vector<qc::fixtures::ShootFrame> frames;
    std::vector<ImageId> ids;
    std::map<int, int> framesOfScene;
};

void listShoot(InspectorWindow& window, Shoot& shoot) {
    qc::fixtures::BurstShootSpec spec;
    spec.scenes = 3;
    spec.width = 160;
    spec.height = 120;
    shoot.frames = qc::fixtures::writeBurstShoot(shoot.dir.path().toStdString(), spec);
    QStringList paths;
    for (const auto& f : shoot.frames) {
        paths << QString::fromStdString(f.path);
        ++shoot.framesOfScene[f.scene];
    }
    shoot.ids = window.session()->addEntries(test::entriesFor(paths));
    for (size_t i = 0; i < shoot.frames.size(); ++i) {
        qc::ImageResult r = test::fakeResult(
            shoot.frames[i].frame == 1 ? 0.8 : 0.4 + 0.01 * shoot.frames[i].frame, {0.5, 0.5});
        r.embedding = {0.0f, 0.0f, 0.0f};
        r.embedding[size_t(shoot.frames[i].scene)] = 1.0f;
        window.session()->table()->applyResult(shoot.ids[i], r);
    }
    window.table()->sortByColumn(ScoreTableModel::FileColumn, Qt::AscendingOrder);
}

void makeCurrent(InspectorWindow& window, ImageId id) {
    auto* proxy = static_cast<ScoreFilterProxyModel*>(window.table()->model());
    for (int row = 0; row < proxy->rowCount(); ++row)
        if (proxy->idAt(row) == id) window.table()->setCurrentIndex(proxy->index(row, 0));
}

void screenshot(InspectorWindow& window, QSize size, const QString& name) {
    const QString folder = qEnvironmentVariable("QCI_SCREENSHOT_DIR");
    if (folder.isEmpty()) return;
    window.resize(size);
    QTest::qWait(1500);  // thumbnails are made on pool threads
    QVERIFY(window.grab().save(QDir(folder).filePath(name)));
}

}  // namespace

class BurstStacksTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rulesDialogCountsGroupsLiveAndPreviewsBeforeApplying() {
        InspectorWindow window;
        Shoot shoot;
        listShoot(window, shoot);
        const int photos = int(shoot.frames.size());
        CullRulesDialog dialog(*window.session());
        QCOMPARE(dialog.groupsText(), QStringLiteral("%1 photos in 3 groups").arg(photos));
        dialog.setGap(0.05);  // below every step between frames (0.1 s at least)
        QCOMPARE(dialog.groupsText(), QStringLiteral("%1 photos in %1 groups").arg(photos));
        dialog.setGap(2);
        QVERIFY2(dialog.previewText().startsWith(
                     QStringLiteral("Will pick 3 and reject %1 photos.").arg(photos - 3)),
                 qPrintable(dialog.previewText()));
        dialog.setRule(CullRulesDialog::Rule::PickTop);
        QVERIFY(dialog.previewText().startsWith(
            QStringLiteral("Will pick %1 and reject 0").arg((photos * 20 + 99) / 100)));
        // Counting changed nothing.
        for (ImageId id : shoot.ids)
            QCOMPARE(window.session()->table()->entry(id)->flag, CullFlag::None);
        QCOMPARE(window.session()->undoStack()->count(), 0);
    }

    void bestOfBurstsAppliesInOneUndoStepAndStacksCollapse() {
        InspectorWindow window;
        window.resize(1400, 900);
        Shoot shoot;
        listShoot(window, shoot);
        auto* proxy = static_cast<ScoreFilterProxyModel*>(window.table()->model());
        QCOMPARE(proxy->rowCount(), int(shoot.frames.size()));  // not grouped yet: every photo

        CullRulesDialog dialog(*window.session());
        dialog.apply();
        QCOMPARE(window.session()->undoStack()->count(), 1);
        for (size_t i = 0; i < shoot.frames.size(); ++i) {
            const ImageEntry* e = window.session()->table()->entry(shoot.ids[i]);
            QCOMPARE(e->burstSize, shoot.framesOfScene[shoot.frames[i].scene]);
            QCOMPARE(e->burstPosition, shoot.frames[i].frame);
            QCOMPARE(e->burstBest, shoot.frames[i].frame == 1);
            QCOMPARE(e->flag, shoot.frames[i].frame == 1 ? CullFlag::Pick : CullFlag::Reject);
        }
        // Collapsed: one row per burst, the best frame, showing the stack's size.
        QCOMPARE(proxy->rowCount(), 3);
        const ImageId best = shoot.ids[1];
        const QModelIndex bestName = window.session()->table()->index(
            window.session()->table()->rowOf(best), ScoreTableModel::FileColumn);
        QVERIFY(bestName.data().toString().endsWith(
            QStringLiteral("\u25c6\u00d7%1").arg(shoot.framesOfScene[0])));
        screenshot(window, {1400, 900}, QStringLiteral("bursts-table-1400x900.png"));

        // S (or a double click) opens the current stack; again closes it.
        makeCurrent(window, best);
        window.bursts()->toggleStackAction()->trigger();
        QCOMPARE(proxy->rowCount(), 3 + shoot.framesOfScene[0] - 1);
        window.showGrid(true);
        screenshot(window, {1024, 700}, QStringLiteral("bursts-grid-1024x700.png"));
        window.showGrid(false);
        screenshot(window, {1024, 700}, QStringLiteral("bursts-table-1024x700.png"));
        window.showGrid(true);
        window.bursts()->toggleStackAction()->trigger();
        screenshot(window, {1400, 900}, QStringLiteral("bursts-grid-1400x900.png"));
        window.showGrid(false);
        QCOMPARE(proxy->rowCount(), 3);
        window.bursts()->collapseAction()->setChecked(false);
        QCOMPARE(proxy->rowCount(), int(shoot.frames.size()));
        window.bursts()->collapseAction()->setChecked(true);

        // Filters and sorting see the stack as its best frame: showing rejects hides every stack.
        proxy->setFlagFilter(FlagFilter::Rejected);
        QCOMPARE(proxy->rowCount(), 0);
        proxy->setFlagFilter(FlagFilter::All);

        // One Ctrl+Z takes the whole rule back.
        window.session()->undoStack()->undo();
        for (ImageId id : shoot.ids)
            QCOMPARE(window.session()->table()->entry(id)->flag, CullFlag::None);
    }

    void compareBurstShowsEveryFrame() {
        InspectorWindow window;
        Shoot shoot;
        listShoot(window, shoot);
        window.session()->groupBursts(window.session()->burstSettings());
        makeCurrent(window, shoot.ids[0]);
        window.bursts()->compareBurstAction()->trigger();
        auto* compare = window.findChild<CompareView*>();
        QVERIFY(compare);
        QCOMPARE(int(compare->shownIds().size()), shoot.framesOfScene[0]);
        QCOMPARE(compare->shownIds().front(), shoot.ids[0]);
        compare->close();
    }
};

QTEST_MAIN(BurstStacksTest)
#include "BurstStacksTest.moc"
