#include "ui/widgets/PairBarChart.h"

#include <QVBoxLayout>

#include "ui/widgets/PairLabels.h"
#include "ui/widgets/QCustomPlotWrapper.h"
#include "ui/widgets/ScoreColors.h"

namespace qc::ui {

PairBarChart::PairBarChart(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->xAxis->setRange(0, 1);
    plot_->xAxis->setLabel(QStringLiteral("probability of the positive prompt"));
    plot_->yAxis->setRangeReversed(true);  // first pair on top, as in the table
    plot_->yAxis->setTickLength(0, 0);
    plot_->yAxis->grid()->setVisible(false);
    scoreLine_ = new QCPItemStraightLine(plot_);
    scoreLine_->setPen(QPen(Qt::black, 1, Qt::DashLine));
    scoreLine_->setVisible(false);
    setMinimumHeight(140);  // 7 bars with labels that do not overlap
    setPairs(qc::promptPairsFor(7));
}

void PairBarChart::setPairs(const std::vector<qc::PromptPair>& pairs) {
    pairs_ = pairs;
    for (QCPBars* b : bars_) plot_->removePlottable(b);
    bars_.clear();
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (size_t i = 0; i < pairs.size(); ++i) {
        ticker->addTick(double(i), pairLabel(pairs[i]));
        auto* bar = new QCPBars(plot_->yAxis, plot_->xAxis);  // horizontal: key on the left axis
        bar->setWidth(0.7);
        bar->setPen(Qt::NoPen);
        bars_.push_back(bar);
    }
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(-0.6, double(pairs.size()) - 0.4);
    plot_->replot();
}

int PairBarChart::shownBars() const {
    int shown = 0;
    for (const QCPBars* bars : bars_) shown += bars->data()->isEmpty() ? 0 : 1;
    return shown;
}

void PairBarChart::setProbabilities(const std::vector<double>& probabilities, double score) {
    for (size_t i = 0; i < bars_.size(); ++i) {
        if (i < probabilities.size()) {
            bars_[i]->setData(QVector<double>{double(i)}, QVector<double>{probabilities[i]});
            bars_[i]->setBrush(scoreColor(probabilities[i]));
        } else {
            bars_[i]->data()->clear();
        }
    }
    scoreLine_->setVisible(!probabilities.empty());
    scoreLine_->point1->setCoords(score, 0);
    scoreLine_->point2->setCoords(score, 1);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace qc::ui
