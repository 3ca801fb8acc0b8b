#include "ui/maps/QualityMapComputer.h"

#include "ui/widgets/BackgroundPriority.h"
#include "Errors.h"
#include "engine/ScoringEngine.h"

namespace qc::ui {
namespace {

// The network input: the file decoded and resized by the engine, or the given picture as it is.
cv::Mat networkInput(const QString& path, const QImage& image, const qc::ScoringEngine& engine) {
    if (!image.isNull()) {
        const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
        return cv::Mat(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
                       static_cast<size_t>(rgb.bytesPerLine())).clone();
    }
    qc::PreparedImage prepared = engine.prepare(path.toStdString());
    if (!prepared.error.empty()) throw qc::ImageError(prepared.error);
    return prepared.input;
}

std::shared_ptr<MapResult> computeFor(const QString& path, const QImage& image, const qc::QualiClipModel& model,
                                      const qc::ScoringEngine& engine, const qc::MapRequest& request,
                                      const qc::MapProgress& progress, const std::atomic<bool>* cancel) {
    const cv::Mat input = networkInput(path, image, engine);
    qc::NetworkOutput output;
    if (request.kind == qc::MapKind::Dense) {
        qc::ForwardOptions options;
        options.dense = true;
        options.cancel = cancel;
        output = model.run(input, options);
    }
    auto result = std::make_shared<MapResult>();
    result->path = path;
    result->map = qc::computeMap(model, input, output, request, progress, cancel);
    result->input = input;
    return result;
}

}  // namespace

QualityMapComputer::QualityMapComputer(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const qc::ui::MapResult>>();
    pool_.setMaxThreadCount(1);
}

QualityMapComputer::~QualityMapComputer() {
    cancel();
    pool_.waitForDone();
}

void QualityMapComputer::cancel() {
    if (cancel_) cancel_->store(true);
    ++latest_;  // whatever is still in flight is no longer wanted
}

void QualityMapComputer::request(const QString& path, std::shared_ptr<const qc::QualiClipModel> model,
                                 const qc::ResizePolicy& policy, const qc::MapRequest& request) {
    start(path, {}, std::move(model), policy, request);
}

void QualityMapComputer::requestImage(const QString& label, const QImage& image,
                                      std::shared_ptr<const qc::QualiClipModel> model, const qc::MapRequest& request) {
    start(label, image, std::move(model), qc::ResizePolicy::native(), request);
}

void QualityMapComputer::start(const QString& path, const QImage& image, std::shared_ptr<const qc::QualiClipModel> model,
                               const qc::ResizePolicy& policy, const qc::MapRequest& request) {
    cancel();
    if (!model) return;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 id = latest_;
    auto flag = cancel_;
    pool_.start([this, id, flag, path, image, model, policy, request] {
        lowerCurrentThreadPriority();
        qc::ScoringOptions options;
        options.resize = policy;
        const qc::ScoringEngine engine(model, options);
        auto report = [this, id](auto signal) {
            QMetaObject::invokeMethod(this, [this, id, signal] { if (id == latest_) signal(); }, Qt::QueuedConnection);
        };
        auto onProgress = [&](int done, int total) { report([this, done, total] { Q_EMIT progress(done, total); }); };
        try {
            std::shared_ptr<const MapResult> result = computeFor(path, image, *model, engine, request, onProgress, flag.get());
            report([this, result] { Q_EMIT ready(result); });
        } catch (const qc::Cancelled&) {
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            report([this, message] { Q_EMIT failed(message); });
        }
    });
}

}  // namespace qc::ui
