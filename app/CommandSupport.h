// What every `qualiclip` subcommand shares: exit statuses, usage errors, --help handling and the
// interrupt flag that long runs check between images.
#pragma once

#include <QCommandLineParser>
#include <QStringList>

#include <atomic>
#include <optional>
#include <string>

#include "engine/ComputeDevice.h"

namespace qc::cli {

// 0 success, 1 some images (or the operation) failed, 2 usage or model error, 130 interrupted.
inline constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitInterrupted = 130;

// "qualiclip <command>: <message>" and a hint on stderr; returns kExitUsage. The default hint
// points to the command's --help.
int usageError(const std::string& command, const std::string& message, const std::string& hint = {});

// Parses the arguments; returns the status to exit with when the command should stop here (help
// printed: 0; a parse error reported: 2), or nullopt to go on.
std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& arguments,
                                    const std::string& command, const std::string& hint = {});

// --device, --precision and --batch, for every command that runs the network.
void addDeviceOptions(QCommandLineParser& parser);
// The model options they ask for, or the problem (an unknown value, CUDA on a CPU-only LibTorch)
// in one sentence. `batch` is ScoringOptions::batch.
std::string parseDeviceOptions(const QCommandLineParser& parser, ModelOptions& options, int& batch);

// From now on SIGINT and SIGTERM set the flag instead of killing the program, so a run stops
// between images and never leaves a half-written row.
const std::atomic<bool>& watchInterrupts();
// Sets the flag watchInterrupts() returns, as an interrupt would: the program itself stops a
// run that cannot go on (e.g. its output cannot be written).
void stopRun();

}  // namespace qc::cli
