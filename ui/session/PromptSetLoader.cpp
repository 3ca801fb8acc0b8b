#include "ui/session/PromptSetLoader.h"

#include <QFutureWatcher>
#include <QtConcurrent>

namespace qc::ui {

PromptSetLoader::PromptSetLoader(QObject* parent) : QObject(parent) {}

PromptSetLoader::~PromptSetLoader() = default;

PromptSetLoader::Outcome PromptSetLoader::loadNow(
    std::shared_ptr<const qc::QualiClipModel> base, qc::PromptSet set, QString vocabularyPath,
    std::shared_ptr<const qc::PromptSetEncoder> encoder) {
    Outcome outcome;
    try {
        // The text side is read once per model; a new model needs its own.
        if (!encoder || encoder->modelSha256() != base->info().sha256)
            encoder = qc::PromptSetEncoder::forModel(*base, vocabularyPath.toStdString());
        outcome.encoder = encoder;
        outcome.model = encoder->modelFor(base, set);
    } catch (const std::exception& e) {
        outcome.error = QString::fromStdString(e.what());
    }
    return outcome;
}

void PromptSetLoader::load(std::shared_ptr<const qc::QualiClipModel> base, const qc::PromptSet& set,
                           const QString& vocabularyPath) {
    const quint64 request = ++latest_;
    loading_ = true;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        if (request != latest_) return;
        loading_ = false;
        const Outcome outcome = watcher->result();
        if (outcome.encoder) encoder_ = outcome.encoder;
        if (outcome.model)
            Q_EMIT loaded(outcome.model);
        else
            Q_EMIT failed(outcome.error);
    });
    watcher->setFuture(QtConcurrent::run(&PromptSetLoader::loadNow, std::move(base), set,
                                         vocabularyPath, encoder_));
}

}  // namespace qc::ui
