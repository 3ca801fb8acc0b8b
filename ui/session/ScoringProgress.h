// ScoringProgress: done / total of the current scoring run, its rate and the time left, for the
// status bar. A plain value; the clock is passed in so tests need no waiting. GUI thread.
#pragma once

#include <QString>

namespace qc::ui {

class ScoringProgress {
public:
    void reset();
    // More images joined the run at time `seconds` (the first ones start its clock).
    void add(int images, double seconds);
    void remove(int images);  // queued images removed or cancelled
    void recordDone(double seconds);

    int done() const { return done_; }
    int total() const { return total_; }
    bool active() const { return done_ < total_; }
    double imagesPerSecond() const;
    double secondsLeft() const;  // < 0 when unknown
    QString summary() const;     // "12 / 2000 · 3.4 images/s · 9 min 40 s left"

private:
    int done_ = 0, total_ = 0;
    double start_ = -1, last_ = -1;
};

QString formatDuration(double seconds);

}  // namespace qc::ui
