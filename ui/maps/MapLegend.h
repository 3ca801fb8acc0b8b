// MapLegend: the colour bar of a quality-map overlay with its value scale, so a colour can be
// read as a number. GUI thread.
#pragma once

#include <QWidget>

#include "results/MapExport.h"

namespace qc::ui {

class MapLegend : public QWidget {
    Q_OBJECT
public:
    explicit MapLegend(QWidget* parent = nullptr);
    void setScale(qc::ColorMap colors, double low, double high);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    qc::ColorMap colors_ = qc::ColorMap::Viridis;
    double low_ = 0, high_ = 1;
    QImage bar_;
};

}  // namespace qc::ui
