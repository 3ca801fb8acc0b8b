#include "ui/widgets/ScoreColors.h"

#include <algorithm>

namespace qc::ui {

QColor scoreColor(double score) {
    // Hue 0 (red) to 120 (green) over the score's whole [0, 1] range: the scale is QualiCLIP's,
    // not fitted to a particular folder, so colours compare across shoots.
    const double s = std::clamp(score, 0.0, 1.0);
    return QColor::fromHsvF(float(s * 120.0 / 360.0), 0.75f, 0.85f);
}

QColor scoreTextColor(double score) {
    return scoreColor(score).darker(230);
}

}  // namespace qc::ui
