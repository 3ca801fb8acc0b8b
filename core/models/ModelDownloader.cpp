#include "models/ModelDownloader.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "engine/Checkpoint.h"
#include "engine/FileHashCache.h"
#include "Errors.h"
#include "models/InstalledModels.h"
#include "engine/ModelSpec.h"
#include "engine/PromptLearner.h"

namespace qc {
namespace fs = std::filesystem;
namespace {

enum class Outcome { Complete, Retry, Fatal, Cancelled };

struct AttemptResult {
    Outcome outcome = Outcome::Complete;
    std::string message;
};

int64_t fileSize(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : static_cast<int64_t>(size);
}

void removeFile(const std::string& path) {
    std::error_code ec;
    fs::remove(path, ec);
}

bool looksLikeHtml(const QByteArray& bytes) {
    const QByteArray head = bytes.left(1024).trimmed().toLower();
    return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head") ||
           head.startsWith("<body") || (head.startsWith("<") && head.contains("<html"));
}

std::string quoted(const QUrl& url) { return "'" + url.toString().toStdString() + "'"; }

// One connection: request (with Range when a .part exists), stream to the .part, and decide
// whether the file is complete, worth another connection, or refused.
class Transfer {
public:
    Transfer(QNetworkAccessManager& nam, const DownloadOptions& options, const std::string& partPath,
             const DownloadProgressCallback& progress, const std::atomic<bool>* cancel)
        : nam_(nam), options_(options), partPath_(partPath), progress_(progress), cancel_(cancel), part_(QString::fromStdString(partPath)) {}

    bool resumed() const { return resumed_; }

    AttemptResult run() {
        offset_ = fileSize(partPath_);
        if (options_.expectedSize > 0 && offset_ == options_.expectedSize)
            return {Outcome::Complete, {}};  // finished by an earlier run, not yet verified
        if (options_.expectedSize > 0 && offset_ > options_.expectedSize) {
            removeFile(partPath_);
            offset_ = 0;
        }
        startOffset_ = offset_;
        written_ = offset_;
        sniffed_ = offset_ > 0;

        QNetworkRequest request(QUrl(QString::fromStdString(options_.url)));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        request.setMaximumRedirectsAllowed(options_.maxRedirects);
        request.setTransferTimeout(options_.stallTimeoutMs);
        // Asking for the bytes as stored keeps Content-Length and Range in file bytes.
        request.setRawHeader("Accept-Encoding", "identity");
        request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("qualiclip/" QCI_VERSION));
        if (offset_ > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(offset_) + "-");

        std::unique_ptr<QNetworkReply> reply(nam_.get(request));
        reply_ = reply.get();
        QEventLoop loop;
        QObject::connect(reply_, &QNetworkReply::readyRead, &loop, [this] { onData(); });
        QObject::connect(reply_, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer poll;
        poll.setInterval(100);
        QObject::connect(&poll, &QTimer::timeout, &loop, [this] {
            if (cancel_ && cancel_->load()) decide(Outcome::Cancelled, {});
            report(false);
        });
        poll.start();
        clock_.start();
        if (!reply_->isFinished()) loop.exec();
        poll.stop();

        if (!decided_) onData();  // an empty body, or headers only
        if (!decided_) finish();
        part_.close();
        reply_ = nullptr;
        report(true);
        return result_;
    }

private:
    void decide(Outcome outcome, const std::string& message) {
        if (decided_) return;
        decided_ = true;
        result_ = {outcome, message};
        if (reply_ && !reply_->isFinished() && reply_->error() == QNetworkReply::NoError) reply_->abort();
    }

