#include "ui/inspector/RawFilesMenu.h"

#include <QActionGroup>

#include "ui/inspector/InspectorSettings.h"
#include "ui/session/ScoringSession.h"

namespace qc::ui {

QMenu* addRawFilesMenu(QMenu* parent, ScoringSession* session) {
    QMenu* menu = parent->addMenu(QStringLiteral("&RAW Files"));
    menu->setToolTipsVisible(true);
    auto* group = new QActionGroup(menu);
    const qc::RawMode remembered = InspectorSettings().rawMode();
    const auto add = [&](const QString& text, qc::RawMode mode, const QString& tip) {
        QAction* action = menu->addAction(text);
        action->setCheckable(true);
        action->setChecked(mode == remembered);
        action->setToolTip(tip);
        action->setData(QString::fromStdString(qc::rawModeName(mode)));
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, session, [session, mode] {
            InspectorSettings().setRawMode(mode);
            session->setRawMode(mode);
        });
    };
    add(QStringLiteral("&Automatic"), qc::RawMode::Auto,
        QStringLiteral("The camera's embedded preview when it covers the resize policy's long side "
                       "(milliseconds), "
                       "else the half-size demosaic when that does, else the full demosaic"));
    add(QStringLiteral("Embedded &Preview"), qc::RawMode::Preview,
        QStringLiteral("Always the JPEG the camera embedded; a RAW without one is an error"));
    add(QStringLiteral("&Half-Size Demosaic"), qc::RawMode::Half,
        QStringLiteral("LibRaw's half-size development: a quarter of the sensor's pixels"));
    add(QStringLiteral("&Full Demosaic"), qc::RawMode::Full,
        QStringLiteral("LibRaw's full development (camera white balance, sRGB): slowest"));
    session->setRawMode(remembered);

    // RAW+JPEG pairs (one row, "+JPG"): which of the two files is scored.
    menu->addSeparator();
    auto* pairGroup = new QActionGroup(menu);
    const qc::PairScoring pairChoice = InspectorSettings().pairScoring();
    const auto addPair = [&](const QString& text, qc::PairScoring which, const QString& tip) {
        QAction* action = menu->addAction(text);
        action->setCheckable(true);
        action->setChecked(which == pairChoice);
        action->setToolTip(tip);
        pairGroup->addAction(action);
        QObject::connect(action, &QAction::triggered, session, [session, which] {
            InspectorSettings().setPairScoring(which);
            session->setPairScoring(which);
        });
    };
    addPair(QStringLiteral("RAW+JPEG Pairs: Score the &JPEG"), qc::PairScoring::Jpeg,
            QStringLiteral("What the camera rendered, and the fastest"));
    addPair(QStringLiteral("RAW+JPEG Pairs: Score the R&AW"), qc::PairScoring::Raw,
            QStringLiteral("The RAW's pixels, as chosen above"));
    session->setPairScoring(pairChoice);
    return menu;
}

}  // namespace qc::ui
