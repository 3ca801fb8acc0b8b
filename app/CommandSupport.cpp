#include "CommandSupport.h"

#include <csignal>
#include <iostream>

namespace qc::cli {
namespace {

std::atomic<bool> g_interrupted{false};

void onInterrupt(int) { g_interrupted.store(true); }

}  // namespace

int usageError(const std::string& command, const std::string& message, const std::string& hint) {
    std::cerr << "qualiclip " << command << ": " << message << "\n"
              << (hint.empty() ? "Try 'qualiclip " + command + " --help'.\n" : hint);
    return kExitUsage;
}

std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& arguments,
                                    const std::string& command, const std::string& hint) {
    if (!parser.parse(arguments)) return usageError(command, parser.errorText().toStdString(), hint);
    if (parser.isSet("help")) {
        std::cout << parser.helpText().toStdString();
        return kExitOk;
    }
    return std::nullopt;
}

const std::atomic<bool>& watchInterrupts() {
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return g_interrupted;
}

}  // namespace qc::cli
