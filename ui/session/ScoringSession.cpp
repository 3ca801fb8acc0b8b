#include "ui/session/ScoringSession.h"

#include <QHash>
#include <QTimer>
#include <QUndoStack>
#include <QtDebug>

#include <algorithm>

#include "engine/ScoringEngine.h"
#include "library/Catalog.h"
#include "library/CatalogScorer.h"
#include "library/ShootBursts.h"
#include "models/ModelLocator.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringWorker.h"
#include "ui/widgets/DisplayImage.h"

namespace qc::ui {

ScoringSession::ScoringSession(QObject* parent)
    : QObject(parent),
      table_(new ScoreTableModel(this)),
      worker_(new ScoringWorker(this)),
      scanner_(new FolderScanner(this)),
      loader_(new ModelLoader(this)),
      batchTimer_(new QTimer(this)),
      undoStack_(new QUndoStack(this)) {
    promptLoader_ = new PromptSetLoader(this);
    catalogGuard_ = new CatalogWriteGuard([this](ImageId row) { storeDecision(row); }, this);
    connect(catalogGuard_, &CatalogWriteGuard::problemFound, this, [this](const QString& message) {
        const QString file = catalog_ ? QString::fromStdString(catalog_->path()) : QStringLiteral("catalog");
        Q_EMIT problemsFound({{file, QStringLiteral("%1; decisions that cannot be stored are marked unsaved")
                                         .arg(message)}});
    });
    connect(catalogGuard_, &CatalogWriteGuard::imageProblem, this, [this](ImageId id, const QString& message) {
        if (const ImageEntry* e = table_->entry(id))
            Q_EMIT problemsFound({{e->path, QStringLiteral("decision not stored: %1").arg(message)}});
    });
    clock_.start();
    batchTimer_->setSingleShot(true);
    connect(batchTimer_, &QTimer::timeout, this, &ScoringSession::applyPendingResults);
    connect(worker_, &ScoringWorker::imageScored, this, &ScoringSession::onScored);
    connect(worker_, &ScoringWorker::finished, this, &ScoringSession::onWorkerFinished);
    connect(scanner_, &FolderScanner::scanned, this, &ScoringSession::onScanned);
    connect(loader_, &ModelLoader::loaded, this, &ScoringSession::onModelLoaded);
    connect(promptLoader_, &PromptSetLoader::loaded, this, [this](std::shared_ptr<const qc::QualiClipModel> custom) {
        // A set made for a model replaced since is dropped; the new model's load is under way.
        if (!promptSet_ || !baseModel_ || custom->info().sha256 != baseModel_->info().sha256) return;
        useModel(std::move(custom));
        Q_EMIT promptSetChanged();
    });
    connect(promptLoader_, &PromptSetLoader::failed, this, [this](const QString& message) {
        promptSetError_ = message;
        promptSet_.reset();
        if (baseModel_ && model_ != baseModel_) useModel(baseModel_);
        Q_EMIT promptSetChanged();
    });
    connect(loader_, &ModelLoader::failed, this, &ScoringSession::onModelFailed);
}

// The worker (a child) cancels and joins its thread in its own destructor.
ScoringSession::~ScoringSession() = default;

void ScoringSession::openCatalog(const std::string& path) {
    std::string problem;
    try {
        setCatalog(std::make_shared<qc::Catalog>(path));
        return;
    } catch (const qc::CatalogStorageError& e) {
        problem = e.what();
    } catch (const std::exception& e) {
        Q_EMIT problemsFound({{QString::fromStdString(path),
                               QStringLiteral("%1; scores and decisions will not be kept").arg(QString::fromUtf8(e.what()))}});
        return;
    }
    try {
        setCatalog(std::make_shared<qc::Catalog>(path, qc::Catalog::Access::ReadOnly));
        catalogGuard_->setReadOnly(QStringLiteral("%1; opened read-only").arg(QString::fromStdString(problem)));
    } catch (const std::exception& e) {
        Q_EMIT problemsFound({{QString::fromStdString(path),
                               QStringLiteral("%1; scores and decisions will not be kept").arg(QString::fromUtf8(e.what()))}});
    }
}

void ScoringSession::open(const QStringList& paths, bool recursive) {
    scanner_->scan(paths, recursive);
}

void ScoringSession::onScanned(const ScannedImages& scanned) {
    if (!scanned.problems.empty()) Q_EMIT problemsFound(scanned.problems);
    addEntries(scanned.entries);
    if (!scoring_ && settled()) Q_EMIT scoringFinished();
}

std::vector<ImageId> ScoringSession::addEntries(std::vector<ImageEntry> entries) {
    for (ImageEntry& e : entries) e.state = model_ ? ScoreState::Waiting : ScoreState::NoModel;
    const int count = int(entries.size());
    std::vector<ImageId> ids = table_->addImages(std::move(entries));
    if (catalog_) {
        for (ImageId id : ids) {
            const ImageEntry* e = table_->entry(id);
            const auto known = e ? catalogIdIfUnchanged(e->path) : std::nullopt;
            if (!known) continue;
            qc::CatalogDecision d;
            try {
                d = catalog_->decision(*known);
            } catch (const std::exception& ex) {
                qWarning("catalog: %s", ex.what());
            }
            if (d.flag != qc::CatalogFlag::None) table_->setFlag(id, CullFlag(int(d.flag)));
            if (d.stars != 0) table_->setStars(id, d.stars);
        }
    }
    if (model_) queue(ids);
    Q_EMIT imagesAdded(count);
    return ids;
}

void ScoringSession::remove(const std::vector<ImageId>& ids) {
    progress_.remove(worker_->forget(ids));
    // A finished run's counts no longer describe the list.
    if (!scoring_) progress_.reset();
    table_->removeImages(ids);
    Q_EMIT progressChanged();
}

void ScoringSession::loadModel(const QString& path) {
    modelState_ = ModelState::Loading;
    modelPath_ = path;
    modelError_.clear();
    Q_EMIT modelStateChanged();
    loader_->load(path, modelOptions_);
}

void ScoringSession::setModelOptions(const qc::ModelOptions& options) {
    if (options.device == modelOptions_.device && options.precision == modelOptions_.precision) return;
    modelOptions_ = options;
    if (model_ || modelState_ == ModelState::Loading) loadModel(modelPath_);
}

void ScoringSession::onModelLoaded(std::shared_ptr<const qc::QualiClipModel> model, const QString& path) {
    setModel(std::move(model), path);
}

void ScoringSession::onModelFailed(const QString& path, const QString& message) {
    modelPath_ = path;
    modelError_ = message;
    // A model that was working stays in use; the message says the new one failed.
    modelState_ = model_ ? ModelState::Ready : ModelState::Failed;
    if (model_) modelPath_ = QString::fromStdString(model_->info().path);
    Q_EMIT modelStateChanged();
    if (!model_ && settled()) Q_EMIT scoringFinished();
}

void ScoringSession::setModel(std::shared_ptr<const qc::QualiClipModel> model, const QString& path) {
    baseModel_ = model;
    modelPath_ = path;
    modelError_.clear();
    modelState_ = ModelState::Ready;
    // With a prompt set in force the photos are scored once, when the set's model is ready.
    if (promptSet_ && loadPromptModel()) return;
    useModel(std::move(model));
}

void ScoringSession::useModel(std::shared_ptr<const qc::QualiClipModel> model) {
    model_ = std::move(model);
    table_->setPairs(model_->info().pairs);
    Q_EMIT modelStateChanged();
    restartScoring();
}

void ScoringSession::setPromptSet(std::optional<qc::PromptSet> set) {
    promptSet_ = std::move(set);
    promptSetError_.clear();
    if (promptSet_ && baseModel_) {
        if (!loadPromptModel()) return;
    } else if (!promptSet_) {
        promptLoader_->cancel();
        if (baseModel_ && model_ != baseModel_) useModel(baseModel_);
    }
    Q_EMIT promptSetChanged();
}

bool ScoringSession::loadPromptModel() {
    const qc::ModelLocation vocabulary = qc::locateVocabulary(vocabularyPath_.toStdString());
    if (!vocabulary.path) {
        promptSetError_ = QString::fromStdString(qc::missingVocabularyMessage(vocabulary));
        promptSet_.reset();
        if (model_ != baseModel_) useModel(baseModel_);
        Q_EMIT promptSetChanged();
        return false;
    }
    promptLoader_->load(baseModel_, *promptSet_, QString::fromStdString(*vocabulary.path));
    return true;
}

void ScoringSession::setPolicy(const qc::ResizePolicy& policy) {
    if (policy == policy_) return;
    policy_ = policy;
    if (model_) restartScoring();
}

void ScoringSession::setRawMode(qc::RawMode mode) {
    if (mode == rawMode_) return;
    rawMode_ = mode;
    if (model_) restartScoring();
}

qc::ScoringOptions ScoringSession::scoringOptions() const {
    qc::ScoringOptions options;
    options.resize = policy_;
    options.load.raw = rawMode_;
    return options;
}

void ScoringSession::setPairScoring(qc::PairScoring which) {
    if (which == pairScoring_) return;
    pairScoring_ = which;
    if (model_) restartScoring();
}

QString ScoringSession::scoringPath(const ImageEntry& e) const {
    return e.isPair() && pairScoring_ == qc::PairScoring::Jpeg ? e.companionPath : e.path;
}

void ScoringSession::setComputeThreads(int threads) { worker_->setComputeThreads(threads); }

void ScoringSession::restartScoring() {
    generation_ = worker_->setEngine(model_, scoringOptions());
    // The viewer shows a RAW's pixels as the network sees them (preview or demosaic).
    setRawDisplayOptions(rawMode_, policy_.maxLongSide);
    pending_.clear();
    batchTimer_->stop();
    progress_.reset();
    table_->clearScores(ScoreState::Waiting);
    queue(table_->allIds());
    if (table_->count() == 0) setScoring(false);
}

void ScoringSession::queue(const std::vector<ImageId>& ids) {
    if (ids.empty()) return;
    std::vector<ScoringJob> jobs;
    jobs.reserve(ids.size());
    std::vector<std::pair<ImageId, qc::ImageResult>> cached;
    const std::string resize = policy_.toString();
    const qc::ScoringOptions options = scoringOptions();
    for (ImageId id : ids) {
        const ImageEntry* e = table_->entry(id);
        if (!e) continue;
        // A file the catalog knows unchanged, scored with this model, policy and source: no job.
        const QString path = scoringPath(*e);
        if (const auto known = model_ ? catalogIdIfUnchanged(path) : std::nullopt) {
            const std::string source = qc::plannedSourceName(path.toStdString(), options);
            const std::string variant = qc::scoreVariant(resize, model_->info().precision, source);
            if (auto hit = catalog_->score(*known, qc::scoringKey(model_->info().sha256, model_->info().promptSet, model_->info().recipe), variant)) {
                cached.emplace_back(id, qc::cachedImageResult(path.toStdString(), *hit,
                                                              model_->info(), resize, source));
                continue;
            }
        }
        jobs.push_back({id, path});
    }
    if (!cached.empty()) {
        table_->applyResults(cached);
        Q_EMIT progressChanged();
    }
    if (jobs.empty()) return;
    progress_.add(int(jobs.size()), now());
    worker_->enqueue(jobs);
    setScoring(true);
}

void ScoringSession::onScored(const ScoredImage& scored) {
    // A result of an older model or policy would mix two scales in one column.
    if (scored.generation != generation_) return;
    progress_.recordDone(now(), !scored.result.ok());
    pending_.push_back(scored);
    if (batchTimer_->isActive()) return;
    const qint64 since = sinceBatch_.isValid() ? sinceBatch_.elapsed() : kResultBatchMs;
    batchTimer_->start(int(std::max<qint64>(0, kResultBatchMs - since)));
}

void ScoringSession::applyPendingResults() {
    batchTimer_->stop();
    sinceBatch_.start();
    if (pending_.empty()) return;
    std::vector<std::pair<ImageId, qc::ImageResult>> results;
    std::vector<OpenProblem> problems;
    results.reserve(pending_.size());
    for (ScoredImage& scored : pending_) {
        // A row removed meanwhile: its result is dropped.
        if (table_->rowOf(scored.id) < 0) continue;
        if (!scored.result.ok())
            problems.push_back({QString::fromStdString(scored.result.path), QString::fromStdString(scored.result.error)});
        results.emplace_back(scored.id, std::move(scored.result));
    }
    pending_.clear();
    if (catalog_) {
        for (const auto& [id, result] : results) {
            if (!result.ok() || result.cached) continue;
            // A score that cannot be stored is only not cached; the guard reports the catalog once.
            const qc::ImageResult& stored = result;
            catalogGuard_->tryWrite([&] { catalog_->storeScore(catalog_->resolve(stored.path).id, stored); });
        }
    }
    table_->applyResults(results);
    if (!problems.empty()) Q_EMIT problemsFound(problems);
    Q_EMIT progressChanged();
}

void ScoringSession::onWorkerFinished(quint64 jobsSeen) {
    applyPendingResults();  // every result of the run is in the table before it counts as finished
    if (jobsSeen == worker_->enqueuedCount()) setScoring(false);
}

void ScoringSession::cancel() {
    if (!model_) return;
    worker_->cancel();
    progress_.cancel();
    applyPendingResults();  // images already scored keep their scores
    table_->setWaitingState(ScoreState::Cancelled);
    setScoring(false);
}

void ScoringSession::scoreUnscored() {
    if (!model_ || scoring_) return;
    std::vector<ImageId> ids;
    for (int row = 0; row < table_->count(); ++row)
        if (table_->entryAt(row).state == ScoreState::Cancelled) ids.push_back(table_->entryAt(row).id);
    table_->setState(ids, ScoreState::Waiting);
    queue(ids);
}

void ScoringSession::setScoring(bool scoring) {
    const bool finished = scoring_ && !scoring;
    scoring_ = scoring;
    Q_EMIT progressChanged();
    if (finished) Q_EMIT scoringFinished();
}

std::optional<qint64> ScoringSession::catalogIdIfUnchanged(const QString& path) const {
    if (!catalog_) return std::nullopt;
    try {
        const std::string p = path.toStdString();
        const auto stamp = qc::statFile(p);
        if (!stamp) return std::nullopt;
        if (auto id = catalog_->findUnchanged(p, *stamp)) return qint64(*id);
    } catch (const std::exception& e) {
        qWarning("catalog: %s", e.what());
    }
    return std::nullopt;
}

void ScoringSession::setFlag(ImageId id, CullFlag flag) {
    static const char* const names[] = {"Unflag", "Pick", "Reject"};
    const ImageEntry* e = table_->entry(id);
    if (!e) return;
    applyDecisions({{id, flag, e->stars}}, QStringLiteral("%1 %2").arg(QLatin1String(names[int(flag)]), e->fileName));
}

void ScoringSession::setFlags(const std::vector<ImageId>& ids, CullFlag flag, const QString& text) {
    std::vector<RowDecision> decisions;
    for (ImageId id : ids)
        if (const ImageEntry* e = table_->entry(id)) decisions.push_back({id, flag, e->stars});
    applyDecisions(std::move(decisions), text);
}

void ScoringSession::applyDecisions(std::vector<RowDecision> decisions, const QString& text) {
    decisions.erase(std::remove_if(decisions.begin(), decisions.end(),
                                   [this](const RowDecision& d) {
                                       const ImageEntry* e = table_->entry(d.id);
                                       return !e || (e->flag == d.flag && e->stars == d.stars);
                                   }),
                    decisions.end());
    if (decisions.empty()) return;
    undoStack_->push(new DecisionCommand(*this, std::move(decisions), text));  // runs redo(): applyNow
}

void ScoringSession::applyNow(const std::vector<RowDecision>& decisions) {
    std::vector<ImageId> ids;
    for (const RowDecision& d : decisions) {
        if (!table_->setFlag(d.id, d.flag) || !table_->setStars(d.id, d.stars)) continue;
        ids.push_back(d.id);
    }
    saveDecisions(ids);
    for (ImageId id : ids) writeSidecar(id);
}

void ScoringSession::setStars(ImageId id, int stars) {
    const ImageEntry* e = table_->entry(id);
    if (!e || stars < 0 || stars > 5) return;
    applyDecisions({{id, e->flag, stars}}, QStringLiteral("%1 star(s) on %2").arg(stars).arg(e->fileName));
}

void ScoringSession::writeSidecar(ImageId id) {
    const ImageEntry* e = table_->entry(id);
    if (!sidecarNaming_ || !e) return;
    qc::SidecarFields fields;
    fields.rating = e->flag == CullFlag::Reject ? -1 : e->stars;  // Lightroom's reject
    if (e->hasScore()) {
        fields.score = e->score;
        fields.modelSha256 = e->modelSha256.toStdString();
        fields.resizePolicy = e->policy.toStdString();
    }
    for (const QString& file : e->files()) {  // both files of a RAW+JPEG pair
        try {
            qc::writeSidecar(file.toStdString(), *sidecarNaming_, fields);
        } catch (const std::exception& ex) {
            Q_EMIT problemsFound({{file, QStringLiteral("XMP sidecar not written: %1")
                                             .arg(QString::fromUtf8(ex.what()))}});
        }
    }
}

void ScoringSession::saveDecision(ImageId id) {
    if (!catalog_ || !table_->entry(id)) return;
    catalogGuard_->saveDecision(id);
}

void ScoringSession::storeDecision(ImageId id) { storeDecisions({id}); }

// Many at once (a rule, a selection): one transaction, so a bulk rule is one step in the catalog
// too. When that fails, each decision goes through the guard on its own: unsaved ones are counted
// and retried, one image's problem is named.
void ScoringSession::saveDecisions(const std::vector<ImageId>& ids) {
    if (!catalog_) return;
    if (ids.size() > 1 && catalogGuard_->unsavedDecisions() == 0 &&
        catalogGuard_->tryWrite([&] { storeDecisions(ids); }))
        return;
    for (ImageId id : ids) saveDecision(id);
}

void ScoringSession::storeDecisions(const std::vector<ImageId>& ids) {
    std::vector<std::pair<int64_t, qc::CatalogDecision>> rows;
    for (ImageId id : ids) {
        const ImageEntry* e = table_->entry(id);
        if (!e) continue;                         // removed since: nothing left to store
        for (const QString& file : e->files()) {  // both files of a RAW+JPEG pair
            const int64_t imageId = catalog_->resolve(file.toStdString()).id;
            qc::CatalogDecision d = catalog_->decision(imageId);  // keeps the label and note
            d.flag = qc::CatalogFlag(int(e->flag));
            d.stars = e->stars;
            rows.emplace_back(imageId, d);
        }
    }
    if (!rows.empty()) catalog_->setDecisions(rows);  // throws qc::CatalogError
}

TransferReport ScoringSession::transferFlagged(CullFlag flag, const QString& folder, TransferMode mode) {
    QStringList paths;
    QHash<QString, ImageId> idByPath, idByCompanion;
    for (int row = 0; row < table_->count(); ++row) {
        const ImageEntry& e = table_->entryAt(row);
        if (e.flag != flag) continue;
        paths << e.path;
        idByPath.insert(e.path, e.id);
        if (e.isPair()) {  // the pair's JPEG travels with its RAW
            paths << e.companionPath;
            idByCompanion.insert(e.companionPath, e.id);
        }
    }
    TransferReport report = transferFiles(paths, folder, mode);
    if (mode == TransferMode::Move) {
        // Undo steps name files by their old paths and sidecars; after a move they would write
        // where the photos no longer are.
        if (!report.done.empty()) undoStack_->clear();
        for (const auto& [from, to] : report.done) {
            if (idByCompanion.contains(from))
                table_->setCompanionPath(idByCompanion.value(from), to);
            else
                table_->setPath(idByPath.value(from), to);
            if (!catalog_) continue;
            try {
                catalog_->resolve(to.toStdString());  // the fingerprint finds the moved image
            } catch (const std::exception& e) {
                report.skipped.push_back({to, QStringLiteral("catalog: %1").arg(QString::fromUtf8(e.what()))});
            }
        }
    }
    if (!report.skipped.empty()) Q_EMIT problemsFound(report.skipped);
    return report;
}

bool ScoringSession::settled() const {
    return !scoring_ && pending_.empty() && !scanner_->scanning() && !loader_->loading() && !promptLoader_->loading();
}

}  // namespace qc::ui

