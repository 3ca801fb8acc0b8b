// qualiclip-inspector: the desktop window. A thin shell: parses the command line, opens the
// window (ui/inspector/InspectorWindow) and, for documentation and checks, saves a screenshot once every
// image is scored.
#include <QApplication>
#include <QDialog>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "GitVersion.h"  // QCI_GIT_DESCRIBE, made at build time by cmake/GitVersion.cmake
#include "about/VersionReport.h"
#include "library/Catalog.h"
#include "ui/inspector/AboutDialog.h"
#include "ui/inspector/CompareView.h"
#include "ui/lab/DegradationLabWindow.h"
#include "engine/ComputeEnvironment.h"
#include "ui/inspector/FullScreenViewer.h"
#include "ui/inspector/ImageDetailPanel.h"
#include "ui/inspector/InspectorWindow.h"
#include "ui/maps/MapPanel.h"
#include "engine/PromptSet.h"
#include "models/ModelLocator.h"
#include "ui/research/ResearchWindow.h"
#include "ui/session/ScoringSession.h"
#include "ui/widgets/AppIcon.h"

namespace {

struct InspectorArguments {
    QString modelPath;
    QString screenshotPath;
    bool quitAfterScoring = false;
    QString view = QStringLiteral("table");  // table, grid, viewer or compare
    std::optional<qc::ui::ScoreRange> scoreRange;
    QStringList inputs;
    int mapKind = 0;          // MapPanel's kind index: 0 none, 1 dense, 2 patches, 3 Grad-CAM
    bool mapSideBySide = false;
    QString researchMos{}, researchImages{};  // --research: open the research window on these
    qc::MosColumns researchColumns{};
    std::optional<qc::ResizePolicy> researchCompare{};  // run B: the same model at this policy
    std::optional<qc::PromptSet> promptSet{};           // --prompts: score with this set
};

[[noreturn]] void usageError(const QString& message) {
    std::fprintf(stderr, "qualiclip-inspector: %s\n", qPrintable(message));
    std::exit(2);
}

// "LO:HI", both within 0..1 and LO <= HI.
qc::ui::ScoreRange parseScoreRange(const QString& text) {
    const QStringList parts = text.split(QLatin1Char(':'));
    bool okLow = false, okHigh = false;
    const double low = parts.value(0).toDouble(&okLow), high = parts.value(1).toDouble(&okHigh);
    if (parts.size() != 2 || !okLow || !okHigh || low < 0 || high > 1 || low > high)
        usageError(QStringLiteral("--score-range wants LO:HI with 0 <= LO <= HI <= 1, not '%1'").arg(text));
    return {low, high};
}

InspectorArguments parseArguments(const QApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "QualiCLIP Inspector: scores the quality of images with QualiCLIP; sort, filter and cull them.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {"model", "QualiCLIP checkpoint (default: $QUALICLIP_MODEL, then "
                  "$XDG_DATA_HOME/qualiclip/models/qualiclip.pth).", "PATH"},
        {"screenshot", "Save a picture of the window to FILE once every image is scored, with the first "
                       "image in the list selected (as Home does).", "FILE"},
        {"quit-after-scoring", "Quit once every image is scored (after --screenshot)."},
        {"view",
         "Start with this view: table (default), grid (thumbnails), viewer (the image, its score "
         "and pair bars given most of the window) or compare (once every image is scored, the "
         "best, "
         "a middle and the worst image side by side; --screenshot then pictures the compare "
         "window) or lab "
         "(once every image is scored, the degradation lab on the first image; --screenshot "
         "pictures the "
         "lab when its run is done, with --map's map in its cell view), about (once every image is "
         "scored, Help > About; --screenshot pictures that dialog), prompts (the prompt-set "
         "editor) or fullscreen "
         "(once every image is scored, the full-screen viewer on the first image).",
         "VIEW"},
        {"score-range", "Show only images scored within LO..HI, as dragging that range on the histogram does.",
         "LO:HI"},
        {"map", "Show this quality map over the selected image: dense, patches or gradcam (as the viewer's "
                "Map box does); --screenshot waits for it.", "KIND"},
        {"map-side-by-side", "With --map: show the map beside the image too."},
        {"research", "Open the research window (Scoring > Agreement with Human Scores) on this MOS file and "
                     "run the study with the model at native size; --screenshot pictures that window when "
                     "the study is done.", "MOS.csv"},
        {"research-images", "With --research: the images folder (default: the MOS file's folder).", "DIR"},
        {"research-preset", "With --research: koniq (default) or flive columns.", "NAME", "koniq"},
        {"prompts", "Score with the antonym pairs of this .prompts file instead of the model's own (as the "
                    "toolbar's Prompts switch does); needs CLIP's vocabulary. With --research: run B scores "
                    "with this set, run A with the model's own prompts.", "FILE"},
        {"research-compare", "With --research: then run B, the same model at this resize policy (e.g. long:224), "
                             "shown beside A.", "POLICY"},
    });
    parser.addPositionalArgument("PATH", "Images or folders to open.", "[PATH...]");
    parser.process(app);
    InspectorArguments args{parser.value("model"), parser.value("screenshot"), parser.isSet("quit-after-scoring"),
                            QStringLiteral("table"), std::nullopt, parser.positionalArguments()};
    if (parser.isSet("view")) args.view = parser.value("view");
    if (!QStringList{"table", "grid", "viewer", "compare", "lab", "about", "prompts", "fullscreen"}
             .contains(args.view))
        usageError(QStringLiteral("--view wants table, grid, viewer, compare, lab, about, prompts "
                                  "or fullscreen, not '%1'")
                       .arg(args.view));
    if (parser.isSet("score-range")) args.scoreRange = parseScoreRange(parser.value("score-range"));
    if (parser.isSet("map")) {
        const QStringList kinds{"dense", "patches", "gradcam"};
        args.mapKind = kinds.indexOf(parser.value("map")) + 1;
        if (args.mapKind == 0)
            usageError(QStringLiteral("--map wants dense, patches or gradcam, not '%1'").arg(parser.value("map")));
        args.mapSideBySide = parser.isSet("map-side-by-side");
    }
    if (parser.isSet("prompts")) {
        try {
            args.promptSet = qc::readPromptSetFile(parser.value("prompts").toStdString());
        } catch (const std::exception& e) {
            usageError(QString::fromStdString(e.what()));
        }
    }
    if (parser.isSet("research")) {
        args.researchMos = parser.value("research");
        args.researchImages = parser.isSet("research-images")
                                  ? parser.value("research-images")
                                  : QFileInfo(args.researchMos).absolutePath();
        const auto columns = qc::mosPreset(parser.value("research-preset").toStdString());
        if (!columns)
            usageError(QStringLiteral("--research-preset wants koniq or flive, not '%1'")
                           .arg(parser.value("research-preset")));
        args.researchColumns = *columns;
        if (parser.isSet("research-compare")) {
            args.researchCompare = qc::ResizePolicy::parse(parser.value("research-compare").toStdString());
            if (!args.researchCompare)
                usageError(QStringLiteral("--research-compare wants native or long:N, not '%1'")
                               .arg(parser.value("research-compare")));
        }
    }
    return args;
}

