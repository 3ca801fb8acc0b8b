// applicationIcon: the program's icon (resources/icons/qualiclip-inspector.svg, compiled in),
// rendered with Qt SVG at the sizes window managers and task bars ask for. The same drawing is
// installed under hicolor/scalable/apps for the desktop entry. GUI thread only.
#pragma once

#include <QIcon>

namespace qc::ui {

QIcon applicationIcon();

}  // namespace qc::ui
