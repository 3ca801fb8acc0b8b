// ImageDetailPanel: the viewer beside the list: the current image (fit, 100 %, zoom, pan),
// its score in large type with the resize policy it was made under, and the bar chart of its
// prompt-pair probabilities. GUI thread.
#pragma once

#include <QWidget>

#include "ImageEntry.h"
#include "Prompts.h"

class QLabel;

namespace qc::ui {

class ImageCanvas;
class PairBarChart;
class ViewerImageLoader;

class ImageDetailPanel : public QWidget {
    Q_OBJECT
public:
    explicit ImageDetailPanel(QWidget* parent = nullptr);

    void setPairs(const std::vector<qc::PromptPair>& pairs);
    void showEntry(const ImageEntry& entry);  // also when only its score changed
    void clear();
    ImageCanvas* canvas() const { return canvas_; }

private:
    ImageCanvas* canvas_;
    QLabel* title_;
    QLabel* score_;
    QLabel* details_;
    PairBarChart* pairs_;
    ViewerImageLoader* loader_;
};

}  // namespace qc::ui
