// `qualiclip correlate`: agreement of the model's scores with human MOS on a dataset (research
// mode, issue #8). Reads the MOS file, scores every listed image, prints SRCC, KRCC, PLCC and
// RMSE with bootstrap intervals, lists names without an image, and writes a report folder.
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 every listed image scored, 1 figures printed but some names had no image, some
// rows were unusable or some images failed, 2 usage, model or statistics error, 130 interrupted.
int runCorrelateCommand(const QStringList& arguments);

}  // namespace qc::cli
