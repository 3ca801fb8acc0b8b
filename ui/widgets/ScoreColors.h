// Colours for scores, shared by the table, the grid tiles and the charts so a score looks the
// same everywhere: red (0) through amber to green (1). Pure functions, any thread.
#pragma once

#include <QColor>

namespace qc::ui {

QColor scoreColor(double score);      // saturated, for badges and bars
QColor scoreTextColor(double score);  // darker, readable as text on a light background

}  // namespace qc::ui
