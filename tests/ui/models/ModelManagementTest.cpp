// Getting a model in the window: the status panel's Download button and its progress, the
// download controller against a local HTTP server in this process (success and a 404 that
// leaves nothing behind), and the Models dialog (list, active, switch with a rescoring
// question, delete).
#include <QFile>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "LocalHttpServer.h"
#include "engine/Checkpoint.h"
#include "models/InstalledModels.h"
#include "ui/models/ModelDownloadController.h"
#include "models/ModelRegistry.h"
#include "ui/models/ModelStatusPanel.h"
#include "ui/models/ModelsDialog.h"
#include "UiTestSupport.h"

using namespace qc::ui;

namespace {

QString oracleModel() { return QStringLiteral(QCI_ORACLE_DIR "/tiny_qualiclip.pth"); }

}  // namespace

class ModelManagementTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void panelSwapsDownloadForProgressAndCancel() {
        ModelStatusPanel panel;
        panel.show();
        QSignalSpy download(&panel, &ModelStatusPanel::downloadRequested);
        QSignalSpy cancel(&panel, &ModelStatusPanel::cancelDownloadRequested);
        QVERIFY(panel.downloadButton()->isVisible());
        QVERIFY(!panel.cancelButton()->isVisible());
        panel.downloadButton()->click();
        QCOMPARE(download.count(), 1);

        panel.setDownloading(true);
        QVERIFY(!panel.downloadButton()->isVisible());
        QVERIFY(panel.cancelButton()->isVisible());
        QVERIFY(panel.progressBar()->isVisible());
        panel.setDownloadProgress(QStringLiteral("12.3 MB of 400.0 MB, 5.1 MB/s, 1:12 left"), 31);
        QCOMPARE(panel.progressBar()->value(), 31);
        QVERIFY(panel.downloadText().contains(QStringLiteral("1:12 left")));
        panel.cancelButton()->click();
        QCOMPARE(cancel.count(), 1);
        panel.setDownloading(false);
        QVERIFY(panel.downloadButton()->isVisible());
    }

    void controllerDownloadsFromALocalServer() {
        QCI_UI_REQUIRE_ORACLE_FILE(oracleModel());
        QFile file(oracleModel());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray model = file.readAll();
        qc::test::LocalHttpServer server;
        QVERIFY(server.listening());
        server.route("/qualiclip.pth", [&](const qc::test::LocalHttpServer::Request& r, int) {
            return qc::test::LocalHttpServer::file(model, r);
        });
        QTemporaryDir folder;
        ModelDownloadController controller;
        QSignalSpy progressed(&controller, &ModelDownloadController::progressed);
        QSignalSpy finished(&controller, &ModelDownloadController::finished);
        QSignalSpy failed(&controller, &ModelDownloadController::failed);
        controller.start(qc::modelRegistry().front(), folder.path(), server.url(QStringLiteral("/qualiclip.pth")));
        QVERIFY(controller.running());
        QVERIFY(QTest::qWaitFor([&] { return !controller.running(); }, 60000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(finished.count(), 1);
        const QString path = finished.at(0).at(0).toString();
        QCOMPARE(path, folder.filePath(QStringLiteral("qualiclip.pth")));
        QCOMPARE(finished.at(0).at(1).toString().toStdString(), qc::sha256OfFile(oracleModel().toStdString()));
        QVERIFY(progressed.count() >= 1);

        // A 404 afterwards: failed, and the installed model is untouched.
        controller.start(qc::modelRegistry().front(), folder.path(), server.url(QStringLiteral("/gone.pth")));
        QVERIFY(QTest::qWaitFor([&] { return !controller.running(); }, 60000));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("HTTP 404")));
        QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
        QCOMPARE(qc::sha256OfFile(path.toStdString()), qc::sha256OfFile(oracleModel().toStdString()));
    }

    void modelsDialogListsSwitchesAndDeletes() {
        QTemporaryDir folder;
        const QString active = folder.filePath(QStringLiteral("qualiclip.pth"));
        const QString other = folder.filePath(QStringLiteral("other.pth"));
        std::ofstream(active.toStdString()) << "12345";
        std::ofstream(other.toStdString()) << "1";
        qc::InstalledRecord record;
        record.fileName = "qualiclip.pth";
        record.sha256 = std::string(64, 'd');
        qc::recordInstalledModel(folder.path().toStdString(), record);

        ModelsDialog dialog(folder.path(), active, /*scoredImages=*/3);
        QStringList questions;
        bool answer = false;
        dialog.setConfirm([&](const QString& q) {
            questions << q;
            return answer;
        });
        QTableWidget* table = dialog.table();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, ModelsDialog::FileColumn)->text(), QStringLiteral("other.pth"));
        QCOMPARE(table->item(1, ModelsDialog::HashColumn)->text(), QString(64, QLatin1Char('d')));
        QCOMPARE(table->item(1, ModelsDialog::LicenceColumn)->text(), QStringLiteral("CC BY-NC 4.0"));
        QVERIFY(!table->item(1, ModelsDialog::ActiveColumn)->text().isEmpty());
        QVERIFY(table->item(0, ModelsDialog::ActiveColumn)->text().isEmpty());

        // The active model cannot be deleted.
        table->selectRow(1);
        QVERIFY(!dialog.findChild<QPushButton*>(QStringLiteral("deleteModelButton"))->isEnabled());
        answer = true;
        dialog.deleteSelected();
        QVERIFY(QFile::exists(active));
        QVERIFY(questions.isEmpty());
        answer = false;

        // Switching asks first (scores would be cleared); "no" keeps everything.
        QSignalSpy chosen(&dialog, &ModelsDialog::modelChosen);
        table->selectRow(0);
        dialog.useSelected();
        QCOMPARE(questions.size(), 1);
        QVERIFY(questions.at(0).contains(QStringLiteral("rescored")));
        QCOMPARE(chosen.count(), 0);
        answer = true;
        dialog.useSelected();
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).toString(), other);

        // Delete the other one, after a yes.
        table->selectRow(0);
        dialog.deleteSelected();
        QVERIFY(!QFile::exists(other));
        QCOMPARE(table->rowCount(), 1);
    }
};

QTEST_MAIN(ModelManagementTest)
#include "ModelManagementTest.moc"
