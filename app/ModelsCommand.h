// `qualiclip models`: list, download and verify model files, over core's ModelRegistry,
// InstalledModels and ModelDownloader (the same code the inspector's Download button runs).
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 success (verify: a valid model), 1 the download failed or the model is not
// valid, 2 usage error or no file, 130 interrupted.
int runModelsCommand(const QStringList& arguments);

}  // namespace qc::cli
