#include "SlurmCommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "CommandSupport.h"
#include "ScoreCommand.h"

namespace fs = std::filesystem;

namespace qc::cli {
namespace {

constexpr int kMaxShards = 100000;
constexpr int kSbatchTimeoutMs = 60000;

int usageError(const std::string& message) { return qc::cli::usageError("slurm", message); }

struct SlurmArguments {
    int shards = 0;
    std::string partition, time, memory;
    int cpus = 1;
    bool dryRun = false;
    std::string jobDir;          // absolute
    std::string workDir;         // absolute: where relative paths of the score arguments start
    std::string qualiclip;       // absolute path of the program the nodes run
    QStringList scoreArguments;  // after "score", without --output
    ScoreCommandLine score;
};

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "Scores on a Slurm cluster: qualiclip slurm --shards N [options] -- score ARGS... --output "
        "ALL.jsonl\n"
        "Writes a job-array script (task I runs `qualiclip score --shard I/N --resume` with "
        "--threads from\n"
        "SLURM_CPUS_PER_TASK into its own file) and a merge job that runs `qualiclip merge` when "
        "every task\n"
        "succeeded, submits both with sbatch and prints the job ids. Paths are taken from the "
        "current\n"
        "folder, which must be on a file system the nodes share, as must the qualiclip program and "
        "the model.\n"
        "A failed or cancelled task is run again with: sbatch --array=I JOBDIR/score-array.sbatch\n"
        "(it resumes its shard), then: sbatch --dependency=afterok:NEWID JOBDIR/merge.sbatch.");
    parser.addHelpOption();
    parser.addOptions({
        {"shards", "Number of array tasks (1 to 100000).", "N"},
        {"partition", "Slurm partition (default: the cluster's).", "P"},
        {"time", "Time limit per task, as sbatch --time takes it (e.g. 02:00:00).", "T"},
        {"cpus", "CPUs per task (default 1); score uses as many threads.", "C", "1"},
        {"mem", "Memory per task, as sbatch --mem takes it (e.g. 4G).", "M"},
        {"job-dir", "Folder for the scripts, shard files and logs (default: ALL.jsonl.slurm).",
         "DIR"},
        {"qualiclip", "The qualiclip program the nodes run (default: this one).", "PATH"},
        {"dry-run", "Write the scripts only; submit nothing."},
    });
    parser.addPositionalArgument("score", "After --: the score command and its arguments.",
                                 "-- score ARGS...");
}

// 'text' for a POSIX shell, whatever it contains.
std::string shellQuote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// Slurm option values go into "#SBATCH --x=VALUE" lines, which sbatch reads without a shell.
bool safeDirectiveValue(const std::string& value) {
    return value.find_first_of("\n\r \t'\"#") == std::string::npos;
}

std::string absolute(const std::string& path) {
    return fs::absolute(path).lexically_normal().string();
}

