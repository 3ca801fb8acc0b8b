// ScoringSession: the inspector's state apart from its widgets. It owns the opened images
// (ScoreTableModel), the model in use, the resize policy and the ScoringWorker, and keeps them
// consistent: new images are queued for scoring, results land in their rows by id (late ones
// for removed rows or for an older model/policy are dropped), and a change of model or policy
// clears every score and rescores, so one column never mixes scores of two policies.
//
// Results reach the table in batches, at most every kResultBatchMs (the first one after a pause
// at once): a table sorted by score re-sorts, and the views repaint, a few times a second
// instead of for every image, which keeps the window responsive at hundreds of images a second.
//
// With a catalog (setCatalog; the program opens the default one, tests their own or none), rows
// whose file is unchanged get their cached score and decisions at once and are not queued; new
// scores are stored as they reach the table, and flags and stars are committed as they are set.
// A catalog that refuses writes (locked, read-only, full) goes through catalogGuard(): the
// problem is reported once and decisions that could not be stored stay marked unsaved.
//
// GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

#include "engine/ScoringEngine.h"
#include "images/PixelSource.h"
#include "images/ResizePolicy.h"
#include "library/BurstGrouping.h"
#include "library/CullRules.h"
#include "library/PhotoPairs.h"
#include "library/XmpSidecar.h"
#include "ui/session/CatalogWriteGuard.h"
#include "ui/session/DecisionCommand.h"
#include "ui/session/FileTransfer.h"
#include "ui/session/FolderScanner.h"
#include "ui/session/ImageEntry.h"
#include "ui/session/ModelLoader.h"
#include "ui/session/PromptSetLoader.h"
#include "ui/session/ScoringProgress.h"

class QTimer;
class QUndoStack;

namespace qc {
class Catalog;
class QualiClipModel;
}

namespace qc::ui {

class ScoreTableModel;
class ScoringWorker;
struct ScoredImage;

enum class ModelState { None, Loading, Ready, Failed };

class ScoringSession : public QObject {
    Q_OBJECT
public:
    explicit ScoringSession(QObject* parent = nullptr);
    ~ScoringSession() override;

    ScoreTableModel* table() const { return table_; }

    // Lists files and folders (scanned off the GUI thread) and queues them.
    void open(const QStringList& paths, bool recursive);
    // Adds already scanned entries at once and queues them (tests, and open()'s second half).
    std::vector<ImageId> addEntries(std::vector<ImageEntry> entries);
    void remove(const std::vector<ImageId>& ids);

    void loadModel(const QString& path);  // off the GUI thread, on the device of modelOptions()
    // Where the model runs; a change reloads the model in use onto the new device.
    void setModelOptions(const qc::ModelOptions& options);
    qc::ModelOptions modelOptions() const { return modelOptions_; }
    void setModel(std::shared_ptr<const qc::QualiClipModel> model, const QString& path);
    // The model named by the user cannot be used; the message names the file and the reason.
    void setModelError(const QString& path, const QString& message) { onModelFailed(path, message); }
    ModelState modelState() const { return modelState_; }
    QString modelPath() const { return modelPath_; }
    QString modelError() const { return modelError_; }
    bool hasModel() const { return model_ != nullptr; }
    std::shared_ptr<const qc::QualiClipModel> model() const { return model_; }

    // Custom antonym prompts (engine/PromptSet.h): the open photos are rescored with the set's
    // pairs, now and after any later model change; nullopt returns to the model's stored ones.
    // The set's model is made off the GUI thread (PromptSetLoader). Without CLIP's vocabulary,
    // or with a prompt too long, promptSetError() says why and the stored prompts stay in use.
    void setPromptSet(std::optional<qc::PromptSet> set);
    const std::optional<qc::PromptSet>& promptSet() const { return promptSet_; }
    bool promptSetLoading() const { return promptLoader_->loading(); }
    QString promptSetError() const { return promptSetError_; }
    // The text side of the model in use once a set was loaded (token counts in the editor).
    std::shared_ptr<const qc::PromptSetEncoder> promptEncoder() const { return promptLoader_->encoder(); }
    // CLIP's vocabulary; "" (default) looks where core's locateVocabulary looks.
    void setVocabularyPath(const QString& path) { vocabularyPath_ = path; }

    void setPolicy(const qc::ResizePolicy& policy);
    qc::ResizePolicy policy() const { return policy_; }
    // Which pixels of RAW files are scored (images/PixelSource.h); a change rescores, as a policy
    // does.
    void setRawMode(qc::RawMode mode);
    qc::RawMode rawMode() const { return rawMode_; }
    // Which file of a RAW+JPEG pair row is scored (default: the JPEG); a change rescores.
    void setPairScoring(qc::PairScoring which);
    qc::PairScoring pairScoring() const { return pairScoring_; }
    QString scoringPath(const ImageEntry& e) const;  // the file the worker scores for this row
    void setComputeThreads(int threads);

