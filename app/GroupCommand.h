#pragma once

#include <QStringList>

namespace qc::cli {

// qualiclip group PATH... [--gap S] [--similarity X] [--format jsonl|csv]: bursts of a shoot.
int runGroupCommand(const QStringList& arguments);

}  // namespace qc::cli
