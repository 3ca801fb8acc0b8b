// RawFilesMenu: Scoring ▸ RAW Files, the window's `--raw` choice (Automatic, Embedded Preview,
// Half-Size Demosaic, Full Demosaic) and which file of a RAW+JPEG pair is scored. The choices are
// remembered (InspectorSettings) and handed to the session, which rescores, as a policy change
// does. GUI thread.
#pragma once

#include <QMenu>

namespace qc::ui {

class ScoringSession;

// Adds the submenu to `parent`, checked at the remembered mode, and applies that mode to
// `session` now.
QMenu* addRawFilesMenu(QMenu* parent, ScoringSession* session);

}  // namespace qc::ui
