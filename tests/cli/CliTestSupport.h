// Helpers shared by the tests that run the real `qualiclip` binary.
#pragma once

#include <gtest/gtest.h>

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <fstream>
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
