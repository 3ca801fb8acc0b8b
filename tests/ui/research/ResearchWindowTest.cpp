// The research window's parts on the oracle images and the tiny model, with MOS files written
// here: the worker (figures, cancel, the catalog reused on a second run), the failure-case model
// (order, roles, QAbstractItemModelTester), the scatter (picking a dot), the window's runs A
// and B side by side, and the export.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QLineEdit>
#include <QMenu>
#include <QDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ui/research/AgreementScatter.h"
#include "library/Catalog.h"
#include "ui/research/FailureCaseModel.h"
#include "ui/widgets/QCustomPlotWrapper.h"
#include "ui/research/ResearchWindow.h"
#include "ui/research/ResearchWorker.h"
#include "UiTestSupport.h"

using namespace qc::ui;

namespace {

QString oracle(const QString& name) { return QStringLiteral(QCI_ORACLE_DIR "/") + name; }

// Seven oracle images and one name with no file.
QString writeMos(const QTemporaryDir& dir) {
    const QString path = dir.filePath(QStringLiteral("mos.csv"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write(
        "image_name,MOS\n"
        "checker_250x187.png,2.1\ngradient_224x224.png,3.9\nmixed_63x95.png,2.8\n"
        "noise_96x320.png,1.5\nnoiseblur_96x320.png,1.9\nscene_512x384.png,4.2\n"
        "rings_32x32.png,3.0\nmissing.png,4.0\n");
    return path;
}

ResearchRequest request(const QString& mos, const QString& policy = QStringLiteral("long:128")) {
    ResearchRequest r;
    r.mosFile = mos;
    r.imagesFolder = oracle(QStringLiteral("images"));
    r.columns = *qc::mosPreset("koniq");
    r.modelPath = oracle(QStringLiteral("tiny_qualiclip.pth"));
    r.policy = *qc::ResizePolicy::parse(policy.toStdString());
    r.statistics.bootstrapResamples = 50;
    return r;
}


}  // namespace

class ResearchWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        QCI_UI_REQUIRE_ORACLE_FILE(oracle(QStringLiteral("tiny_qualiclip.pth")));
    }

