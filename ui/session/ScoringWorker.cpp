#include "ui/session/ScoringWorker.h"

#include "ui/widgets/BackgroundPriority.h"

#include <algorithm>
#include <unordered_set>

namespace qc::ui {

ScoringWorker::ScoringWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<qc::ui::ScoredImage>();
    thread_ = QThread::create([this] {
        lowerCurrentThreadPriority();
        run();
    });
    thread_->setObjectName(QStringLiteral("ScoringWorker"));
    thread_->start();
}

ScoringWorker::~ScoringWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
        if (runCancel_) runCancel_->store(true);
    }
    wake_.notify_all();
    thread_->wait();
    delete thread_;
}

quint64 ScoringWorker::setEngine(std::shared_ptr<const qc::QualiClipModel> model, qc::ScoringOptions options) {
    auto engine = std::make_shared<const qc::ScoringEngine>(std::move(model), options);
    std::lock_guard lock(mutex_);
    engine_ = std::move(engine);
    taken_ += queue_.size();
    queue_.clear();
    if (runCancel_) runCancel_->store(true);
    return ++generation_;
}

quint64 ScoringWorker::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void ScoringWorker::setComputeThreads(int threads) {
    std::lock_guard lock(mutex_);
    threads_ = threads;
}

void ScoringWorker::enqueue(const std::vector<ScoringJob>& jobs) {
    {
        std::lock_guard lock(mutex_);
        queue_.insert(queue_.end(), jobs.begin(), jobs.end());
        enqueued_ += jobs.size();
    }
    wake_.notify_all();
}

int ScoringWorker::forget(const std::vector<ImageId>& ids) {
    const std::unordered_set<ImageId> gone(ids.begin(), ids.end());
    std::lock_guard lock(mutex_);
    const size_t before = queue_.size();
    queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                                [&](const ScoringJob& job) { return gone.count(job.id) > 0; }),
                 queue_.end());
    const size_t removed = before - queue_.size();
    // Forgotten jobs count as seen, so finished() can still report an empty queue.
    taken_ += removed;
    return int(removed);
}

int ScoringWorker::cancel() {
    std::lock_guard lock(mutex_);
    const int dropped = int(queue_.size());
    taken_ += queue_.size();
    queue_.clear();
    if (runCancel_) runCancel_->store(true);
    return dropped;
}

quint64 ScoringWorker::enqueuedCount() const {
    std::lock_guard lock(mutex_);
    return enqueued_;
}

bool ScoringWorker::startRun(Run& run) {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || (!queue_.empty() && engine_); });
    if (stopping_) return false;
    run.engine = engine_;
    run.generation = generation_;
    runCancel_ = std::make_shared<std::atomic<bool>>(false);
    run.cancel = runCancel_;
    if (threads_ != appliedThreads_) {
        // Process-wide setting; changed here, between runs, never while the network runs.
        qc::setComputeThreads(threads_);
        appliedThreads_ = threads_;
    }
    return true;
}

bool ScoringWorker::takeJob(const Run& run, std::vector<ScoringJob>& taken, std::string& path) {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.empty() || generation_ != run.generation || threads_ != appliedThreads_) return false;
    taken.push_back(queue_.front());
    queue_.pop_front();
    ++taken_;
    path = taken.back().path.toStdString();
    return true;
}

// One run scores jobs as long as the queue has them: the engine decodes the next photo while the
// network runs on this one, from one job to the next.
void ScoringWorker::run() {
    Run current;
    while (startRun(current)) {
        std::vector<ScoringJob> taken;
        current.engine->scoreStream(
            [&](std::string& path) { return takeJob(current, taken, path); },
            [&](size_t i, const qc::ImageResult& result) {
                Q_EMIT imageScored(ScoredImage{taken[i].id, current.generation, result});
            },
            current.cancel.get());
        quint64 seen = 0;
        bool idle = false;
        {
            std::lock_guard lock(mutex_);
            runCancel_.reset();
            idle = queue_.empty();
            seen = taken_;
        }
        if (idle) Q_EMIT finished(seen);
    }
}

}  // namespace qc::ui
