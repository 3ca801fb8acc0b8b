#include "ui/inspector/GridTileDelegate.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include "ui/session/ImageEntry.h"
#include "ui/widgets/ScoreColors.h"
#include "ui/session/ScoreTableModel.h"

namespace qc::ui {
namespace {

void paintPicture(QPainter* painter, const QRect& area, const QImage& image) {
    if (image.isNull()) {
        painter->fillRect(area, QColor(225, 225, 225));
        return;
    }
    const QSize size = image.size().scaled(area.size(), Qt::KeepAspectRatio);
    painter->drawImage(QRect(area.center() - QPoint(size.width() / 2, size.height() / 2), size), image);
}

void paintScoreBadge(QPainter* painter, const QRect& area, const QVariant& score) {
    if (!score.isValid()) return;
    const QString text = QString::number(score.toDouble(), 'f', 3);
    QFont font = painter->font();
    font.setBold(true);
    painter->setFont(font);
    const QRect badge(area.left() + 4, area.top() + 4, painter->fontMetrics().horizontalAdvance(text) + 12,
                      painter->fontMetrics().height() + 4);
    painter->setPen(Qt::NoPen);
    painter->setBrush(scoreColor(score.toDouble()));
    painter->drawRoundedRect(badge, 4, 4);
    painter->setPen(Qt::black);
    painter->drawText(badge, Qt::AlignCenter, text);
}

void paintMarks(QPainter* painter, const QRect& area, CullFlag flag, int stars) {
    if (flag != CullFlag::None) {
        const bool pick = flag == CullFlag::Pick;
        const QRect mark(area.right() - 24, area.top() + 4, 20, 20);
        painter->setPen(Qt::NoPen);
        painter->setBrush(pick ? QColor(40, 150, 60) : QColor(200, 40, 40));
        painter->drawEllipse(mark);
        painter->setPen(Qt::white);
        painter->drawText(mark, Qt::AlignCenter, pick ? QStringLiteral("\u2691") : QStringLiteral("\u2715"));
    }
    if (stars > 0) {
        const QString text(stars, QChar(0x2605));
        QRect r(area.left(), area.bottom() - 20, area.width() - 4, 18);
        painter->setPen(QColor(255, 200, 0));
        painter->drawText(r, Qt::AlignRight | Qt::AlignVCenter, text);
    }
}

}  // namespace

void GridTileDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    const QRect tile = option.rect.adjusted(2, 2, -2, -2);
    const bool selected = option.state & QStyle::State_Selected;
    painter->setPen(selected ? QPen(option.palette.highlight().color(), 2) : QPen(QColor(210, 210, 210)));
    painter->setBrush(selected ? option.palette.highlight().color().lighter(170) : option.palette.base().color());
    painter->drawRoundedRect(tile, 4, 4);

    const QRect picture(tile.left() + 4, tile.top() + 4, tile.width() - 8, kPictureHeight);
    paintPicture(painter, picture, index.data(ScoreTableModel::ThumbnailRole).value<QImage>());
    paintScoreBadge(painter, picture, index.data(ScoreTableModel::ScoreRole));
    paintMarks(painter, picture, CullFlag(index.data(ScoreTableModel::FlagRole).toInt()),
               index.data(ScoreTableModel::StarsRole).toInt());

    QFont font = option.font;
    painter->setFont(font);
    painter->setPen(option.palette.text().color());
    const QRect caption(tile.left() + 4, picture.bottom() + 4, tile.width() - 8, tile.bottom() - picture.bottom() - 6);
    painter->drawText(caption, Qt::AlignCenter,
                      painter->fontMetrics().elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle,
                                                        caption.width()));
    painter->restore();
}

QSize GridTileDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
    return {kTileWidth, kTileHeight};
}

}  // namespace qc::ui
