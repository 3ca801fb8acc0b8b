// Tests of ModelDownloader / installModel against a local HTTP server in this process serving
// the tiny oracle checkpoint: success, resume, and every refusal. After each failure nothing
// is left where a model is expected, and a model installed before still reads.
#include "engine/Checkpoint.h"
#include "models/InstalledModels.h"
#include "LocalHttpServer.h"
#include "models/ModelDownloader.h"
#include "models/ModelRegistry.h"
#include "TestSupport.h"
#include "ZipBuilder.h"

#include <QCoreApplication>
#include <QFile>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace qc {
namespace {

namespace fs = std::filesystem;
using test::LocalHttpServer;
using test::TempDir;
using Request = LocalHttpServer::Request;
using Response = LocalHttpServer::Response;

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

class ModelDownloaderTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // Qt Network needs an application object; gtest_main makes none.
        if (QCoreApplication::instance() == nullptr) {
            static int argc = 1;
            static char name[] = "core_tests";
            static char* argv[] = {name, nullptr};
            new QCoreApplication(argc, argv);
        }
    }

    void SetUp() override {
        QCI_REQUIRE_ORACLE();
        ASSERT_TRUE(server.listening());
        model = readAll((test::oracleDir() / "tiny_qualiclip.pth").string());
        ASSERT_GT(model.size(), 1000000);
        modelSha = sha256OfFile((test::oracleDir() / "tiny_qualiclip.pth").string());
    }

    static QByteArray readAll(const std::string& path) {
        QFile f(QString::fromStdString(path));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    DownloadOptions options(const QString& path) const {
        DownloadOptions o;
        o.url = server.url(path).toStdString();
        o.destination = folder.file("qualiclip.pth");
        o.stallTimeoutMs = 10000;
        return o;
    }

    // CLIP's vocabulary, the registry's companion file, beside the model on the mirror.
    void serveVocabulary(const QByteArray& body = readAll((test::oracleDir() / "bpe_simple_vocab_16e6.txt.gz").string())) {
        server.route("/bpe_simple_vocab_16e6.txt.gz", [body](const Request& r, int) { return LocalHttpServer::file(body, r); });
    }
    void serveModel(const QByteArray& path = "/qualiclip.pth") {
        server.route(path, [this](const Request& r, int) { return LocalHttpServer::file(model, r); });
    }

    // A valid model already installed where the download goes.
    void preinstall() {
        fs::copy_file(test::oracleDir() / "tiny_qualiclip.pth", folder.file("qualiclip.pth"));
        fs::permissions(folder.file("qualiclip.pth"), fs::perms::owner_write, fs::perm_options::add);
    }

    // After a refused download: the installed model is untouched and still reads, and no
    // partial file stands where a model is expected.
    void expectInstalledModelIntact() {
        EXPECT_EQ(sha256OfFile(folder.file("qualiclip.pth")), modelSha);
        EXPECT_NO_THROW(readCheckpoint(folder.file("qualiclip.pth")));
        for (const InstalledModel& m : listInstalledModels(folder.path().string()))
            EXPECT_EQ(m.fileName, "qualiclip.pth");
    }

    // Runs a download that must fail, both into an empty folder and over an installed model.
    DownloadResult expectRefused(const DownloadOptions& o, bool partMayStay = false) {
        DownloadResult fresh = ModelDownloader(o).run();
        EXPECT_FALSE(fresh.ok);
        EXPECT_FALSE(fresh.error.empty());
        EXPECT_FALSE(fs::exists(o.destination)) << "a refused download left a model file";
        if (!partMayStay) {
            EXPECT_FALSE(fs::exists(o.destination + ".part"));
        }
        std::error_code ec;
        fs::remove(o.destination + ".part", ec);
        preinstall();
        DownloadResult over = ModelDownloader(o).run();
        EXPECT_FALSE(over.ok);
        expectInstalledModelIntact();
        return fresh;
    }

    TempDir folder;
    LocalHttpServer server;
    QByteArray model;
    std::string modelSha;
};

