#include "ui/session/ScoringProgress.h"

#include <algorithm>
#include <cmath>

namespace qc::ui {

void ScoringProgress::reset() { *this = ScoringProgress(); }

void ScoringProgress::add(int images, double seconds) {
    if (!active()) {
        // A new run after the previous one finished or was cancelled: count it on its own.
        *this = ScoringProgress();
        start_ = seconds;
    }
    total_ += images;
}

void ScoringProgress::remove(int images) {
    total_ = std::max(done_, total_ - images);
}

void ScoringProgress::cancel() {
    if (!active()) return;
    cancelledOf_ = total_;
    total_ = done_;
}

void ScoringProgress::recordDone(double seconds, bool failed) {
    if (done_ >= total_) return;  // a late result of a cancelled run
    ++done_;
    if (failed) ++failed_;
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
    if (total_ == 0 && !cancelled()) return {};
    const QString failures = failed_ > 0 ? QStringLiteral(", %1 failed").arg(failed_) : QString();
    if (cancelled())
        return QStringLiteral("Cancelled: %1 of %2 scored%3")
            .arg(done_ - failed_)
            .arg(cancelledOf_)
            .arg(failures);
    if (!active()) return QStringLiteral("%1 scored%2").arg(done_ - failed_).arg(failures);
    QString text = QStringLiteral("Scoring %1 / %2").arg(done_).arg(total_);
    if (failed_ > 0) text += QStringLiteral(" (%1 failed)").arg(failed_);
    if (const double rate = imagesPerSecond(); rate > 0) {
        text += QStringLiteral(" \u00b7 %1 images/s").arg(rate, 0, 'f', rate < 10 ? 1 : 0);
        if (active()) text += QStringLiteral(" \u00b7 %1 left").arg(formatDuration(secondsLeft()));
    }
    return text;
}

}  // namespace qc::ui