void saveScreenshot(QWidget* widget, const QString& path) {
    if (!widget->grab().save(path))
        std::fprintf(stderr, "qualiclip-inspector: cannot write the screenshot '%s'\n", qPrintable(path));
}

// Opens the degradation lab on the current image and calls `finish` with the lab pictured once
// its run (and, with --map, its cell-view maps) is done.
template <typename Finish>
void pictureLab(qc::ui::InspectorWindow* window, const InspectorArguments& args, Finish finish) {
    window->degradeAction()->trigger();
    auto* lab = window->findChild<qc::ui::DegradationLabWindow*>();
    if (!lab) return finish();
    auto done = [lab, args] {
        if (!args.screenshotPath.isEmpty()) saveScreenshot(lab, args.screenshotPath);
        if (args.quitAfterScoring) QApplication::quit();
    };
    QObject::connect(lab, &qc::ui::DegradationLabWindow::runFinished, lab, [lab, args, done] {
        lab->showCell(0, 4);  // the first distortion at level 4, beside the original
        if (args.mapKind == 0) return void(QTimer::singleShot(500, lab, done));
        QObject::connect(lab, &qc::ui::DegradationLabWindow::cellMapsShown, lab,
                         [lab, done] { QTimer::singleShot(500, lab, done); });
        lab->showMap(args.mapKind);
    });
}

