// ScoreHistogram: the distribution of the scores of every opened image (QCustomPlot bars, 0.01
// wide on QualiCLIP's 0..1 scale), with a second series for the images selected or passing the
// current filter. Dragging across it selects a score range (rangeSelected), which the window
// hands to ScoreFilterProxyModel; a click without a drag clears it. GUI thread.
#pragma once

#include <QWidget>

#include <optional>
#include <vector>

#include "ui/session/ScoreFilterProxyModel.h"

class QCustomPlot;
class QCPBars;
class QCPItemRect;
class QMouseEvent;

namespace qc::ui {

// Counts per bin of width 1/bins over [0, 1]; a score of exactly 1 falls in the last bin.
std::vector<int> histogramCounts(const std::vector<double>& scores, int bins);

class ScoreHistogram : public QWidget {
    Q_OBJECT
public:
    explicit ScoreHistogram(QWidget* parent = nullptr);

    // `highlighted`: the selection or the filtered images; empty hides the second series.
    void setScores(const std::vector<double>& all, const std::vector<double>& highlighted,
                   const QString& highlightName);
    void setRange(std::optional<ScoreRange> range);  // shows it; does not emit
    std::optional<ScoreRange> range() const { return range_; }
    QCustomPlot* plot() const { return plot_; }

    static constexpr int kBins = 100;

Q_SIGNALS:
    void rangeSelected(std::optional<qc::ui::ScoreRange> range);

private:
    void onPress(QMouseEvent* event);
    void onMove(QMouseEvent* event);
    void onRelease(QMouseEvent* event);
    void showRange();
    void fitAxis(const std::vector<double>& scores);
    double scoreAt(const QMouseEvent* event) const;

    QCustomPlot* plot_;
    QCPBars* all_;
    QCPBars* highlighted_;
    QCPItemRect* band_;
    std::optional<ScoreRange> range_;
    bool dragging_ = false;
    double dragStart_ = 0;
    int dragStartX_ = 0;
};

}  // namespace qc::ui
