// InspectorWindow: culling keys change flags and stars; dragging a range on the histogram
// filters the list. No model is loaded: scores are put into the rows by hand.
#include <QTableView>
#include <QtTest>

#include "ui/inspector/InspectorWindow.h"
#include "ui/widgets/QCustomPlotWrapper.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/inspector/ScoreHistogram.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "UiTestSupport.h"

using namespace qc::ui;

namespace {

// Three images scored 0.2, 0.5 and 0.8, listed by file name.
std::vector<ImageId> addScoredImages(InspectorWindow& window) {
    std::vector<ImageEntry> entries(3);
    const double scores[] = {0.2, 0.5, 0.8};
    for (int i = 0; i < 3; ++i) {
        entries[size_t(i)].fileName = QStringLiteral("img%1.png").arg(i);
        entries[size_t(i)].path = "/nowhere/" + entries[size_t(i)].fileName;
    }
    const auto ids = window.session()->addEntries(entries);
    for (int i = 0; i < 3; ++i) window.session()->table()->applyResult(ids[size_t(i)], test::fakeResult(scores[i], {}));
    window.table()->sortByColumn(ScoreTableModel::FileColumn, Qt::AscendingOrder);
    return ids;
}

void selectRow(InspectorWindow& window, int row) {
    window.table()->selectionModel()->setCurrentIndex(window.proxy()->index(row, ScoreTableModel::FileColumn),
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

}  // namespace

class InspectorWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cullingKeysChangeFlagsAndStars() {
        InspectorWindow window;
        window.autoAdvanceAction()->setChecked(false);  // the marks land on one image
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        const auto ids = addScoredImages(window);
        const ScoreTableModel* model = window.session()->table();
        selectRow(window, 1);
        window.table()->setFocus();

        QTest::keyClick(window.table(), Qt::Key_P);
        QCOMPARE(model->entry(ids[1])->flag, CullFlag::Pick);
        QTest::keyClick(window.table(), Qt::Key_X);
        QCOMPARE(model->entry(ids[1])->flag, CullFlag::Reject);
        QTest::keyClick(window.table(), Qt::Key_U);
        QCOMPARE(model->entry(ids[1])->flag, CullFlag::None);
        QTest::keyClick(window.table(), Qt::Key_4);
        QCOMPARE(model->entry(ids[1])->stars, 4);
        QTest::keyClick(window.table(), Qt::Key_0);
        QCOMPARE(model->entry(ids[1])->stars, 0);
        QCOMPARE(model->entry(ids[0])->flag, CullFlag::None);  // only the selected image

        QTest::keyClick(window.table(), Qt::Key_End);
        QCOMPARE(window.currentId(), ids[2]);
        QTest::keyClick(window.table(), Qt::Key_Home);
        QCOMPARE(window.currentId(), ids[0]);
        QTest::keyClick(window.table(), Qt::Key_Right);
        QCOMPARE(window.currentId(), ids[1]);
    }

    void showImageSelectsAListedOrANewlyOpenedImage() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 3, 64);
        InspectorWindow window;
        window.session()->addEntries(test::entriesFor(paths.mid(0, 2)));
        window.showImage(paths[1]);  // already listed: made current at once
        QCOMPARE(window.session()->table()->entry(window.currentId())->path, paths[1]);
        window.showImage(paths[2]);  // not listed: opened, then made current when it arrives
        QTRY_VERIFY_WITH_TIMEOUT(window.currentId() != 0 &&
                                     window.session()->table()->entry(window.currentId())->path == paths[2],
                                 10000);
        QCOMPARE(window.session()->table()->rowCount(), 3);
    }

    void rejectAllBelowFlagsOnlyLowerScores() {
        InspectorWindow window;
        const auto ids = addScoredImages(window);
        window.rejectBelow(0.6);
        const ScoreTableModel* model = window.session()->table();
        QCOMPARE(model->entry(ids[0])->flag, CullFlag::Reject);
        QCOMPARE(model->entry(ids[1])->flag, CullFlag::Reject);
        QCOMPARE(model->entry(ids[2])->flag, CullFlag::None);
    }

    void histogramDragFiltersTheList() {
        InspectorWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto ids = addScoredImages(window);
        selectRow(window, 0);  // img0 (0.2), which the range below hides
        window.histogram()->setScores(window.session()->table()->scores(), {}, {});
        QCustomPlot* plot = window.histogram()->plot();
        plot->replot();
        QCOMPARE(window.proxy()->rowCount(), 3);

        const int y = plot->yAxis->coordToPixel(0.5);
        const QPoint from(int(plot->xAxis->coordToPixel(0.4)), y), to(int(plot->xAxis->coordToPixel(0.9)), y);
        QTest::mousePress(plot, Qt::LeftButton, {}, from);
        QTest::mouseMove(plot, (from + to) / 2);
        QTest::mouseMove(plot, to);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, to);

        QVERIFY(window.proxy()->scoreRange().has_value());
        QCOMPARE(window.proxy()->rowCount(), 2);
        QCOMPARE(window.proxy()->index(0, ScoreTableModel::FileColumn).data().toString(), QStringLiteral("img1.png"));
        // The current image was filtered away: the first one shown becomes current.
        QCOMPARE(window.currentId(), ids[1]);

        QTest::mouseClick(plot, Qt::LeftButton, {}, from);  // a click clears the range
        QVERIFY(!window.proxy()->scoreRange().has_value());
        QCOMPARE(window.proxy()->rowCount(), 3);
    }

    void scoreRangeOptionFiltersAsTheDragDoes() {
        InspectorWindow window;
        addScoredImages(window);
        window.setScoreRange(ScoreRange{0.4, 0.9});
        QVERIFY(window.histogram()->range().has_value());
        QCOMPARE(window.histogram()->range()->low, 0.4);
        QCOMPARE(window.proxy()->rowCount(), 2);
        window.setScoreRange(std::nullopt);
        QVERIFY(!window.histogram()->range().has_value());
        QCOMPARE(window.proxy()->rowCount(), 3);
    }

    void histogramCountsEveryScoreInItsBin() {
        const std::vector<int> counts = histogramCounts({0.0, 0.005, 0.01, 0.5, 1.0}, 100);
        QCOMPARE(counts[0], 2);
        QCOMPARE(counts[1], 1);
        QCOMPARE(counts[50], 1);
        QCOMPARE(counts[99], 1);
    }
};

QTEST_MAIN(InspectorWindowTest)
#include "InspectorWindowTest.moc"
