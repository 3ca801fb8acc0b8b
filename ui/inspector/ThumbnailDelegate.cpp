#include "ui/inspector/ThumbnailDelegate.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include "ui/session/ScoreTableModel.h"

namespace qc::ui {

void ThumbnailDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    background.icon = {};
    background.features &= ~QStyleOptionViewItem::HasDecoration;
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    const QImage image = index.data(ScoreTableModel::ThumbnailRole).value<QImage>();
    if (image.isNull()) return;
    const QRect cell = option.rect.adjusted(2, 2, -2, -2);
    QSize size = image.size().scaled(cell.size(), Qt::KeepAspectRatio);
    const QRect target(cell.center() - QPoint(size.width() / 2, size.height() / 2), size);
    painter->save();
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->drawImage(target, image);
    painter->restore();
}

QSize ThumbnailDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const { return {64, 52}; }

}  // namespace qc::ui
