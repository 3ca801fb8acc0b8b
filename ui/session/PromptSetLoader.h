// PromptSetLoader: makes the scoring model for a custom prompt set on a pool thread: reads the
// checkpoint's text encoder and CLIP's vocabulary once per model (seconds for the released
// model), encodes the set (cached per set in core's PromptSetEncoder) and reports on the GUI
// thread. Only the latest request counts. GUI thread only.
#pragma once

#include <QObject>
#include <QString>

#include <memory>

#include "engine/PromptSet.h"
#include "engine/PromptSetEncoder.h"
#include "engine/QualiClipModel.h"

namespace qc::ui {

class PromptSetLoader : public QObject {
    Q_OBJECT
public:
    explicit PromptSetLoader(QObject* parent = nullptr);
    ~PromptSetLoader() override;

    // base: the model with its stored prompts; vocabularyPath: CLIP's BPE file ("" = not found).
    void load(std::shared_ptr<const qc::QualiClipModel> base, const qc::PromptSet& set,
              const QString& vocabularyPath);
    bool loading() const { return loading_; }
    // The load under way, if any, reports nothing.
    void cancel() {
        ++latest_;
        loading_ = false;
    }
    // The encoder of the last model used, for token counts in the editor (null before the first
    // load).
    std::shared_ptr<const qc::PromptSetEncoder> encoder() const { return encoder_; }

Q_SIGNALS:
    void loaded(std::shared_ptr<const qc::QualiClipModel> model);
    void failed(const QString& message);

private:
    struct Outcome {
        std::shared_ptr<const qc::PromptSetEncoder> encoder;
        std::shared_ptr<const qc::QualiClipModel> model;
        QString error;
    };
    static Outcome loadNow(std::shared_ptr<const qc::QualiClipModel> base, qc::PromptSet set,
                           QString vocabularyPath,
                           std::shared_ptr<const qc::PromptSetEncoder> encoder);

    quint64 latest_ = 0;
    bool loading_ = false;
    std::shared_ptr<const qc::PromptSetEncoder> encoder_;
};

}  // namespace qc::ui