namespace qc::ui {

void ScoringSession::readMissingCaptureTimes() {
    for (int row = 0; row < table_->count(); ++row) {
        const ImageEntry& e = table_->entryAt(row);
        if (e.captureSeconds) continue;
        try {
            const std::string path = e.path.toStdString();
            const auto known = catalogIdIfUnchanged(e.path);
            const qc::CaptureTime t = known ? qc::catalogCaptureTime(*catalog_, *known, path) : qc::readCaptureTime(path);
            table_->setCaptureTime(e.id, t.seconds, t.source == qc::CaptureTimeSource::FileModified);
        } catch (const std::exception& ex) {
            qWarning("capture time: %s", ex.what());  // the row then stays a burst of its own
        }
    }
}

std::vector<qc::BurstPhoto> ScoringSession::burstPhotos() const {
    const int sharpness = qc::sharpnessPairIndex(table_->pairs());
    std::vector<qc::BurstPhoto> photos;
    photos.reserve(size_t(table_->count()));
    for (int row = 0; row < table_->count(); ++row) {
        const ImageEntry& e = table_->entryAt(row);
        qc::BurstPhoto p;
        p.name = e.path.toStdString();
        p.captureSeconds = e.captureSeconds;
        if (e.hasScore()) {
            p.score = e.score;
            p.embedding = e.embedding;
            if (sharpness >= 0 && size_t(sharpness) < e.pairProbabilities.size())
                p.sharpness = e.pairProbabilities[size_t(sharpness)];
        }
        photos.push_back(std::move(p));
    }
    return photos;
}

int ScoringSession::groupBursts(const qc::BurstSettings& settings) {
    burstSettings_ = settings;
    readMissingCaptureTimes();
    const qc::BurstGroups groups = qc::groupBursts(burstPhotos(), settings);
    std::vector<ScoreTableModel::BurstPlace> places;
    std::vector<qc::CatalogBurst> stored;
    for (const qc::Burst& burst : groups.bursts) {
        const ImageEntry& first = table_->entryAt(int(burst.members.front()));
        const auto firstCatalogId = catalogIdIfUnchanged(first.path);
        for (size_t position = 0; position < burst.members.size(); ++position) {
            const ImageEntry& e = table_->entryAt(int(burst.members[position]));
            const bool best = burst.best == burst.members[position];
            places.push_back({e.id, qint64(first.id), int(position), int(burst.members.size()), best});
            if (const auto id = firstCatalogId ? catalogIdIfUnchanged(e.path) : std::nullopt)
                stored.push_back({*id, *firstCatalogId, int(position), int(burst.members.size()), best});
        }
    }
    table_->setBursts(places);
    if (catalog_ && !stored.empty()) {
        try {
            catalog_->replaceBursts(stored, qc::burstSettingsText(settings));
        } catch (const std::exception& ex) {
            qWarning("catalog: %s", ex.what());
        }
    }
    return int(groups.bursts.size());
}

std::vector<qc::CullCandidate> ScoringSession::cullCandidates(const qc::BurstSettings& settings) {
    readMissingCaptureTimes();
    const qc::BurstGroups groups = qc::groupBursts(burstPhotos(), settings);
    std::vector<qc::CullCandidate> candidates;
    for (int row = 0; row < table_->count(); ++row) {
        const ImageEntry& e = table_->entryAt(row);
        const qc::Burst& burst = groups.bursts[groups.burstOf[size_t(row)]];
        qc::CullCandidate c;
        if (e.hasScore()) c.score = e.score;
        c.flag = qc::CatalogFlag(int(e.flag));
        c.stars = e.stars;
        c.burstId = qint64(table_->entryAt(int(burst.members.front())).id);
        c.best = burst.best == size_t(row);
        candidates.push_back(c);
    }
    return candidates;
}

void ScoringSession::applyCullPlan(const qc::CullPlan& plan, const QString& text) {
    std::vector<RowDecision> decisions;
    for (size_t row : plan.picks) {
        const ImageEntry& e = table_->entryAt(int(row));
        decisions.push_back({e.id, CullFlag::Pick, e.stars});
    }
    for (size_t row : plan.rejects) {
        const ImageEntry& e = table_->entryAt(int(row));
        decisions.push_back({e.id, CullFlag::Reject, e.stars});
    }
    applyDecisions(std::move(decisions), text);
}

}  // namespace qc::ui
