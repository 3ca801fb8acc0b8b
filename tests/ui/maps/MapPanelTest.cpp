// The quality-map overlay in the viewer: maps are computed off the GUI thread, only the latest
// request is shown, the overlay lands on the canvas with its legend, hovering reports the cell
// under the mouse, and side by side keeps both panes on the same part of the picture.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "results/MapExport.h"
#include "ui/maps/MapPanel.h"
#include "ui/maps/QualityMapComputer.h"
#include "ui/widgets/ImageCanvas.h"
#include "UiTestSupport.h"
#include "UserDriver.h"

using namespace qc::ui;

class MapPanelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void computerReportsTheLatestRequestOnly() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 2, 200);
        QualityMapComputer computer;
        QSignalSpy ready(&computer, &QualityMapComputer::ready);
        qc::MapRequest patches{qc::MapKind::Patches, -1, {64, 64}};
        computer.request(paths[0], test::smallModel(), qc::ResizePolicy::native(), patches);
        computer.request(paths[1], test::smallModel(), qc::ResizePolicy::native(), {qc::MapKind::Dense, 2, {}});
        QVERIFY(ready.wait(20000));
        // Once both computations have ended, everything they reported is in the event queue.
        QVERIFY(computer.waitForDone(20000));
        QCoreApplication::sendPostedEvents();
        QCOMPARE(ready.count(), 1);
        auto result = ready.at(0).at(0).value<std::shared_ptr<const MapResult>>();
        QCOMPARE(result->path, paths[1]);
        QCOMPARE(result->map.kind, qc::MapKind::Dense);
        QCOMPARE(result->map.rows, 6);  // floor(201 / 32)
        QCOMPARE(result->input.cols, 200);
    }

    void failureNamesTheFile() {
        QualityMapComputer computer;
        QSignalSpy failed(&computer, &QualityMapComputer::failed);
        computer.request(QStringLiteral("/no/such/photo.jpg"), test::smallModel(), qc::ResizePolicy::native(), {});
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("/no/such/photo.jpg")));
    }

    void overlayLegendAndHover() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 1, 160);
        ImageCanvas canvas, side;
        canvas.resize(320, 320);
        canvas.setImage(QImage(paths[0]));
        MapPanel panel(&canvas, &side);
        panel.setPairs(test::smallModel()->info().pairs);
        panel.setContext(test::smallModel(), qc::ResizePolicy::native());
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.showImage(paths[0]);
        panel.selectMap(1, false);
        QVERIFY(shown.wait(20000));
        QVERIFY(canvas.hasOverlay());
        const qc::QualityMap& map = panel.current()->map;
        QCOMPARE(map.cols, 5);  // 160 px: floor(161 / 32)
        // Hover over image pixel (70, 40): cell (1, 2) covers input px 64-95 x 32-63.
        Q_EMIT canvas.pointerMoved(QPointF(70, 40));
        const QList<QLabel*> labels = panel.findChildren<QLabel*>();
        bool found = false;
        for (QLabel* l : labels)
            if (l->text().contains(QStringLiteral("Cell (1, 2) = %1").arg(map.at(1, 2), 0, 'f', 4)) &&
                l->text().contains(QStringLiteral("x 64\u201395, y 32\u201363")))
                found = true;
        QVERIFY2(found, "hover text with the cell's value and rectangle");
    }

    void switchingImageDropsTheOldOverlay() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 2, 96);
        ImageCanvas canvas, side;
        canvas.setImage(QImage(paths[0]));
        MapPanel panel(&canvas, &side);
        panel.setContext(test::smallModel(), qc::ResizePolicy::native());
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.showImage(paths[0]);
        panel.selectMap(3, false);  // Grad-CAM
        QVERIFY(shown.wait(20000));
        QVERIFY(canvas.hasOverlay());
        panel.showImage(paths[1]);
        QVERIFY(!canvas.hasOverlay());  // never the previous image's map over this one
        QVERIFY(shown.wait(20000));
        QCOMPARE(panel.current()->path, paths[1]);
    }

    void sideBySideFollowsZoomAndPan() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 1, 256);
        ImageCanvas canvas, side;
        canvas.resize(200, 200);
        side.resize(200, 200);
        canvas.setImage(QImage(paths[0]));
        MapPanel panel(&canvas, &side);
        // long:128 halves the input: the side pane shows the map at 128 px, so its zoom doubles.
        panel.setContext(test::smallModel(), qc::ResizePolicy::longSide(128));
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.showImage(paths[0]);
        panel.selectMap(1, true);
        QVERIFY(shown.wait(20000));
        QVERIFY(side.isVisibleTo(nullptr) || !side.isHidden());
        canvas.zoomBy(2.0);
        QCOMPARE(side.view().fit, false);
        QVERIFY(std::abs(side.view().zoom - canvas.view().zoom * 2.0) < 1e-9);
        QVERIFY(std::abs(side.view().center.x() - canvas.view().center.x()) < 1e-9);
    }

    // Issue #18, item 6: the exported overlay is the one on screen (turbo, smooth, 20 %).
    void exportWritesTheOverlayAsShown() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 1, 160);
        QWidget host;
        ImageCanvas canvas(&host), side;
        canvas.setImage(QImage(paths[0]));
        MapPanel panel(&canvas, &side, &host);
        auto* layout = new QVBoxLayout(&host);
        layout->addWidget(&panel);
        layout->addWidget(&canvas);
        host.resize(900, 600);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        panel.setContext(test::smallModel(), qc::ResizePolicy::native());
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.showImage(paths[0]);
        QVERIFY(test::chooseInCombo(panel.findChild<QComboBox*>(QStringLiteral("mapKind")),
                                    QStringLiteral("Dense tokens")));
        QVERIFY(shown.wait(20000));
        QVERIFY(test::chooseInCombo(panel.findChild<QComboBox*>(QStringLiteral("mapColors")),
                                    QStringLiteral("turbo")));
        QTest::mouseClick(panel.findChild<QCheckBox*>(), Qt::LeftButton);
        auto* opacity = panel.findChild<QSlider*>(QStringLiteral("mapOpacity"));
        QTest::keyClick(opacity, Qt::Key_Home);
        QTest::keyClick(opacity, Qt::Key_PageUp);
        QTest::keyClick(opacity, Qt::Key_PageUp);
        QCOMPARE(opacity->value(), 20);

        const QString base = dir.filePath(QStringLiteral("exported"));
        test::answerFileDialog(base + QStringLiteral(".png"));
        QTest::mouseClick(panel.findChild<QToolButton*>(QStringLiteral("mapExport")),
                          Qt::LeftButton);
        const cv::Mat written =
            cv::imread((base + QStringLiteral(".png")).toStdString(), cv::IMREAD_COLOR);
        QVERIFY(!written.empty());
        cv::Mat expected;
        cv::cvtColor(qc::overlayMap(panel.current()->input, panel.current()->map,
                                    qc::ColorMap::Turbo, 0.2, true),
                     expected, cv::COLOR_RGB2BGR);
        QCOMPARE(cv::norm(written, expected, cv::NORM_INF), 0.0);
        cv::Mat fixedLook;
        cv::cvtColor(qc::overlayMap(panel.current()->input, panel.current()->map,
                                    qc::ColorMap::Viridis, 0.5, false),
                     fixedLook, cv::COLOR_RGB2BGR);
        QVERIFY(cv::norm(written, fixedLook, cv::NORM_INF) > 10);
        // The raw values stay raw.
        const cv::Mat raw =
            cv::imread((base + QStringLiteral(".tiff")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(raw.type(), CV_32FC1);
    }

    // Issue #18, item 16: the hover readout goes when the mouse leaves or H hides the overlay.
    void hoverReadoutGoesWithTheMouseAndTheOverlay() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 1, 160);
        ImageCanvas canvas, side;
        canvas.resize(320, 320);
        canvas.setImage(QImage(paths[0]));
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        MapPanel panel(&canvas, &side);
        panel.setContext(test::smallModel(), qc::ResizePolicy::native());
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.showImage(paths[0]);
        panel.selectMap(1, false);
        QVERIFY(shown.wait(20000));
        QTest::mouseMove(&canvas, canvas.rect().center());
        QTRY_VERIFY(panel.statusText().startsWith(QStringLiteral("Cell (")));
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(&canvas, &leave);
        QVERIFY2(!panel.statusText().startsWith(QStringLiteral("Cell (")),
                 qPrintable(panel.statusText()));
        QTest::mouseMove(&canvas, canvas.rect().center() + QPoint(5, 5));
        QTRY_VERIFY(panel.statusText().startsWith(QStringLiteral("Cell (")));
        canvas.addAction(panel.toggleAction());
        QTest::keyClick(&canvas, Qt::Key_H);
        QVERIFY(!panel.toggleAction()->isChecked());
        QVERIFY2(!panel.statusText().startsWith(QStringLiteral("Cell (")),
                 qPrintable(panel.statusText()));
        QTest::mouseMove(&canvas, canvas.rect().center());
        QVERIFY(!panel.statusText().startsWith(QStringLiteral("Cell (")));
    }
};

QTEST_MAIN(MapPanelTest)
#include "MapPanelTest.moc"
