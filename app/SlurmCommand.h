// `qualiclip slurm`: runs `qualiclip score` on a Slurm cluster as a job array, one task per shard
// (`score --shard I/N --resume`, threads from SLURM_CPUS_PER_TASK, one output per task), and a
// merge job that starts when every task succeeded (`--dependency=afterok`). Writes both batch
// scripts, submits them with sbatch and prints the job ids; --dry-run only writes the scripts.
// The catalog is never used on the cluster: SQLite's WAL does not work on NFS and several nodes
// would share it (docs/cluster.md).
#pragma once

#include <QStringList>

namespace qc::cli {

// Exit status: 0 scripts written (and submitted); 1 sbatch failed; 2 usage error.
int runSlurmCommand(const QStringList& arguments);

}  // namespace qc::cli
