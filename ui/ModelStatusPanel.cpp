#include "ModelStatusPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "ModelLocator.h"

namespace qc::ui {
namespace {

QString howToGetTheModel(const QStringList& searched) {
    const QString url = QString::fromUtf8(qc::kWeightsUrl);
    const QString target = QString::fromStdString(qc::defaultModelsFolder()) + "/qualiclip.pth";
    QString text = QStringLiteral(
        "QualiCLIP's weights (<i>qualiclip.pth</i>, about 400 MB) are published by its authors under "
        "the <b>CC BY-NC 4.0</b> licence (non-commercial use) at<br><a href=\"%1\">%1</a><br>"
        "Save the file as <b>%2</b> and restart, or choose it with <b>Open model\u2026</b>, "
        "or start with <tt>--model PATH</tt> or set <tt>QUALICLIP_MODEL</tt>.")
                       .arg(url.toHtmlEscaped(), target.toHtmlEscaped());
    if (!searched.isEmpty()) {
        QStringList escaped;
        for (const QString& s : searched) escaped << s.toHtmlEscaped();
        text += QStringLiteral("<br><small>Looked at: %1</small>").arg(escaped.join(QStringLiteral(", ")));
    }
    return text;
}

}  // namespace

ModelStatusPanel::ModelStatusPanel(QWidget* parent) : QFrame(parent), text_(new QLabel(this)) {
    setObjectName(QStringLiteral("modelStatusPanel"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#modelStatusPanel { background: #fff4d6; border: 1px solid #e0c070; }"));
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::RichText);
    text_->setOpenExternalLinks(true);
    text_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto* open = new QPushButton(QStringLiteral("Open model\u2026"), this);
    connect(open, &QPushButton::clicked, this, &ModelStatusPanel::openModelRequested);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(text_, 1);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(open);
    buttons->addStretch();
    layout->addLayout(buttons);
}

void ModelStatusPanel::showState(ModelState state, const QString& path, const QString& error,
                                 const QStringList& searched) {
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
