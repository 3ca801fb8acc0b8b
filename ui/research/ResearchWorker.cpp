#include "ui/research/ResearchWorker.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "library/Catalog.h"
#include "library/CatalogScorer.h"
#include "Errors.h"
#include "engine/PromptSetEncoder.h"
#include "engine/ScoringEngine.h"
#include "models/ModelChoice.h"
#include "models/ModelLocator.h"
#include "models/ModelRegistry.h"

namespace qc::ui {

QString ResearchRun::label() const {
    QString base = QStringLiteral("%1, %2").arg(modelName, QString::fromStdString(context.resizePolicy));
    if (context.recipe != qc::kOfficialRecipeName)
        base += QStringLiteral(", %1 recipe").arg(QString::fromStdString(context.recipe));
    return promptSetName.isEmpty() ? base : base + QStringLiteral(", prompts %1").arg(promptSetName);
}

std::shared_ptr<const ResearchRun> runResearch(const ResearchRequest& request,
                                               const qc::StudyProgress& progress,
                                               const std::atomic<bool>* cancel) {
    const qc::MosTable table = qc::loadMosTable(
        request.mosFile.toStdString(), request.imagesFolder.toStdString(), request.columns);
    std::shared_ptr<const qc::QualiClipModel> model = request.model;
    if (!model) {
        std::string problem;
        const std::optional<qc::ModelChoice> choice = qc::chooseModel(request.modelPath.toStdString(), problem);
        if (!choice) throw qc::QualiClipError(problem);
        model = qc::loadChosenModel(*choice, {}, request.recipe, request.vocabularyPath.toStdString());
    } else if (request.recipe && *request.recipe != model->info().recipe) {
        model = model->withRecipe(*request.recipe);
    }
    if (request.promptSet) {
        const qc::ModelLocation vocabulary = qc::locateVocabulary(request.vocabularyPath.toStdString());
        if (!vocabulary.path) throw qc::PromptError(qc::missingVocabularyMessage(vocabulary));
        model = qc::PromptSetEncoder::forModel(*model, *vocabulary.path)->modelFor(model, *request.promptSet);
    }
    qc::ScoringOptions options;
    options.resize = request.policy;
    const qc::ScoringEngine engine(model, options);
    qc::CatalogScorerCounts counts;
    const qc::ImageScorer scorer = request.catalog
                                       ? qc::catalogScorer(*request.catalog, engine, &counts)
                                       : qc::engineScorer(engine);
    auto run = std::make_shared<ResearchRun>();
    run->study = qc::runAgreementStudy(table, scorer, request.statistics, progress, cancel);
    run->context = {model->info().sha256, request.policy.toString(),
                    QCoreApplication::applicationVersion().toStdString(),
                    request.mosFile.toStdString(), request.imagesFolder.toStdString(),
                    qc::recipeName(model->info().recipe), model->info().promptSet};
    const auto entry = qc::findRegistryEntry(request.modelPath.toStdString());  // chosen by id: its name
    run->modelName = entry ? QString::fromStdString(entry->id) : QFileInfo(request.modelPath).fileName();
    if (request.promptSet) run->promptSetName = QString::fromStdString(request.promptSet->name);
    run->cached = request.catalog ? counts.cached : 0;
    run->scored = request.catalog ? counts.scored : run->study.rows.size();
    return run;
}

ResearchWorker::ResearchWorker(QObject* parent) : QObject(parent) {}

ResearchWorker::~ResearchWorker() { cancel(); }

bool ResearchWorker::running() const { return thread_ != nullptr && thread_->isRunning(); }

void ResearchWorker::cancel() {
    if (cancel_) cancel_->store(true);
    if (thread_) {
        thread_->wait();
        delete thread_;
        thread_ = nullptr;
    }
}

quint64 ResearchWorker::start(const ResearchRequest& request) {
    cancel();
    const quint64 generation = ++generation_;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    // The thread owns copies of the request and the flag; signals are queued to the GUI thread.
    thread_ = QThread::create([this, request, generation, flag = cancel_] {
        try {
            auto run = runResearch(
                request,
                [&](qc::StudyStage stage, size_t done, size_t total) {
                    Q_EMIT progress(generation, stage == qc::StudyStage::Scoring ? 0 : 1, done,
                                    total);
                },
                flag.get());
            Q_EMIT finished(generation, run, QString(), false);
        } catch (const qc::Cancelled&) {
            Q_EMIT finished(generation, nullptr, QString(), true);
        } catch (const std::exception& e) {
            Q_EMIT finished(generation, nullptr, QString::fromStdString(e.what()), false);
        }
    });
    thread_->start();
    return generation;
}

}  // namespace qc::ui
