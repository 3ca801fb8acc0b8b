#include "ui/inspector/ImageDetailPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/widgets/ImageCanvas.h"
#include "ui/maps/MapPanel.h"
#include "ui/widgets/PairBarChart.h"
#include "ui/widgets/ScoreColors.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/widgets/ViewerImageLoader.h"

namespace qc::ui {
namespace {

QToolButton* button(const QString& text, const QString& tip, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    return b;
}

}  // namespace

ImageDetailPanel::ImageDetailPanel(QWidget* parent)
    : QWidget(parent),
      canvas_(new ImageCanvas(this)),
      mapCanvas_(new ImageCanvas(this)),
      mapPanel_(new MapPanel(canvas_, mapCanvas_, this)),
      title_(new QLabel(this)),
      score_(new QLabel(this)),
      details_(new QLabel(this)),
      pairs_(new PairBarChart(this)),
      loader_(new ViewerImageLoader(this)) {
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = score_->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    score_->setFont(big);
    details_->setWordWrap(true);

    auto* fit = button(QStringLiteral("Fit"), QStringLiteral("Fit the image to the view (Z toggles)"), this);
    auto* actual = button(QStringLiteral("100%"), QStringLiteral("One image pixel per screen pixel"), this);
    auto* in = button(QStringLiteral("+"), QStringLiteral("Zoom in (+, mouse wheel)"), this);
    auto* out = button(QStringLiteral("\u2212"), QStringLiteral("Zoom out (-, mouse wheel)"), this);
    connect(fit, &QToolButton::clicked, canvas_, &ImageCanvas::fitToWindow);
    connect(actual, &QToolButton::clicked, canvas_, &ImageCanvas::showActualSize);
    connect(in, &QToolButton::clicked, canvas_, [this] { canvas_->zoomBy(1.25); });
    connect(out, &QToolButton::clicked, canvas_, [this] { canvas_->zoomBy(0.8); });
    auto* zoomRow = new QHBoxLayout;
    zoomRow->addWidget(title_, 1);
    for (QToolButton* b : {fit, actual, in, out}) zoomRow->addWidget(b);

    auto* info = new QWidget(this);
    auto* infoLayout = new QVBoxLayout(info);
    infoLayout->setContentsMargins(0, 0, 0, 0);
    auto* scoreRow = new QHBoxLayout;
    scoreRow->addWidget(score_);
    scoreRow->addWidget(details_, 1);
    infoLayout->addLayout(scoreRow);
    infoLayout->addWidget(pairs_, 1);

    auto* pictures = new QSplitter(Qt::Horizontal, this);
    pictures->addWidget(canvas_);
    pictures->addWidget(mapCanvas_);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(pictures);
    split->addWidget(info);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 260});  // the picture first: the bars stay readable at their minimum

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(zoomRow);
    layout->addWidget(mapPanel_);
    layout->addWidget(split, 1);

    connect(loader_, &ViewerImageLoader::loaded, canvas_, &ImageCanvas::setImage);
    connect(loader_, &ViewerImageLoader::failed, canvas_, &ImageCanvas::setMessage);
    clear();
}

void ImageDetailPanel::setPairs(const std::vector<qc::PromptPair>& pairs) {
    pairs_->setPairs(pairs);
    mapPanel_->setPairs(pairs);
}

void ImageDetailPanel::setMapContext(std::shared_ptr<const qc::QualiClipModel> model,
                                     const qc::ResizePolicy& policy) {
    mapPanel_->setContext(std::move(model), policy);
}

void ImageDetailPanel::clear() {
    title_->setText(QStringLiteral("No image selected"));
    score_->setText(QStringLiteral("\u2014"));
    score_->setStyleSheet({});
    details_->clear();
    canvas_->setMessage(QStringLiteral("Select an image to see it here."));
    mapPanel_->showImage({});
    pairs_->setProbabilities({}, 0);
}

void ImageDetailPanel::showEntry(const ImageEntry& e) {
    title_->setText(QStringLiteral("<b>%1</b>").arg(e.fileName.toHtmlEscaped()));
    title_->setToolTip(e.path);
    if (loader_->path() != e.path) {
        canvas_->setMessage(QStringLiteral("Loading %1\u2026").arg(e.fileName));
        loader_->load(e.path);
    }
    mapPanel_->showImage(e.path);
    QString size = e.width > 0 ? QStringLiteral("%1 \u00d7 %2 px").arg(e.width).arg(e.height) : QString();
    if (e.hasScore()) {
        score_->setText(QString::number(e.score, 'f', 3));
        score_->setStyleSheet(QStringLiteral("color: %1;").arg(scoreTextColor(e.score).name()));
        details_->setText(
            // Three lines, not four: at 1024x700 every line is taken from the picture.
            QStringLiteral("QualiCLIP score (0 worst, 1 best)<br>resize policy <b>%1</b>, "
                           "pixels from <b>%3</b><br>%2")
                .arg(e.policy.toHtmlEscaped(), size, e.source.toHtmlEscaped()));
        pairs_->setProbabilities(e.pairProbabilities, e.score);
    } else {
        score_->setText(QStringLiteral("\u2014"));
        score_->setStyleSheet({});
        details_->setText(QStringLiteral("%1<br>%2").arg(stateText(e).toHtmlEscaped(), size));
        pairs_->setProbabilities({}, 0);
    }
}

}  // namespace qc::ui
