#include "ui/widgets/ImageCanvas.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace qc::ui {
namespace {

constexpr double kMinZoom = 0.02, kMaxZoom = 32;
constexpr double kZoomStep = 1.25;
constexpr int kKeyPanPixels = 80;

}  // namespace

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(160, 120);
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(40, 40, 40));
    setPalette(p);
    setMouseTracking(true);  // hovering reports the pixel under the mouse (map cell values)
}

void ImageCanvas::setOverlay(const QImage& overlay, bool smooth) {
    overlay_ = overlay;
    overlaySmooth_ = smooth;
    update();
}

void ImageCanvas::clearOverlay() {
    overlay_ = {};
    update();
}

void ImageCanvas::setOverlayOpacity(double opacity) {
    overlayOpacity_ = std::clamp(opacity, 0.0, 1.0);
    update();
}

void ImageCanvas::setOverlayVisible(bool visible) {
    overlayVisible_ = visible;
    update();
}

void ImageCanvas::setImage(const QImage& image) {
    image_ = image;
    message_.clear();
    scaled_ = {};
    scaledZoom_ = 0;
    update();
}

void ImageCanvas::setMessage(const QString& message) {
    image_ = {};
    scaled_ = {};
    message_ = message;
    update();
}

void ImageCanvas::setView(const CanvasView& view) {
    view_ = view;
    view_.zoom = std::clamp(view_.zoom, kMinZoom, kMaxZoom);
    update();
}

double ImageCanvas::fitZoom() const {
    if (image_.isNull()) return 1;
    return std::min(double(width()) / image_.width(), double(height()) / image_.height());
}

double ImageCanvas::effectiveZoom() const { return view_.fit ? fitZoom() : view_.zoom; }

bool ImageCanvas::canPan() const {
    if (image_.isNull() || view_.fit) return false;
    return image_.width() * view_.zoom > width() || image_.height() * view_.zoom > height();
}

QPointF ImageCanvas::centerPixels() const {
    return {view_.center.x() * image_.width(), view_.center.y() * image_.height()};
}

void ImageCanvas::setCenterPixels(QPointF pixels) {
    // Keep the image on screen: an axis that fits is centred, one that does not stays covered.
    const double zoom = effectiveZoom();
    auto clampAxis = [zoom](double value, int imageSize, int viewSize) {
        const double half = viewSize / (2 * zoom);
        if (imageSize * zoom <= viewSize) return imageSize / 2.0;
        return std::clamp(value, half, imageSize - half);
    };
    const double x = clampAxis(pixels.x(), image_.width(), width());
    const double y = clampAxis(pixels.y(), image_.height(), height());
    view_.center = {x / std::max(1, image_.width()), y / std::max(1, image_.height())};
}

void ImageCanvas::fitToWindow() {
    view_ = CanvasView{};
    changedByUser();
}

void ImageCanvas::showActualSize() {
    const QPointF center = centerPixels();
    view_.fit = false;
    view_.zoom = 1;
    setCenterPixels(center);
    changedByUser();
}

void ImageCanvas::zoomBy(double factor) { zoomAround(effectiveZoom() * factor, rect().center()); }

void ImageCanvas::zoomAround(double newZoom, QPointF widgetPoint) {
    if (image_.isNull()) return;
    newZoom = std::clamp(newZoom, kMinZoom, kMaxZoom);
    const double zoom = effectiveZoom();
    // The image point under the cursor stays under the cursor.
    const QPointF offset = widgetPoint - QPointF(width() / 2.0, height() / 2.0);
    const QPointF anchor = centerPixels() + offset / zoom;
    view_.fit = false;
    view_.zoom = newZoom;
    setCenterPixels(anchor - offset / newZoom);
    changedByUser();
}

void ImageCanvas::panBy(QPointF widgetDelta) {
    setCenterPixels(centerPixels() - widgetDelta / effectiveZoom());
    changedByUser();
}

void ImageCanvas::changedByUser() {
    update();
    Q_EMIT viewChanged(view_);
}