    // Returns false when the headers refuse the response (decided) or are not there yet.
    bool checkHeaders() {
        if (headersSeen_) return true;
        const QVariant statusAttribute = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!statusAttribute.isValid()) return false;
        headersSeen_ = true;
        const int status = statusAttribute.toInt();
        const std::string where = quoted(reply_->url());
        const std::string reason = reply_->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().toStdString();
        if (status == 416 && offset_ > 0) {
            // Our .part is longer than the file, or the file changed: start again from zero.
            removeFile(partPath_);
            decide(Outcome::Retry, where + ": the server could not resume the download (HTTP 416)");
            return false;
        }
        if (status >= 400) {
            decide(Outcome::Fatal, where + ": the server answered HTTP " + std::to_string(status) +
                                       (reason.empty() ? "" : " " + reason));
            return false;
        }
        if (status >= 300 && status < 400) {  // what Qt hands back once maxRedirects are used up
            decide(Outcome::Fatal, "'" + options_.url + "': more than " + std::to_string(options_.maxRedirects) +
                                       " redirects");
            return false;
        }
        if (status != 200 && status != 206) {
            decide(Outcome::Fatal, where + ": unexpected HTTP status " + std::to_string(status));
            return false;
        }
        const QByteArray type = reply_->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
        if (type.startsWith("text/html") || type.startsWith("application/xhtml")) {
            decide(Outcome::Fatal, where + ": the server sent a web page (" + type.toStdString() +
                                       ") instead of the model file; the link may lead to a download page "
                                       "or need a login");
            return false;
        }
        const QVariant lengthHeader = reply_->header(QNetworkRequest::ContentLengthHeader);
        const int64_t length = lengthHeader.isValid() ? lengthHeader.toLongLong() : -1;
        if (status == 206) {
            static const QRegularExpression range(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$"));
            const auto match = range.match(QString::fromLatin1(reply_->rawHeader("Content-Range")).trimmed());
            if (!match.hasMatch() || match.captured(1).toLongLong() != offset_) {
                removeFile(partPath_);
                decide(Outcome::Retry, where + ": the server resumed at the wrong place; starting again");
                return false;
            }
            resumed_ = true;
            expectedEnd_ = match.captured(3) != QLatin1String("*") ? match.captured(3).toLongLong()
                                                                    : (length >= 0 ? offset_ + length : -1);
        } else {
            if (offset_ > 0) {  // the server ignored Range: the whole file comes again
                offset_ = startOffset_ = written_ = 0;
                sniffed_ = false;
            }
            expectedEnd_ = length;
        }
        const QIODevice::OpenMode mode = offset_ > 0 ? QIODevice::Append : (QIODevice::WriteOnly | QIODevice::Truncate);
        if (!part_.open(mode)) {
            decide(Outcome::Fatal, "cannot write '" + partPath_ + "': " + part_.errorString().toStdString());
            return false;
        }
        return true;
    }

    void onData() {
        if (decided_ || !checkHeaders()) return;
        const QByteArray data = reply_->readAll();
        if (data.isEmpty()) return;
        if (!sniffed_) {
            head_ += data.left(1024);
            if (head_.size() >= 2) {
                sniffed_ = true;
                if (!head_.startsWith(QByteArray::fromStdString(options_.magic))) {
                    const std::string where = quoted(reply_->url());
                    decide(Outcome::Fatal,
                           looksLikeHtml(head_)
                               ? where + ": the server sent a web page instead of the model file; the link may "
                                         "lead to a download page or need a login"
                               : where + (options_.magic == "PK" ? std::string(": this is not a PyTorch checkpoint (it does not start like a zip archive)")
                                                       : std::string(": this is not the expected file (wrong first bytes)")));
                    return;
                }
            }
        }
        errno = 0;
        if (part_.write(data) != data.size() || !part_.flush()) {
            // Qt says "Unknown error" for some failures (EFBIG); the system's own reason is clearer.
            const int reason = errno;
            decide(Outcome::Fatal, "cannot write '" + partPath_ + "': " +
                                       (reason != 0 ? std::string(std::strerror(reason)) : part_.errorString().toStdString()) +
                                       " (is the disk full?)");
            return;
        }
        written_ += data.size();
        report(false);
        if (cancel_ && cancel_->load()) decide(Outcome::Cancelled, {});
    }