TEST_F(ModelDownloaderTest, DownloadsVerifiesAndInstalls) {
    serveModel();
    serveVocabulary();
    std::vector<DownloadProgress> seen;
    RegistryEntry entry = modelRegistry().front();
    const DownloadResult r = installModel(entry, folder.path().string(), server.url("/qualiclip.pth").toStdString(),
                                          [&](const DownloadProgress& p) { seen.push_back(p); });
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.path, folder.file("qualiclip.pth"));
    EXPECT_EQ(r.sha256, modelSha);
    EXPECT_EQ(r.bytes, model.size());
    EXPECT_EQ(r.attempts, 1);
    EXPECT_FALSE(r.resumed);
    EXPECT_TRUE(r.warning.empty());
    EXPECT_FALSE(fs::exists(folder.file("qualiclip.pth.part")));
    EXPECT_EQ(sha256OfFile(r.path), modelSha);
    EXPECT_NO_THROW(readCheckpoint(r.path));
    // Progress: bytes grow to the total, and the last report is the verification.
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().stage, DownloadProgress::Stage::Verifying);
    bool sawTotal = false;
    for (const DownloadProgress& p : seen) sawTotal = sawTotal || (p.total == model.size() && p.received == model.size());
    EXPECT_TRUE(sawTotal);
    // The hash is recorded for the next download to compare with.
    const auto records = readInstalledRecords(folder.path().string());
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].sha256, modelSha);
    EXPECT_EQ(records[0].id, "qualiclip");
    // The vocabulary came with it, verified against the registry's SHA-256.
    EXPECT_EQ(sha256OfFile(folder.file("bpe_simple_vocab_16e6.txt.gz")), entry.file("vocabulary")->sha256);
    // No outside address: the two requests came to us, with no compression asked for.
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[1].path, "/bpe_simple_vocab_16e6.txt.gz");
    EXPECT_EQ(server.requests()[0].headers.value("accept-encoding"), "identity");
    EXPECT_FALSE(server.requests()[0].headers.contains("range"));
}

TEST_F(ModelDownloaderTest, ABadVocabularyIsAWarningAndNeverInstalled) {
    serveModel();
    serveVocabulary("<html><body>Not found</body></html>");
    const RegistryEntry entry = modelRegistry().front();
    const DownloadResult r = installModel(entry, folder.path().string(), server.url("/qualiclip.pth").toStdString());
    ASSERT_TRUE(r.ok) << r.error;  // the model scores without it
    EXPECT_CONTAINS(r.warning, "vocabulary (bpe_simple_vocab_16e6.txt.gz) failed");
    EXPECT_CONTAINS(r.warning, "web page");
    EXPECT_FALSE(fs::exists(folder.file("bpe_simple_vocab_16e6.txt.gz")));
    expectInstalledModelIntact();
    // A cut-off vocabulary (size and hash differ from the registry's) is refused as well.
    const QByteArray other = readAll((test::oracleDir() / "bpe_simple_vocab_16e6.txt.gz").string()).left(5000);
    serveVocabulary(other);
    const DownloadResult again = installCompanionFiles(entry, folder.path().string(), {}, nullptr,
                                                       server.url("/qualiclip.pth").toStdString());
    EXPECT_FALSE(again.ok);
    EXPECT_FALSE(fs::exists(folder.file("bpe_simple_vocab_16e6.txt.gz")));
}

// A QualiCLIP+ entry brings its base weights and the vocabulary first; a file at its address that
// is a QualiCLIP checkpoint instead of a prompt learner is refused and never installed.
TEST_F(ModelDownloaderTest, APromptLearnerBringsItsBaseAndIsCheckedAsALearner) {
    serveModel();
    serveVocabulary();
    const QByteArray learner = readAll((test::oracleDir() / "qualiclip_plus_params.pth").string());
    server.route("/QualiCLIP+_koniq.pth", [&learner](const Request& r, int) { return LocalHttpServer::file(learner, r); });
    server.route("/QualiCLIP+_clive.pth", [this](const Request& r, int) { return LocalHttpServer::file(model, r); });
    const std::string dir = folder.path().string();
    const DownloadResult r =
        installModel(*findRegistryEntry("qualiclip+-koniq"), dir, server.url("/QualiCLIP+_koniq.pth").toStdString());
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(sha256OfFile(folder.file("qualiclip.pth")), modelSha);
    EXPECT_TRUE(fs::exists(folder.file("bpe_simple_vocab_16e6.txt.gz")));
    EXPECT_EQ(sha256OfFile(folder.file("QualiCLIP+_koniq.pth")),
              sha256OfFile((test::oracleDir() / "qualiclip_plus_params.pth").string()));
    EXPECT_EQ(server.requests().size(), 3u);

    const DownloadResult wrong =
        installModel(*findRegistryEntry("qualiclip+-clive"), dir, server.url("/QualiCLIP+_clive.pth").toStdString());
    EXPECT_FALSE(wrong.ok);
    EXPECT_CONTAINS(wrong.error, "not a usable QualiCLIP+ prompt-learner file");
    EXPECT_FALSE(fs::exists(folder.file("QualiCLIP+_clive.pth")));
    EXPECT_EQ(server.requests().size(), 4u);  // the base was there: only the learner was fetched
}

