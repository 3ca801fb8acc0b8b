// AboutDialog: Help > About. The icon, what the program is, its licence and the model's, and
// the version report (core/about/VersionReport: versions, CPU, threads, model SHA-256) in a
// read-only box with a Copy button, so that a bug report carries the whole block. GUI thread only.
#pragma once

#include <QDialog>

class QPlainTextEdit;
class QPushButton;

namespace qc::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    // `report` is qc::versionReport(...)'s text, shown as is.
    explicit AboutDialog(const QString& report, QWidget* parent = nullptr);

    QString report() const;
    QPushButton* copyButton() const { return copyButton_; }

private:
    void copyReport();

    QPlainTextEdit* reportView_ = nullptr;
    QPushButton* copyButton_ = nullptr;
};

}  // namespace qc::ui