// Waits until the window has settled (listed, scored, thumbnails made), then lets the event
// loop paint once more and saves the window.
void whenSettled(qc::ui::InspectorWindow* window, const InspectorArguments& args) {
    auto* poll = new QTimer(window);
    poll->setInterval(200);
    QObject::connect(poll, &QTimer::timeout, window, [window, poll, args] {
        if (!window->settled()) return;
        poll->stop();
        window->goToFirst();  // the best image, with the list at its top (Home)
        QWidget* pictured = window;
        if (args.view == QLatin1String("prompts")) pictured = window->editPromptSet();
        if (args.view == QLatin1String("compare")) {
            const int rows = window->proxy()->rowCount();
            if (auto* compare = window->compareRows({0, rows / 2, rows - 1})) pictured = compare;
        }
        if (args.view == QLatin1String("fullscreen")) {
            window->fullScreenAction()->trigger();
            if (window->fullScreenViewer()) pictured = window->fullScreenViewer();
        }
        if (args.view == QLatin1String("about")) {
            window->aboutAction()->trigger();
            if (auto* about = window->findChild<qc::ui::AboutDialog*>()) pictured = about;
        }
        auto finish = [pictured, args] {
            if (!args.screenshotPath.isEmpty()) saveScreenshot(pictured, args.screenshotPath);
            if (args.quitAfterScoring) QApplication::quit();
        };
        if (args.view == QLatin1String("lab")) {
            pictureLab(window, args, finish);
            return;
        }
        if (args.mapKind > 0) {
            // The map is computed off the GUI thread: picture the window once it is drawn.
            qc::ui::MapPanel* maps = window->detailPanel()->mapPanel();
            QObject::connect(maps, &qc::ui::MapPanel::mapShown, window,
                             [window, finish] { QTimer::singleShot(500, window, finish); });
            maps->selectMap(args.mapKind, args.mapSideBySide);
            return;
        }
        // The viewers load their pictures off the GUI thread: give them a moment.
        QTimer::singleShot(pictured == window ? 500 : 1500, window, finish);
    });
    // Give the scan and the model load a moment to start before asking whether all is done.
    QTimer::singleShot(300, poll, qOverload<>(&QTimer::start));
}

// Opens the research window on --research's files, runs A (then B with --research-compare) and,
// for documentation, pictures the window once the study is done.
void openResearch(qc::ui::InspectorWindow* window, const InspectorArguments& args) {
    auto* research = new qc::ui::ResearchWindow(window->session()->sharedCatalog(), window);
    research->setAttribute(Qt::WA_DeleteOnClose);
    research->setDataset(args.researchMos, args.researchImages, args.researchColumns);
    const qc::ModelLocation location = qc::locateModel(args.modelPath.toStdString());
    research->setModel(0, location.path ? QString::fromStdString(*location.path) : args.modelPath,
                       qc::ResizePolicy::native());
    if (args.researchCompare) research->setModel(1, QString(), *args.researchCompare);
    if (args.promptSet) research->setPromptSet(1, *args.promptSet);  // run B: the set, run A: the model's own
    QObject::connect(research, &qc::ui::ResearchWindow::imageActivated, window,
                     [window](const QString& path) { window->open({path}); });
    auto finish = [research, args] {
        if (!args.screenshotPath.isEmpty()) saveScreenshot(research, args.screenshotPath);
        if (args.quitAfterScoring) QApplication::quit();
    };
    QObject::connect(research, &qc::ui::ResearchWindow::runFinished, research,
                     [research, args, finish](int run, bool ok) {
                         if (run == 0 && ok && (args.researchCompare || args.promptSet)) {
                             research->startRun(1);
                             return;
                         }
                         QTimer::singleShot(500, research, finish);
                     });
    research->show();
    if (!research->startRun(0)) QTimer::singleShot(500, research, finish);
}

}  // namespace

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);  // before any thread exists
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("qualiclip"));
    QApplication::setApplicationName(QStringLiteral("qualiclip-inspector"));
    QApplication::setApplicationVersion(QString::fromStdString(qc::projectVersion(QCI_GIT_DESCRIBE)));
    QApplication::setWindowIcon(qc::ui::applicationIcon());
    QApplication::setDesktopFileName(QStringLiteral("qualiclip-inspector"));  // Wayland finds the icon by it
    const InspectorArguments args = parseArguments(app);

    qc::ui::InspectorWindow window;
    // The catalog the command line shares (qualiclip score --catalog): scores and decisions survive.
    // A catalog that cannot be written is opened read-only; the Problems dock says why.
    window.session()->openCatalog(qc::Catalog::defaultPath());
    window.show();
    if (args.view == QLatin1String("grid")) window.showGrid(true);
    if (args.view == QLatin1String("viewer")) QTimer::singleShot(0, &window, [&window] { window.enlargeViewer(); });
    if (args.scoreRange) window.setScoreRange(args.scoreRange);
    if (args.promptSet) window.usePromptSet(*args.promptSet);
    window.loadModel(args.modelPath);
    if (args.inputs.isEmpty())
        window.reopenLastFolder();  // when File > Reopen Last Folder at Start is on
    else
        window.open(args.inputs);
    if (!args.researchMos.isEmpty())
        openResearch(&window, args);
    else if (!args.screenshotPath.isEmpty() || args.quitAfterScoring ||
             args.view == QLatin1String("compare") || args.view == QLatin1String("prompts") ||
             args.view == QLatin1String("fullscreen"))
        whenSettled(&window, args);
    return QApplication::exec();
}