    void finish() {
        const std::string where = quoted(reply_->url());
        const QNetworkReply::NetworkError error = reply_->error();
        const std::string got = formatBytes(written_) + (expectedEnd_ >= 0 ? " of " + formatBytes(expectedEnd_) : "");
        switch (error) {
        case QNetworkReply::NoError:
            break;
        case QNetworkReply::TooManyRedirectsError:
            return decide(Outcome::Fatal, "'" + options_.url + "': more than " + std::to_string(options_.maxRedirects) +
                                              " redirects");
        case QNetworkReply::InsecureRedirectError:
            return decide(Outcome::Fatal, "'" + options_.url + "': redirected from https to plain http; refused");
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::HostNotFoundError:
        case QNetworkReply::ProtocolUnknownError:
        case QNetworkReply::ProtocolInvalidOperationError:
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::ProxyConnectionRefusedError:
        case QNetworkReply::ProxyNotFoundError:
        case QNetworkReply::ProxyAuthenticationRequiredError:
            return decide(Outcome::Fatal, where + ": " + reply_->errorString().toStdString());
        default:
            return decide(Outcome::Retry, where + ": the connection was lost after " + got + " (" +
                                              reply_->errorString().toStdString() + ")");
        }
        if (expectedEnd_ >= 0 && written_ < expectedEnd_)
            return decide(Outcome::Retry, where + ": the download was cut short: " + got + " arrived");
        if (written_ == 0) return decide(Outcome::Fatal, where + ": the server sent an empty file");
        if (!sniffed_) return decide(Outcome::Fatal, where + ": this is not a PyTorch checkpoint (too short)");
        decide(Outcome::Complete, {});
    }

    void report(bool force) {
        if (!progress_) return;
        if (!force && sinceReport_.isValid() && sinceReport_.elapsed() < 100) return;
        sinceReport_.start();
        DownloadProgress p;
        p.received = written_;
        p.total = expectedEnd_;
        const double seconds = clock_.isValid() ? clock_.elapsed() / 1000.0 : 0;
        p.bytesPerSecond = seconds > 0.2 ? (written_ - startOffset_) / seconds : 0;
        if (p.total > 0 && p.bytesPerSecond > 0) p.secondsLeft = (p.total - p.received) / p.bytesPerSecond;
        progress_(p);
    }

    QNetworkAccessManager& nam_;
    const DownloadOptions& options_;
    const std::string& partPath_;
    const DownloadProgressCallback& progress_;
    const std::atomic<bool>* cancel_;
    QFile part_;
    QNetworkReply* reply_ = nullptr;
    QElapsedTimer clock_, sinceReport_;
    QByteArray head_;
    int64_t offset_ = 0, startOffset_ = 0, written_ = 0, expectedEnd_ = -1;
    bool headersSeen_ = false, sniffed_ = false, decided_ = false, resumed_ = false;
    AttemptResult result_;
};

}  // namespace

std::string describeProgress(const DownloadProgress& p) {
    if (p.stage == DownloadProgress::Stage::Verifying) return "verifying " + formatBytes(p.received) + "\u2026";
    std::string text = formatBytes(p.received);
    if (p.total > 0) text += " of " + formatBytes(p.total);
    if (p.bytesPerSecond > 0) text += ", " + formatBytes(static_cast<int64_t>(p.bytesPerSecond)) + "/s";
    if (p.secondsLeft >= 0) {
        const long left = static_cast<long>(p.secondsLeft + 0.5);
        char buffer[48];
        if (left >= 3600) std::snprintf(buffer, sizeof buffer, ", %ld:%02ld:%02ld left", left / 3600, left / 60 % 60, left % 60);
        else std::snprintf(buffer, sizeof buffer, ", %ld:%02ld left", left / 60, left % 60);
        text += buffer;
    }
    return text;
}

ModelDownloader::ModelDownloader(DownloadOptions options) : options_(std::move(options)) {}

DownloadResult ModelDownloader::run(const DownloadProgressCallback& progress, const std::atomic<bool>* cancel) {
    DownloadResult result;
    const std::string partPath = options_.destination + ".part";
    auto refuse = [&](const std::string& message) {
        removeFile(partPath);
        result.error = message;
        return result;
    };
    std::error_code ec;
    const fs::path parent = fs::path(options_.destination).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) {
        result.error = "cannot create the folder '" + parent.string() + "': " + ec.message();
        return result;
    }

