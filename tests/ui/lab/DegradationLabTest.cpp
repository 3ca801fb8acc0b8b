// The degradation lab's model and worker: cells stream in from the worker thread and fill the
// grid, stale generations are dropped, the Spearman figures, the CSV and the exports, cancel.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "ui/lab/DegradationLabModel.h"
#include "ui/lab/DegradationLabWindow.h"
#include "ui/lab/DegradationLabWorker.h"
#include "ui/widgets/ImageCanvas.h"
#include "UiTestSupport.h"

namespace qc::ui {

class DegradationLabTest : public QObject {
    Q_OBJECT
private:
    static LabCell cell(quint64 generation, int row, int level, double score) {
        LabCell c;
        c.generation = generation;
        c.row = row;
        c.level = level;
        c.scored = true;
        c.score = score;
        c.pairProbabilities = {score, score};
        c.image = QImage(40, 30, QImage::Format_RGB888);
        c.image.fill(Qt::gray);
        c.thumbnail = c.image;
        return c;
    }

private Q_SLOTS:
    void modelFillsCellsAndDropsOldGenerations() {
        DegradationLabModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(7, {DegradationFamily::GaussianBlur, DegradationFamily::Jpeg}, 3, promptPairsFor(2));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.cellsTotal(), 7);
        QCOMPARE(model.data(model.index(0, 1), Qt::DisplayRole).toString(), QStringLiteral("\u2026"));
        model.setCell(cell(6, 0, 1, 0.9));  // an older run: ignored
        QCOMPARE(model.cellsDone(), 0);
        model.setCell(cell(7, -1, 0, 0.8));
        for (int level = 1; level <= 3; ++level) model.setCell(cell(7, 0, level, 0.8 - 0.1 * level));
        model.setCell(cell(7, 1, 1, 0.7));
        model.setCell(cell(7, 1, 2, 0.75));
        QCOMPARE(model.cellsDone(), 6);
        QCOMPARE(model.data(model.index(1, 0), DegradationLabModel::ScoreRole).toDouble(), 0.8);  // original in every row
        QCOMPARE(model.data(model.index(0, 2), Qt::DisplayRole).toString(), QStringLiteral("0.600"));
        QVERIFY(!model.data(model.index(0, 2), Qt::DecorationRole).isNull());
        QCOMPARE(model.headerData(1, Qt::Vertical, Qt::DisplayRole).toString(), QStringLiteral("JPEG"));
        QCOMPARE(model.headerData(2, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Level 2"));

        QVERIFY(model.spearman(0).has_value());
        QVERIFY(DegradationLabModel::isMonotone(*model.spearman(0)));
        QVERIFY(!model.spearman(1).has_value());  // level 3 missing
        model.setCell(cell(7, 1, 3, 0.5));
        // 0.8, 0.7, 0.75, 0.5 against 0..3: ranks 4, 2, 3, 1 -> rho = -0.8.
        QVERIFY(std::abs(*model.spearman(1) + 0.8) < 1e-12);
        QVERIFY(!DegradationLabModel::isMonotone(*model.spearman(1)));

        const std::string csv = model.csv();
        QVERIFY(csv.rfind("family,level,parameter,value,file,score,pair_1,pair_2,error\n", 0) == 0);
        QVERIFY(csv.find("original,0,,,original.png,0.8,0.8,0.8,\n") != std::string::npos);
        QVERIFY(csv.find("jpeg,2,quality,30,jpeg_L2.png,0.75,0.75,0.75,\n") != std::string::npos);
    }

    void workerStreamsEveryCellFromItsThread() {
        QTemporaryDir dir;
        const QString image = test::writeImages(dir, 1, 80).front();
        DegradationLabWindow lab(image, test::smallModel());
        lab.setFamiliesChecked({DegradationFamily::LensBlur, DegradationFamily::ImpulseNoise});
        lab.setLevels(2);
        QSignalSpy finished(&lab, &DegradationLabWindow::runFinished);
        lab.run();
        QVERIFY(finished.wait(60000));
        const DegradationLabModel* model = lab.labModel();
        QCOMPARE(model->cellsDone(), 5);
        for (int row = 0; row < 2; ++row)
            for (int column = 0; column <= 2; ++column) {
                const LabCell* c = model->cell(row, column);
                QVERIFY(c != nullptr);
                QVERIFY2(c->hasScore(), qPrintable(c->error));
                QVERIFY(std::isfinite(c->score));
                QCOMPARE(c->image.size(), QSize(80, 80));
            }
        QVERIFY(model->spearman(0).has_value());

        const QImage grid = lab.renderGrid();
        QVERIFY(grid.width() > 3 * DegradationLabModel::kThumbnailSize.width());
        QTemporaryDir out;
        QString error;
        QVERIFY2(lab.exportImages(out.path(), &error), qPrintable(error));
        for (const char* name : {"original.png", "lens_blur_L1.png", "impulse_noise_L2.png", "degradations.csv"})
            QVERIFY2(QFile::exists(out.filePath(QString::fromLatin1(name))), name);
        lab.showCell(1, 2);  // large beside the original, no crash on a real cell
    }

    void cellViewShowsTheMapsOfTheCellAndTheOriginal() {
        QTemporaryDir dir;
        const QString image = test::writeImages(dir, 1, 96).front();
        DegradationLabWindow lab(image, test::smallModel());
        lab.setFamiliesChecked({DegradationFamily::GaussianBlur});
        lab.setLevels(1);
        QSignalSpy finished(&lab, &DegradationLabWindow::runFinished);
        lab.run();
        QVERIFY(finished.wait(60000));
        lab.showCell(0, 1);
        QComboBox* kind = nullptr;
        for (QComboBox* box : lab.findChildren<QComboBox*>())
            if (box->findText(QStringLiteral("Grad-CAM")) >= 0) kind = box;
        QVERIFY(kind != nullptr);
        kind->setCurrentIndex(1);  // dense tokens
        const QList<ImageCanvas*> canvases = lab.findChildren<ImageCanvas*>();
        QCOMPARE(canvases.size(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(canvases[0]->hasOverlay() && canvases[1]->hasOverlay(), 20000);
        kind->setCurrentIndex(0);
        QVERIFY(!canvases[0]->hasOverlay() && !canvases[1]->hasOverlay());
    }

    void withoutAModelCellsAreUnscored() {
        QTemporaryDir dir;
        const QString image = test::writeImages(dir, 1, 64).front();
        DegradationLabWindow lab(image, nullptr);
        lab.setFamiliesChecked({DegradationFamily::Pixelate});
        lab.setLevels(1);
        QSignalSpy finished(&lab, &DegradationLabWindow::runFinished);
        lab.run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(lab.labModel()->cellsDone(), 2);
        QVERIFY(!lab.labModel()->cell(0, 1)->scored);
        QCOMPARE(lab.labModel()->data(lab.labModel()->index(0, 1), Qt::DisplayRole).toString(), QStringLiteral("no model"));
    }

    void cancelAndRestartDropTheOldRun() {
        QTemporaryDir dir;
        const QString image = test::writeImages(dir, 1, 200).front();
        DegradationLabWorker worker;
        int cells = 0;
        quint64 lastGeneration = 0;
        connect(&worker, &DegradationLabWorker::cellReady, this, [&](const LabCell& c) {
            ++cells;
            lastGeneration = c.generation;
        });
        LabRequest request;
        request.imagePath = image;
        for (const DegradationInfo& info : degradationTable()) request.families.push_back(info.family);
        request.model = test::smallModel();
        worker.start(request);
        worker.cancel();  // returns once the thread has stopped
        QVERIFY(!worker.running());
        request.families = {DegradationFamily::Darken};
        request.levels = 1;
        QSignalSpy finished(&worker, &DegradationLabWorker::finished);
        const quint64 second = worker.start(request);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.last().at(0).toULongLong(), second);
        QCOMPARE(finished.last().at(1).toBool(), false);
        QCOMPARE(lastGeneration, second);
        QVERIFY(cells < 1 + 17 * 5 + 2);  // the first run stopped early
    }

    void unreadableImageIsReported() {
        DegradationLabWorker worker;
        QSignalSpy finished(&worker, &DegradationLabWorker::finished);
        LabRequest request;
        request.imagePath = QStringLiteral("/nonexistent/photo.png");
        request.families = {DegradationFamily::Jpeg};
        worker.start(request);
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.last().at(2).toString().contains(QStringLiteral("photo.png")));
    }
};

}  // namespace qc::ui

QTEST_MAIN(qc::ui::DegradationLabTest)
#include "DegradationLabTest.moc"