TEST_F(ModelDownloaderTest, ResumesAfterADroppedConnectionWithRange) {
    const qint64 cut = model.size() / 3;
    server.route("/qualiclip.pth", [&](const Request& r, int index) {
        Response response = LocalHttpServer::file(model, r);
        if (index == 0) response.cutAfter = cut;  // the first connection drops mid-body
        return response;
    });
    const DownloadResult r = ModelDownloader(options("/qualiclip.pth")).run();
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.attempts, 2);
    EXPECT_TRUE(r.resumed);
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[1].headers.value("range"), "bytes=" + QByteArray::number(cut) + "-");
    EXPECT_EQ(sha256OfFile(r.path), modelSha);
}

TEST_F(ModelDownloaderTest, ResumesInALaterRunFromThePartFile) {
    const qint64 cut = model.size() / 2;
    server.route("/qualiclip.pth", [&](const Request& r, int index) {
        Response response = LocalHttpServer::file(model, r);
        if (index == 0) response.cutAfter = cut;
        return response;
    });
    DownloadOptions o = options("/qualiclip.pth");
    o.maxAttempts = 1;
    const DownloadResult first = ModelDownloader(o).run();
    EXPECT_FALSE(first.ok);
    EXPECT_CONTAINS(first.error, "resumes");
    EXPECT_FALSE(fs::exists(o.destination));
    EXPECT_EQ(static_cast<qint64>(fs::file_size(o.destination + ".part")), cut);

    const DownloadResult second = ModelDownloader(o).run();
    ASSERT_TRUE(second.ok) << second.error;
    EXPECT_TRUE(second.resumed);
    EXPECT_EQ(server.requests().back().headers.value("range"), "bytes=" + QByteArray::number(cut) + "-");
    EXPECT_EQ(sha256OfFile(o.destination), modelSha);
    EXPECT_FALSE(fs::exists(o.destination + ".part"));
}

TEST_F(ModelDownloaderTest, AServerIgnoringRangeStartsAgainFromZero) {
    server.route("/qualiclip.pth", [&](const Request& r, int index) {
        Response response = LocalHttpServer::file(model, r, /*honourRange=*/false);
        if (index == 0) response.cutAfter = 100000;
        return response;
    });
    const DownloadResult r = ModelDownloader(options("/qualiclip.pth")).run();
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_FALSE(r.resumed);
    EXPECT_EQ(sha256OfFile(r.path), modelSha);
}

TEST_F(ModelDownloaderTest, HttpErrorIsRefused) {
    // No route: the server answers 404.
    const DownloadResult r = expectRefused(options("/missing.pth"));
    EXPECT_CONTAINS(r.error, "HTTP 404");
    EXPECT_EQ(r.attempts, 1);  // an HTTP error is not retried
}

TEST_F(ModelDownloaderTest, WebPageByContentTypeIsRefused) {
    server.route("/page", [](const Request&, int) {
        Response r;
        r.headers.push_back({"Content-Type", "text/html; charset=utf-8"});
        r.body = "<html><body>Please log in</body></html>";
        return r;
    });
    EXPECT_CONTAINS(expectRefused(options("/page")).error, "web page");
}

TEST_F(ModelDownloaderTest, WebPageByItsFirstBytesIsRefused) {
    server.route("/page", [](const Request&, int) {
        Response r;
        r.headers.push_back({"Content-Type", "application/octet-stream"});
        r.body = "\n  <!DOCTYPE html>\n<html><head><title>Download</title></head></html>";
        return r;
    });
    EXPECT_CONTAINS(expectRefused(options("/page")).error, "web page");
}

TEST_F(ModelDownloaderTest, TruncatedBodyIsRefusedAndNeverInstalled) {
    // Every connection promises the whole file and stops halfway.
    server.route("/qualiclip.pth", [&](const Request& r, int) {
        Response response = LocalHttpServer::file(model, r, /*honourRange=*/false);
        response.cutAfter = model.size() / 2;
        return response;
    });
    DownloadOptions o = options("/qualiclip.pth");
    const DownloadResult r = expectRefused(o, /*partMayStay=*/true);
    EXPECT_EQ(r.attempts, o.maxAttempts);
    EXPECT_TRUE(r.error.find("cut short") != std::string::npos || r.error.find("connection was lost") != std::string::npos)
        << r.error;
}

