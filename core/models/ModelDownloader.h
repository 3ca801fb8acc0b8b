// ModelDownloader: fetches a model file over HTTP(S) with Qt Network and installs it only once
// it is known to be good. Bytes go to `<destination>.part`; an interrupted download resumes with
// an HTTP Range request (within one run, up to `maxAttempts` connections, and across runs, since
// the .part stays); a server that ignores Range restarts it from zero. Refused, with a message in
// words: HTTP errors, a web page served instead of the file (by Content-Type, or by its first
// bytes: a checkpoint is a zip and starts with "PK"), a body shorter than its Content-Length,
// write errors (full disk), more than `maxRedirects` redirects, a SHA-256 other than the one
// expected, and a file the engine's own checks refuse (readCheckpoint + inferModelSpec +
// validateCheckpoint). Only then is the .part renamed over the destination, in one atomic
// step: a model already installed there keeps working until the new one is complete and valid.
// Proxies come from the environment (http_proxy, https_proxy, no_proxy).
//
// Usage:
//   qc::DownloadOptions options;  options.url = ...;  options.destination = ".../qualiclip.pth";
//   qc::DownloadResult r = qc::ModelDownloader(options).run(onProgress, &cancelFlag);
//
// run() blocks and spins a local Qt event loop, so it needs a QCoreApplication in the process
// and may be called on any thread (the CLI's main thread, a GUI pool thread). Progress calls
// come on that thread; `cancel` is polled every 100 ms (a cancelled download keeps its .part).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "models/ModelRegistry.h"

namespace qc {

struct DownloadOptions {
    std::string url;
    std::string destination;     // final path; parent folders are created
    std::string expectedSha256;  // lowercase hex; empty = not known
    int64_t expectedSize = -1;   // bytes; -1 = not known
    int maxRedirects = 5;
    int maxAttempts = 3;             // connections per run() (resumes after a dropped connection)
    int stallTimeoutMs = 60000;      // a connection with no data for this long is retried
    bool validateCheckpoint = true;  // the engine's checks of every tensor before installing
    bool promptLearner = false;      // ... of a QualiCLIP+ prompt-learner file (engine/PromptLearner.h) instead
    std::string magic = "PK";        // the file's first bytes: a checkpoint is a zip; gzip is "\x1f\x8b"
};

struct DownloadProgress {
    enum class Stage { Downloading, Verifying };
    Stage stage = Stage::Downloading;
    int64_t received = 0;  // bytes in the .part, resumed ones included
    int64_t total = -1;    // -1 while unknown
    double bytesPerSecond = 0;
    double secondsLeft = -1;  // -1 while unknown
};

// "12.3 MB of 400.0 MB, 5.1 MB/s, 1:12 left"
std::string describeProgress(const DownloadProgress& progress);

struct DownloadResult {
    bool ok = false;
    bool cancelled = false;
    std::string error;    // names the URL or file and the problem; empty when ok or cancelled
    std::string path;     // the installed file when ok
    std::string sha256;   // of the installed file
    int64_t bytes = 0;
    int attempts = 0;     // connections made
    bool resumed = false; // some bytes came from an earlier connection or run
    std::string warning;  // installModel(): the hash differs from the first download's
};

using DownloadProgressCallback = std::function<void(const DownloadProgress&)>;

class ModelDownloader {
public:
    explicit ModelDownloader(DownloadOptions options);
    DownloadResult run(const DownloadProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

private:
    DownloadOptions options_;
};

// Downloads the entry's companion files (RegistryEntry::files, e.g. CLIP's vocabulary) that are
// missing from `folder` or whose SHA-256 differs, each verified like the model (no checkpoint
// checks). Stops at the first failure; ok when every file is in place. With a mirror URL for
// the model, companions come from the same mirror folder (".../qualiclip.pth" -> ".../<file>").
DownloadResult installCompanionFiles(const RegistryEntry& entry, const std::string& folder,
                                     const DownloadProgressCallback& progress = {},
                                     const std::atomic<bool>* cancel = nullptr,
                                     const std::string& modelUrlOverride = {});
std::string companionUrl(const RegistryFile& file, const std::string& modelUrlOverride);

// Downloads a registry entry (from `urlOverride` when not empty: a mirror, or a test server)
// into `folder`/entry.fileName and records its hash in the folder's installed.json; sets
// result.warning when an earlier download of it had another hash. Then its companion files
// (installCompanionFiles); a failure there is a warning: the model is installed and scores.
// A prompt-learner entry (QualiCLIP+) first gets what it scores with: its base entry's weights
// when they are not in `folder` (from the mirror folder too, with an override) and the base's
// companion files (CLIP's vocabulary, which it needs); a failure there stops the download.
DownloadResult installModel(const RegistryEntry& entry, const std::string& folder, const std::string& urlOverride,
                            const DownloadProgressCallback& progress = {},
                            const std::atomic<bool>* cancel = nullptr);

// What an installed entry needs besides its own file, fetched when missing: its companion files,
// or for a prompt-learner entry the base weights and the base's companion files.
DownloadResult installRequirements(const RegistryEntry& entry, const std::string& folder,
                                   const std::string& urlOverride = {},
                                   const DownloadProgressCallback& progress = {},
                                   const std::atomic<bool>* cancel = nullptr);

}  // namespace qc
