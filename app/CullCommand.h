// `qualiclip cull`: culling decisions (flag, stars, colour label, note) in the catalog from the
// command line, optionally mirrored to XMP sidecars; also reads ratings back from sidecars.
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 every image done, 1 some failed, 2 usage or catalog error.
int runCullCommand(const QStringList& arguments);

}  // namespace qc::cli
