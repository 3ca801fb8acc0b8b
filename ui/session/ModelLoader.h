// ModelLoader: reads and validates a QualiCLIP checkpoint on a pool thread (a real one is
// ~400 MB and takes seconds), then reports on the GUI thread. Only the latest request counts:
// an older load that finishes later is ignored. GUI thread only.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

#include "engine/QualiClipModel.h"

namespace qc::ui {

class ModelLoader : public QObject {
    Q_OBJECT
public:
    explicit ModelLoader(QObject* parent = nullptr);
    ~ModelLoader() override;

    void load(const QString& path, const qc::ModelOptions& options = {});
    bool loading() const { return loading_; }

Q_SIGNALS:
    void loaded(std::shared_ptr<const qc::QualiClipModel> model, const QString& path);
    void failed(const QString& path, const QString& message);

private:
    struct Outcome {
        std::shared_ptr<const qc::QualiClipModel> model;
        QString error;
    };
    static Outcome loadNow(const QString& path, const qc::ModelOptions& options);

    quint64 latest_ = 0;
    bool loading_ = false;
};

}  // namespace qc::ui
