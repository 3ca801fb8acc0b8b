// The inspector over a working session (issue #18): progress after Cancel and with failures,
// the model chosen in the window, a failed model load, the folder flow (Open replaces, Add
// appends, Close, reopen at start), the first row after opening, the small window, and the small
// things (histogram legend, model dialog, Copy Picks, Export Table, Remove). Real files, the small
// random-weight model, and key presses, clicks and typed paths as a user gives them.
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>
#include <QtTest>

#include "UiTestSupport.h"
#include "UserDriver.h"
#include "ui/inspector/ImageDetailPanel.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/inspector/ProblemsDock.h"
#include "ui/inspector/ScoreHistogram.h"
#include "ui/models/ModelStatusPanel.h"
#include "ui/models/ModelsDialog.h"
#include "ui/research/ResearchWindow.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "ui/widgets/ImageCanvas.h"
#include "ui/widgets/PairBarChart.h"
#include "ui/widgets/QCustomPlotWrapper.h"

using namespace qc::ui;

namespace {

QString oracle(const QString& name) { return QStringLiteral(QCI_ORACLE_DIR "/") + name; }

void showWindow(InspectorWindow& window, QSize size = {1400, 900}) {
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
}

QAction* action(QWidget& window, const QString& text) {
    for (QAction* a : window.findChildren<QAction*>())
        if (a->text().remove(QLatin1Char('&')).startsWith(text)) return a;
    return nullptr;
}

void writeBroken(const QString& path) {
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) file.write("these bytes are no picture");
}

int rowsIn(const ScoreTableModel* model, ScoreState state) {
    int n = 0;
    for (int row = 0; row < model->count(); ++row) n += model->entryAt(row).state == state ? 1 : 0;
    return n;
}

// Opens `folder` as a user does: File > Open Folder…, the path typed into the dialog.
void openFolderFromTheMenu(InspectorWindow& window, const QString& folder,
                           const QString& which = QStringLiteral("Open Folder")) {
    test::answerFileDialog(folder);
    action(window, which)->trigger();
    test::activate(&window);
}

}  // namespace

class InspectorSessionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        qunsetenv("QUALICLIP_MODEL");
        QVERIFY(data_.isValid());
        qputenv("XDG_DATA_HOME", data_.path().toUtf8());  // an empty models folder
    }
    void init() { QSettings().clear(); }

    // Item 3: Cancel says what happened; Score Remaining counts only what it scores.
    void cancelSaysSoAndAResumedRunCountsItsOwnImages() {
        QTemporaryDir dir;
        test::writeImages(dir, 30, 320);
        InspectorWindow window;
        showWindow(window);
        window.session()->setPolicy(qc::ResizePolicy::native());  // slow enough to cancel mid-run
        window.session()->setModel(test::smallModel(), QStringLiteral("small"));
        openFolderFromTheMenu(window, dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->progress().done() >= 2, 120000);
        QTest::keyClick(window.table(), Qt::Key_Escape);
        QVERIFY(!window.session()->scoring());
        const QString text = window.progressLabel()->text();
        QVERIFY2(text.startsWith(QStringLiteral("Cancelled: ")) &&
                     text.endsWith(QStringLiteral(" of 30 scored")),
                 qPrintable(text));
        const int left = rowsIn(window.session()->table(), ScoreState::Cancelled);
        QVERIFY(left > 0);

        action(window, QStringLiteral("Score Remaining"))->trigger();
        QCOMPARE(window.session()->progress().total(), left);
        QVERIFY(
            window.progressLabel()->text().startsWith(QStringLiteral("Scoring 0 / %1").arg(left)));
        QTRY_VERIFY_WITH_TIMEOUT(window.settled(), 180000);
        QCOMPARE(window.progressLabel()->text(), QStringLiteral("%1 scored").arg(left));
    }

    // Item 4: failed files are counted as failed and marked in the Score column; item 12's
    // Problems dock names the file once (File column) and gives the reason alone.
    void failuresAreCountedAndMarkedInTheRow() {
        QTemporaryDir dir;
        test::writeImages(dir, 3, 96);
        writeBroken(dir.filePath(QStringLiteral("broken_1.png")));
        writeBroken(dir.filePath(QStringLiteral("broken_2.png")));
        InspectorWindow window;
        showWindow(window);
        window.session()->setModel(test::smallModel(), QStringLiteral("small"));
        openFolderFromTheMenu(window, dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(window.settled() && window.session()->table()->count() == 5,
                                 120000);
        QCOMPARE(window.progressLabel()->text(), QStringLiteral("3 scored, 2 failed"));
        int marked = 0;
        for (int row = 0; row < window.proxy()->rowCount(); ++row) {
            const QModelIndex score = window.proxy()->index(row, ScoreTableModel::ScoreColumn);
            if (!score.siblingAtColumn(ScoreTableModel::FileColumn)
                     .data()
                     .toString()
                     .startsWith(QStringLiteral("broken")))
                continue;
            QVERIFY2(score.data().toString().contains(QStringLiteral("failed")),
                     qPrintable(score.data().toString()));
            QVERIFY(!score.data(Qt::ToolTipRole).toString().isEmpty());
            ++marked;
        }
        QCOMPARE(marked, 2);
        QTreeWidget* problems = window.problemsDock()->list();
        QTRY_VERIFY(problems->topLevelItemCount() >= 2);
        for (int i = 0; i < problems->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* item = problems->topLevelItem(i);
            QVERIFY2(item->text(0).startsWith(QStringLiteral("broken_")),
                     qPrintable(item->text(0)));
            QVERIFY2(!item->text(1).contains(dir.path()), qPrintable(item->text(1)));
            QVERIFY(item->toolTip(0).contains(dir.path()));
        }
    }

    // Item 7: the model opened in the window is used at the next start, and File > Models…
    // lists it although it is not in the models folder.
    void aModelChosenInTheWindowIsRememberedAndListed() {
        QCI_UI_REQUIRE_ORACLE_FILE(oracle(QStringLiteral("tiny_qualiclip.pth")));
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("my_model.pth"));
        QVERIFY(QFile::copy(oracle(QStringLiteral("tiny_qualiclip.pth")), model));
        {
            InspectorWindow window;
            showWindow(window);
            test::answerFileDialog(model);
            action(window, QStringLiteral("Open Model"))->trigger();
            test::activate(&window);
            QTRY_VERIFY_WITH_TIMEOUT(window.session()->modelState() == ModelState::Ready, 120000);
        }
        InspectorWindow window;
        showWindow(window);
        window.loadModel({});  // what the program does at start without --model
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->modelState() == ModelState::Ready, 120000);
        QCOMPARE(window.session()->modelPath(), model);

        int rows = -1;
        QString file, active;
        test::whenShown<ModelsDialog>([&](ModelsDialog* dialog) {
            rows = dialog->table()->rowCount();
            if (rows > 0) {
                file = dialog->table()->item(0, ModelsDialog::FileColumn)->text();
                active = dialog->table()->item(0, ModelsDialog::ActiveColumn)->text();
            }
            dialog->reject();
        });
        action(window, QStringLiteral("Models"))->trigger();
        QCOMPARE(rows, 1);
        QCOMPARE(file, model);
        QVERIFY(active.contains(QStringLiteral("in use")));
    }

    // Item 10: a model that fails to load leaves the shown image's bars, and its message can be put
    // away.
    void aFailedModelLoadKeepsTheBarsAndItsMessageCanBeDismissed() {
        QTemporaryDir dir;
        test::writeImages(dir, 2, 96);
        const QString bad = dir.filePath(QStringLiteral("not_a_model.pth"));
        writeBroken(bad);
        InspectorWindow window;
        showWindow(window);
        window.session()->setModel(test::smallModel(), QStringLiteral("small"));
        window.open({dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(window.settled() && window.session()->table()->count() == 2,
                                 120000);
        test::clickRow(window.table(), 0);
        const PairBarChart* bars = window.detailPanel()->pairChart();
        QCOMPARE(bars->shownBars(), 7);

        test::answerFileDialog(bad);
        action(window, QStringLiteral("Open Model"))->trigger();
        test::activate(&window);
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->modelError().isEmpty(), 120000);
        QVERIFY(window.session()->hasModel());
        QCOMPARE(bars->shownBars(), 7);
        QVERIFY(window.modelPanel()->isVisible());
        QPushButton* dismiss = window.modelPanel()->dismissButton();
        QVERIFY(dismiss->isVisible());
        QTest::mouseClick(dismiss, Qt::LeftButton);
        QVERIFY(!window.modelPanel()->isVisible());
    }

    // Item 14: Open Folder replaces the list, Add Folder… appends, Close Folder empties it, and
    // the last folder comes back at the next start.
    void openReplacesAddAppendsCloseEmptiesAndTheFolderComesBack() {
        QTemporaryDir first, second;
        test::writeImages(first, 2, 64);
        test::writeImages(second, 3, 64);
        {
            InspectorWindow window;
            showWindow(window);
            openFolderFromTheMenu(window, first.path());
            QTRY_COMPARE_WITH_TIMEOUT(window.session()->table()->count(), 2, 10000);
            openFolderFromTheMenu(window, second.path());
            QTRY_VERIFY_WITH_TIMEOUT(window.settled(), 10000);
            QCOMPARE(window.session()->table()->count(), 3);
            openFolderFromTheMenu(window, first.path(), QStringLiteral("Add Folder"));
            QTRY_COMPARE_WITH_TIMEOUT(window.session()->table()->count(), 5, 10000);
            QTest::keyClick(window.table(), Qt::Key_W, Qt::ControlModifier);  // File > Close Folder
            QCOMPARE(window.session()->table()->count(), 0);
            openFolderFromTheMenu(window, second.path());
            QTRY_COMPARE_WITH_TIMEOUT(window.session()->table()->count(), 3, 10000);
        }
        InspectorWindow window;
        window.reopenLastFolder();  // at start, without paths on the command line
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->table()->count(), 3, 10000);
        QCOMPARE(QFileInfo(window.session()->table()->entryAt(0).path).absolutePath(),
                 QFileInfo(second.path()).absoluteFilePath());
    }

    // Item 15: once the folder is scored, the first row of the list sorted by score is current,
    // selected and in view.
    void theFirstRowOfTheSortedListIsSelectedAfterOpening() {
        QTemporaryDir dir;
        test::writeImages(dir, 40, 96);
        InspectorWindow window;
        showWindow(window);
        window.session()->setModel(test::smallModel(), QStringLiteral("small"));
        openFolderFromTheMenu(window, dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(window.settled() && window.session()->table()->count() == 40,
                                 120000);
        QTest::qWait(200);
        QCOMPARE(window.table()->horizontalHeader()->sortIndicatorSection(),
                 int(ScoreTableModel::ScoreColumn));
        const QModelIndex current = window.table()->selectionModel()->currentIndex();
        QCOMPARE(current.row(), 0);
        QVERIFY(window.table()->selectionModel()->isRowSelected(0, {}));
        QVERIFY(window.table()->viewport()->rect().intersects(window.table()->visualRect(current)));
    }

    // Item 12: at 1024 x 700 the window fits, Flag and Rating stay in view, the preview and the
    // opacity slider keep usable sizes.
    void aSmallWindowKeepsWhatMatters() {
        QTemporaryDir dir;
        test::writeImages(dir, 3, 96);
        InspectorWindow window;
        window.session()->setModel(test::smallModel(),
                                   QStringLiteral("small"));  // the model panel hides
        showWindow(window, {1024, 700});
        QVERIFY2(
            window.minimumSizeHint().width() <= 1024 && window.minimumSizeHint().height() <= 700,
            qPrintable(QStringLiteral("%1 x %2")
                           .arg(window.minimumSizeHint().width())
                           .arg(window.minimumSizeHint().height())));
        QCOMPARE(window.size(), QSize(1024, 700));
        window.open({dir.path()});
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->table()->count(), 3, 10000);
        QHeaderView* header = window.table()->horizontalHeader();
        for (int column : {int(ScoreTableModel::FlagColumn), int(ScoreTableModel::StarsColumn)})
            QVERIFY2(header->sectionViewportPosition(column) + header->sectionSize(column) <=
                         header->viewport()->width(),
                     qPrintable(QStringLiteral("column %1 ends at %2 of %3")
                                    .arg(column)
                                    .arg(header->sectionViewportPosition(column) +
                                         header->sectionSize(column))
                                    .arg(header->viewport()->width())));
        const QSize preview = window.detailPanel()->canvas()->size();
        QVERIFY2(preview.width() >= 300 && preview.height() >= 200,
                 qPrintable(
                     QStringLiteral("preview %1 x %2").arg(preview.width()).arg(preview.height())));
        auto* opacity = window.findChild<QSlider*>(QStringLiteral("mapOpacity"));
        QVERIFY2(opacity->width() >= 60, qPrintable(QString::number(opacity->width())));
        QVERIFY(window.statusBar()->geometry().right() <= window.width());
    }

    // Item 16: the small things.
    void histogramLegendHasNoUnlabelledEntry() {
        InspectorWindow window;
        showWindow(window);
        QCPLegend* legend = window.histogram()->plot()->legend;
        for (int i = 0; i < legend->itemCount(); ++i) {
            auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
            QVERIFY(item && !item->plottable()->name().isEmpty());
        }
    }

    void theModelFileDialogStartsWithAnEmptyName() {
        InspectorWindow window;
        showWindow(window);
        QString typed = QStringLiteral("(dialog not shown)");
        test::answerFileDialog({}, nullptr, &typed);
        action(window, QStringLiteral("Open Model"))->trigger();
        QCOMPARE(typed, QString());
    }

    void copyPicksExportAndRemoveSayWhatTheyDid() {
        QTemporaryDir dir, target;
        test::writeImages(dir, 3, 64);
        InspectorWindow window;
        showWindow(window);
        window.session()->setModel(test::smallModel(), QStringLiteral("small"));
        openFolderFromTheMenu(window, dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(window.settled() && window.session()->table()->count() == 3,
                                 120000);
        QCOMPARE(window.progressLabel()->text(), QStringLiteral("3 scored"));
        window.autoAdvanceAction()->setChecked(false);
        test::clickRow(window.table(), 0);
        QTest::keyClick(window.table(), Qt::Key_P);

        QString title;
        test::answerFileDialog(target.path(), &title);
        action(window, QStringLiteral("Copy Picks To"))->trigger();
        test::activate(&window);
        QCOMPARE(title, QStringLiteral("Copy Picks To"));
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Copied 1 pick"));

        const QString csv = target.filePath(QStringLiteral("table.csv"));
        test::answerFileDialog(csv);
        action(window, QStringLiteral("Export Table"))->trigger();
        test::activate(&window);
        QVERIFY(QFile::exists(csv));
        QCOMPARE(window.statusBar()->currentMessage(),
                 QStringLiteral("Exported 3 images to %1").arg(csv));

        // Del asks first; Cancel keeps the row, Remove removes it, and the finished run's count
        // goes.
        test::clickRow(window.table(), 1);
        QTest::keyClick(window.table(), Qt::Key_Delete);
        QMessageBox* box = window.findChild<QMessageBox*>();
        QVERIFY(box && box->isVisible());
        QVERIFY2(box->text().startsWith(QStringLiteral("Remove 'image_")), qPrintable(box->text()));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        test::activate(&window);
        QCOMPARE(window.session()->table()->count(), 3);
        QTest::keyClick(window.table(), Qt::Key_Delete);
        box = nullptr;
        for (QMessageBox* b : window.findChildren<QMessageBox*>())
            if (b->isVisible()) box = b;
        QVERIFY(box);
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        QCOMPARE(window.session()->table()->count(), 2);
        QCOMPARE(window.progressLabel()->text(), QString());
    }

    // Item 11 (the inspector's side): the research window's images field is the open folder.
    void researchStartsOnTheOpenFolder() {
        QTemporaryDir dir;
        test::writeImages(dir, 2, 64);
        InspectorWindow window;
        showWindow(window);
        openFolderFromTheMenu(window, dir.path());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->table()->count(), 2, 10000);
        action(window, QStringLiteral("Agreement with Human Scores"))->trigger();
        auto* research = window.findChild<ResearchWindow*>();
        QVERIFY(research);
        QCOMPARE(research->imagesFolder(), QFileInfo(dir.path()).absoluteFilePath());
        research->close();
    }

private:
    QTemporaryDir data_;
};

QTEST_MAIN(InspectorSessionTest)
#include "InspectorSessionTest.moc"
