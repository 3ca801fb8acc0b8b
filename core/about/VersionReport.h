// VersionReport: the block a user pastes into a bug report. `qualiclip --version` prints it and
// Help > About shows it (with a Copy button): the project version (with `git describe` when built
// from a checkout), the versions of LibTorch, OpenCV, Qt, Exiv2, SQLite and the BLAS in use, the
// instruction sets the kernels use, the thread count, and which model is active with its SHA-256.
//
//   std::cout << qc::versionReport("qualiclip", qc::projectVersion(QCI_GIT_DESCRIBE),
//                                  qc::describeActiveModel(""));
//
// Any thread. describeActiveModel reads the whole model file (about a second for the real
// weights); versionReport itself is cheap. The programs pass `git describe` in (their build makes
// GitVersion.h), so that a commit relinks the two programs, not every test linking core.
#pragma once

#include <string>

namespace qc {

// The project version: "0.1.0", or "0.1.0 (git 5a3d103-dirty)" given that `git describe`.
std::string projectVersion(const std::string& gitDescribe = "");

struct ActiveModel {
    std::string path;    // "" when no model was found
    std::string sha256;  // lowercase hex of the file; "" when no model was found
    std::string note;    // why there is none, or why the hash is missing (unreadable file)
};

// The model the programs would use with this explicit path ("" = none given): --model, then
// $QUALICLIP_MODEL, then the models folder (models/ModelLocator), hashed.
ActiveModel describeActiveModel(const std::string& explicitPath);

// The whole block, one "name: value" line each, ending in a newline. The first line is `program`
// ("qualiclip" or "qualiclip-inspector") and `version` (projectVersion() when empty).
std::string versionReport(const std::string& program, const std::string& version,
                          const ActiveModel& model);

}  // namespace qc
