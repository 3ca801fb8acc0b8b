// `qualiclip score`: scores images with the core engine and writes one row per image.
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 every image scored, 1 some failed, 2 usage or model error, 130 interrupted.
int runScoreCommand(const QStringList& arguments);

}  // namespace qc::cli