    // Run B with a custom prompt set against run A with the model's own prompts, on one dataset
    // and one catalog: B's scores are the official recipe's for that set, and neither run is
    // answered with the other's cached scores.
    void runResearchWithAPromptSetScoresWithItsPairs() {
        std::ifstream in(oracle(QStringLiteral("expected_text_multihead.json")).toStdString());
        const nlohmann::json expected = nlohmann::json::parse(in);
        qc::PromptSet set{"exposure", {}};
        for (const auto& p : expected.at("custom_prompt_sets").at("exposure"))
            set.pairs.push_back({p.at("name"), p.at("positive"), p.at("negative")});
        QTemporaryDir dir;
        auto req = request(writeMos(dir), QStringLiteral("native"));
        req.modelPath = oracle(QStringLiteral("text_multihead_qualiclip.pth"));
        req.catalog = std::make_shared<qc::Catalog>(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        const auto a = runResearch(req);
        req.promptSet = set;
        req.vocabularyPath = oracle(QStringLiteral("bpe_simple_vocab_16e6.txt.gz"));
        const auto b = runResearch(req);
        QCOMPARE(b->cached, size_t(0));
        QCOMPARE(b->label(), QStringLiteral("text_multihead_qualiclip.pth, native, prompts exposure"));
        int checked = 0;
        for (size_t i = 0; i < b->study.rows.size(); ++i) {
            const std::string image = b->study.rows[i].name.substr(0, b->study.rows[i].name.size() - 4);
            const auto& scores = expected.at("custom_prompt_scores");
            if (!scores.contains(image)) continue;
            QVERIFY(std::abs(b->study.rows[i].score - scores.at(image).at("exposure").at("score").get<double>()) < 1e-5);
            QVERIFY(b->study.rows[i].score != a->study.rows[i].score);
            ++checked;
        }
        QCOMPARE(checked, 3);
        req.promptSet.reset();
        QCOMPARE(runResearch(req)->cached, size_t(7));  // A's own scores, kept apart from B's
    }

    // QualiCLIP against QualiCLIP+ on one dataset, both chosen by name from the models folder (the
    // oracle's multi-head model stands in for qualiclip.pth, its prompt learner for
    // QualiCLIP+_koniq.pth): B gives pyiqa's qualiclip+ numbers (expected_pyiqa_variants.json),
    // and the window's model menu offers the installed variants by name.
    void runsChooseQualiclipPlusByName() {
        QTemporaryDir data;
        const QString models = data.filePath(QStringLiteral("qualiclip/models"));
        QVERIFY(QDir().mkpath(models));
        QVERIFY(QFile::copy(oracle(QStringLiteral("text_multihead_qualiclip.pth")), models + "/qualiclip.pth"));
        QVERIFY(QFile::copy(oracle(QStringLiteral("qualiclip_plus_params.pth")), models + "/QualiCLIP+_koniq.pth"));
        QVERIFY(QFile::copy(oracle(QStringLiteral("bpe_simple_vocab_16e6.txt.gz")),
                            models + "/bpe_simple_vocab_16e6.txt.gz"));
        const QByteArray oldData = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", data.path().toUtf8());
        std::ifstream in(oracle(QStringLiteral("expected_pyiqa_variants.json")).toStdString());
        const nlohmann::json expected = nlohmann::json::parse(in);
        QTemporaryDir dir;
        auto req = request(writeMos(dir), QStringLiteral("native"));
        req.modelPath = QStringLiteral("qualiclip");
        const auto a = runResearch(req);
        req.modelPath = QStringLiteral("qualiclip+-koniq");
        const auto b = runResearch(req);
        QCOMPARE(a->label(), QStringLiteral("qualiclip, native"));
        QCOMPARE(b->label(), QStringLiteral("qualiclip+-koniq, native, pyiqa recipe"));
        QCOMPARE(QString::fromStdString(b->context.recipe), QStringLiteral("pyiqa"));
        int checked = 0;
        for (const auto& row : b->study.rows) {
            const std::string image = row.name.substr(0, row.name.size() - 4);
            if (!expected.at("images").contains(image)) continue;
            QVERIFY(std::abs(row.score - expected.at("images").at(image).at("pyiqa_qualiclip_plus").get<double>()) < 1e-5);
            ++checked;
        }
        QCOMPARE(checked, 4);

        ResearchWindow window(nullptr);
        auto* button = window.findChild<QToolButton*>(QStringLiteral("modelMenuButton1"));
        QVERIFY(button && button->menu());
        Q_EMIT button->menu()->aboutToShow();
        QStringList enabled, disabled;
        for (QAction* action : button->menu()->actions()) (action->isEnabled() ? enabled : disabled) << action->text();
        QVERIFY2(enabled.join('|').contains(QStringLiteral("(qualiclip+-koniq)")), qPrintable(enabled.join('|')));
        QVERIFY(enabled.join('|').contains(QStringLiteral("(qualiclip)")));
        QVERIFY2(disabled.join('|').contains(QStringLiteral("(qualiclip+-spaq): not installed")),
                 qPrintable(disabled.join('|')));
        for (QAction* action : button->menu()->actions())
            if (action->text().contains(QStringLiteral("(qualiclip+-koniq)"))) action->trigger();
        QCOMPARE(window.findChildren<QLineEdit*>().size() > 0, true);
        bool chosen = false;
        for (QLineEdit* edit : window.findChildren<QLineEdit*>()) chosen |= edit->text() == QStringLiteral("qualiclip+-koniq");
        QVERIFY(chosen);
        if (oldData.isNull()) qunsetenv("XDG_DATA_HOME"); else qputenv("XDG_DATA_HOME", oldData);
    }

    void runResearchGivesFiguresAndCountsScores() {
        QTemporaryDir dir;
        auto req = request(writeMos(dir));
        req.catalog =
            std::make_shared<qc::Catalog>(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        const auto first = runResearch(req);
        QCOMPARE(first->study.rows.size(), size_t(7));
        QCOMPARE(first->study.unmatched.size(), size_t(1));
        QCOMPARE(first->study.scoredCount, size_t(7));
        QCOMPARE(first->cached, size_t(0));
        QCOMPARE(first->scored, size_t(7));
        QVERIFY(std::isfinite(first->study.report.srcc.value));
        QCOMPARE(first->label(), QStringLiteral("tiny_qualiclip.pth, long:128"));
        // The second run answers from the catalog, with the same figures.
        const auto second = runResearch(req);
        QCOMPARE(second->cached, size_t(7));
        QCOMPARE(second->scored, size_t(0));
        QCOMPARE(second->study.report.srcc.value, first->study.report.srcc.value);
        QCOMPARE(second->study.report.plcc.low, first->study.report.plcc.low);
    }

    void workerReportsProgressAndCanBeCancelled() {
        QTemporaryDir dir;
        ResearchWorker worker;
        QSignalSpy progress(&worker, &ResearchWorker::progress);
        QSignalSpy finished(&worker, &ResearchWorker::finished);
        auto req = request(writeMos(dir));
        const quint64 generation = worker.start(req);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toULongLong(), generation);
        QVERIFY(finished.at(0).at(1).value<std::shared_ptr<const ResearchRun>>() != nullptr);
        QVERIFY(progress.size() >= 7);

        // Cancelled at once: a cancelled result, never figures. A bad MOS file: an error.
        req.statistics.bootstrapResamples = 100000;
        worker.start(req);
        worker.cancel();
        QTRY_COMPARE(finished.size(), 2);
        QVERIFY(finished.at(1).at(3).toBool());
        QVERIFY(!finished.at(1).at(1).value<std::shared_ptr<const ResearchRun>>());
        req.mosFile = dir.filePath(QStringLiteral("nope.csv"));
        worker.start(req);
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.at(2).at(2).toString().contains(QStringLiteral("nope.csv")));
    }

