#include "ui/research/AgreementScatter.h"

#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/widgets/QCustomPlotWrapper.h"
#include "ui/research/ResearchWorker.h"

namespace qc::ui {

const std::array<QColor, 2> AgreementScatter::kColors{QColor(30, 110, 220), QColor(230, 110, 0)};

namespace {
constexpr int kCurveSamples = 200;
}

AgreementScatter::AgreementScatter(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    for (int i = 0; i < 2; ++i) {
        dots_[size_t(i)] = plot_->addGraph();
        dots_[size_t(i)]->setLineStyle(QCPGraph::lsNone);
        QColor fill = kColors[size_t(i)];
        fill.setAlpha(150);
        dots_[size_t(i)]->setScatterStyle(
            QCPScatterStyle(i == 0 ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssTriangle,
                            kColors[size_t(i)].darker(130), fill, 7));
        curves_[size_t(i)] = plot_->addGraph();
        curves_[size_t(i)]->setPen(QPen(kColors[size_t(i)].darker(120), 2));
    }
    plot_->xAxis->setLabel(QStringLiteral("model score"));
    plot_->yAxis->setLabel(QStringLiteral("MOS (human)"));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(font());
    // The legend goes in a row under the axes, never over a dot (the worst failures lie in the
    // corners, where an inset legend would sit).
    // An empty element beside it keeps the row as wide as the axes: an empty legend alone would
    // cap the column's width, and the axes with it.
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    auto* below = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(1, 0, below);
    below->addElement(0, 0, plot_->legend);
    below->addElement(0, 1, new QCPLayoutElement(plot_));
    below->setColumnStretchFactor(0, 0.001);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot_->legend->setWrap(2);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &AgreementScatter::onMove);
    connect(plot_, &QCustomPlot::mousePress, this, &AgreementScatter::onPress);
    setMinimumSize(320, 240);
    setRuns(nullptr, nullptr);
}

void AgreementScatter::setRuns(std::shared_ptr<const ResearchRun> first,
                               std::shared_ptr<const ResearchRun> second) {
    runs_ = {std::move(first), std::move(second)};
    double xLow = std::numeric_limits<double>::max(), xHigh = -xLow, yLow = xLow, yHigh = -xLow;
    for (size_t i = 0; i < 2; ++i) {
        QVector<double> x, y, cx, cy;
        const ResearchRun* run = runs_[i].get();
        if (run) {
            for (const qc::AgreementRow& r : run->study.rows) {
                if (!r.error.empty()) continue;
                x << r.score;
                y << r.mos;
            }
        }
        // QCPGraph sorts by key, so pointAt() searches the study's rows, not the graph's data.
        dots_[i]->setData(x, y);
        if (!x.isEmpty()) {
            const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
            xLow = std::min(xLow, *lo);
            xHigh = std::max(xHigh, *hi);
            for (double v : y) yLow = std::min(yLow, v), yHigh = std::max(yHigh, v);
            for (int k = 0; k <= kCurveSamples; ++k) {
                const double s = *lo + (*hi - *lo) * k / kCurveSamples;
                cx << s;
                cy << qc::evaluateLogistic(run->study.report.logistic.parameters, s);
            }
        }
        curves_[i]->setData(cx, cy);
        const QString label =
            run ? QStringLiteral("%1 %2").arg(i == 0 ? "A:" : "B:", run->label()) : QString();
        dots_[i]->setName(label);
        curves_[i]->setName(QStringLiteral("%1 logistic fit").arg(i == 0 ? "A:" : "B:"));
        dots_[i]->setVisible(run != nullptr);
        curves_[i]->setVisible(run != nullptr);
        if (run) {
            dots_[i]->addToLegend();
            curves_[i]->addToLegend();
        } else {
            dots_[i]->removeFromLegend();
            curves_[i]->removeFromLegend();
        }
    }
    if (xLow > xHigh) {
        xLow = 0, xHigh = 1, yLow = 0, yHigh = 1;
    }
    const double xPad = std::max(1e-3, (xHigh - xLow) * 0.05);
    const double yPad = std::max(1e-3, (yHigh - yLow) * 0.08);
    plot_->xAxis->setRange(xLow - xPad, xHigh + xPad);
    plot_->yAxis->setRange(yLow - yPad, yHigh + yPad);
    plot_->legend->setVisible(runs_[0] || runs_[1]);
    plot_->replot();
}

std::optional<AgreementScatter::Point> AgreementScatter::pointAt(const QPointF& pixel) const {
    std::optional<Point> best;
    double bestDistance = kPickPixels;
    for (size_t i = 0; i < 2; ++i) {
        if (!runs_[i]) continue;
        const auto& rows = runs_[i]->study.rows;
        for (size_t k = 0; k < rows.size(); ++k) {
            if (!rows[k].error.empty()) continue;
            const QPointF at(plot_->xAxis->coordToPixel(rows[k].score),
                             plot_->yAxis->coordToPixel(rows[k].mos));
            const double d = std::hypot(at.x() - pixel.x(), at.y() - pixel.y());
            if (d <= bestDistance) {
                bestDistance = d;
                best = Point{int(i), k};
            }
        }
    }
    return best;
}

QString AgreementScatter::describe(const Point& p) const {
    const qc::AgreementRow& r = runs_[size_t(p.run)]->study.rows[p.row];
    return QStringLiteral("%1\nscore %2   MOS %3   fitted %4\n(%5)")
        .arg(QString::fromStdString(r.name), QString::number(r.score, 'f', 4),
             QString::number(r.mos, 'g', 4), QString::number(r.fitted, 'f', 3),
             p.run == 0 ? QStringLiteral("run A") : QStringLiteral("run B"));
}

QString AgreementScatter::pathOf(const Point& p) const {
    return QString::fromStdString(runs_[size_t(p.run)]->study.rows[p.row].path);
}

void AgreementScatter::onMove(QMouseEvent* event) {
    const auto p = pointAt(event->position());
    if (p)
        QToolTip::showText(event->globalPosition().toPoint(), describe(*p), plot_);
    else
        QToolTip::hideText();
    plot_->setCursor(p ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void AgreementScatter::onPress(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    if (const auto p = pointAt(event->position())) Q_EMIT imageClicked(pathOf(*p));
}

}  // namespace qc::ui