std::string parseArguments(const QCommandLineParser& parser, SlurmArguments& a) {
    bool ok = false;
    if (!parser.isSet("shards")) return "--shards N is required";
    a.shards = parser.value("shards").toInt(&ok);
    if (!ok || a.shards < 1 || a.shards > kMaxShards)
        return "invalid --shards '" + parser.value("shards").toStdString() + "' (1 to 100000)";
    a.cpus = parser.value("cpus").toInt(&ok);
    if (!ok || a.cpus < 1 || a.cpus > 1024)
        return "invalid --cpus '" + parser.value("cpus").toStdString() + "'";
    a.partition = parser.value("partition").toStdString();
    a.time = parser.value("time").toStdString();
    a.memory = parser.value("mem").toStdString();
    for (const std::string* value : {&a.partition, &a.time, &a.memory})
        if (!safeDirectiveValue(*value))
            return "invalid value '" + *value + "' (no spaces or quotes)";
    a.dryRun = parser.isSet("dry-run");

    QStringList rest = parser.positionalArguments();
    if (rest.isEmpty() || rest.front() != "score")
        return "give the score command after --: -- score ARGS...";
    rest.front() = "qualiclip score";
    for (const QString& arg : rest.mid(1)) {
        const QString name = arg.section('=', 0, 0);
        if (name == "--shard" || name == "--resume" || name == "--threads")
            return "'" + name.toStdString() +
                   "' is set by qualiclip slurm for each task; leave it out";
        if (name == "--catalog")
            return "--catalog cannot be used on a cluster (SQLite's WAL does not work over NFS); "
                   "import the merged file afterwards with qualiclip catalog import";
        if (name == "--map" || name == "--maps-dir")
            return "quality maps are not supported in cluster runs";
    }
    std::string problem;
    const auto score = parseScoreCommandLine(rest, problem);
    if (!score) return "score arguments: " + problem;
    a.score = *score;
    if (a.score.outputPath.empty())
        return "the score arguments need --output ALL.jsonl (the merged file)";
    if (!a.score.jsonl) return "cluster runs write JSON Lines (leave out --format csv)";

    // Everything after "score" but --output FILE, which becomes one file per task.
    for (int i = 1; i < rest.size(); ++i) {
        if (rest[i] == "--output") {
            ++i;
            continue;
        }
        if (rest[i].startsWith("--output=")) continue;
        a.scoreArguments << rest[i];
    }
    if (!a.scoreArguments.contains("--no-catalog")) a.scoreArguments << "--no-catalog";
    a.workDir = fs::current_path().string();
    a.jobDir = absolute(parser.isSet("job-dir") ? parser.value("job-dir").toStdString()
                                                : a.score.outputPath + ".slurm");
    for (const std::string* folder : {&a.workDir, &a.jobDir})
        if (!safeDirectiveValue(*folder))
            return "'" + *folder +
                   "' has spaces or quotes, which #SBATCH lines cannot hold; use another folder";
    a.qualiclip = parser.isSet("qualiclip") ? absolute(parser.value("qualiclip").toStdString())
                                            : QCoreApplication::applicationFilePath().toStdString();
    return {};
}

std::string shardFile(const SlurmArguments& a, const std::string& index) {
    return a.jobDir + "/shard-" + index + ".jsonl";
}

void writeCommonDirectives(std::ostream& s, const SlurmArguments& a) {
    s << "#SBATCH --chdir=" << a.workDir << "\n";
    if (!a.partition.empty()) s << "#SBATCH --partition=" << a.partition << "\n";
    if (!a.time.empty()) s << "#SBATCH --time=" << a.time << "\n";
    if (!a.memory.empty()) s << "#SBATCH --mem=" << a.memory << "\n";
}

std::string arrayScript(const SlurmArguments& a) {
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Written by qualiclip slurm: task I of this array scores shard I/" << a.shards
      << " into its own file.\n"
      << "# Run one task again (it resumes its shard): sbatch --array=I " << a.jobDir
      << "/score-array.sbatch\n"
      << "#SBATCH --job-name=qualiclip-score\n"
      << "#SBATCH --array=0-" << a.shards - 1 << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=" << a.cpus << "\n"
      << "#SBATCH --output=" << a.jobDir << "/logs/score-%A_%a.log\n";
    writeCommonDirectives(s, a);
    s << "i=\"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch}\"\n"
      << shellQuote(a.qualiclip) << " score --shard \"$i/" << a.shards
      << "\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" --resume \\\n"
      << "  --output " << shellQuote(a.jobDir) << "/shard-\"$i\".jsonl";
    for (const QString& arg : a.scoreArguments) s << " " << shellQuote(arg.toStdString());
    s << "\n"
      << "status=$?\n"
      << "# 1: some images could not be scored; their rows say why and the merge reports them.\n"
      << "if [ \"$status\" -eq 1 ]; then exit 0; fi\n"
      << "exit \"$status\"\n";
    return s.str();
}

