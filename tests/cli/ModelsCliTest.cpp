// Runs the real `qualiclip models` subcommands: verify on the tiny oracle model and on a
// damaged file, and a download end to end from an HTTP server inside this test process.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "CliTestSupport.h"
#include "LocalHttpServer.h"
#include "TestSupport.h"
#include "engine/Checkpoint.h"

namespace qc {
namespace {

namespace fs = std::filesystem;

using test::RunResult;

// An environment with its own data folder, no model from the caller and no proxy (the test
// server is on 127.0.0.1).
QProcessEnvironment isolatedEnvironment(const test::TempDir& home) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"QUALICLIP_MODEL", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        env.remove(name);
    env.insert("XDG_DATA_HOME", QString::fromStdString(home.path().string()));
    return env;
}

std::string oracleModel() { return (test::oracleDir() / "tiny_qualiclip.pth").string(); }

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST(ModelsCli, HelpNamesTheActions) {
    test::TempDir home;
    EXPECT_CONTAINS(test::runQualiclipServing({"--help"}, isolatedEnvironment(home)).out, "models");
    const RunResult r = test::runQualiclipServing({"models", "--help"}, isolatedEnvironment(home));
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_CONTAINS(r.out, "download");
    EXPECT_EQ(test::runQualiclipServing({"models", "frobnicate"}, isolatedEnvironment(home)).exitCode, 2);
    EXPECT_EQ(test::runQualiclipServing({"models", "download", "no-such-model"}, isolatedEnvironment(home)).exitCode, 2);
}

TEST(ModelsCli, VerifyAcceptsTheTinyModel) {
    QCI_REQUIRE_ORACLE();
    test::TempDir home;
    const RunResult r = test::runQualiclipServing({"models", "verify", QString::fromStdString(oracleModel())}, isolatedEnvironment(home));
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_CONTAINS(r.out, "sha256  " + sha256OfFile(oracleModel()));
    EXPECT_CONTAINS(r.out, "valid   yes");
}

TEST(ModelsCli, VerifyRefusesADamagedFile) {
    QCI_REQUIRE_ORACLE();
    test::TempDir home;
    const std::string damaged = home.file("damaged.pth");
    fs::copy_file(oracleModel(), damaged);
    fs::resize_file(damaged, fs::file_size(damaged) / 2);
    const RunResult r = test::runQualiclipServing({"models", "verify", QString::fromStdString(damaged)}, isolatedEnvironment(home));
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_CONTAINS(r.out, "sha256  " + sha256OfFile(damaged));
    EXPECT_CONTAINS(r.out, "valid   no");
    EXPECT_EQ(test::runQualiclipServing({"models", "verify", QString::fromStdString(home.file("absent.pth"))}, isolatedEnvironment(home))
                  .exitCode,
              2);
    // Without a path, and with no model anywhere: says where it looked.
    const RunResult none = test::runQualiclipServing({"models", "verify"}, isolatedEnvironment(home));
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_CONTAINS(none.err, "no QualiCLIP model found");
}

TEST(ModelsCli, DownloadFromALocalUrlEndToEnd) {
    QCI_REQUIRE_ORACLE();
    test::ensureCoreApplication();
    test::TempDir home;
    test::LocalHttpServer server;
    ASSERT_TRUE(server.listening());
    QFile file(QString::fromStdString(oracleModel()));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray model = file.readAll();
    server.route("/qualiclip.pth", [&](const test::LocalHttpServer::Request& r, int) {
        return test::LocalHttpServer::file(model, r);
    });
    // The vocabulary comes with the model, from the same mirror folder.
    QFile vocabularyFile(QString::fromStdString((test::oracleDir() / "bpe_simple_vocab_16e6.txt.gz").string()));
    ASSERT_TRUE(vocabularyFile.open(QIODevice::ReadOnly));
    const QByteArray vocabulary = vocabularyFile.readAll();
    server.route("/bpe_simple_vocab_16e6.txt.gz", [&](const test::LocalHttpServer::Request& r, int) {
        return test::LocalHttpServer::file(vocabulary, r);
    });
    const QProcessEnvironment env = isolatedEnvironment(home);
    const RunResult r = test::runQualiclipServing({"models", "download", "--url", server.url("/qualiclip.pth")}, env);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const fs::path installed = home.path() / "qualiclip" / "models" / "qualiclip.pth";
    ASSERT_TRUE(fs::exists(installed));
    EXPECT_EQ(sha256OfFile(installed.string()), sha256OfFile(oracleModel()));
    EXPECT_TRUE(fs::exists(installed.parent_path() / "installed.json"));
    EXPECT_FALSE(fs::exists(installed.string() + ".part"));
    EXPECT_CONTAINS(r.out, sha256OfFile(oracleModel()));
    EXPECT_TRUE(r.err.find("warning") == std::string::npos) << r.err;
    EXPECT_EQ(sha256OfFile((installed.parent_path() / "bpe_simple_vocab_16e6.txt.gz").string()),
              "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a");
    EXPECT_EQ(server.requests().size(), 2u);

    const RunResult list = test::runQualiclipServing({"models", "list"}, env);
    EXPECT_EQ(list.exitCode, 0);
    EXPECT_CONTAINS(list.out, "installed (active)");
    EXPECT_CONTAINS(list.out, sha256OfFile(oracleModel()));
    // verify with no path checks the model the program would use: the one just installed.
    EXPECT_EQ(test::runQualiclipServing({"models", "verify"}, env).exitCode, 0);
    // Installed already: no second download without --force.
    EXPECT_EQ(test::runQualiclipServing({"models", "download", "--url", server.url("/qualiclip.pth")}, env).exitCode, 0);
    EXPECT_EQ(server.requests().size(), 2u);
    // A model installed before its vocabulary was listed: the next download fetches the vocabulary only.
    fs::remove(installed.parent_path() / "bpe_simple_vocab_16e6.txt.gz");
    EXPECT_EQ(test::runQualiclipServing({"models", "download", "--url", server.url("/qualiclip.pth")}, env).exitCode, 0);
    EXPECT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(server.requests().back().path, "/bpe_simple_vocab_16e6.txt.gz");
    EXPECT_TRUE(fs::exists(installed.parent_path() / "bpe_simple_vocab_16e6.txt.gz"));

    // A failed forced download (404) exits 1 and leaves the installed model as it was.
    const RunResult failed = test::runQualiclipServing({"models", "download", "--force", "--url", server.url("/gone.pth")}, env);
    EXPECT_EQ(failed.exitCode, 1);
    EXPECT_CONTAINS(failed.err, "HTTP 404");
    EXPECT_EQ(sha256OfFile(installed.string()), sha256OfFile(oracleModel()));
    EXPECT_FALSE(fs::exists(installed.string() + ".part"));
}

// `models download qualiclip+-koniq` fetches what QualiCLIP+ needs (the base weights, CLIP's
// vocabulary, the prompt learner) from one mirror folder; `score --model qualiclip+-koniq` then gives
// pyiqa's qualiclip+ numbers (oracle expected_pyiqa_variants.json: the oracle's multi-head model
// stands in for the base weights, its prompt-learner file for QualiCLIP+_koniq.pth).
TEST(ModelsCli, QualiclipPlusDownloadsItsBaseAndScoresAsPyiqa) {
    QCI_REQUIRE_ORACLE();
    test::ensureCoreApplication();
    test::TempDir home;
    test::LocalHttpServer server;
    ASSERT_TRUE(server.listening());
    std::map<std::string, QByteArray> files;
    for (const auto& [route, oracleName] : std::map<std::string, std::string>{
             {"/qualiclip.pth", "text_multihead_qualiclip.pth"},
             {"/QualiCLIP+_koniq.pth", "qualiclip_plus_params.pth"},
             {"/bpe_simple_vocab_16e6.txt.gz", "bpe_simple_vocab_16e6.txt.gz"}}) {
        QFile f(QString::fromStdString((test::oracleDir() / oracleName).string()));
        ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << oracleName;
        files[route] = f.readAll();
        const QByteArray* body = &files[route];
        server.route(QByteArray::fromStdString(route), [body](const test::LocalHttpServer::Request& r, int) {
            return test::LocalHttpServer::file(*body, r);
        });
    }
    const QProcessEnvironment env = isolatedEnvironment(home);
    const RunResult r = test::runQualiclipServing({"models", "download", "qualiclip+-koniq", "--url", server.url("/QualiCLIP+_koniq.pth")}, env);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const fs::path folder = home.path() / "qualiclip" / "models";
    EXPECT_EQ(sha256OfFile((folder / "qualiclip.pth").string()),
              sha256OfFile((test::oracleDir() / "text_multihead_qualiclip.pth").string()));
    EXPECT_EQ(sha256OfFile((folder / "QualiCLIP+_koniq.pth").string()),
              sha256OfFile((test::oracleDir() / "qualiclip_plus_params.pth").string()));
    EXPECT_TRUE(fs::exists(folder / "bpe_simple_vocab_16e6.txt.gz"));
    EXPECT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(test::runQualiclipServing({"models", "verify", QString::fromStdString((folder / "QualiCLIP+_koniq.pth").string())}, env)
                  .exitCode,
              0);

    std::ifstream in(test::oracleDir() / "expected_pyiqa_variants.json");
    const nlohmann::json expected = nlohmann::json::parse(in);
    QStringList args{"score", "--no-catalog", "--model", "qualiclip+-koniq"};
    std::vector<std::string> images;
    for (const auto& [image, record] : expected.at("images").items()) {
        images.push_back(image);
        args << QString::fromStdString((test::oracleDir() / "images" / (image + ".png")).string());
    }
    const RunResult scored = test::runQualiclipServing(args, env);
    ASSERT_EQ(scored.exitCode, 0) << scored.err;
    std::vector<nlohmann::json> rows;
    std::istringstream lines(scored.out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(rows.size(), images.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        SCOPED_TRACE(images[i]);
        EXPECT_NEAR(rows[i].at("score").get<double>(),
                    expected.at("images").at(images[i]).at("pyiqa_qualiclip_plus").get<double>(), 1e-5);
        EXPECT_EQ(rows[i].at("recipe"), "pyiqa");
        EXPECT_EQ(rows[i].at("prompt_set"), "learned:" + expected.at("plus_params_sha256").get<std::string>());
    }
    const RunResult official = test::runQualiclipServing({"score", "--no-catalog", "--model", "qualiclip+-koniq", "--recipe",
                                             "official", args.last()},
                                            env);
    EXPECT_EQ(official.exitCode, 2);
    EXPECT_CONTAINS(official.err, "only by pyiqa's recipe");
    const RunResult missing = test::runQualiclipServing({"score", "--no-catalog", "--model", "qualiclip+-spaq", args.last()}, env);
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_CONTAINS(missing.err, "qualiclip models download qualiclip+-spaq");
}

}  // namespace
}  // namespace qc
