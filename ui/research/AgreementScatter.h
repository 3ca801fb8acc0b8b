// AgreementScatter: a research run's scores against the human MOS (QCustomPlot), one dot per
// scored image, with the fitted 4-parameter logistic drawn over the score range. A second run
// (another model or resize policy on the same dataset) is overlaid in a second colour with its
// own curve. Hovering a dot shows the image's name, score and MOS; clicking one emits
// imageClicked with its path. GUI thread.
#pragma once

#include <QWidget>

#include <array>
#include <memory>
#include <optional>

class QCustomPlot;
class QCPGraph;
class QMouseEvent;

namespace qc::ui {

struct ResearchRun;

class AgreementScatter : public QWidget {
    Q_OBJECT
public:
    explicit AgreementScatter(QWidget* parent = nullptr);

    // second may be null (one run); both null clears.
    void setRuns(std::shared_ptr<const ResearchRun> first,
                 std::shared_ptr<const ResearchRun> second);
    QCustomPlot* plot() const { return plot_; }

    struct Point {
        int run = 0;     // 0 first, 1 second
        size_t row = 0;  // index into that run's study.rows
    };
    // The dot under a widget-pixel position (within kPickPixels), nearest first.
    std::optional<Point> pointAt(const QPointF& pixel) const;
    QString describe(const Point& point) const;  // "name\nscore 0.5123   MOS 3.40"
    QString pathOf(const Point& point) const;

    static constexpr double kPickPixels = 8;
    static const std::array<QColor, 2> kColors;

Q_SIGNALS:
    void imageClicked(const QString& path);

private:
    void onMove(QMouseEvent* event);
    void onPress(QMouseEvent* event);

    QCustomPlot* plot_;
    std::array<std::shared_ptr<const ResearchRun>, 2> runs_;
    std::array<QCPGraph*, 2> dots_{}, curves_{};
};

}  // namespace qc::ui
