// `qualiclip catalog`: the local catalog from the command line; `catalog import` stores the
// scores of a JSON Lines result file (a cluster run's merged output) so that the window finds
// them (library/CatalogImport.h).
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 every row stored; 1 some rows not stored (error rows, files not found here);
// 2 usage, unreadable file or catalog error; 130 interrupted.
int runCatalogCommand(const QStringList& arguments);

}  // namespace qc::cli
