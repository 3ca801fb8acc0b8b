// ScoringWorker: scores images on its own thread with a ScoringEngine it owns, so the GUI thread
// never waits on decoding or the network. Jobs (an ImageId and a path) are queued from the GUI
// thread; each result comes back as the imageScored signal, queued to the receiver's thread, in
// job order, as soon as that image is done.
//
// Every engine change (model or resize policy) starts a new generation: results carry the
// generation they were made in, so the owner can drop late results of an old one. cancel()
// drops the queue and abandons the image in the network (the engine checks between stages), so
// a run stops within one image. The destructor cancels and joins the thread.
//
// Public methods are for the thread that created the worker (the GUI thread).
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "ui/session/ImageEntry.h"
#include "engine/ScoringEngine.h"

namespace qc::ui {

struct ScoringJob {
    ImageId id = 0;
    QString path;
};

struct ScoredImage {
    ImageId id = 0;
    quint64 generation = 0;
    qc::ImageResult result;
};

class ScoringWorker : public QObject {
    Q_OBJECT
public:
    explicit ScoringWorker(QObject* parent = nullptr);
    ~ScoringWorker() override;

    // Replaces the engine and drops queued jobs; returns the new generation.
    quint64 setEngine(std::shared_ptr<const qc::QualiClipModel> model, qc::ScoringOptions options);
    quint64 generation() const;
    // Compute threads for LibTorch/OpenBLAS (0 = one per core), applied before the next image.
    void setComputeThreads(int threads);

    void enqueue(const std::vector<ScoringJob>& jobs);
    // Removes queued jobs of these images (rows removed by the user); returns how many.
    int forget(const std::vector<ImageId>& ids);
    // Drops the queue and stops the image being scored; returns how many queued jobs dropped.
    int cancel();

    // Jobs handed to enqueue() so far; finished() reports how many of them it had seen.
    quint64 enqueuedCount() const;

Q_SIGNALS:
    void imageScored(const qc::ui::ScoredImage& scored);
    // The queue ran dry after jobsSeen jobs; when that equals enqueuedCount(), nothing is pending.
    void finished(quint64 jobsSeen);

private:
    struct Run {
        std::shared_ptr<const qc::ScoringEngine> engine;
        quint64 generation = 0;
        std::shared_ptr<std::atomic<bool>> cancel;
    };
    void run();
    // Waits for jobs and an engine; false when the worker stops.
    bool startRun(Run& run);
    // The engine's path source: the next queued job, while the run's engine and compute threads
    // are still the current ones (a change ends the run; the next one applies it).
    bool takeJob(const Run& run, std::vector<ScoringJob>& taken, std::string& path);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<ScoringJob> queue_;
    std::shared_ptr<const qc::ScoringEngine> engine_;
    std::shared_ptr<std::atomic<bool>> runCancel_;  // of the run being scored
    quint64 generation_ = 0;
    quint64 enqueued_ = 0;
    quint64 taken_ = 0;
    int threads_ = 0, appliedThreads_ = -1;
    bool stopping_ = false;
    QThread* thread_ = nullptr;
};

}  // namespace qc::ui

Q_DECLARE_METATYPE(qc::ui::ScoredImage)
