#include "ui/inspector/ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace qc::ui {
namespace {

QString plainText(const QAction* action) {
    QString text = action->text();
    text.remove(QLatin1Char('&'));
    text.remove(QChar(0x2026));
    return text.trimmed();
}

}  // namespace

ShortcutsDialog::ShortcutsDialog(const QList<QPair<QString, QList<QAction*>>>& groups,
                                 QWidget* parent)
    : QDialog(parent), table_(new QTableWidget(0, 2, this)) {
    setWindowTitle(QStringLiteral("Keyboard Shortcuts"));
    table_->setHorizontalHeaderLabels({QStringLiteral("Command"), QStringLiteral("Keys")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::NoSelection);
    for (const auto& [heading, actions] : groups) {
        const int headingRow = table_->rowCount();
        table_->insertRow(headingRow);
        auto* title = new QTableWidgetItem(heading);
        QFont bold = title->font();
        bold.setBold(true);
        title->setFont(bold);
        table_->setItem(headingRow, 0, title);
        for (const QAction* action : actions) {
            if (action->shortcuts().isEmpty()) continue;
            QStringList keys;
            for (const QKeySequence& key : action->shortcuts())
                keys << key.toString(QKeySequence::NativeText);
            const int row = table_->rowCount();
            table_->insertRow(row);
            table_->setItem(row, 0, new QTableWidgetItem(plainText(action)));
            table_->setItem(row, 1, new QTableWidgetItem(keys.join(QStringLiteral(", "))));
        }
    }
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->resizeColumnToContents(1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table_);
    layout->addWidget(buttons);
    resize(460, 560);
}

QString ShortcutsDialog::keysFor(const QString& text) const {
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->item(row, 0) && table_->item(row, 0)->text() == text && table_->item(row, 1))
            return table_->item(row, 1)->text();
    return {};
}

}  // namespace qc::ui
