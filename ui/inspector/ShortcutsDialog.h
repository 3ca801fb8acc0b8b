// ShortcutsDialog: Help > Keyboard Shortcuts. Every action of the window that has a key, with
// its menu text and keys, read from the actions themselves so the list never goes stale.
// GUI thread.
#pragma once

#include <QDialog>
#include <QList>

class QAction;
class QTableWidget;

namespace qc::ui {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    // `groups`: a heading ("Culling", "Viewing", …) and its actions, in display order.
    explicit ShortcutsDialog(const QList<QPair<QString, QList<QAction*>>>& groups,
                             QWidget* parent = nullptr);

    QTableWidget* table() const { return table_; }
    // The keys shown for the action whose menu text (without '&' and '…') is `text`; "" when
    // absent.
    QString keysFor(const QString& text) const;

private:
    QTableWidget* table_;
};

}  // namespace qc::ui
