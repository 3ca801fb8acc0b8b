#include "ui/session/ModelLoader.h"

#include <QtConcurrent>

namespace qc::ui {

ModelLoader::ModelLoader(QObject* parent) : QObject(parent) {}

ModelLoader::~ModelLoader() = default;

ModelLoader::Outcome ModelLoader::loadNow(const QString& path, const qc::ModelOptions& options) {
    Outcome outcome;
    try {
        outcome.model = qc::QualiClipModel::load(path.toStdString(), options);
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
