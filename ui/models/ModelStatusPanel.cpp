#include "ui/models/ModelStatusPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include "models/ModelLocator.h"
#include "models/ModelRegistry.h"

namespace qc::ui {
namespace {

QString howToGetTheModel(const QStringList& searched) {
    const QString url = QString::fromStdString(qc::modelRegistry().front().url);
    const QString target = QString::fromStdString(qc::defaultModelsFolder()) + "/qualiclip.pth";
    QString text = QStringLiteral(
        "QualiCLIP rates how good a photo looks without any human scores: a CLIP network trained to "
        "tell antonym prompts apart (\"Good photo.\" / \"Bad photo.\"). Its weights "
        "(<i>qualiclip.pth</i>, about 400 MB to download) are published by its authors under "
        "the <b>CC BY-NC 4.0</b> licence (non-commercial use) at<br><a href=\"%1\">%1</a><br>"
        "<b>Download</b> fetches, checks and installs them as <b>%2</b>; or choose a file with "
        "<b>Use a file I already have\u2026</b>, start with <tt>--model PATH</tt> or set "
        "<tt>QUALICLIP_MODEL</tt>.")
                       .arg(url.toHtmlEscaped(), target.toHtmlEscaped());
    if (!searched.isEmpty()) {
        QStringList escaped;
        for (const QString& s : searched) escaped << s.toHtmlEscaped();
        text += QStringLiteral("<br><small>Looked at: %1</small>").arg(escaped.join(QStringLiteral(", ")));
    }
    return text;
}

}  // namespace

ModelStatusPanel::ModelStatusPanel(QWidget* parent)
    : QFrame(parent),
      text_(new QLabel(this)),
      download_(new QPushButton(QStringLiteral("Download (about 400 MB)"), this)),
      cancel_(new QPushButton(QStringLiteral("Cancel"), this)),
      progress_(new QProgressBar(this)),
      downloadStatus_(new QLabel(this)),
      dismiss_(new QPushButton(QStringLiteral("Dismiss"), this)) {
    setObjectName(QStringLiteral("modelStatusPanel"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#modelStatusPanel { background: #fff4d6; border: 1px solid #e0c070; }"));
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::RichText);
    text_->setOpenExternalLinks(true);
    text_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto* open = new QPushButton(QStringLiteral("Use a file I already have\u2026"), this);
    connect(open, &QPushButton::clicked, this, &ModelStatusPanel::openModelRequested);
    download_->setObjectName(QStringLiteral("downloadModelButton"));
    connect(download_, &QPushButton::clicked, this, &ModelStatusPanel::downloadRequested);
    connect(cancel_, &QPushButton::clicked, this, &ModelStatusPanel::cancelDownloadRequested);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    downloadStatus_->setWordWrap(true);
    auto* layout = new QHBoxLayout(this);
    auto* texts = new QVBoxLayout;
    texts->addWidget(text_);
    texts->addWidget(progress_);
    texts->addWidget(downloadStatus_);
    layout->addLayout(texts, 1);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(download_);
    buttons->addWidget(cancel_);
    buttons->addWidget(open);
    dismiss_->setObjectName(QStringLiteral("dismissModelMessage"));
    dismiss_->setToolTip(QStringLiteral("Hide this message; the model in use stays"));
    connect(dismiss_, &QPushButton::clicked, this, &QWidget::hide);
    buttons->addWidget(dismiss_);
    buttons->addStretch();
    layout->addLayout(buttons);
    setDownloading(false);
    downloadStatus_->hide();
}

void ModelStatusPanel::setDownloading(bool running) {
    download_->setVisible(!running);
    cancel_->setVisible(running);
    progress_->setVisible(running);
    if (running) {
        progress_->setRange(0, 0);  // busy until the size is known
        showDownloadMessage(QStringLiteral("Connecting\u2026"));
    }
}

void ModelStatusPanel::setDownloadProgress(const QString& text, int permille) {
    if (permille >= 0) {
        progress_->setRange(0, 1000);
        progress_->setValue(permille);
    } else {
        progress_->setRange(0, 0);
    }
    showDownloadMessage(QStringLiteral("Downloading: ") + text);
}

void ModelStatusPanel::showDownloadMessage(const QString& text) {
    downloadStatus_->setText(text);
    downloadStatus_->setVisible(!text.isEmpty());
}

QString ModelStatusPanel::downloadText() const { return downloadStatus_->isVisible() ? downloadStatus_->text() : QString(); }

void ModelStatusPanel::showState(ModelState state, const QString& path, const QString& error,
                                 const QStringList& searched) {
    // Only a message about a model that failed while another one scores can be put away: the
    // other states are the reason there are no scores.
    dismiss_->setVisible(state == ModelState::Ready && !error.isEmpty());
    switch (state) {
    case ModelState::Ready:
        if (error.isEmpty()) {
            hide();
            return;
        }
        // The model in use stays; say that the other one failed.
        text_->setText(QStringLiteral("<b>The model file could not be used.</b> %1<br>The previous model "
                                      "stays in use.")
                           .arg(error.toHtmlEscaped()));
        break;
    case ModelState::Loading:
        text_->setText(QStringLiteral("<b>Loading the QualiCLIP model</b> %1\u2026").arg(path.toHtmlEscaped()));
        break;
    case ModelState::Failed:
        text_->setText(QStringLiteral("<b>No scores: the model file could not be used.</b> %1<br>%2")
                           .arg(error.toHtmlEscaped(), howToGetTheModel({})));
        break;
    case ModelState::None:
        text_->setText(QStringLiteral("<b>No QualiCLIP model found: images are listed but not scored.</b><br>%1")
                           .arg(howToGetTheModel(searched)));
        break;
    }
    show();
}

}  // namespace qc::ui
