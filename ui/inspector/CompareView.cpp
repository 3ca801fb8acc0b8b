#include "ui/inspector/CompareView.h"

#include <QGuiApplication>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QScreen>
#include <QShortcut>
#include <QTextDocument>
#include <QVBoxLayout>

#include "ui/session/ScoreTableModel.h"
#include "ui/widgets/ImageCanvas.h"
#include "ui/widgets/PairBarChart.h"
#include "ui/widgets/ScoreColors.h"
#include "ui/widgets/ViewerImageLoader.h"

namespace qc::ui {
namespace {

QString marksText(const ImageEntry& e) {
    QString text;
    if (e.flag == CullFlag::Pick)
        text += QStringLiteral(" &nbsp; <span style=\"color:#1a7f37\">\u2691 Pick</span>");
    if (e.flag == CullFlag::Reject)
        text += QStringLiteral(" &nbsp; <span style=\"color:#b42318\">\u2715 Reject</span>");
    if (e.stars > 0) text += QStringLiteral(" &nbsp; ") + QString(e.stars, QChar(0x2605));
    return text;
}

}  // namespace

// One image of the comparison: title (score, name, flag, stars), canvas, pair bars.
class ComparePane : public QFrame {
public:
    explicit ComparePane(QWidget* parent)
        : QFrame(parent),
          title_(new QLabel(this)),
          canvas_(new ImageCanvas(this)),
          bars_(new PairBarChart(this)),
          loader_(new ViewerImageLoader(this)) {
        setObjectName(QStringLiteral("comparePane"));
        setCurrent(false);
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(2, 2, 2, 2);
        layout->addWidget(title_);
        layout->addWidget(canvas_, 3);
        layout->addWidget(bars_, 2);
        connect(loader_, &ViewerImageLoader::loaded, canvas_, &ImageCanvas::setImage);
        connect(loader_, &ViewerImageLoader::failed, canvas_, &ImageCanvas::setMessage);
    }

    void show(const ImageEntry& e, const std::vector<qc::PromptPair>& pairs) {
        bars_->setPairs(pairs);
        update(e);
        canvas_->setMessage(QStringLiteral("Loading %1\u2026").arg(e.fileName));
        loader_->load(e.path);
    }

    void update(const ImageEntry& e) {
        id_ = e.id;
        const QString score =
            e.hasScore()
                ? QStringLiteral("<span style=\"color:%1; font-size:16pt\"><b>%2</b></span>")
                      .arg(scoreTextColor(e.score).name())
                      .arg(e.score, 0, 'f', 3)
                : stateText(e).toHtmlEscaped();
        title_->setText(QStringLiteral("%1 &nbsp; <b>%2</b>%3")
                            .arg(score, e.fileName.toHtmlEscaped(), marksText(e)));
        bars_->setProbabilities(e.hasScore() ? e.pairProbabilities : std::vector<double>{},
                                e.score);
    }

    void setCurrent(bool current) {
        setStyleSheet(current ? QStringLiteral("#comparePane { border: 2px solid #1e6edc; }")
                              : QStringLiteral("#comparePane { border: 2px solid transparent; }"));
    }

    QString plainTitle() const {
        QTextDocument document;
        document.setHtml(title_->text());
        return document.toPlainText();
    }

    ImageId id() const { return id_; }
    ImageCanvas* canvas() const { return canvas_; }

private:
    ImageId id_ = 0;
    QLabel* title_;
    ImageCanvas* canvas_;
    PairBarChart* bars_;
    ViewerImageLoader* loader_;
};

CompareView::CompareView(QWidget* parent)
    : QWidget(parent, Qt::Window), layout_(new QGridLayout(this)) {
    setWindowTitle(QStringLiteral(
        "QualiCLIP Inspector \u2014 Compare (click an image to mark it; Esc closes)"));
    // 1500 x 850 where there is room, never more than the screen offers.
    const QScreen* screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    const QSize room = screen ? screen->availableGeometry().size() * 0.95 : QSize(1500, 850);
    resize(std::min(1500, room.width()), std::min(850, room.height()));
    auto* close = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(close, &QShortcut::activated, this, &QWidget::close);
}

void CompareView::showEntries(const std::vector<ImageEntry>& entries,
                              const std::vector<qc::PromptPair>& pairs) {
    for (ComparePane* pane : panes_) delete pane;
    panes_.clear();
    for (size_t i = 0; i < entries.size() && i < size_t(kMaxImages); ++i) {
        auto* pane = new ComparePane(this);
        pane->show(entries[i], pairs);
        pane->installEventFilter(this);
        pane->canvas()->installEventFilter(this);
        connect(pane->canvas(), &ImageCanvas::viewChanged, this,
                [this, pane](const CanvasView& view) { follow(pane, view); });
        layout_->addWidget(pane, int(i) / kPanesPerRow, int(i) % kPanesPerRow);
        panes_.push_back(pane);
    }
}

void CompareView::updateEntry(const ImageEntry& entry) {
    for (ComparePane* pane : panes_)
        if (pane->id() == entry.id) pane->update(entry);
}

void CompareView::setCurrent(ImageId id) {
    for (ComparePane* pane : panes_) pane->setCurrent(pane->id() == id);
}

std::vector<ImageId> CompareView::shownIds() const {
    std::vector<ImageId> ids;
    for (const ComparePane* pane : panes_) ids.push_back(pane->id());
    return ids;
}

QString CompareView::titleOf(ImageId id) const {
    for (const ComparePane* pane : panes_)
        if (pane->id() == id) return pane->plainTitle();
    return {};
}

bool CompareView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::MouseButtonPress) {
        for (ComparePane* pane : panes_)
            if (watched == pane || watched == pane->canvas()) Q_EMIT paneClicked(pane->id());
    }
    return QWidget::eventFilter(watched, event);
}

void CompareView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QWidget::keyPressEvent(event);
}

void CompareView::follow(const ComparePane* source, const CanvasView& view) {
    for (ComparePane* pane : panes_)
        if (pane != source) pane->canvas()->setView(view);
}

}  // namespace qc::ui
