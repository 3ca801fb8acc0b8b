#include "CommandSupport.h"
#include "ModelsCommand.h"

#include <QCommandLineParser>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "engine/Checkpoint.h"
#include "engine/FileHashCache.h"
#include "models/InstalledModels.h"
#include "models/ModelDownloader.h"
#include "models/ModelLocator.h"
#include "models/ModelRegistry.h"
#include "engine/ModelSpec.h"
#include "engine/PromptLearner.h"

namespace qc::cli {
namespace {


const char* kModelsUsage =
    "Usage: qualiclip models <list|download|verify> [options]\n"
    "\n"
    "  list                         the known models and the files in the models folder\n"
    "  download [ID] [--url URL]    download a model (default: qualiclip) and its files (CLIP's\n"
    "                               vocabulary, for custom prompts; for a QualiCLIP+ model such as\n"
    "                               qualiclip+-koniq also the QualiCLIP weights) into the models folder;\n"
    "                               --url fetches it from a mirror; --force downloads it again\n"
    "  verify [PATH]                print a model file's SHA-256 and check every tensor\n"
    "                               (default: the model the program would use); exit 0 only if valid\n";

int usageError(const std::string& message) {
    return qc::cli::usageError("models", message, std::string("\n") + kModelsUsage);
}

std::string activeModelPath() {
    const ModelLocation location = locateModel("");
    if (!location.path) return {};
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(*location.path, ec);
    return ec ? *location.path : canonical.string();
}

bool samePath(const std::string& a, const std::string& b) {
    std::error_code ec;
    return !a.empty() && !b.empty() && std::filesystem::equivalent(a, b, ec);
}

int listModels() {
    const std::string folder = defaultModelsFolder();
    const std::string active = activeModelPath();
    const std::vector<InstalledModel> installed = listInstalledModels(folder);
    std::cout << "Models folder: " << folder << "\n\nKnown models:\n";
    for (const RegistryEntry& e : modelRegistry()) {
        const InstalledModel* found = nullptr;
        for (const InstalledModel& m : installed)
            if (m.fileName == e.fileName) found = &m;
        std::cout << "  " << e.id << "  " << e.name << "\n"
                  << "      file " << e.fileName << ", "
                  << (e.size ? formatBytes(*e.size) : std::string("size not published")) << ", licence " << e.licence
                  << (e.isPromptLearner() ? "\n      learned prompts for the weights of '" + e.base +
                                                "', scored by pyiqa's recipe"
                                          : std::string())
                  << "\n      " << e.url << "\n      "
                  << (found ? "installed" + std::string(samePath(found->path, active) ? " (active)" : "")
                            : std::string("not installed: qualiclip models download ") + e.id)
                  << "\n";
    }
    std::cout << "\nInstalled files:\n";
    if (installed.empty()) std::cout << "  (none)\n";
    for (const InstalledModel& m : installed) {
        std::cout << "  " << m.fileName << "  " << formatBytes(m.size) << "  sha256 "
                  << (!m.record                 ? std::string("not recorded (qualiclip models verify)")
                      : changedSinceRecorded(m) ? "unknown: the file changed after its download (qualiclip models verify)"
                                                : m.record->sha256)
                  << (samePath(m.path, active) ? "  (active)" : "") << "\n";
    }
    if (!active.empty() && installed.end() == std::find_if(installed.begin(), installed.end(), [&](const InstalledModel& m) {
            return samePath(m.path, active);
        }))
        std::cout << "\nActive model (from $QUALICLIP_MODEL): " << active << "\n";
    return kExitOk;
}

class DownloadProgressLine {
public:
    DownloadProgressLine() : enabled_(isatty(STDERR_FILENO) != 0) {}
    void update(const DownloadProgress& p) {
        if (!enabled_) return;
        std::fprintf(stderr, "\r%-70s", describeProgress(p).c_str());
        std::fflush(stderr);
    }
    void finish() {
        if (enabled_) std::fputs("\n", stderr);
    }

private:
    bool enabled_;
};

int downloadModel(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({{"url", "Download from URL (a mirror) instead of the registry's address.", "URL"},
                       {"force", "Download again even when the model is installed."}});
    parser.addPositionalArgument("ID", "A model id from 'qualiclip models list' (default: qualiclip).", "[ID]");
    if (const auto stop = parseCommandLine(parser, arguments, "models", std::string("\n") + kModelsUsage))
        return *stop;
    const QStringList ids = parser.positionalArguments();
    if (ids.size() > 1) return usageError("download takes one model id");
    const std::string id = ids.isEmpty() ? modelRegistry().front().id : ids.front().toStdString();
    const std::optional<RegistryEntry> entry = findRegistryEntry(id);
    if (!entry) return usageError("no model '" + id + "' in the registry (see 'qualiclip models list')");
    const std::string url = parser.value("url").toStdString();
    if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        return usageError("--url must be an http:// or https:// address");

    const std::string folder = defaultModelsFolder();
    const std::string target = (std::filesystem::path(folder) / entry->fileName).string();
    std::error_code ec;
    if (std::filesystem::exists(target, ec) && !parser.isSet("force")) {
        std::cout << entry->name << " is already installed at " << target
                  << " (--force downloads it again)\n";
        // Its companion files (CLIP's vocabulary) may still be missing: models installed before
        // the registry listed them; and a QualiCLIP+ file needs its base weights.
        const DownloadResult companions = installRequirements(*entry, folder, url);
        if (!companions.ok) std::cerr << "qualiclip models: " << companions.error << "\n";
        return companions.ok ? kExitOk : kExitFailed;
    }
    std::cerr << "Downloading " << entry->name << " (licence " << entry->licence << ") from "
              << (url.empty() ? entry->url : url) << "\n";
    const std::atomic<bool>& interrupted = watchInterrupts();
    DownloadProgressLine line;
    const DownloadResult result =
        installModel(*entry, folder, url, [&](const DownloadProgress& p) { line.update(p); }, &interrupted);
    line.finish();
    if (result.cancelled) {
        std::cerr << "qualiclip models: download interrupted; run the command again to resume\n";
        return kExitInterrupted;
    }
    if (!result.ok) {
        std::cerr << "qualiclip models: " << result.error << "\n";
        return kExitFailed;
    }
    if (!result.warning.empty()) std::cerr << "qualiclip models: warning: " << result.warning << "\n";
    std::cout << "Installed " << result.path << "\n  " << formatBytes(result.bytes) << ", sha256 " << result.sha256
              << (result.resumed ? ", resumed after an interruption" : "") << "\n"
              << "Please cite: " << entry->citation << "\n";
    return kExitOk;
}

int verifyModel(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument("PATH", "A model file (default: the one the program would use).", "[PATH]");
    if (const auto stop = parseCommandLine(parser, arguments, "models", std::string("\n") + kModelsUsage))
        return *stop;
    const QStringList paths = parser.positionalArguments();
    if (paths.size() > 1) return usageError("verify takes one file");
    std::string path = paths.isEmpty() ? std::string() : paths.front().toStdString();
    if (path.empty()) {
        const ModelLocation location = locateModel("");
        if (!location.path) {
            std::cerr << "qualiclip models: " << missingModelMessage(location) << "\n";
            return kExitUsage;
        }
        path = *location.path;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        std::cerr << "qualiclip models: '" << path << "': no such file\n";
        return kExitUsage;
    }
    std::cout << "file    " << path << "\n";
    std::cout << "size    " << std::filesystem::file_size(path, ec) << " bytes\n";
    try {
        const std::string sha256 = sha256OfFile(path);  // asked to check: always the whole file
        rememberSha256(path, sha256);                    // so reading it below does not hash again
        std::cout << "sha256  " << sha256 << "\n";
        const Checkpoint checkpoint = readCheckpoint(path);
        if (checkpoint.tensors.count("prompt_learner.ctx")) {  // a QualiCLIP+ file (pyiqa's format)
            const PromptLearner learner = PromptLearner::fromCheckpoint(checkpoint);
            std::cout << "valid   yes: QualiCLIP+ prompt learner, " << learner.promptCount() << " prompts of "
                      << learner.contextTokens() << " learned context tokens, width " << learner.width() << "\n";
            return kExitOk;
        }
        const ModelSpec spec = inferModelSpec(checkpoint);
        validateCheckpoint(checkpoint, spec);
        std::cout << "valid   yes: " << checkpoint.tensors.size() << " tensors, ResNet width " << spec.width
                  << ", blocks " << spec.blocks[0] << "-" << spec.blocks[1] << "-" << spec.blocks[2] << "-"
                  << spec.blocks[3] << ", " << spec.pairCount << " prompt pairs\n";
        if (const auto record = installedRecordOf(path); record && record->sha256 != checkpoint.sha256) {
            std::cout << "installed  SHA-256 differs from the one recorded at its download (" << record->sha256
                      << "): the file changed since\n";
            return kExitFailed;
        }
        const std::string fileName = std::filesystem::path(path).filename().string();
        if (const auto entry = findRegistryEntryByFile(fileName); entry && !entry->sha256.empty()) {
            if (entry->sha256 != checkpoint.sha256) {
                std::cout << "registry  SHA-256 differs from the registry's " << entry->sha256 << "\n";
                return kExitFailed;
            }
            std::cout << "registry  SHA-256 matches '" << entry->id << "'\n";
        }
        return kExitOk;
    } catch (const std::exception& e) {
        std::cout << "valid   no: " << e.what() << "\n";
        return kExitFailed;
    }
}

}  // namespace

int runModelsCommand(const QStringList& arguments) {
    const QString action = arguments.size() > 1 ? arguments.at(1) : QString();
    if (action.isEmpty() || action == "-h" || action == "--help" || action == "help") {
        std::cout << kModelsUsage;
        return action.isEmpty() ? kExitUsage : kExitOk;
    }
    QStringList rest = arguments.mid(1);
    rest[0] = "qualiclip models " + action;
    if (action == "list") {
        if (rest.size() > 1) return usageError("list takes no arguments");
        return listModels();
    }
    if (action == "download") return downloadModel(rest);
    if (action == "verify") return verifyModel(rest);
    return usageError("unknown action '" + action.toStdString() + "'");
}

}  // namespace qc::cli
