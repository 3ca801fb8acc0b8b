#include "ui/inspector/ScoreHistogram.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/widgets/QCustomPlotWrapper.h"

namespace qc::ui {
namespace {

constexpr double kBinWidth = 1.0 / ScoreHistogram::kBins;
constexpr int kMinDragPixels = 4;  // less is a click, which clears the range

QVector<double> binCentres() {
    QVector<double> keys;
    for (int i = 0; i < ScoreHistogram::kBins; ++i) keys << (i + 0.5) * kBinWidth;
    return keys;
}

QVector<double> toVector(const std::vector<int>& counts) {
    QVector<double> values;
    for (int c : counts) values << c;
    return values;
}

}  // namespace

std::vector<int> histogramCounts(const std::vector<double>& scores, int bins) {
    std::vector<int> counts(size_t(bins), 0);
    for (double s : scores) {
        if (!std::isfinite(s)) continue;
        const int bin = std::clamp(int(std::floor(s * bins)), 0, bins - 1);
        ++counts[size_t(bin)];
    }
    return counts;
}

ScoreHistogram::ScoreHistogram(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    all_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    all_->setName(QStringLiteral("All images"));
    all_->setWidth(kBinWidth * 0.9);
    all_->setPen(Qt::NoPen);
    all_->setBrush(QColor(150, 160, 175));
    highlighted_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    highlighted_->setWidth(kBinWidth * 0.6);
    highlighted_->setPen(Qt::NoPen);
    highlighted_->setBrush(QColor(30, 110, 220));
    highlighted_->removeFromLegend();  // named and listed only while something is highlighted
    band_ = new QCPItemRect(plot_);
    band_->setPen(QPen(QColor(230, 120, 0), 1));
    band_->setBrush(QColor(255, 160, 0, 50));
    band_->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band_->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band_->setVisible(false);
    plot_->xAxis->setLabel(QStringLiteral("score \u2014 drag to filter by a range, click to clear"));
    plot_->yAxis->setLabel(QStringLiteral("images"));
    QSharedPointer<QCPAxisTickerFixed> counts(new QCPAxisTickerFixed);
    counts->setTickStep(1);  // whole images; multiples of 1, 2, 5, 10... when there are many
    counts->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->yAxis->setTicker(counts);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(font());
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    plot_->xAxis->setRange(0, 1);
    plot_->yAxis->setRange(0, 1);
    connect(plot_, &QCustomPlot::mousePress, this, &ScoreHistogram::onPress);
    connect(plot_, &QCustomPlot::mouseMove, this, &ScoreHistogram::onMove);
    connect(plot_, &QCustomPlot::mouseRelease, this, &ScoreHistogram::onRelease);
    setMinimumHeight(90);  // a 700 px window still has room for the picture
}

void ScoreHistogram::setScores(const std::vector<double>& all, const std::vector<double>& highlighted,
                               const QString& highlightName) {
    const QVector<double> keys = binCentres();
    const std::vector<int> counts = histogramCounts(all, kBins);
    all_->setData(keys, toVector(counts), true);
    highlighted_->setData(keys, toVector(histogramCounts(highlighted, kBins)), true);
    highlighted_->setVisible(!highlighted.empty());
    highlighted_->setName(highlightName);
    if (highlighted.empty()) highlighted_->removeFromLegend(); else highlighted_->addToLegend();
    fitAxis(all);
    const int peak = counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
    plot_->yAxis->setRange(0, std::max(1.0, peak * 1.15));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ScoreHistogram::fitAxis(const std::vector<double>& scores) {
    // Show the occupied part of 0..1 in steps of 0.05, at least 0.2 wide, so a shoot whose
    // scores lie close together is still readable.
    if (scores.empty()) {
        plot_->xAxis->setRange(0, 1);
        return;
    }
    const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
    double low = std::floor(*lo * 20) / 20, high = std::ceil(*hi * 20) / 20;
    if (high - low < 0.2) {
        const double mid = (low + high) / 2;
        low = std::max(0.0, mid - 0.1);
        high = std::min(1.0, low + 0.2);
    }
    plot_->xAxis->setRange(std::max(0.0, low), std::min(1.0, high));
}

void ScoreHistogram::setRange(std::optional<ScoreRange> range) {
    range_ = range;
    showRange();
}

void ScoreHistogram::showRange() {
    band_->setVisible(range_.has_value());
    if (range_) {
        band_->topLeft->setCoords(range_->low, 0);
        band_->bottomRight->setCoords(range_->high, 1);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double ScoreHistogram::scoreAt(const QMouseEvent* event) const {
    return std::clamp(plot_->xAxis->pixelToCoord(event->position().x()), 0.0, 1.0);
}

void ScoreHistogram::onPress(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    dragging_ = true;
    dragStart_ = scoreAt(event);
    dragStartX_ = int(event->position().x());
}

void ScoreHistogram::onMove(QMouseEvent* event) {
    if (!dragging_ || std::abs(int(event->position().x()) - dragStartX_) < kMinDragPixels) return;
    const double here = scoreAt(event);
    range_ = ScoreRange{std::min(dragStart_, here), std::max(dragStart_, here)};
    showRange();
}

void ScoreHistogram::onRelease(QMouseEvent* event) {
    if (!dragging_) return;
    dragging_ = false;
    if (std::abs(int(event->position().x()) - dragStartX_) < kMinDragPixels) {
        range_.reset();
    } else {
        const double here = scoreAt(event);
        range_ = ScoreRange{std::min(dragStart_, here), std::max(dragStart_, here)};
    }
    showRange();
    Q_EMIT rangeSelected(range_);
}

}  // namespace qc::ui