    // http_proxy, https_proxy and no_proxy, as curl and wget read them.
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QNetworkAccessManager nam;
    bool complete = false;
    std::string lastError;
    for (int attempt = 1; attempt <= std::max(1, options_.maxAttempts) && !complete; ++attempt) {
        result.attempts = attempt;
        Transfer transfer(nam, options_, partPath, progress, cancel);
        const AttemptResult a = transfer.run();
        result.resumed = result.resumed || transfer.resumed();
        switch (a.outcome) {
        case Outcome::Complete: complete = true; break;
        case Outcome::Cancelled: result.cancelled = true; return result;  // the .part stays for a resume
        case Outcome::Fatal: return refuse(a.message);
        case Outcome::Retry: lastError = a.message; break;
        }
    }
    if (!complete) {
        const int64_t kept = fileSize(partPath);
        result.error = lastError + (kept > 0 ? "; " + formatBytes(kept) + " kept in '" + partPath +
                                                   "', downloading again resumes from there"
                                             : std::string());
        return result;
    }

    if (cancel && cancel->load()) {
        result.cancelled = true;
        return result;
    }
    result.bytes = fileSize(partPath);
    if (progress) {
        DownloadProgress p;
        p.stage = DownloadProgress::Stage::Verifying;
        p.received = p.total = result.bytes;
        progress(p);
    }
    if (options_.expectedSize > 0 && result.bytes != options_.expectedSize)
        return refuse("'" + options_.url + "': the file has " + std::to_string(result.bytes) + " bytes, expected " +
                      std::to_string(options_.expectedSize) + "; it was not installed");
    try {
        result.sha256 = sha256OfFile(partPath);
        rememberSha256(partPath, result.sha256);  // the check below reads the file without hashing it again
    } catch (const QualiClipError& e) {
        return refuse(e.what());
    }
    if (!options_.expectedSha256.empty() && result.sha256 != options_.expectedSha256)
        return refuse("'" + options_.url + "': SHA-256 mismatch: expected " + options_.expectedSha256 + ", got " +
                      result.sha256 + "; the file was not installed");
    if (options_.validateCheckpoint) {
        try {
            const Checkpoint checkpoint = readCheckpoint(partPath);
            if (options_.promptLearner)
                PromptLearner::fromCheckpoint(checkpoint);
            else
                validateCheckpoint(checkpoint, inferModelSpec(checkpoint));
        } catch (const std::exception& e) {
            return refuse(std::string("the downloaded file is not a usable ") +
                          (options_.promptLearner ? "QualiCLIP+ prompt-learner file" : "QualiCLIP model") +
                          " and was not installed: " + e.what());
        }
    }
    fs::rename(partPath, options_.destination, ec);  // atomic: the old model stays until now
    if (ec) return refuse("cannot move '" + partPath + "' to '" + options_.destination + "': " + ec.message());
    result.ok = true;
    result.path = options_.destination;
    return result;
}

DownloadResult installRequirements(const RegistryEntry& entry, const std::string& folder,
                                   const std::string& urlOverride, const DownloadProgressCallback& progress,
                                   const std::atomic<bool>* cancel) {
    if (!entry.isPromptLearner()) return installCompanionFiles(entry, folder, progress, cancel, urlOverride);
    const std::optional<RegistryEntry> base = findRegistryEntry(entry.base);
    DownloadResult result;
    if (!base) {
        result.error = "'" + entry.id + "' needs the model '" + entry.base + "', which the registry does not know";
        return result;
    }
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(folder) / base->fileName, ec)) {
        const std::string baseUrl =
            urlOverride.empty() ? std::string() : urlOverride.substr(0, urlOverride.rfind('/') + 1) + base->fileName;
        result = installModel(*base, folder, baseUrl, progress, cancel);
        if (!result.ok && !result.cancelled)
            result.error = "the base model " + base->id + " that " + entry.id + " needs failed: " + result.error;
        return result;
    }
    return installCompanionFiles(*base, folder, progress, cancel, urlOverride);
}