    void setCatalog(std::shared_ptr<qc::Catalog> catalog) { catalog_ = std::move(catalog); }
    // The window's catalog: opened read-write; where the file or its folder cannot be written
    // or another program holds it locked, read-only (its scores and decisions shown, nothing
    // stored, the reason reported once); where it cannot be read either, none (reported).
    void openCatalog(const std::string& path);
    qc::Catalog* catalog() const { return catalog_.get(); }
    // With a naming (nullopt: off), every flag or star change also writes the image's XMP
    // sidecar (rating, reject as -1, score, model, policy); a failure is reported as a problem.
    void setSidecarWriting(std::optional<qc::SidecarNaming> naming) { sidecarNaming_ = naming; }
    std::optional<qc::SidecarNaming> sidecarWriting() const { return sidecarNaming_; }
    std::shared_ptr<qc::Catalog> sharedCatalog() const { return catalog_; }  // for other windows' threads
    CatalogWriteGuard* catalogGuard() const { return catalogGuard_; }
    // Culling marks: set in the table and saved to the catalog before returning (or, when the
    // catalog refuses, counted as unsaved by catalogGuard()). Each call is one step of
    // undoStack() (DecisionCommand: rows, catalog rows and sidecars come back exactly).
    void setFlag(ImageId id, CullFlag flag);
    void setStars(ImageId id, int stars);
    // Many rows in one undo step (a bulk rule, a key on a selection); the catalog rows in one
    // transaction. Rows that would not change are left out; nothing to change pushes nothing.
    void setFlags(const std::vector<ImageId>& ids, CullFlag flag, const QString& text);
    void applyDecisions(std::vector<RowDecision> decisions, const QString& text);
    // Bursts of the open photos (core's groupBursts: capture time gap and embedding similarity):
    // capture times read where rows have none, each row's place set in the table (stacks in the
    // views), the bursts stored in the catalog. Returns the number of groups.
    int groupBursts(const qc::BurstSettings& settings);
    const qc::BurstSettings& burstSettings() const { return burstSettings_; }

    // The bulk rules (core's library/CullRules.h) over the rows, in row order: the candidates,
    // with bursts as `settings` would group them (nothing stored), for a plan to be counted
    // before anything changes; then the plan applied as one undo step.
    std::vector<qc::CullCandidate> cullCandidates(const qc::BurstSettings& settings);
    void applyCullPlan(const qc::CullPlan& plan, const QString& text);

    // Ctrl+Z / Ctrl+Shift+Z: every decision made through the calls above.
    QUndoStack* undoStack() const { return undoStack_; }

    // Copies or moves every image flagged `flag` (with its sidecars) into folder; moved rows
    // and their catalog entries follow the files, keeping scores and decisions. Skipped files
    // are reported as problems. No dialog: the window asks before a move.
    TransferReport transferFlagged(CullFlag flag, const QString& folder, TransferMode mode);

    void cancel();
    void scoreUnscored();  // after a cancel: queue what is still without a score

    bool scoring() const { return scoring_; }
    bool scanning() const { return scanner_->scanning(); }
    // Nothing running: no scan, no model load, no image waiting for the worker.
    bool settled() const;
    const ScoringProgress& progress() const { return progress_; }

    static constexpr int kResultBatchMs = 100;

Q_SIGNALS:
    void modelStateChanged();
    void promptSetChanged();  // requested set, loading state or error changed
    void problemsFound(const std::vector<qc::ui::OpenProblem>& problems);
    void imagesAdded(int count);
    void progressChanged();
    void scoringFinished();

private:
    void onScanned(const ScannedImages& scanned);
    void onScored(const ScoredImage& scored);
    void applyPendingResults();
    void onWorkerFinished(quint64 jobsSeen);
    void onModelLoaded(std::shared_ptr<const qc::QualiClipModel> model, const QString& path);
    void onModelFailed(const QString& path, const QString& message);
    void restartScoring();
    qc::ScoringOptions scoringOptions() const;  // the policy and RAW mode the worker scores with
    void useModel(std::shared_ptr<const qc::QualiClipModel> model);
    bool loadPromptModel();  // false (error set, stored prompts in use) without a vocabulary
    void queue(const std::vector<ImageId>& ids);
    void setScoring(bool scoring);
    std::optional<qint64> catalogIdIfUnchanged(const QString& path) const;
    friend class DecisionCommand;
    void applyNow(const std::vector<RowDecision>& decisions);  // DecisionCommand's first redo()
    void saveDecision(ImageId id);
    void storeDecision(ImageId id);  // throws qc::CatalogError
    void saveDecisions(const std::vector<ImageId>& ids);
    void storeDecisions(const std::vector<ImageId>& ids);  // one transaction; throws qc::CatalogError
    void writeSidecar(ImageId id);
    void readMissingCaptureTimes();
    std::vector<qc::BurstPhoto> burstPhotos() const;  // one per row, in row order
    double now() const { return clock_.elapsed() / 1000.0; }

    ScoreTableModel* table_;
    ScoringWorker* worker_;
    FolderScanner* scanner_;
    ModelLoader* loader_;
    std::shared_ptr<const qc::QualiClipModel> model_;      // what scores: base or base + prompt set
    std::shared_ptr<const qc::QualiClipModel> baseModel_;  // as loaded, with its stored prompts
    PromptSetLoader* promptLoader_;
    std::optional<qc::PromptSet> promptSet_;
    QString promptSetError_, vocabularyPath_;
    std::shared_ptr<qc::Catalog> catalog_;
    CatalogWriteGuard* catalogGuard_;
    std::optional<qc::SidecarNaming> sidecarNaming_;
    QString modelPath_, modelError_;
    qc::ModelOptions modelOptions_;
    ModelState modelState_ = ModelState::None;
    qc::ResizePolicy policy_ = qc::ResizePolicy::longSideFast(1024);  // InspectorSettings' default
    qc::RawMode rawMode_ = qc::RawMode::Auto;
    qc::PairScoring pairScoring_ = qc::PairScoring::Jpeg;
    quint64 generation_ = 0;  // the worker's, for the model and policy in force
    bool scoring_ = false;
    ScoringProgress progress_;
    QElapsedTimer clock_;
    std::vector<ScoredImage> pending_;  // results not yet in the table
    QTimer* batchTimer_;
    QElapsedTimer sinceBatch_;
    QUndoStack* undoStack_;
    qc::BurstSettings burstSettings_;
};

}  // namespace qc::ui
