#include "ui/inspector/FullScreenViewer.h"

#include <QCloseEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/widgets/ImageCanvas.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/widgets/ViewerImageLoader.h"

namespace qc::ui {

QString captionFor(const ImageEntry& e) {
    QString text = e.fileName;
    if (e.hasScore()) text += QStringLiteral("   score %1 (%2)").arg(e.score, 0, 'f', 3).arg(e.policy);
    else text += QStringLiteral("   ") + stateText(e);
    if (e.flag == CullFlag::Pick) text += QStringLiteral("   \u2691 Pick");
    if (e.flag == CullFlag::Reject) text += QStringLiteral("   \u2715 Reject");
    if (e.stars > 0) text += QStringLiteral("   ") + QString(e.stars, QChar(0x2605));
    return text;
}

FullScreenViewer::FullScreenViewer(QWidget* parent)
    : QWidget(parent, Qt::Window),
      canvas_(new ImageCanvas(this)),
      caption_(new QLabel(this)),
      loader_(new ViewerImageLoader(this)) {
    setWindowTitle(QStringLiteral("QualiCLIP Inspector \u2014 Viewer"));
    setStyleSheet(QStringLiteral("background: #181818; color: #e0e0e0;"));
    caption_->setAlignment(Qt::AlignCenter);
    caption_->setStyleSheet(QStringLiteral("font-size: 15px; padding: 6px;"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(canvas_, 1);
    layout->addWidget(caption_);
    connect(loader_, &ViewerImageLoader::loaded, canvas_, &ImageCanvas::setImage);
    connect(loader_, &ViewerImageLoader::failed, canvas_, &ImageCanvas::setMessage);
}

void FullScreenViewer::showEntry(const ImageEntry& entry) {
    caption_->setText(captionFor(entry));
    if (loader_->path() != entry.path) {
        canvas_->setMessage(QStringLiteral("Loading %1\u2026").arg(entry.fileName));
        canvas_->setView({});
        loader_->load(entry.path);
    }
}

QString FullScreenViewer::caption() const { return caption_->text(); }

void FullScreenViewer::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape || event->key() == Qt::Key_F || event->key() == Qt::Key_Space) {
        close();
        return;
    }
    QWidget::keyPressEvent(event);
}

void FullScreenViewer::closeEvent(QCloseEvent* event) {
    Q_EMIT closed();
    QWidget::closeEvent(event);
}

}  // namespace qc::ui