    void failureModelListsWorstFirst() {
        QTemporaryDir dir;
        const auto run = runResearch(request(writeMos(dir)));
        FailureCaseModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRun(run);
        QCOMPARE(model.rowCount(), 7);
        const std::vector<size_t> order = qc::failureCases(run->study);
        double previous = 1e9;
        for (int r = 0; r < model.rowCount(); ++r) {
            const double size = model.index(r, FailureCaseModel::Residual)
                                    .data(FailureCaseModel::kSortRole)
                                    .toDouble();
            QVERIFY(size <= previous + 1e-12);
            previous = size;
            const QString kind = model.index(r, FailureCaseModel::Kind).data().toString();
            const double residual = run->study.rows[order[size_t(r)]].residual;
            QCOMPARE(kind, residual < 0 ? QStringLiteral("over-estimate")
                                        : QStringLiteral("under-estimate"));
            QVERIFY(QFile::exists(model.index(r, 0).data(FailureCaseModel::PathRole).toString()));
        }
        model.setRun(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void scatterPicksTheDotUnderTheMouse() {
        QTemporaryDir dir;
        const auto run = runResearch(request(writeMos(dir)));
        AgreementScatter scatter;
        scatter.resize(800, 600);
        scatter.setRuns(run, nullptr);
        scatter.plot()->replot();
        const qc::AgreementRow& row = run->study.rows[0];
        const QPointF at(scatter.plot()->xAxis->coordToPixel(row.score),
                         scatter.plot()->yAxis->coordToPixel(row.mos));
        const auto hit = scatter.pointAt(at);
        QVERIFY(hit.has_value());
        QCOMPARE(scatter.pathOf(*hit), QString::fromStdString(row.path));
        QVERIFY(scatter.describe(*hit).contains(QString::fromStdString(row.name)));
        QVERIFY(!scatter.pointAt(QPointF(-100, -100)));
        QSignalSpy clicked(&scatter, &AgreementScatter::imageClicked);
        QTest::mouseClick(scatter.plot(), Qt::LeftButton, {}, at.toPoint());
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.at(0).at(0).toString(), QString::fromStdString(row.path));
    }

    void windowRunsAAndBSideBySideAndExports() {
        QTemporaryDir dir;
        auto catalog =
            std::make_shared<qc::Catalog>(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        ResearchWindow window(catalog);
        QSignalSpy finished(&window, &ResearchWindow::runFinished);
        QVERIFY(!window.startRun(0));  // nothing chosen yet
        window.setDataset(writeMos(dir), oracle(QStringLiteral("images")), *qc::mosPreset("koniq"));
        window.setModel(0, oracle(QStringLiteral("tiny_qualiclip.pth")),
                        qc::ResizePolicy::longSide(128));
        window.setBootstrap(50, 3);
        QVERIFY(!window.startRun(1));  // B before A
        QVERIFY(window.startRun(0));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(1).toBool(), true);
        QVERIFY(window.result(0));
        QCOMPARE(window.failures()->rowCount(), 7);
        QVERIFY(window.figures()->isColumnHidden(1));
        QVERIFY(window.figures()->item(1, 0)->text().contains(QLatin1Char('[')));

        // B: the same model at another policy (its model field left empty means A's model).
        window.setModel(1, QString(), qc::ResizePolicy::longSide(64));
        QVERIFY(window.startRun(1));
        QVERIFY(finished.wait(60000));
        QVERIFY(window.result(1));
        QVERIFY(!window.figures()->isColumnHidden(1));
        QCOMPARE(window.result(1)->context.resizePolicy, std::string("long:64"));
        // long:64 shrinks the 96x320 images below the network's minimum: B scores five.
        QCOMPARE(window.result(1)->study.scoredCount, size_t(5));

        // Export: A's report, B's under compare/, the scatter.
        QString error;
        QVERIFY2(window.exportTo(dir.filePath(QStringLiteral("report")), &error),
                 qPrintable(error));
        for (const char* f :
             {"report/summary.json", "report/failures.csv", "report/images.csv",
              "report/unmatched.csv", "report/scatter.png", "report/compare/summary.json"})
            QVERIFY2(QFile::exists(dir.filePath(QString::fromLatin1(f))), f);
        QVERIFY(!QImage(dir.filePath(QStringLiteral("report/scatter.png"))).isNull());

        // A second A is answered by the catalog.
        QVERIFY(window.startRun(0));
        QVERIFY(finished.wait(60000));
        QCOMPARE(window.result(0)->cached, size_t(7));
        QVERIFY(window.statusText().contains(QStringLiteral("7 from the catalog")));
        // The double-click on a failure opens its image.
        QSignalSpy activated(&window, &ResearchWindow::imageActivated);
        const QModelIndex first = window.failureView()->model()->index(0, 0);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.failureView()->scrollTo(first);
        const QRect rect = window.failureView()->visualRect(first);
        QTest::mouseClick(window.failureView()->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(window.failureView()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(activated.size(), 1);
        QVERIFY(QFile::exists(activated.at(0).at(0).toString()));
    }

    // Issue #18, item 11: a failed run clears what an earlier run showed and says it failed; the
    // legend stays off the dots; names without an image are listed in the window; the over/under
    // column is not headed "Model".
    void aFailedRunClearsTheOldResults() {
        QTemporaryDir dir;
        auto catalog =
            std::make_shared<qc::Catalog>(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        ResearchWindow window(catalog);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&window, &ResearchWindow::runFinished);
        window.setDataset(writeMos(dir), oracle(QStringLiteral("images")), *qc::mosPreset("koniq"));
        window.setModel(0, oracle(QStringLiteral("tiny_qualiclip.pth")),
                        qc::ResizePolicy::longSide(128));
        window.setBootstrap(20, 3);
        auto runA = [&window] {
            for (QPushButton* b : window.findChildren<QPushButton*>())
                if (b->text() == QStringLiteral("Run A")) QTest::mouseClick(b, Qt::LeftButton);
        };
        runA();
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.last().at(1).toBool());
        QCOMPARE(window.failures()->headerData(FailureCaseModel::Kind, Qt::Horizontal).toString(),
                 QStringLiteral("Over / under"));
        QCOMPARE(window.unmatchedList()->count(), 1);
        QVERIFY(window.unmatchedList()->isVisible());
        QVERIFY(window.unmatchedList()->item(0)->text().contains(QStringLiteral("missing.png")));
        // The worst failure's dot is not under the legend (nor is any dot: the legend is outside
        // the axes).
        QCustomPlot* plot = window.scatter()->plot();
        const QModelIndex worst = window.failureView()->model()->index(0, 0);
        const QString path = worst.data(FailureCaseModel::PathRole).toString();
        for (const qc::AgreementRow& r : window.result(0)->study.rows) {
            if (QString::fromStdString(r.path) != path) continue;
            const QPointF dot(plot->xAxis->coordToPixel(r.score), plot->yAxis->coordToPixel(r.mos));
            QVERIFY(!plot->legend->outerRect().contains(dot.toPoint()));
        }
        QVERIFY(!plot->axisRect()->rect().intersects(plot->legend->outerRect()));

        // The user points the MOS field at a file that does not exist and runs A again.
        window.setDataset(dir.filePath(QStringLiteral("no_such_mos.csv")),
                          oracle(QStringLiteral("images")), *qc::mosPreset("koniq"));
        runA();
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.last().at(1).toBool());
        QVERIFY2(window.statusText().contains(QStringLiteral("failed")),
                 qPrintable(window.statusText()));
        QVERIFY(!window.result(0));
        QCOMPARE(window.failures()->rowCount(), 0);
        QCOMPARE(plot->graph(0)->dataCount(), 0);
        QVERIFY(window.figures()->item(1, 0)->text().isEmpty());
        QCOMPARE(window.figures()->horizontalHeaderItem(0)->text(), QStringLiteral("A"));
        QVERIFY(!window.unmatchedList()->isVisible());
    }
};

QTEST_MAIN(ResearchWindowTest)
#include "ResearchWindowTest.moc"
