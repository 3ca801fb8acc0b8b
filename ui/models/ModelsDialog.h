// ModelsDialog: the models installed in the models folder (core's listInstalledModels): name,
// file, size, SHA-256 recorded at download, licence, and which one is active. "Use" switches to
// another one: when images are already scored it asks first, since switching clears every score
// and rescores (ScoringSession never shows two models' scores in one table). "Delete" removes a
// model that is not in use. The model in use is listed wherever it lives. GUI thread.
#pragma once

#include <QDialog>
#include <QString>

#include <functional>
#include <vector>

#include "models/InstalledModels.h"

class QPushButton;
class QTableWidget;

namespace qc::ui {

class ModelsDialog : public QDialog {
    Q_OBJECT
public:
    // `scoredImages`: how many rows would be rescored by a switch.
    ModelsDialog(const QString& folder, const QString& activePath, int scoredImages, QWidget* parent = nullptr);

    // Asks the user a yes/no question; replaced in tests (default: QMessageBox::question).
    using Confirm = std::function<bool(const QString& question)>;
    void setConfirm(Confirm confirm) { confirm_ = std::move(confirm); }

    QTableWidget* table() const { return table_; }
    void refresh();
    void useSelected();
    void deleteSelected();

    enum Column { NameColumn, FileColumn, SizeColumn, HashColumn, LicenceColumn, ActiveColumn, ColumnCount };

Q_SIGNALS:
    void modelChosen(const QString& path);
    void downloadRequested();

private:
    const qc::InstalledModel* selected() const;
    bool isInFolder(const qc::InstalledModel& model) const;
    void addActiveModelFromElsewhere();
    void updateButtons();

    QString folder_, activePath_;
    int scoredImages_;
    Confirm confirm_;
    std::vector<qc::InstalledModel> models_;
    QTableWidget* table_;
    QPushButton* use_;
    QPushButton* delete_;
};

}  // namespace qc::ui
