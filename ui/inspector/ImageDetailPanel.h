// ImageDetailPanel: the viewer beside the list: the current image (fit, 100 %, zoom, pan),
// its score in large type with the resize policy it was made under, the bar chart of its
// prompt-pair probabilities, and its quality map (MapPanel). GUI thread.
#pragma once

#include <QWidget>

#include <memory>

#include "ui/session/ImageEntry.h"
#include "engine/Prompts.h"
#include "images/ResizePolicy.h"

class QLabel;

namespace qc {
class QualiClipModel;
}

namespace qc::ui {

class ImageCanvas;
class MapPanel;
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
    MapPanel* mapPanel() const { return mapPanel_; }
    PairBarChart* pairChart() const { return pairs_; }
    // The model and resize policy quality maps are computed with (the session's).
    void setMapContext(std::shared_ptr<const qc::QualiClipModel> model, const qc::ResizePolicy& policy);

private:
    ImageCanvas* canvas_;
    ImageCanvas* mapCanvas_;  // the map alone, beside the image (side-by-side mode)
    MapPanel* mapPanel_;
    QLabel* title_;
    QLabel* score_;
    QLabel* details_;
    PairBarChart* pairs_;
    ViewerImageLoader* loader_;
};

}  // namespace qc::ui
