// The inspector as a photographer culls with it (issue #18): the full-screen viewer, culling
// under a filter, auto advance, arrows that stay on the list, Reject All Below, Compare and the
// lab, the rating filter, zoom keys and the shortcut overview. Every step is a key press or a
// click, as a user gives it; scores are put into the rows by hand where no model is needed.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGuiApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QtTest>

#include "UiTestSupport.h"
#include "UserDriver.h"
#include "ui/inspector/CompareView.h"
#include "ui/inspector/FullScreenViewer.h"
#include "ui/inspector/ImageDetailPanel.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/inspector/RejectBelowDialog.h"
#include "ui/inspector/ShortcutsDialog.h"
#include "ui/lab/DegradationLabWindow.h"
#include "ui/maps/MapPanel.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "ui/widgets/ImageCanvas.h"

using namespace qc::ui;

namespace {

// `count` real image files listed by name, scored by hand (0.1, 0.2, ...) with `flags`/`stars`.
struct Listed {
    QTemporaryDir dir;
    QStringList paths;
    std::vector<ImageId> ids;  // in file-name order
};

void list(InspectorWindow& window, Listed& listed, int count) {
    listed.paths = test::writeImages(listed.dir, count, 96);
    listed.ids = window.session()->addEntries(test::entriesFor(listed.paths));
    for (int i = 0; i < count; ++i)
        window.session()->table()->applyResult(listed.ids[size_t(i)],
                                               test::fakeResult(0.1 * (i + 1), {}));
    window.table()->sortByColumn(ScoreTableModel::FileColumn, Qt::AscendingOrder);
}

void showWindow(InspectorWindow& window, QSize size = {1400, 900}) {
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
}

QComboBox* combo(QWidget& window, const char* name) {
    return window.findChild<QComboBox*>(QString::fromLatin1(name));
}

QAction* action(QWidget& window, const QString& text) {
    for (QAction* a : window.findChildren<QAction*>())
        if (a->text().remove(QLatin1Char('&')).startsWith(text)) return a;
    return nullptr;
}

int currentRow(InspectorWindow& window) {
    return window.table()->selectionModel()->currentIndex().row();
}

}  // namespace

class InspectorCullingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QSettings().clear(); }  // every test starts from the defaults

    // Item 1: F shows the current image with its caption, the first time and after moving.
    void fullScreenShowsTheCurrentImage() {
        InspectorWindow window;
        showWindow(window);
        Listed listed;
        list(window, listed, 3);
        test::clickRow(window.table(), 1);
        QTest::keyClick(window.table(), Qt::Key_F);
        FullScreenViewer* viewer = window.fullScreenViewer();
        QVERIFY(viewer && viewer->isVisible());
        QVERIFY2(viewer->caption().contains(QStringLiteral("image_0001.png")),
                 qPrintable(viewer->caption()));
        QTRY_VERIFY_WITH_TIMEOUT(!viewer->canvas()->image().isNull(), 10000);
        QTest::keyClick(viewer, Qt::Key_Escape);
        QTRY_VERIFY(!viewer->isVisible());
        QVERIFY(test::activate(&window));

        QTest::keyClick(window.table(), Qt::Key_Right);
        QTest::keyClick(window.table(), Qt::Key_F);
        QVERIFY(viewer->isVisible());
        QVERIFY2(viewer->caption().contains(QStringLiteral("image_0002.png")),
                 qPrintable(viewer->caption()));
    }

    // Item 2: under "Unflagged", X hides the row; the next image becomes current and selected.
    void cullingUnderAFilterGoesToTheNextImage() {
        InspectorWindow window;
        showWindow(window);
        Listed listed;
        list(window, listed, 6);
        QVERIFY(test::chooseInCombo(combo(window, "flagFilter"), QStringLiteral("Unflagged")));
        test::clickRow(window.table(), 0);
        for (int i = 0; i < 3; ++i) QTest::keyClick(window.table(), Qt::Key_Right);
        QCOMPARE(window.currentId(), listed.ids[3]);
        QTest::keyClick(window.table(), Qt::Key_X);
        QCOMPARE(window.session()->table()->entry(listed.ids[3])->flag, CullFlag::Reject);
        QCOMPARE(window.proxy()->rowCount(), 5);
        QCOMPARE(window.currentId(), listed.ids[4]);  // the next one, not ids[2]
        QVERIFY(window.table()->selectionModel()->isRowSelected(currentRow(window), {}));

        // The same in full screen, where the caption follows.
        QTest::keyClick(window.table(), Qt::Key_F);
        FullScreenViewer* viewer = window.fullScreenViewer();
        QVERIFY(viewer->isVisible());
        QTest::keyClick(viewer, Qt::Key_X);
        QCOMPARE(window.currentId(), listed.ids[5]);
        QVERIFY2(viewer->caption().contains(QStringLiteral("image_0005.png")),
                 qPrintable(viewer->caption()));
    }

    // Item 8: culling keys move on (auto advance, on by default, its state in the status bar).
    void autoAdvanceMovesOnAndCanBeSwitchedOff() {
        InspectorWindow window;
        showWindow(window);
        Listed listed;
        list(window, listed, 4);
        test::clickRow(window.table(), 0);
        auto* button = window.findChild<QToolButton*>(QStringLiteral("autoAdvanceButton"));
        QVERIFY(button && button->isVisible() && button->isChecked());
        QTest::keyClick(window.table(), Qt::Key_P);
        QCOMPARE(window.session()->table()->entry(listed.ids[0])->flag, CullFlag::Pick);
        QCOMPARE(window.currentId(), listed.ids[1]);
        QTest::keyClick(window.table(), Qt::Key_3);
        QCOMPARE(window.session()->table()->entry(listed.ids[1])->stars, 3);
        QCOMPARE(window.currentId(), listed.ids[2]);

        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!button->isChecked());
        QTest::keyClick(window.table(), Qt::Key_X);
        QCOMPARE(window.session()->table()->entry(listed.ids[2])->flag, CullFlag::Reject);
        QCOMPARE(window.currentId(), listed.ids[2]);  // stays
    }

    // Item 9: after choosing a map kind with the mouse, Down moves to the next image.
    void arrowsMoveBetweenImagesAfterAToolbarChoice() {
        InspectorWindow window;
        showWindow(window);
        Listed listed;
        list(window, listed, 4);
        test::clickRow(window.table(), 0);
        QComboBox* kind = combo(window, "mapKind");
        QVERIFY(test::chooseInCombo(kind, QStringLiteral("Dense tokens")));
        QTest::qWait(50);
        QWidget* focus = QApplication::focusWidget();
        QVERIFY(focus);
        QTest::keyClick(focus, Qt::Key_Down);
        QCOMPARE(kind->currentText(), QStringLiteral("Dense tokens"));  // not Patches
        QCOMPARE(window.currentId(), listed.ids[1]);
        QVERIFY(test::chooseInCombo(combo(window, "flagFilter"), QStringLiteral("Not rejected")));
        QTest::qWait(50);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
        QCOMPARE(combo(window, "flagFilter")->currentText(), QStringLiteral("Not rejected"));
        QCOMPARE(window.currentId(), listed.ids[2]);
    }

    // Item 5: Reject All Below says how many it changes and leaves picks and starred photos alone.
    void rejectAllBelowCountsAndLeavesPicksAlone() {
        InspectorWindow window;
        showWindow(window);
        Listed listed;
        list(window, listed, 5);  // 0.1 .. 0.5
        window.session()->setFlag(listed.ids[0], CullFlag::Pick);
        window.session()->setStars(listed.ids[1], 3);
        action(window, QStringLiteral("Reject All Below Score"))->trigger();
        auto* dialog = window.findChild<RejectBelowDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        QDoubleSpinBox* box = dialog->thresholdBox();
        box->setFocus();
        QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(box, QStringLiteral("0.45"));
        QVERIFY2(dialog->summary().startsWith(QStringLiteral("2 images will be rejected")),
                 qPrintable(dialog->summary()));
        QVERIFY2(dialog->summary().contains(QStringLiteral("1 pick and 1 starred photo")),
                 qPrintable(dialog->summary()));
        QTest::mouseClick(dialog->starredBox(), Qt::LeftButton);
        QVERIFY(dialog->summary().startsWith(QStringLiteral("3 images")));
        QTest::mouseClick(dialog->starredBox(), Qt::LeftButton);
        QCOMPARE(dialog->rejectButton()->text(), QStringLiteral("Reject 2"));
        QTest::mouseClick(dialog->rejectButton(), Qt::LeftButton);
        const ScoreTableModel* model = window.session()->table();
        QCOMPARE(model->entry(listed.ids[0])->flag, CullFlag::Pick);
        QCOMPARE(model->entry(listed.ids[1])->flag, CullFlag::None);
        QCOMPARE(model->entry(listed.ids[2])->flag, CullFlag::Reject);
        QCOMPARE(model->entry(listed.ids[3])->flag, CullFlag::Reject);
        QCOMPARE(model->entry(listed.ids[4])->flag, CullFlag::None);
    }

    // Item 13: Compare fits the screen, shows flags, takes culling keys; Esc closes it and the lab;
    // Ctrl+D on a file that cannot be decoded says so.
    void compareAndLabAreSecondaryWindowsThatBehave() {
        InspectorWindow window;
        showWindow(window);
        Listed listed;
        list(window, listed, 3);
        window.session()->setModel(test::smallModel(), QStringLiteral("small"));
        QTRY_VERIFY_WITH_TIMEOUT(window.settled(), 120000);
        test::clickRow(window.table(), 0);
        test::clickRow(window.table(), 1, 1, Qt::ControlModifier);
        QTest::keyClick(window.table(), Qt::Key_C);
        CompareView* compare = window.compareView();
        QVERIFY(compare && compare->isVisible());
        const QSize room = compare->screen()->availableGeometry().size();
        QVERIFY2(compare->width() <= room.width() && compare->height() <= room.height(),
                 "fits the screen");
        QVERIFY(QTest::qWaitForWindowActive(compare));
        const std::vector<ImageId> shown = compare->shownIds();
        QCOMPARE(int(shown.size()), 2);
        QTest::keyClick(compare, Qt::Key_P);
        QCOMPARE(window.session()->table()->entry(shown[0])->flag, CullFlag::Pick);
        QVERIFY2(compare->titleOf(shown[0]).contains(QStringLiteral("Pick")),
                 qPrintable(compare->titleOf(shown[0])));
        // Clicking the second pane makes it the one the keys mark.
        auto* second = compare->findChildren<ImageCanvas*>().at(1);
        QTest::mouseClick(second, Qt::LeftButton, {}, second->rect().center());
        QTest::keyClick(compare, Qt::Key_X);
        QCOMPARE(window.session()->table()->entry(shown[1])->flag, CullFlag::Reject);
        QVERIFY(compare->titleOf(shown[1]).contains(QStringLiteral("Reject")));
        QTest::keyClick(compare, Qt::Key_Escape);
        QTRY_VERIFY(!compare->isVisible());

        // The lab: Esc closes it.
        QVERIFY(test::activate(&window));
        test::clickRow(window.table(), 0);
        QTest::keyClick(window.table(), Qt::Key_D, Qt::ControlModifier);
        auto* lab = window.findChild<DegradationLabWindow*>();
        QVERIFY(lab && lab->isVisible());
        QVERIFY(QTest::qWaitForWindowActive(lab));
        QPointer<DegradationLabWindow> watched(lab);
        QTest::keyClick(lab, Qt::Key_Escape);
        QTRY_VERIFY(!watched || !watched->isVisible());

        // Ctrl+D on a file that is not an image: a message, no lab.
        QFile bad(listed.dir.filePath(QStringLiteral("broken.png")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a picture at all");
        bad.close();
        const auto badIds = window.session()->addEntries(test::entriesFor({bad.fileName()}));
        QVERIFY(test::activate(&window));
        window.showImage(bad.fileName());
        QCOMPARE(window.currentId(), badIds[0]);
        QTest::keyClick(window.table(), Qt::Key_D, Qt::ControlModifier);
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox*>()) != nullptr && box->isVisible());
        QVERIFY2(box->text().contains(QStringLiteral("broken.png")) &&
                     box->text().contains(QStringLiteral("cannot be degraded")),
                 qPrintable(box->text()));
        for (DegradationLabWindow* other : window.findChildren<DegradationLabWindow*>())
            QVERIFY(!other->isVisible());
        box->close();
    }

    // Item 17: Help lists the shortcuts; Fit and 100 % have keys; "Unrated" filters the list.
    void shortcutsZoomKeysAndTheUnratedFilter() {
        InspectorWindow window;
        showWindow(window);
        Listed listed;
        list(window, listed, 3);
        window.session()->setStars(listed.ids[1], 2);
        test::clickRow(window.table(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!window.detailPanel()->canvas()->image().isNull(), 10000);
        QTest::keyClick(window.table(), Qt::Key_0, Qt::ControlModifier | Qt::AltModifier);
        QVERIFY(!window.detailPanel()->canvas()->view().fit);
        QTest::keyClick(window.table(), Qt::Key_0, Qt::ControlModifier);
        QVERIFY(window.detailPanel()->canvas()->view().fit);

        QTest::keyClick(window.table(), Qt::Key_F1);
        ShortcutsDialog* shortcuts = nullptr;
        QTRY_VERIFY((shortcuts = window.findChild<ShortcutsDialog*>()) != nullptr &&
                    shortcuts->isVisible());
        QCOMPARE(shortcuts->keysFor(QStringLiteral("Pick")), QStringLiteral("P"));
        QVERIFY(!shortcuts->keysFor(QStringLiteral("Zoom to Fit")).isEmpty());
        QVERIFY(!shortcuts->keysFor(QStringLiteral("Zoom to 100 %")).isEmpty());
        QVERIFY(!shortcuts->keysFor(QStringLiteral("Full-screen Viewer")).isEmpty());
        shortcuts->close();
        QVERIFY(test::activate(&window));

        QVERIFY(test::chooseInCombo(combo(window, "ratingFilter"), QStringLiteral("Unrated")));
        QCOMPARE(window.proxy()->rowCount(), 2);
        for (int row = 0; row < 2; ++row) QVERIFY(window.proxy()->idAt(row) != listed.ids[1]);
    }
};

QTEST_MAIN(InspectorCullingTest)
#include "InspectorCullingTest.moc"
