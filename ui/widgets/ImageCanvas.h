// ImageCanvas: shows one image with fit-to-window, 100 % and free zoom, and panning by mouse
// drag and arrow keys (when the image is larger than the view; otherwise arrows go on to the
// window, which moves between images). The view (fit, zoom, centre in image-relative
// coordinates) can be read and set, so several canvases can follow each other (Compare).
// GUI thread.
#pragma once

#include <QImage>
#include <QPixmap>
#include <QPointF>
#include <QString>
#include <QWidget>

namespace qc::ui {

struct CanvasView {
    bool fit = true;
    double zoom = 1;               // screen pixels per image pixel when !fit
    QPointF center{0.5, 0.5};      // view centre, as a fraction of the image's width and height
};

class ImageCanvas : public QWidget {
    Q_OBJECT
public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    void setImage(const QImage& image);  // keeps the current view
    void setMessage(const QString& message);  // shown instead of an image ("Loading…", an error)
    const QImage& image() const { return image_; }

    CanvasView view() const { return view_; }
    void setView(const CanvasView& view);  // does not emit viewChanged
    double effectiveZoom() const;

    // A quality-map overlay drawn over the whole image (stretched to it), kept registered with
    // the image at every zoom and pan.
    void setOverlay(const QImage& overlay, bool smooth);
    void clearOverlay();
    void setOverlayOpacity(double opacity);
    void setOverlayVisible(bool visible);
    bool hasOverlay() const { return !overlay_.isNull(); }

    void fitToWindow();
    void showActualSize();
    void zoomBy(double factor);

Q_SIGNALS:
    void viewChanged(const qc::ui::CanvasView& view);  // the user zoomed or panned
    void pointerMoved(QPointF imagePixel);  // the mouse is over this image pixel
    void pointerLeft();

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    double fitZoom() const;
    bool canPan() const;
    QPointF centerPixels() const;
    void setCenterPixels(QPointF pixels);
    void zoomAround(double newZoom, QPointF widgetPoint);
    void panBy(QPointF widgetDelta);
    void changedByUser();
    const QPixmap& scaledPixmap(double zoom);
    QPointF imageTopLeft() const;  // widget position of the image's top-left corner
    void paintOverlay(QPainter& painter);

    QImage image_;
    QString message_;
    CanvasView view_;
    QPoint dragStart_;
    QPointF dragCenter_;
    bool dragging_ = false;
    QImage overlay_;
    bool overlaySmooth_ = false;
    bool overlayVisible_ = true;
    double overlayOpacity_ = 0.5;
    QPixmap scaled_;  // image_ at scaledZoom_, for zooms below 100 %
    double scaledZoom_ = 0;
};

}  // namespace qc::ui

Q_DECLARE_METATYPE(qc::ui::CanvasView)
