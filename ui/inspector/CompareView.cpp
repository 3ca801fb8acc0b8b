#include "ui/inspector/CompareView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/widgets/ImageCanvas.h"
#include "ui/widgets/PairBarChart.h"
#include "ui/widgets/ScoreColors.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/widgets/ViewerImageLoader.h"

namespace qc::ui {

// One image of the comparison: title and score, canvas, pair bars.
class ComparePane : public QWidget {
public:
    explicit ComparePane(QWidget* parent)
        : QWidget(parent), title_(new QLabel(this)), canvas_(new ImageCanvas(this)), bars_(new PairBarChart(this)),
          loader_(new ViewerImageLoader(this)) {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(2, 2, 2, 2);
        layout->addWidget(title_);
        layout->addWidget(canvas_, 3);
        layout->addWidget(bars_, 2);
        connect(loader_, &ViewerImageLoader::loaded, canvas_, &ImageCanvas::setImage);
        connect(loader_, &ViewerImageLoader::failed, canvas_, &ImageCanvas::setMessage);
    }

    void show(const ImageEntry& e, const std::vector<qc::PromptPair>& pairs) {
        const QString score = e.hasScore() ? QStringLiteral("<span style=\"color:%1; font-size:16pt\"><b>%2</b></span>")
                                                 .arg(scoreTextColor(e.score).name())
                                                 .arg(e.score, 0, 'f', 3)
                                           : stateText(e).toHtmlEscaped();
        title_->setText(QStringLiteral("%1 &nbsp; <b>%2</b>").arg(score, e.fileName.toHtmlEscaped()));
        bars_->setPairs(pairs);
        bars_->setProbabilities(e.hasScore() ? e.pairProbabilities : std::vector<double>{}, e.score);
        canvas_->setMessage(QStringLiteral("Loading %1\u2026").arg(e.fileName));
        loader_->load(e.path);
    }

    ImageCanvas* canvas() const { return canvas_; }

private:
    QLabel* title_;
    ImageCanvas* canvas_;
    PairBarChart* bars_;
    ViewerImageLoader* loader_;
};

CompareView::CompareView(QWidget* parent) : QWidget(parent, Qt::Window), layout_(new QHBoxLayout(this)) {
    setWindowTitle(QStringLiteral("QualiCLIP Inspector \u2014 Compare"));
    resize(1500, 850);
}

void CompareView::showEntries(const std::vector<ImageEntry>& entries, const std::vector<qc::PromptPair>& pairs) {
    for (ComparePane* pane : panes_) delete pane;
    panes_.clear();
    for (size_t i = 0; i < entries.size() && i < size_t(kMaxImages); ++i) {
        auto* pane = new ComparePane(this);
        pane->show(entries[i], pairs);
        connect(pane->canvas(), &ImageCanvas::viewChanged, this,
                [this, pane](const CanvasView& view) { follow(pane, view); });
        layout_->addWidget(pane);
        panes_.push_back(pane);
    }
}

void CompareView::follow(const ComparePane* source, const CanvasView& view) {
    for (ComparePane* pane : panes_)
        if (pane != source) pane->canvas()->setView(view);
}

}  // namespace qc::ui
