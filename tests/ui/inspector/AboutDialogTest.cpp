// Help > About: the dialog shows the version report, Copy puts exactly that block on the
// clipboard, and the application icon renders from the compiled-in SVG.
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QPushButton>
#include <QtTest>

#include "UiTestSupport.h"
#include "ui/inspector/AboutDialog.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/widgets/AppIcon.h"

using namespace qc::ui;

namespace {

// The value of the report's "name: value" line, or "" when there is none.
QString lineValue(const QString& report, const QString& name) {
    for (const QString& line : report.split(QLatin1Char('\n')))
        if (line.startsWith(name + QStringLiteral(": "))) return line.mid(name.size() + 2);
    return {};
}

}  // namespace

class AboutDialogTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void helpAboutShowsTheVersionReport() {
        InspectorWindow window;
        window.aboutAction()->trigger();
        auto* about = window.findChild<AboutDialog*>();
        QVERIFY(about);
        QVERIFY(about->isVisible());
        const QString report = about->report();
        QVERIFY2(report.startsWith(QStringLiteral("qualiclip-inspector 0.")), qPrintable(report));
        QVERIFY2(
            lineValue(report, QStringLiteral("Qt")).startsWith(QString::fromLatin1(qVersion())),
            qPrintable(report));
        QCOMPARE(lineValue(report, QStringLiteral("LibTorch")), QStringLiteral("1.13.0"));
        QCOMPARE(lineValue(report, QStringLiteral("Model")),
                 QStringLiteral("none found (none loaded)"));
    }

    void copyPutsTheWholeReportOnTheClipboard() {
        const QString report = QStringLiteral(
            "qualiclip-inspector 9.9.9\nLibTorch: 1.13.0\nModel: /m.pth, sha256 ab\n");
        AboutDialog about(report);
        QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
        QTest::mouseClick(about.copyButton(), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), report);
        QCOMPARE(about.copyButton()->text(), QStringLiteral("Copied"));
    }

    void iconRendersThePhotoInsideTransparentCorners() {
        const QImage image = applicationIcon().pixmap(64, 64).toImage();
        QCOMPARE(image.size(), QSize(64, 64));
        QCOMPARE(qAlpha(image.pixel(1, 1)), 0);      // outside the print's rounded corner
        QCOMPARE(qAlpha(image.pixel(32, 32)), 255);  // the photo under the map
        QVERIFY(qBlue(image.pixel(20, 14)) > qRed(image.pixel(20, 14)));  // sky at the top
    }
};

QTEST_MAIN(AboutDialogTest)
#include "AboutDialogTest.moc"
