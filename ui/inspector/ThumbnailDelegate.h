// ThumbnailDelegate: paints the table's thumbnail column, the cached picture fitted into the
// cell (or nothing while it is being made). GUI thread.
#pragma once

#include <QStyledItemDelegate>

namespace qc::ui {

class ThumbnailDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace qc::ui