std::string mergeScript(const SlurmArguments& a) {
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Written by qualiclip slurm: merges the " << a.shards
      << " shard files when every array task succeeded.\n"
      << "#SBATCH --job-name=qualiclip-merge\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=1\n"
      << "#SBATCH --output=" << a.jobDir << "/logs/merge-%j.log\n";
    writeCommonDirectives(s, a);
    s << "exec " << shellQuote(a.qualiclip) << " merge --output "
      << shellQuote(absolute(a.score.outputPath));
    if (a.score.recursive) s << " --recursive";
    for (const std::string& input : a.score.inputs) s << " \\\n  --expect " << shellQuote(input);
    for (int i = 0; i < a.shards; ++i)
        s << " \\\n  " << shellQuote(shardFile(a, std::to_string(i)));
    s << "\n";
    return s.str();
}

bool writeScript(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return false;
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add, ec);
    return true;
}

// sbatch --parsable prints "JOBID" or "JOBID;CLUSTER".
std::optional<std::string> submit(const QString& sbatch, const QStringList& arguments,
                                  std::string& error) {
    QProcess process;
    process.start(sbatch, arguments);
    if (!process.waitForFinished(kSbatchTimeoutMs) ||
        process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        error = process.readAllStandardError().trimmed().toStdString();
        if (error.empty()) error = process.errorString().toStdString();
        process.kill();
        return std::nullopt;
    }
    const QString id =
        QString::fromUtf8(process.readAllStandardOutput()).trimmed().section(';', 0, 0);
    if (id.isEmpty()) {
        error = "sbatch printed no job id";
        return std::nullopt;
    }
    return id.toStdString();
}

}  // namespace

int runSlurmCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "slurm")) return *stop;
    SlurmArguments args;
    if (const std::string problem = parseArguments(parser, args); !problem.empty())
        return usageError(problem);

    std::error_code ec;
    fs::create_directories(args.jobDir + "/logs", ec);
    if (ec) return usageError("cannot create '" + args.jobDir + "/logs': " + ec.message());
    const std::string arrayPath = args.jobDir + "/score-array.sbatch",
                      mergePath = args.jobDir + "/merge.sbatch";
    for (const auto& [path, text] :
         {std::pair{arrayPath, arrayScript(args)}, std::pair{mergePath, mergeScript(args)}})
        if (!writeScript(path, text)) return usageError("cannot write '" + path + "'");
    std::cout << "wrote " << arrayPath << "\nwrote " << mergePath << "\n";
    if (args.dryRun) {
        std::cout << "submit with: id=$(sbatch --parsable " << arrayPath
                  << ") && sbatch --dependency=afterok:$id " << mergePath << "\n";
        return kExitOk;
    }

    const QString sbatch = QStandardPaths::findExecutable("sbatch");
    if (sbatch.isEmpty()) {
        std::cerr << "qualiclip slurm: sbatch not found on PATH (is this a Slurm login node?); the "
                     "scripts are "
                     "written, --dry-run writes them only\n";
        return kExitFailed;
    }
    std::string error;
    const auto arrayId = submit(sbatch, {"--parsable", QString::fromStdString(arrayPath)}, error);
    if (!arrayId) {
        std::cerr << "qualiclip slurm: sbatch " << arrayPath << " failed: " << error << "\n";
        return kExitFailed;
    }
    const auto mergeId =
        submit(sbatch,
               {"--parsable", QString::fromStdString("--dependency=afterok:" + *arrayId),
                QString::fromStdString(mergePath)},
               error);
    if (!mergeId) {
        std::cerr << "qualiclip slurm: score array job " << *arrayId << " submitted, but sbatch "
                  << mergePath << " failed: " << error << "\n";
        return kExitFailed;
    }
    std::cout << "score array job " << *arrayId << " (" << args.shards << " tasks)\n"
              << "merge job " << *mergeId << " (runs when every task succeeded)\n"
              << "check with: squeue -j " << *arrayId << "," << *mergeId << "\n"
              << "merged rows: " << absolute(args.score.outputPath) << "\n";
    return kExitOk;
}

}  // namespace qc::cli
