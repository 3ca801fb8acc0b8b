// `qualiclip score`: scores images with the core engine and writes one row per image.
#pragma once

#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace qc::cli {

// Exit status: 0 every image scored, 1 some failed, 2 usage or model error, 130 interrupted.
int runScoreCommand(const QStringList& arguments);

// What a `score` command line names, checked as runScoreCommand checks it, for commands that
// run `score` elsewhere (`qualiclip slurm`). `arguments` starts with the command name.
struct ScoreCommandLine {
    std::vector<std::string> inputs;  // images and folders, as given
    bool recursive = false;
    std::string outputPath;  // empty: standard output
    bool jsonl = true;
};
// nullopt with `problem` set when the arguments are not a valid `score` command line.
std::optional<ScoreCommandLine> parseScoreCommandLine(const QStringList& arguments,
                                                      std::string& problem);

}  // namespace qc::cli
