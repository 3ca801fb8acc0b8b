#include "ui/session/ModelLoader.h"

#include <QtConcurrent>

#include "Errors.h"
#include "models/ModelChoice.h"

namespace qc::ui {

ModelLoader::ModelLoader(QObject* parent) : QObject(parent) {}

ModelLoader::~ModelLoader() = default;

ModelLoader::Outcome ModelLoader::loadNow(const QString& path, const qc::ModelOptions& options) {
    Outcome outcome;
    try {
        // A file, or a QualiCLIP+ prompt-learner file with its base weights beside it.
        std::string problem;
        const std::optional<qc::ModelChoice> choice = qc::chooseModel(path.toStdString(), problem);
        if (!choice) throw qc::QualiClipError(problem);
        outcome.model = qc::loadChosenModel(*choice, options, std::nullopt);
    } catch (const std::exception& e) {
        outcome.error = QString::fromStdString(e.what());
    }
    return outcome;
}

void ModelLoader::load(const QString& path, const qc::ModelOptions& options) {
    const quint64 request = ++latest_;
    loading_ = true;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, request, path] {
        watcher->deleteLater();
        if (request != latest_) return;
        loading_ = false;
        const Outcome outcome = watcher->result();
        if (outcome.model)
            Q_EMIT loaded(outcome.model, path);
        else
            Q_EMIT failed(path, outcome.error);
    });
    watcher->setFuture(QtConcurrent::run(&ModelLoader::loadNow, path, options));
}

}  // namespace qc::ui
