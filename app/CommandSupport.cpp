#include "CommandSupport.h"

#include <QCoreApplication>

#include "engine/PrecisionChoice.h"

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
        // Qt writes argv[0] (the binary's full path) into the usage line; name the subcommand.
        QString help = parser.helpText();
        const QString program = QCoreApplication::arguments().value(0);
        if (const auto at = program.isEmpty() ? -1 : help.indexOf(program); at >= 0)
            help.replace(at, program.size(), QString::fromStdString("qualiclip " + command));
        std::cout << help.toStdString();
        return kExitOk;
    }
    return std::nullopt;
}

const std::atomic<bool>& watchInterrupts() {
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return g_interrupted;
}

void stopRun() { g_interrupted = true; }

}  // namespace qc::cli

namespace qc::cli {

void addDeviceOptions(QCommandLineParser& parser) {
    parser.addOptions({
        {"device", "Where the network runs: auto (a CUDA GPU when this LibTorch has CUDA and one is present, "
                   "else the CPU; default), cpu, cuda or cuda:N.", "DEVICE", "auto"},
        {"precision", "float32 (the reference's numbers, default); bfloat16 on a CPU with AVX512-BF16 or AMX "
                      "(else float32 runs) or on CUDA; tf32 or float16 on CUDA only (faster, other numbers; "
                      "recorded in every row and the catalog key).", "PRECISION",
         "float32"},
        {"batch", "Images of one size per network pass (default 0: 8 on a GPU; 4 on the CPU, 1 with --resize native).", "N", "0"},
    });
}

std::string parseDeviceOptions(const QCommandLineParser& parser, ModelOptions& options, int& batch) {
    const std::string precision = parser.value("precision").toStdString();
    const auto parsed = parsePrecision(precision);
    if (!parsed) return "invalid --precision '" + precision + "' (float32, tf32, float16 or bfloat16)";
    bool ok = false;
    batch = parser.value("batch").toInt(&ok);
    if (!ok || batch < 0 || batch > 256) return "invalid --batch '" + parser.value("batch").toStdString() + "' (0 to 256)";
    try {
        options.device = resolveDevice(parser.value("device").toStdString());
        const PrecisionChoice choice = choosePrecision(options.device, *parsed);
        if (!choice.fallback.empty())
            std::cerr << "qualiclip: --precision " << choice.fallback
                      << " (recorded as such in every row)\n";
        options.precision = choice.precision;
        checkPrecision(options.device, options.precision);
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

}  // namespace qc::cli
