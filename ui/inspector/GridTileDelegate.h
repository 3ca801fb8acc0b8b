// GridTileDelegate: one tile of the thumbnail grid: the picture, its file name, and the score
// on a badge coloured by score (red 0 ... green 1), with the cull flag and stars. All from the
// model's roles, so the grid and the table always agree. GUI thread.
#pragma once

#include <QStyledItemDelegate>

namespace qc::ui {

class GridTileDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static constexpr int kTileWidth = 184, kTileHeight = 168, kPictureHeight = 128;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace qc::ui
