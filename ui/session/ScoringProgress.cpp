#include "ui/session/ScoringProgress.h"

#include <algorithm>
#include <cmath>

namespace qc::ui {

void ScoringProgress::reset() { *this = ScoringProgress(); }

void ScoringProgress::add(int images, double seconds) {
    if (!active()) {
        // A new run after the previous one finished: count it on its own.
        done_ = total_ = 0;
        start_ = seconds;
        last_ = -1;
    }
    total_ += images;
}

void ScoringProgress::remove(int images) {
    total_ = std::max(done_, total_ - images);
}

void ScoringProgress::recordDone(double seconds) {
    if (done_ < total_) ++done_;
    last_ = seconds;
}

double ScoringProgress::imagesPerSecond() const {
    if (done_ == 0 || last_ <= start_) return 0;
    return done_ / (last_ - start_);
}

double ScoringProgress::secondsLeft() const {
    const double rate = imagesPerSecond();
    return rate > 0 ? (total_ - done_) / rate : -1;
}

QString formatDuration(double seconds) {
    const long s = std::lround(seconds);
    if (s < 60) return QStringLiteral("%1 s").arg(s);
    if (s < 3600) return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString ScoringProgress::summary() const {
    QString text = QStringLiteral("%1 / %2").arg(done_).arg(total_);
    if (const double rate = imagesPerSecond(); rate > 0) {
        text += QStringLiteral(" \u00b7 %1 images/s").arg(rate, 0, 'f', rate < 10 ? 1 : 0);
        if (active()) text += QStringLiteral(" \u00b7 %1 left").arg(formatDuration(secondsLeft()));
    }
    return text;
}

}  // namespace qc::ui
