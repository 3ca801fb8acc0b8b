// FullScreenViewer: the current image alone on a dark full screen, with a caption (file,
// score, flag, stars). The window's culling and navigation actions work here too; F, Space or
// Escape close it. GUI thread.
#pragma once

#include <QWidget>

#include "ui/session/ImageEntry.h"

class QLabel;

namespace qc::ui {

class ImageCanvas;
class ViewerImageLoader;

class FullScreenViewer : public QWidget {
    Q_OBJECT
public:
    explicit FullScreenViewer(QWidget* parent = nullptr);

    void showEntry(const ImageEntry& entry);
    QString caption() const;
    ImageCanvas* canvas() const { return canvas_; }

Q_SIGNALS:
    void closed();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    ImageCanvas* canvas_;
    QLabel* caption_;
    ViewerImageLoader* loader_;
};

QString captionFor(const ImageEntry& entry);

}  // namespace qc::ui
