// Scoring ▸ Compute Device (issue #21): the choice is offered, remembered, reaches the loaded
// model and shows in the status bar. On a LibTorch without CUDA the CUDA entry is disabled and
// says why, and a remembered "cuda:0" falls back to the CPU with a message instead of failing.
// Its Precision entries (issue #15) the same way: bfloat16 where the processor runs it (else
// disabled with the reason, and a remembered bfloat16 runs float32 with a message), and scores
// of the two precisions kept apart in the catalog. CTest runs this program a second time with
// ONEDNN_MAX_CPU_ISA=AVX2, so the disabled case is tested on a processor that has bfloat16.
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QtTest>

#include "UiTestSupport.h"
#include "engine/ComputeDevice.h"
#include "engine/CpuFeatures.h"
#include "engine/PromptSet.h"
#include "engine/QualiClipModel.h"
#include "engine/ScoringEngine.h"
#include "library/Catalog.h"
#include "ui/inspector/InspectorSettings.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

namespace {

QMenu* deviceMenu(InspectorWindow& window) {
    for (QAction* top : window.menuBar()->actions())
        if (top->menu())
            for (QAction* item : top->menu()->actions())
                if (item->menu() && item->text().remove('&') == QStringLiteral("Compute Device")) return item->menu();
    return nullptr;
}

QAction* entry(QMenu* menu, const QString& text) {
    for (QAction* a : menu->actions())
        if (a->text().remove('&') == text) return a;
    return nullptr;
}

QString modelLabelText(InspectorWindow& window) {
    for (QLabel* label : window.statusBar()->findChildren<QLabel*>())
        if (label->text().startsWith(QStringLiteral("Model: "))) return label->text();
    return {};
}

QString oracleModel() { return QStringLiteral(QCI_ORACLE_DIR "/tiny_qualiclip.pth"); }

QStringList oracleImages() {
    QStringList paths;
    const QDir dir(QStringLiteral(QCI_ORACLE_DIR "/images"));
    for (const QString& name : dir.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name))
        paths << dir.filePath(name);
    return paths;
}

void resetComputeSettings() {
    InspectorSettings().setComputeDevice(QStringLiteral("auto"));
    InspectorSettings().setComputePrecision(QStringLiteral("float32"));
}

// Waits until the model with `precision` is loaded and every row has its score.
bool scoredWith(InspectorWindow& window, qc::Precision precision) {
    ScoringSession* session = window.session();
    return session->modelState() == ModelState::Ready &&
           session->model()->info().precision == precision && !session->scoring() &&
           int(session->table()->scores().size()) == session->table()->count();
}

}  // namespace

class ComputeDeviceMenuTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void choosingCpuIsRememberedAndReachesTheModel() {
        if (!QFileInfo::exists(oracleModel())) {
            if (qEnvironmentVariableIsSet("CI")) QFAIL("conformance oracle missing under CI");
            QSKIP("conformance oracle not found");
        }
        InspectorSettings().setComputeDevice(QStringLiteral("auto"));
        InspectorWindow window;
        QMenu* menu = deviceMenu(window);
        QVERIFY(menu);
        QAction* automatic = entry(menu, QStringLiteral("Automatic"));
        QAction* cpu = entry(menu, QStringLiteral("CPU"));
        QVERIFY(automatic && cpu);
        QVERIFY(automatic->isChecked());
        QVERIFY(!cpu->isChecked());

        cpu->trigger();
        QVERIFY(cpu->isChecked());
        QVERIFY(!automatic->isChecked());
        QCOMPARE(InspectorSettings().computeDevice(), QStringLiteral("cpu"));
        QCOMPARE(window.session()->modelOptions().device.toString(), std::string("cpu"));

