// qualiclip-inspector: the desktop window. A thin shell: parses the command line, opens the
// window (ui/InspectorWindow) and, for documentation and checks, saves a screenshot once every
// image is scored.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "ComputeEnvironment.h"
#include "InspectorWindow.h"

namespace {

struct InspectorArguments {
    QString modelPath;
    QString screenshotPath;
    bool quitAfterScoring = false;
    QStringList inputs;
};

InspectorArguments parseArguments(const QApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "QualiCLIP Inspector: scores the quality of images with QualiCLIP; sort, filter and cull them.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {"model", "QualiCLIP checkpoint (default: $QUALICLIP_MODEL, then "
                  "$XDG_DATA_HOME/qualiclip/models/qualiclip.pth).", "PATH"},
        {"screenshot", "Save a picture of the window to FILE once every image is scored.", "FILE"},
        {"quit-after-scoring", "Quit once every image is scored (after --screenshot)."},
    });
    parser.addPositionalArgument("PATH", "Images or folders to open.", "[PATH...]");
    parser.process(app);
    return {parser.value("model"), parser.value("screenshot"), parser.isSet("quit-after-scoring"),
            parser.positionalArguments()};
}

// Waits until the window has settled (listed, scored, thumbnails made), then lets the event
// loop paint once more and saves the window.
void whenSettled(qc::ui::InspectorWindow* window, const InspectorArguments& args) {
    auto* poll = new QTimer(window);
    poll->setInterval(200);
    QObject::connect(poll, &QTimer::timeout, window, [window, poll, args] {
        if (!window->settled()) return;
        poll->stop();
        QTimer::singleShot(500, window, [window, args] {
            if (!args.screenshotPath.isEmpty()) {
                if (!window->grab().save(args.screenshotPath))
                    std::fprintf(stderr, "qualiclip-inspector: cannot write the screenshot '%s'\n",
                                 qPrintable(args.screenshotPath));
            }
            if (args.quitAfterScoring) QApplication::quit();
        });
    });
    // Give the scan and the model load a moment to start before asking whether all is done.
    QTimer::singleShot(300, poll, qOverload<>(&QTimer::start));
}

}  // namespace

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);  // before any thread exists
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("qualiclip"));
    QApplication::setApplicationName(QStringLiteral("qualiclip-inspector"));
    QApplication::setApplicationVersion(QStringLiteral(QCI_VERSION));
    const InspectorArguments args = parseArguments(app);

    qc::ui::InspectorWindow window;
    window.show();
    window.loadModel(args.modelPath);
    window.open(args.inputs);
    if (!args.screenshotPath.isEmpty() || args.quitAfterScoring) whenSettled(&window, args);
    return QApplication::exec();
}