TEST_F(ModelDownloaderTest, WrongHashIsRefused) {
    serveModel();
    DownloadOptions o = options("/qualiclip.pth");
    o.expectedSha256 = std::string(64, '0');
    const DownloadResult r = expectRefused(o);
    EXPECT_CONTAINS(r.error, "SHA-256 mismatch");
    EXPECT_CONTAINS(r.error, modelSha);
}

TEST_F(ModelDownloaderTest, WrongSizeIsRefused) {
    serveModel();
    DownloadOptions o = options("/qualiclip.pth");
    o.expectedSize = model.size() + 1;
    EXPECT_CONTAINS(expectRefused(o).error, "expected");
}

TEST_F(ModelDownloaderTest, AZipThatIsNotACheckpointIsRefused) {
    const std::string zip = test::ZipBuilder().add("notes/readme.txt", "hello").add("notes/version", "3\n").bytes();
    server.route("/notes.pth", [&](const Request& r, int) {
        return LocalHttpServer::file(QByteArray::fromStdString(zip), r);
    });
    const DownloadResult r = expectRefused(options("/notes.pth"));
    EXPECT_CONTAINS(r.error, "not a usable QualiCLIP model");
}

TEST_F(ModelDownloaderTest, AFileThatIsNotAZipIsRefusedFromItsFirstBytes) {
    server.route("/noise.pth", [](const Request&, int) {
        Response r;
        r.body = QByteArray(200000, 'x');
        return r;
    });
    EXPECT_CONTAINS(expectRefused(options("/noise.pth")).error, "not a PyTorch checkpoint");
}

TEST_F(ModelDownloaderTest, FollowsRedirectsUpToALimit) {
    serveModel("/real.pth");
    server.route("/moved.pth", [this](const Request&, int) {
        Response r;
        r.status = 302;
        r.reason = "Found";
        r.headers.push_back({"Location", server.url("/real.pth").toUtf8()});
        return r;
    });
    const DownloadResult followed = ModelDownloader(options("/moved.pth")).run();
    ASSERT_TRUE(followed.ok) << followed.error;
    EXPECT_EQ(sha256OfFile(followed.path), modelSha);
    ASSERT_TRUE(fs::remove(followed.path));
    ASSERT_FALSE(fs::exists(followed.path));

    server.route("/loop", [](const Request&, int) {
        Response r;
        r.status = 302;
        r.reason = "Found";
        r.headers.push_back({"Location", "/loop"});
        return r;
    });
    DownloadOptions o = options("/loop");
    o.maxRedirects = 3;
    EXPECT_CONTAINS(expectRefused(o).error, "more than 3 redirects");
}

TEST_F(ModelDownloaderTest, CancelStopsAndKeepsThePartForLater) {
    serveModel();
    std::atomic<bool> cancel{false};
    const DownloadResult r = ModelDownloader(options("/qualiclip.pth"))
                                 .run([&](const DownloadProgress& p) { cancel = cancel || p.received > 0; }, &cancel);
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(r.cancelled);
    EXPECT_TRUE(r.error.empty());
    EXPECT_FALSE(fs::exists(folder.file("qualiclip.pth")));
}

TEST_F(ModelDownloaderTest, AnUnwritableDestinationIsReported) {
    serveModel();
    fs::create_directory(folder.file("qualiclip.pth.part"));  // the .part cannot be opened as a file
    const DownloadResult r = ModelDownloader(options("/qualiclip.pth")).run();
    EXPECT_FALSE(r.ok);
    EXPECT_CONTAINS(r.error, "cannot write");
    EXPECT_FALSE(fs::exists(folder.file("qualiclip.pth")));
}

TEST(DownloadProgressText, SaysBytesRateAndTimeLeft) {
    DownloadProgress p;
    p.received = 12'300'000;
    p.total = 400'000'000;
    p.bytesPerSecond = 5'100'000;
    p.secondsLeft = 72;
    EXPECT_EQ(describeProgress(p), "12.3 MB of 400.0 MB, 5.1 MB/s, 1:12 left");
    p.total = -1;
    p.secondsLeft = -1;
    EXPECT_EQ(describeProgress(p), "12.3 MB, 5.1 MB/s");
}

}  // namespace
}  // namespace qc
