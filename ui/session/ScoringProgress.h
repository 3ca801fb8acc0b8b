// ScoringProgress: done / total of the current scoring run, its rate and the time left, and how
// the run ended (finished, with how many failed, or cancelled), for the status bar. A plain value;
// the clock is passed in so tests need no waiting. GUI thread.
#pragma once

#include <QString>

namespace qc::ui {

class ScoringProgress {
public:
    void reset();
    // More images joined the run at time `seconds` (the first ones start its clock).
    void add(int images, double seconds);
    void remove(int images);  // queued images removed
    // The user stopped the run: what was not done leaves it, and the summary says so.
    void cancel();
    void recordDone(double seconds, bool failed = false);

    int done() const { return done_; }
    int failed() const { return failed_; }
    int total() const { return total_; }
    bool active() const { return done_ < total_; }
    bool cancelled() const { return cancelledOf_ >= 0; }
    double imagesPerSecond() const;
    double secondsLeft() const;  // < 0 when unknown
    // Running: "12 / 2000 · 3.4 images/s · 9 min 40 s left"; finished: "9 scored, 6 failed";
    // cancelled: "Cancelled: 21 of 32 scored".
    QString summary() const;

private:
    int done_ = 0, failed_ = 0, total_ = 0;
    int cancelledOf_ = -1;  // the run's total when it was cancelled
    double start_ = -1, last_ = -1;
};

QString formatDuration(double seconds);

}  // namespace qc::ui