DownloadResult installModel(const RegistryEntry& entry, const std::string& folder, const std::string& urlOverride,
                            const DownloadProgressCallback& progress, const std::atomic<bool>* cancel) {
    std::string baseWarning;
    if (entry.isPromptLearner()) {
        const DownloadResult base = installRequirements(entry, folder, urlOverride, progress, cancel);
        if (!base.ok) return base;
        baseWarning = base.warning;
    }
    DownloadOptions options;
    options.promptLearner = entry.isPromptLearner();
    options.url = urlOverride.empty() ? entry.url : urlOverride;
    options.destination = (fs::path(folder) / entry.fileName).string();
    options.expectedSha256 = entry.sha256;
    options.expectedSize = entry.size.value_or(-1);
    DownloadResult result = ModelDownloader(options).run(progress, cancel);
    if (!result.ok) return result;
    InstalledRecord record;
    record.fileName = entry.fileName;
    record.id = entry.id;
    record.sha256 = result.sha256;
    record.size = result.bytes;
    record.url = options.url;
    try {
        result.warning = recordInstalledModel(folder, record);
    } catch (const QualiClipError& e) {
        result.warning = std::string("the model is installed, but its hash could not be recorded: ") + e.what();
    }
    if (!baseWarning.empty()) result.warning = result.warning.empty() ? baseWarning : baseWarning + "; " + result.warning;
    // The model works without its companions (default scoring), so their failure is a warning.
    const DownloadResult companions = installCompanionFiles(entry, folder, progress, cancel, urlOverride);
    if (!companions.ok && !companions.cancelled) {
        const std::string warning = "the model is installed, but " + companions.error +
                                    "; run the download again for custom prompts";
        result.warning = result.warning.empty() ? warning : result.warning + "; " + warning;
    }
    return result;
}

namespace {
bool hasSha256(const std::string& path, const std::string& sha256) {
    try {
        return sha256OfFile(path) == sha256;
    } catch (const QualiClipError&) {
        return false;  // unreadable: download it again
    }
}
}  // namespace

std::string companionUrl(const RegistryFile& file, const std::string& modelUrlOverride) {
    if (modelUrlOverride.empty()) return file.url;
    const size_t slash = modelUrlOverride.rfind('/');
    return modelUrlOverride.substr(0, slash + 1) + file.fileName;
}

DownloadResult installCompanionFiles(const RegistryEntry& entry, const std::string& folder,
                                     const DownloadProgressCallback& progress, const std::atomic<bool>* cancel,
                                     const std::string& modelUrlOverride) {
    DownloadResult result;
    result.ok = true;
    for (const RegistryFile& file : entry.files) {
        DownloadOptions options;
        options.url = companionUrl(file, modelUrlOverride);
        options.destination = (fs::path(folder) / file.fileName).string();
        options.expectedSha256 = file.sha256;
        options.expectedSize = file.size.value_or(-1);
        options.validateCheckpoint = false;
        options.magic = "\x1f\x8b";  // every companion so far is gzip (CLIP's vocabulary)
        std::error_code ec;
        if (fs::is_regular_file(options.destination, ec) && hasSha256(options.destination, file.sha256)) continue;
        DownloadResult one = ModelDownloader(options).run(progress, cancel);
        if (!one.ok) {
            if (!one.cancelled) one.error = "the " + file.role + " (" + file.fileName + ") failed: " + one.error;
            return one;
        }
    }
    return result;
}

}  // namespace qc
