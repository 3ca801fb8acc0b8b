// Helpers shared by the tests that run the real `qualiclip` binary.
#pragma once

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTimer>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "TestSupport.h"

namespace qc::test {

struct RunResult {
    int exitCode = -1;  // -1 when the program crashed or did not finish
    std::string out, err;
};

inline RunResult runQualiclip(const QStringList& args,
                              const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QString(QCI_BIN_DIR) + "/qualiclip", args);
    EXPECT_TRUE(process.waitForFinished(300000)) << "qualiclip did not finish";
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput().toStdString(), process.readAllStandardError().toStdString()};
}

// The event loop of runQualiclipServing and of the tests' local servers needs an application.
inline void ensureCoreApplication() {
    if (QCoreApplication::instance() == nullptr) {
        static int argc = 1;
        static char name[] = "cli_tests";
        static char* argv[] = {name, nullptr};
        new QCoreApplication(argc, argv);
    }
}

// How a served run's child differs from a plain one.
struct ChildSetup {
    QString standardOutputFile;          // stdout into this file instead of a pipe
    std::function<void()> beforeExec;    // runs in the child between fork and exec
};

// Runs qualiclip while this thread's event loop keeps serving: a test's HTTP server lives on it.
inline RunResult runQualiclipServing(const QStringList& args, const QProcessEnvironment& env,
                                     const ChildSetup& child = {}) {
    ensureCoreApplication();
    QProcess process;
    process.setProcessEnvironment(env);
    if (!child.standardOutputFile.isEmpty()) process.setStandardOutputFile(child.standardOutputFile);
    if (child.beforeExec) process.setChildProcessModifier(child.beforeExec);
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(300000, &loop, &QEventLoop::quit);
    process.start(QString(QCI_BIN_DIR) + "/qualiclip", args);
    if (process.state() != QProcess::NotRunning) loop.exec();
    EXPECT_EQ(process.state(), QProcess::NotRunning) << "qualiclip did not finish";
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput().toStdString(), process.readAllStandardError().toStdString()};
}

inline QString oracleFile(const std::string& name) {
    return QString::fromStdString((oracleDir() / name).string());
}

inline nlohmann::json oracleJson(const std::string& name) {
    std::ifstream in(oracleDir() / name);
    return nlohmann::json::parse(in);
}

inline QString oracleModel() { return QString::fromStdString((oracleDir() / "tiny_qualiclip.pth").string()); }

inline QString oracleImage(const std::string& name) {
    return QString::fromStdString((oracleDir() / "images" / (name + ".png")).string());
}

// One JSON value per non-empty line, keys in the order the program wrote them.
inline std::vector<nlohmann::ordered_json> jsonLines(const std::string& text) {
    std::vector<nlohmann::ordered_json> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) rows.push_back(nlohmann::ordered_json::parse(line));
    return rows;
}

}  // namespace qc::test
