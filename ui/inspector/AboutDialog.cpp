#include "ui/inspector/AboutDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/widgets/AppIcon.h"

namespace qc::ui {
namespace {

const char* const kBlurb =
    "<h2>QualiCLIP Inspector</h2>"
    "<p>Scores how good images look with QualiCLIP (Agnolucci, Galteri, Bertini, "
    "arXiv 2403.11176), shows why, and helps cull a shoot.</p>"
    "<p>GPL-3.0-or-later. The QualiCLIP weights are the authors' work under CC BY-NC 4.0 and "
    "are not part of this program.</p>"
    "<p>When you report a bug, please paste the block below.</p>";

}  // namespace

AboutDialog::AboutDialog(const QString& report, QWidget* parent) : QDialog(parent) {
    setWindowTitle(QStringLiteral("About QualiCLIP Inspector"));
    auto* icon = new QLabel(this);
    icon->setPixmap(applicationIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);
    auto* blurb = new QLabel(QString::fromUtf8(kBlurb), this);
    blurb->setWordWrap(true);
    auto* header = new QHBoxLayout;
    header->addWidget(icon);
    header->addWidget(blurb, 1);

    reportView_ = new QPlainTextEdit(report, this);
    reportView_->setReadOnly(true);
    reportView_->setLineWrapMode(QPlainTextEdit::WidgetWidth);  // long BLAS and model lines stay visible
    reportView_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    reportView_->setMinimumSize(760, 290);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    copyButton_ = buttons->addButton(QStringLiteral("&Copy"), QDialogButtonBox::ActionRole);
    copyButton_->setToolTip(QStringLiteral("Copy the versions to the clipboard for a bug report"));
    connect(copyButton_, &QPushButton::clicked, this, &AboutDialog::copyReport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(reportView_, 1);
    layout->addWidget(buttons);
}

QString AboutDialog::report() const { return reportView_->toPlainText(); }

void AboutDialog::copyReport() {
    QApplication::clipboard()->setText(report());
    copyButton_->setText(QStringLiteral("Copied"));
}

}  // namespace qc::ui
