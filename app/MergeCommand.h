// `qualiclip merge`: the shard files of one cluster run made into one file sorted by path, after
// checking that they belong together (results/ResultMerge.h).
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 merged, complete and consistent; 1 shards disagree, rows duplicated or missing
// (nothing written unless --allow-incomplete and only completeness failed); 2 usage error or an
// unreadable file.
int runMergeCommand(const QStringList& arguments);

}  // namespace qc::cli
