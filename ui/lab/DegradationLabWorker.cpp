#include "ui/lab/DegradationLabWorker.h"

#include <opencv2/imgproc.hpp>

#include "lab/DegradationStudy.h"
#include "images/ImageLoader.h"
#include "engine/ScoringEngine.h"

namespace qc::ui {
namespace {

QImage toQImage(const cv::Mat& rgb) {
    return QImage(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step), QImage::Format_RGB888).copy();
}

}  // namespace

DegradationLabWorker::DegradationLabWorker(QObject* parent) : QObject(parent) {}

DegradationLabWorker::~DegradationLabWorker() { cancel(); }

bool DegradationLabWorker::running() const { return thread_ != nullptr && thread_->isRunning(); }

void DegradationLabWorker::cancel() {
    if (cancel_) cancel_->store(true);
    if (thread_) {
        thread_->wait();
        delete thread_;
        thread_ = nullptr;
    }
}

quint64 DegradationLabWorker::start(const LabRequest& request) {
    cancel();
    const quint64 generation = ++generation_;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    thread_ = QThread::create([this, request, generation, flag = cancel_] { run(request, generation, flag); });
    thread_->start();
    return generation;
}

// Worker thread: everything it touches is its own copy; signals are queued to the GUI thread.
void DegradationLabWorker::run(LabRequest request, quint64 generation, std::shared_ptr<std::atomic<bool>> cancel) {
    qc::DegradationStudyRequest study;
    try {
        cv::Mat rgb = qc::loadImageRgb8(request.imagePath.toStdString()).rgb;
        const double scale = double(kWorkingLongSide) / std::max(rgb.cols, rgb.rows);
        if (scale < 1)
            cv::resize(rgb, rgb, cv::Size(std::max(1, int(std::lround(rgb.cols * scale))),
                                          std::max(1, int(std::lround(rgb.rows * scale)))),
                       0, 0, cv::INTER_AREA);
        study.rgb = rgb;
    } catch (const std::exception& e) {
        Q_EMIT finished(generation, false, QString::fromStdString(e.what()));
        return;
    }
    study.name = request.imagePath.toStdString();
    study.families = request.families;
    study.levels = request.levels;
    study.seed = request.seed;
    std::unique_ptr<qc::ScoringEngine> engine;
    if (request.model) engine = std::make_unique<qc::ScoringEngine>(request.model, qc::ScoringOptions{});

    size_t delivered = 0;
    try {
        delivered = qc::runDegradationStudy(
            study, engine.get(),
            [&](const qc::StudyCell& s, size_t, size_t) {
                LabCell cell;
                cell.generation = generation;
                cell.level = s.level;
                cell.parameter = s.parameter;
                if (s.family) {
                    for (size_t i = 0; i < study.families.size(); ++i)
                        if (study.families[i] == *s.family) cell.row = int(i);
                }
                if (!s.image.empty()) {
                    cell.image = toQImage(s.image);
                    cell.thumbnail = cell.image.scaled(DegradationLabModel::kThumbnailSize, Qt::KeepAspectRatio,
                                                       Qt::SmoothTransformation);
                }
                cell.scored = s.scored;
                cell.score = s.result.score;
                cell.pairProbabilities = s.result.pairProbabilities;
                cell.error = QString::fromStdString(s.error);
                Q_EMIT cellReady(cell);
            },
            cancel.get());
    } catch (const std::exception& e) {
        Q_EMIT finished(generation, false, QString::fromStdString(e.what()));
        return;
    }
    Q_EMIT finished(generation, delivered < qc::studyCellCount(study), QString());
}

}  // namespace qc::ui
