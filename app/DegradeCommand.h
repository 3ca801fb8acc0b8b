// `qualiclip degrade`: the degradation lab on the command line. Degrades one image with the
// chosen families at levels 1..N, writes every image and a CSV, and scores them when a model
// is available.
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 done, 1 the image or some cells failed, 2 usage or model error, 130 interrupted.
int runDegradeCommand(const QStringList& arguments);

}  // namespace qc::cli
