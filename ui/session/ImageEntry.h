// ImageEntry: one image in the inspector, a plain value. It has a stable id (rows move when the
// table is sorted or filtered, and results arrive late from the worker), what we know from the
// file before scoring, the score with the policy and model it was made under, and the user's
// culling marks. GUI thread only, inside ScoreTableModel.
#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>
#include <vector>

namespace qc::ui {

using ImageId = quint64;

// Lightroom's flags: P pick, X reject, U unflag.
enum class CullFlag { None = 0, Pick = 1, Reject = 2 };

enum class ScoreState {
    Waiting,   // queued for the worker
    NoModel,   // nothing to score with yet
    Scored,
    Failed,    // the error names the file and the reason
    Cancelled  // the user stopped the run before this image
};

struct ImageEntry {
    ImageId id = 0;
    QString path;
    QString fileName;
    qint64 fileBytes = -1;
    int width = 0, height = 0;  // from the file header; 0 when unknown
    // A RAW+JPEG pair (library/PhotoPairs.h) is one row: path is the RAW, this its JPEG. Every
    // decision, sidecar, copy and move reaches both files.
    QString companionPath;

    ScoreState state = ScoreState::Waiting;
    double score = 0;                       // valid when state == Scored
    std::vector<double> pairProbabilities;  // one per prompt pair, checkpoint order
    QString policy;                         // resize policy the score was made under
    QString source;  // pixels scored: file, raw-preview, raw-half, raw-full, heif
    QString modelSha256;                    // model it was made with
    QString error;                          // state == Failed

    CullFlag flag = CullFlag::None;
    int stars = 0;  // 0..5

    // Bursts (core's library/BurstGrouping.h): the image embedding of the score, the capture
    // time (library/CaptureTime.h; captureFromMtime when the file had no EXIF time) and, once
    // ScoringSession::groupBursts ran, the row's place in its burst (burstId 0: not grouped).
    std::vector<float> embedding;
    std::optional<double> captureSeconds;
    bool captureFromMtime = false;
    qint64 burstId = 0;
    int burstPosition = 0, burstSize = 1;
    bool burstBest = false;

    bool hasScore() const { return state == ScoreState::Scored; }
    bool isPair() const { return !companionPath.isEmpty(); }
    bool inStack() const { return burstSize > 1; }  // a burst of several frames
    std::vector<QString> files() const {
        return isPair() ? std::vector<QString>{path, companionPath} : std::vector<QString>{path};
    }
};

}  // namespace qc::ui
