#include "ui/models/ModelsDialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace qc::ui {

ModelsDialog::ModelsDialog(const QString& folder, const QString& activePath, int scoredImages, QWidget* parent)
    : QDialog(parent),
      folder_(folder),
      activePath_(activePath),
      scoredImages_(scoredImages),
      table_(new QTableWidget(this)),
      use_(new QPushButton(QStringLiteral("&Use"), this)),
      delete_(new QPushButton(QStringLiteral("&Delete\u2026"), this)) {
    setWindowTitle(QStringLiteral("Models"));
    delete_->setObjectName(QStringLiteral("deleteModelButton"));
    confirm_ = [this](const QString& question) {
        return QMessageBox::question(this, QStringLiteral("Models"), question) == QMessageBox::Yes;
    };
    table_->setColumnCount(ColumnCount);
    table_->setHorizontalHeaderLabels({QStringLiteral("Model"), QStringLiteral("File"), QStringLiteral("Size"),
                                       QStringLiteral("SHA-256"), QStringLiteral("Licence"), QStringLiteral("Active")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();

    auto* download = new QPushButton(QStringLiteral("Do&wnload QualiCLIP"), this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(use_, QDialogButtonBox::ActionRole);
    buttons->addButton(delete_, QDialogButtonBox::ActionRole);
    buttons->addButton(download, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(use_, &QPushButton::clicked, this, &ModelsDialog::useSelected);
    connect(delete_, &QPushButton::clicked, this, &ModelsDialog::deleteSelected);
    connect(download, &QPushButton::clicked, this, [this] {
        Q_EMIT downloadRequested();
        accept();
    });
    connect(table_, &QTableWidget::itemSelectionChanged, this, &ModelsDialog::updateButtons);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("Models in %1").arg(folder.toHtmlEscaped()), this));
    layout->addWidget(table_);
    layout->addWidget(buttons);
    resize(820, 300);
    refresh();
}

void ModelsDialog::refresh() {
    models_ = qc::listInstalledModels(folder_.toStdString());
    addActiveModelFromElsewhere();
    table_->setRowCount(static_cast<int>(models_.size()));
    const QFileInfo active(activePath_);
    for (int row = 0; row < static_cast<int>(models_.size()); ++row) {
        const qc::InstalledModel& m = models_[static_cast<size_t>(row)];
        const bool isActive = !activePath_.isEmpty() && QFileInfo(QString::fromStdString(m.path)) == active;
        const QString hash = m.record ? QString::fromStdString(m.record->sha256) : QStringLiteral("not recorded");
        const QStringList cells = {
            m.entry ? QString::fromStdString(m.entry->name)
                    : QStringLiteral("(not in the registry)"),
            QString::fromStdString(isActive && !isInFolder(m) ? m.path : m.fileName),
            QString::fromStdString(qc::formatBytes(m.size)),
            hash,
            m.entry ? QString::fromStdString(m.entry->licence) : QStringLiteral("unknown"),
            isActive ? QStringLiteral("\u2713 in use") : QString()};
        for (int column = 0; column < ColumnCount; ++column) {
            auto* item = new QTableWidgetItem(cells.at(column));
            if (column == HashColumn) item->setToolTip(hash);
            if (column == NameColumn && m.entry) item->setToolTip(QString::fromStdString(m.entry->citation));
            table_->setItem(row, column, item);
        }
    }
    table_->resizeColumnsToContents();
    updateButtons();
}

bool ModelsDialog::isInFolder(const qc::InstalledModel& model) const {
    return QFileInfo(QString::fromStdString(model.path)).absolutePath() ==
           QFileInfo(folder_).absoluteFilePath();
}

// The model in use may live anywhere (--model, $QUALICLIP_MODEL, Open Model…): it is listed too,
// with its full path, so the dialog never claims that nothing is installed while one scores.
void ModelsDialog::addActiveModelFromElsewhere() {
    if (activePath_.isEmpty() || !QFileInfo::exists(activePath_)) return;
    const QFileInfo active(activePath_);
    for (const qc::InstalledModel& m : models_)
        if (QFileInfo(QString::fromStdString(m.path)) == active) return;
    qc::InstalledModel model;
    model.path = active.absoluteFilePath().toStdString();
    model.fileName = active.fileName().toStdString();
    model.size = active.size();
    models_.insert(models_.begin(), model);
}

const qc::InstalledModel* ModelsDialog::selected() const {
    const QList<QTableWidgetItem*> items = table_->selectedItems();
    if (items.isEmpty()) return nullptr;
    const int row = items.first()->row();
    return row >= 0 && row < static_cast<int>(models_.size()) ? &models_[static_cast<size_t>(row)] : nullptr;
}

void ModelsDialog::updateButtons() {
    const qc::InstalledModel* m = selected();
    const bool isActive = m && QFileInfo(QString::fromStdString(m->path)) == QFileInfo(activePath_);
    use_->setEnabled(m != nullptr && !isActive);
    delete_->setEnabled(m != nullptr && !isActive);  // the model in use is never deleted under the window
}

void ModelsDialog::useSelected() {
    const qc::InstalledModel* m = selected();
    if (!m) return;
    const QString path = QString::fromStdString(m->path);
    if (scoredImages_ > 0 &&
        !confirm_(QStringLiteral("Switch to %1? The %2 images listed will be rescored with it; their current "
                                 "scores are cleared, so scores of two models never share the table.")
                      .arg(QString::fromStdString(m->fileName))
                      .arg(scoredImages_)))
        return;
    Q_EMIT modelChosen(path);
    accept();
}

void ModelsDialog::deleteSelected() {
    const qc::InstalledModel* m = selected();
    if (!m || QFileInfo(QString::fromStdString(m->path)) == QFileInfo(activePath_)) return;
    const QString file = QString::fromStdString(m->fileName);
    if (!confirm_(QStringLiteral("Delete %1 (%2)?").arg(file, QString::fromStdString(qc::formatBytes(m->size)))))
        return;
    const std::string problem = qc::removeInstalledModel(folder_.toStdString(), m->fileName);
    if (!problem.empty()) QMessageBox::warning(this, QStringLiteral("Models"), QString::fromStdString(problem));
    refresh();
}

}  // namespace qc::ui
