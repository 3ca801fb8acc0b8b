// ResearchWorker: runs core's agreement study (research/AgreementStudy.h) for the research window on its
// own thread: reads the MOS file, loads the model, scores the matched images (through the
// catalog when there is one, so a second run is instant) and computes the figures. One run at a
// time: start() cancels and joins the previous run, and so does the destructor. Created and
// driven on the GUI thread; its signals arrive there.
//
// runResearch() is the same work on the calling thread (the tests use it).
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "research/AgreementStudy.h"
#include "research/MosTable.h"
#include "engine/PromptSet.h"
#include "engine/QualiClipModel.h"
#include "images/ResizePolicy.h"

namespace qc {
class Catalog;
}

namespace qc::ui {

struct ResearchRequest {
    QString mosFile, imagesFolder;
    qc::MosColumns columns;
    QString modelPath;  // a file or a registry id (models/ModelChoice.h), loaded in the worker unless `model` is set
    std::shared_ptr<const qc::QualiClipModel> model;  // optional: an already loaded checkpoint
    qc::ResizePolicy policy = qc::ResizePolicy::native();
    std::optional<qc::ScoringRecipe> recipe;  // nullopt: the model's own (official; pyiqa for QualiCLIP+)
    std::optional<qc::PromptSet> promptSet;  // score with this set instead of the model's own pairs
    QString vocabularyPath;                  // CLIP's vocabulary for promptSet ("" = locateVocabulary)
    qc::AgreementOptions statistics;
    std::shared_ptr<qc::Catalog> catalog;  // null: every image is scored
};

// One finished study and what it was run with.
struct ResearchRun {
    qc::AgreementStudy study;
    qc::ReportContext context;  // model SHA-256, policy, version, MOS file, images folder
    QString modelName;          // the checkpoint's file name
    QString promptSetName;      // "" for the model's own prompts
    size_t cached = 0, scored = 0;
    QString label() const;  // "tiny_qualiclip.pth, native" (+ ", prompts exposure")
};

// Throws QualiClipError (MosTableError, StatisticsError, the model's errors) and Cancelled.
std::shared_ptr<const ResearchRun> runResearch(const ResearchRequest& request,
                                               const qc::StudyProgress& progress = {},
                                               const std::atomic<bool>* cancel = nullptr);

class ResearchWorker : public QObject {
    Q_OBJECT
public:
    explicit ResearchWorker(QObject* parent = nullptr);
    ~ResearchWorker() override;

    quint64 start(const ResearchRequest& request);  // the run's generation
    void cancel();                                  // asks the run to stop and waits for it
    bool running() const;

Q_SIGNALS:
    // stage: 0 scoring, 1 bootstrap.
    void progress(quint64 generation, int stage, qulonglong done, qulonglong total);
    // run is null when cancelled or when error says why there are no figures.
    void finished(quint64 generation, std::shared_ptr<const qc::ui::ResearchRun> run,
                  const QString& error, bool cancelled);

private:
    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
    quint64 generation_ = 0;
};

}  // namespace qc::ui
