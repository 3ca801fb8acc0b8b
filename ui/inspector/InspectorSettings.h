// InspectorSettings: the inspector's preferences, typed, with their defaults, over QSettings.
// Widgets ask this class; only its .cpp spells the keys. Construct one where needed (it is
// cheap); pass a QSettings (e.g. an INI file) in tests. GUI thread.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

#include "images/PixelSource.h"
#include "images/ResizePolicy.h"
#include "library/PhotoPairs.h"
#include "library/XmpSidecar.h"

namespace qc::ui {

class InspectorSettings {
public:
    InspectorSettings();  // the application's QSettings
    explicit InspectorSettings(std::unique_ptr<QSettings> settings);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray tableHeaderState() const;
    void setTableHeaderState(const QByteArray& state);

    QStringList recentFolders() const;  // newest first
    void addRecentFolder(const QString& folder);
    // The folder the list shows (Open Folder), reopened at start when reopenLastFolder() (on).
    QString lastFolder() const;
    void setLastFolder(const QString& folder);  // "" after File > Close Folder
    bool reopenLastFolder() const;
    void setReopenLastFolder(bool on);
    // The model file last loaded in the window; used at start when neither --model nor
    // $QUALICLIP_MODEL names one.
    QString modelPath() const;
    void setModelPath(const QString& path);
    // Culling keys (P, X, U, 0-5) move to the next image (Lightroom's auto advance; on).
    bool autoAdvance() const;
    void setAutoAdvance(bool on);
    QString lastModelFolder() const;
    void setLastModelFolder(const QString& folder);

    // The window defaults to long:1024/fast: long:1024 is about the resolution QualiCLIP was
    // validated at (KonIQ-10k, 1024x768), native costs tens of seconds per 24 MP photo on a laptop
    // CPU, and the fast JPEG decode changes scores by less than 0.003 (99th percentile,
    // docs/benchmarks.md) while decoding 24 MP JPEGs several times faster.
    qc::ResizePolicy resizePolicy() const;
    void setResizePolicy(const qc::ResizePolicy& policy);
    // Which pixels of RAW files are scored (default auto: the embedded preview when it covers the
    // policy's long side), as `qualiclip score --raw`.
    qc::RawMode rawMode() const;
    void setRawMode(qc::RawMode mode);
    // Which file of a RAW+JPEG pair is scored (default the JPEG: what the camera rendered).
    qc::PairScoring pairScoring() const;
    void setPairScoring(qc::PairScoring which);

    int computeThreads() const;  // 0 = one per core
    void setComputeThreads(int threads);
    // "auto" (default: a CUDA GPU when there is one), "cpu", "cuda:N" (engine/ComputeDevice.h).
    QString computeDevice() const;
    void setComputeDevice(const QString& device);
    // "float32" (default: the reference's numbers) or "bfloat16" (engine/ComputeDevice.h).
    QString computePrecision() const;
    void setComputePrecision(const QString& precision);

    bool recursive() const;
    void setRecursive(bool recursive);

    // XMP sidecars: which naming convention (default IMG_1.CR2.xmp, as darktable and digiKam
    // write it) and whether every pick, reject and star change also writes the sidecar (off).
    qc::SidecarNaming sidecarNaming() const;
    void setSidecarNaming(qc::SidecarNaming naming);
    bool writeXmpOnDecision() const;
    void setWriteXmpOnDecision(bool on);
    // The two together, as ScoringSession::setSidecarWriting takes them: nullopt when off.
    std::optional<qc::SidecarNaming> sidecarWriting() const;

    int sortColumn() const;
    Qt::SortOrder sortOrder() const;
    void setSort(int column, Qt::SortOrder order);

    static constexpr int kMaxRecentFolders = 10;

private:
    std::unique_ptr<QSettings> settings_;
};

}  // namespace qc::ui