const QPixmap& ImageCanvas::scaledPixmap(double zoom) {
    if (scaled_.isNull() || std::abs(scaledZoom_ - zoom) > 1e-9) {
        const QSize size(std::max(1, int(std::lround(image_.width() * zoom))),
                         std::max(1, int(std::lround(image_.height() * zoom))));
        scaled_ = QPixmap::fromImage(image_.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
        scaledZoom_ = zoom;
    }
    return scaled_;
}

void ImageCanvas::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    if (image_.isNull()) {
        painter.setPen(QColor(220, 220, 220));
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, message_);
        return;
    }
    const double zoom = effectiveZoom();
    const QPointF topLeft = imageTopLeft();
    if (zoom < 1) {
        // Shrinking smoothly is costly: done once per zoom level, then only blitted.
        painter.drawPixmap(topLeft.toPoint(), scaledPixmap(zoom));
    } else {
        // Enlarged: draw only the visible part, pixels kept sharp for pixel peeping.
        const QRectF visible(-topLeft / zoom, QSizeF(width(), height()) / zoom);
        const QRectF source = visible.intersected(QRectF(image_.rect()));
        const QRectF target(topLeft + source.topLeft() * zoom, source.size() * zoom);
        painter.drawImage(target, image_, source);
    }
    if (overlayVisible_ && !overlay_.isNull()) paintOverlay(painter);
}

QPointF ImageCanvas::imageTopLeft() const {
    return QPointF(width() / 2.0, height() / 2.0) - centerPixels() * effectiveZoom();
}

// The overlay covers the whole image whatever its own resolution (the map refers to the
// network input, which the resize policy may have shrunk): only the visible part is drawn.
void ImageCanvas::paintOverlay(QPainter& painter) {
    const double zoom = effectiveZoom();
    const QPointF topLeft = imageTopLeft();
    const QRectF visible = QRectF(-topLeft / zoom, QSizeF(width(), height()) / zoom).intersected(QRectF(image_.rect()));
    if (visible.isEmpty()) return;
    const double sx = double(overlay_.width()) / image_.width(), sy = double(overlay_.height()) / image_.height();
    const QRectF source(visible.x() * sx, visible.y() * sy, visible.width() * sx, visible.height() * sy);
    const QRectF target(topLeft + visible.topLeft() * zoom, visible.size() * zoom);
    painter.setOpacity(overlayOpacity_);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, overlaySmooth_);
    painter.drawImage(target, overlay_, source);
    painter.setOpacity(1);
}

void ImageCanvas::resizeEvent(QResizeEvent*) {
    if (!image_.isNull() && !view_.fit) setCenterPixels(centerPixels());
}

bool ImageCanvas::event(QEvent* event) {
    // Arrows pan a zoomed image here instead of moving to another image.
    if (event->type() == QEvent::ShortcutOverride && canPan()) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Down) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

void ImageCanvas::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    zoomAround(effectiveZoom() * std::pow(kZoomStep, steps), event->position());
    event->accept();
}

void ImageCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    dragging_ = true;
    dragStart_ = event->pos();
    dragCenter_ = centerPixels();
    setCursor(Qt::ClosedHandCursor);
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (!dragging_ && !image_.isNull()) {
        const QPointF pixel = (event->position() - imageTopLeft()) / effectiveZoom();
        if (QRectF(image_.rect()).contains(pixel)) Q_EMIT pointerMoved(pixel); else Q_EMIT pointerLeft();
    }
    if (!dragging_ || !canPan()) return;
    setCenterPixels(dragCenter_ - QPointF(event->pos() - dragStart_) / effectiveZoom());
    changedByUser();
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent*) {
    dragging_ = false;
    unsetCursor();
}

void ImageCanvas::mouseDoubleClickEvent(QMouseEvent*) {
    if (view_.fit) showActualSize(); else fitToWindow();
}

void ImageCanvas::leaveEvent(QEvent* event) {
    Q_EMIT pointerLeft();
    QWidget::leaveEvent(event);
}

void ImageCanvas::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(kZoomStep); return;
    case Qt::Key_Minus: zoomBy(1 / kZoomStep); return;
    case Qt::Key_Z: if (view_.fit) showActualSize(); else fitToWindow(); return;
    case Qt::Key_Left: if (canPan()) { panBy({kKeyPanPixels, 0}); return; } break;
    case Qt::Key_Right: if (canPan()) { panBy({-kKeyPanPixels, 0}); return; } break;
    case Qt::Key_Up: if (canPan()) { panBy({0, kKeyPanPixels}); return; } break;
    case Qt::Key_Down: if (canPan()) { panBy({0, -kKeyPanPixels}); return; } break;
    default: break;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace qc::ui