        window.session()->loadModel(oracleModel());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->modelState() == ModelState::Ready, 60000);
        QCOMPARE(window.session()->model()->info().device.toString(), std::string("cpu"));
        QVERIFY2(modelLabelText(window).endsWith(QStringLiteral(" on cpu, float32")),
                 qPrintable(modelLabelText(window)));

        InspectorWindow reopened;  // the choice outlives the window
        QVERIFY(entry(deviceMenu(reopened), QStringLiteral("CPU"))->isChecked());
        InspectorSettings().setComputeDevice(QStringLiteral("auto"));
    }

    void bfloat16IsRememberedAndScoresAreKeptApartFromFloat32() {
        if (!QFileInfo::exists(oracleModel())) {
            if (qEnvironmentVariableIsSet("CI")) QFAIL("conformance oracle missing under CI");
            QSKIP("conformance oracle not found");
        }
        if (!qc::cpuHasBFloat16())
            QSKIP(qPrintable(
                QStringLiteral("no bfloat16 here (%1): the disabled entry is tested instead")
                    .arg(QString::fromStdString(qc::bfloat16Unavailable()))));
        resetComputeSettings();
        QTemporaryDir dir;
        InspectorWindow window;
        auto catalog = std::make_shared<qc::Catalog>(
            dir.filePath(QStringLiteral("catalog.sqlite")).toStdString());
        window.session()->setCatalog(catalog);
        window.session()->setPolicy(qc::ResizePolicy::native());
        QMenu* menu = deviceMenu(window);
        QVERIFY(menu);
        QAction* f32 = entry(menu, QStringLiteral("Float32"));
        QAction* bf16 = entry(menu, QStringLiteral("BFloat16"));
        QVERIFY(f32 && bf16);
        QVERIFY(f32->isChecked());
        QVERIFY(bf16->isEnabled());
        QVERIFY(!bf16->isChecked());

        window.session()->loadModel(oracleModel());
        window.session()->addEntries(test::entriesFor(oracleImages()));
        QTRY_VERIFY_WITH_TIMEOUT(scoredWith(window, qc::Precision::Float32), 60000);
        const std::vector<double> float32Scores = window.session()->table()->scores();
        QCOMPARE(int(float32Scores.size()), 8);
        QVERIFY2(modelLabelText(window).endsWith(QStringLiteral(" float32")),
                 qPrintable(modelLabelText(window)));

        bf16->trigger();
        QVERIFY(bf16->isChecked());
        QVERIFY(!f32->isChecked());
        QCOMPARE(InspectorSettings().computePrecision(), QStringLiteral("bfloat16"));
        QCOMPARE(window.session()->modelOptions().precision, qc::Precision::BFloat16);
        QTRY_VERIFY_WITH_TIMEOUT(scoredWith(window, qc::Precision::BFloat16), 60000);
        QVERIFY2(modelLabelText(window).endsWith(QStringLiteral(" on cpu, bfloat16")),
                 qPrintable(modelLabelText(window)));
        // Re-scored, not the float32 numbers from the catalog: bfloat16 moves the scores a little.
        const std::vector<double> bfloat16Scores = window.session()->table()->scores();
        QCOMPARE(bfloat16Scores.size(), float32Scores.size());
        QVERIFY(bfloat16Scores != float32Scores);
        for (size_t i = 0; i < bfloat16Scores.size(); ++i)
            QVERIFY2(std::abs(bfloat16Scores[i] - float32Scores[i]) < 0.05,
                     qPrintable(
                         QStringLiteral("%1 vs %2").arg(bfloat16Scores[i]).arg(float32Scores[i])));

        // The catalog holds both, each under its own variant.
        const qc::ModelInfo& info = window.session()->model()->info();
        const std::string key = qc::scoringKey(info.sha256, info.promptSet, info.recipe);
        const std::string policy = qc::ResizePolicy::native().toString();
        int bothStored = 0;
        for (const QString& path : oracleImages()) {
            const auto plain = catalog->cachedScore(
                path.toStdString(), key, qc::scoreVariant(policy, qc::Precision::Float32));
            const auto reduced = catalog->cachedScore(
                path.toStdString(), key, qc::scoreVariant(policy, qc::Precision::BFloat16));
            bothStored += plain && reduced;
        }
        QCOMPARE(bothStored, 8);

        // Back to float32: the first numbers again, straight from the catalog.
        f32->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(scoredWith(window, qc::Precision::Float32), 60000);
        QCOMPARE(window.session()->table()->scores(), float32Scores);

        bf16->trigger();
        InspectorWindow reopened;  // the choice outlives the window
        QVERIFY(entry(deviceMenu(reopened), QStringLiteral("BFloat16"))->isChecked());
        QCOMPARE(reopened.session()->modelOptions().precision, qc::Precision::BFloat16);
        resetComputeSettings();
    }

    void withoutBFloat16TheEntryIsDisabledAndARememberedOneFallsBack() {
        if (qc::cpuHasBFloat16() || qc::cudaDeviceCount() > 0)
            QSKIP(
                "this machine runs bfloat16: CTest runs this case again with "
                "ONEDNN_MAX_CPU_ISA=AVX2");
        InspectorSettings().setComputeDevice(QStringLiteral("cpu"));
        InspectorSettings().setComputePrecision(QStringLiteral("bfloat16"));
        InspectorWindow window;
        QMenu* menu = deviceMenu(window);
        QVERIFY(menu);
        QAction* bf16 = nullptr;
        for (QAction* a : menu->actions())
            if (a->text().remove('&').startsWith(QStringLiteral("BFloat16"))) bf16 = a;
        QVERIFY(bf16);
        QVERIFY(!bf16->isEnabled());
        QVERIFY2(bf16->text().contains(QStringLiteral("not on this processor")),
                 qPrintable(bf16->text()));
        QVERIFY2(bf16->toolTip().contains(QStringLiteral("AVX512-BF16 or AMX")),
                 qPrintable(bf16->toolTip()));
        QVERIFY(entry(menu, QStringLiteral("Float32"))->isChecked());
        QCOMPARE(window.session()->modelOptions().precision, qc::Precision::Float32);
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("running float32")),
                 qPrintable(window.statusBar()->currentMessage()));
        resetComputeSettings();
    }

    void withoutCudaTheGpuEntryIsDisabledAndARememberedGpuFallsBack() {
        if (qc::cudaDeviceCount() > 0) QSKIP("this machine has a CUDA device");
        InspectorSettings().setComputeDevice(QStringLiteral("cuda:0"));
        InspectorWindow window;
        QMenu* menu = deviceMenu(window);
        QVERIFY(menu);
        bool sawDisabledCuda = false;
        for (QAction* a : menu->actions())
            if (a->text().startsWith(QStringLiteral("CUDA"))) sawDisabledCuda = !a->isEnabled();
        QVERIFY(sawDisabledCuda);
        QCOMPARE(window.session()->modelOptions().device.toString(), std::string("cpu"));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("using the CPU")),
                 qPrintable(window.statusBar()->currentMessage()));
        InspectorSettings().setComputeDevice(QStringLiteral("auto"));
    }
};

QTEST_MAIN(ComputeDeviceMenuTest)
#include "ComputeDeviceMenuTest.moc"
