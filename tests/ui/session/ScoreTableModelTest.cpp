// ScoreTableModel and ScoreFilterProxyModel: model contract, numeric sorting, filtering,
// results for removed rows.
#include <QAbstractItemModelTester>
#include <QtTest>

#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "UiTestSupport.h"

using namespace qc::ui;

namespace {

ImageEntry entryNamed(const QString& name) {
    ImageEntry e;
    e.path = "/photos/" + name;
    e.fileName = name;
    return e;
}

std::vector<ImageEntry> entriesNamed(const QStringList& names) {
    std::vector<ImageEntry> entries;
    for (const QString& n : names) entries.push_back(entryNamed(n));
    return entries;
}

QStringList namesInProxyOrder(const QSortFilterProxyModel& proxy) {
    QStringList names;
    for (int row = 0; row < proxy.rowCount(); ++row)
        names << proxy.index(row, ScoreTableModel::FileColumn).data().toString();
    return names;
}

}  // namespace

class ScoreTableModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void batchedResultsSignalOncePerRunOfRows() {
        ScoreTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ScoreFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ScoreTableModel::ScoreColumn, Qt::DescendingOrder);
        const auto ids = model.addImages(entriesNamed({"a.png", "b.png", "c.png", "d.png", "e.png", "f.png"}));
        model.removeImages({ids[5]});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy scores(&model, &ScoreTableModel::scoresChanged);
        // Rows 0-1 and 3-4 (two runs), out of order; f.png was removed, so its result is dropped.
        const int stored = model.applyResults({{ids[4], test::fakeResult(0.9, {})},
                                               {ids[0], test::fakeResult(0.1, {})},
                                               {ids[3], test::fakeResult(0.4, {})},
                                               {ids[5], test::fakeResult(0.99, {})},
                                               {ids[1], test::fakeResult(0.6, {})}});
        QCOMPARE(stored, 4);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed[0][0].toModelIndex().row(), 0);
        QCOMPARE(changed[0][1].toModelIndex().row(), 1);
        QCOMPARE(changed[1][0].toModelIndex().row(), 3);
        QCOMPARE(changed[1][1].toModelIndex().row(), 4);
        QCOMPARE(scores.size(), 1);
        QCOMPARE(namesInProxyOrder(proxy), (QStringList{"e.png", "b.png", "d.png", "a.png", "c.png"}));
    }

    void modelContractHoldsThroughEveryChange() {
        ScoreTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ScoreFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(ScoreTableModel::ScoreColumn, Qt::DescendingOrder);

        const auto ids = model.addImages(entriesNamed({"a.png", "b.png", "c.png", "d.png", "e.png"}));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), ScoreTableModel::FirstPairColumn + 7 + 3);
        QVERIFY(model.applyResult(ids[1], test::fakeResult(0.7, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7})));
        QVERIFY(model.setFlag(ids[2], CullFlag::Pick));
        QVERIFY(model.setStars(ids[3], 4));
        model.removeImages({ids[0], ids[2], ids[3]});
        QCOMPARE(model.rowCount(), 2);
        model.clearScores(ScoreState::Waiting);
        model.setPairs(qc::promptPairsFor(3));  // fewer columns: a reset
        QCOMPARE(model.columnCount(), ScoreTableModel::FirstPairColumn + 3 + 3);
        model.addImages(entriesNamed({"f.png"}));
        QCOMPARE(model.rowCount(), 3);
    }

    void resultForRemovedRowIsDropped() {
        ScoreTableModel model;
        const auto ids = model.addImages(entriesNamed({"a.png", "b.png"}));
        model.removeImages({ids[0]});
        QVERIFY(!model.applyResult(ids[0], test::fakeResult(0.5, {})));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.entryAt(0).hasScore());
        QVERIFY(model.applyResult(ids[1], test::fakeResult(0.5, {})));
        QCOMPARE(model.rowOf(ids[1]), 0);
    }

    void sortsByScoreNumerically() {
        // 0.5004 and 0.5001 both read "0.500": only a numeric sort orders them right, and the
        // file names are chosen so that a sort on the text gives the opposite order.
        ScoreTableModel model;
        const auto ids = model.addImages(entriesNamed({"a.png", "b.png", "c.png", "d.png"}));
        model.applyResult(ids[0], test::fakeResult(0.5004, {}));
        model.applyResult(ids[1], test::fakeResult(0.5001, {}));
        model.applyResult(ids[2], test::fakeResult(0.9, {}));
        ScoreFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ScoreTableModel::ScoreColumn, Qt::AscendingOrder);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"d.png", "b.png", "a.png", "c.png"}));
        proxy.sort(ScoreTableModel::ScoreColumn, Qt::DescendingOrder);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"c.png", "a.png", "b.png", "d.png"}));
    }

    void sortsByEachPairNumerically_data() {
        QTest::addColumn<int>("pair");
        for (int pair = 0; pair < 7; ++pair) QTest::addRow("pair %d", pair) << pair;
    }

    void sortsByEachPairNumerically() {
        QFETCH(int, pair);
        ScoreTableModel model;
        const auto ids = model.addImages(entriesNamed({"a.png", "b.png", "c.png"}));
        // In this pair: a 0.1234, b 0.1201 (both "0.12"), c 0.05; other pairs the reverse.
        const double values[] = {0.1234, 0.1201, 0.05};
        for (int i = 0; i < 3; ++i) {
            std::vector<double> pairs(7, 1.0 - values[i]);
            pairs[size_t(pair)] = values[i];
            model.applyResult(ids[size_t(i)], test::fakeResult(0.5, pairs));
        }
        ScoreFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(model.pairColumn(pair), Qt::AscendingOrder);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"c.png", "b.png", "a.png"}));
    }

    void sortsBySizeNumerically() {
        ScoreTableModel model;
        std::vector<ImageEntry> entries = entriesNamed({"small.png", "large.png"});
        entries[0].width = 900;  // "900 × 600" sorts after "1200 × 800" as text
        entries[0].height = 600;
        entries[1].width = 1200;
        entries[1].height = 800;
        model.addImages(entries);
        ScoreFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(model.sizeColumn(), Qt::AscendingOrder);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"small.png", "large.png"}));
    }

    void filtersByScoreRangeFlagAndStars() {
        ScoreTableModel model;
        const auto ids = model.addImages(entriesNamed({"a.png", "b.png", "c.png", "d.png"}));
        model.applyResult(ids[0], test::fakeResult(0.2, {}));
        model.applyResult(ids[1], test::fakeResult(0.5, {}));
        model.applyResult(ids[2], test::fakeResult(0.8, {}));
        model.setFlag(ids[1], CullFlag::Reject);
        model.setStars(ids[2], 3);
        ScoreFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ScoreTableModel::FileColumn, Qt::AscendingOrder);

        proxy.setScoreRange(ScoreRange{0.3, 0.9});
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"b.png", "c.png"}));  // unscored d hidden
        proxy.setFlagFilter(FlagFilter::NotRejected);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"c.png"}));
        proxy.setScoreRange(std::nullopt);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"a.png", "c.png", "d.png"}));
        proxy.setMinimumStars(2);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"c.png"}));
        // A changed mark re-filters at once.
        model.setStars(ids[0], 5);
        QCOMPARE(namesInProxyOrder(proxy), QStringList({"a.png", "c.png"}));
    }
};

QTEST_MAIN(ScoreTableModelTest)
#include "ScoreTableModelTest.moc"
