#include "ui/maps/MapLegend.h"

#include <QPainter>

namespace qc::ui {

MapLegend::MapLegend(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setScale(colors_, 0, 1);
}

QSize MapLegend::sizeHint() const { return {220, fontMetrics().height() + 14}; }

void MapLegend::setScale(qc::ColorMap colors, double low, double high) {
    colors_ = colors;
    low_ = low;
    high_ = high;
    // The bar is the map renderer's own colouring of a ramp, so legend and overlay always agree.
    qc::QualityMap ramp;
    ramp.kind = qc::MapKind::GradCam;
    ramp.rows = 1;
    ramp.cols = 256;
    ramp.cellSize = 1;
    ramp.inputWidth = 256;
    ramp.inputHeight = 1;
    for (int i = 0; i < 256; ++i) ramp.values.push_back(static_cast<float>(i / 255.0));
    const cv::Mat rgb = qc::renderMap(ramp, colors, false, 0, 1);
    bar_ = QImage(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), QImage::Format_RGB888).copy();
    update();
}

void MapLegend::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QString lowText = QString::number(low_, 'f', 3), highText = QString::number(high_, 'f', 3);
    const int lowWidth = fontMetrics().horizontalAdvance(lowText) + 6;
    const int highWidth = fontMetrics().horizontalAdvance(highText) + 6;
    const QRect bar(lowWidth, 3, std::max(10, width() - lowWidth - highWidth), height() - 6);
    painter.drawImage(bar, bar_);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    painter.drawText(QRect(0, 0, lowWidth - 3, height()), Qt::AlignRight | Qt::AlignVCenter, lowText);
    painter.drawText(QRect(bar.right() + 4, 0, highWidth, height()), Qt::AlignLeft | Qt::AlignVCenter, highText);
}

}  // namespace qc::ui
