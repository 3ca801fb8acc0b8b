// MapPanel: the quality-map controls under the viewer. It asks QualityMapComputer for the map of
// the image on show (dense tokens, patches or Grad-CAM; the mean/score or one pair), draws it over
// the viewer's canvas (opacity, colour map with its legend, smooth or blocky cells, H toggles it),
// reports the value and exact input-pixel rectangle of the cell under the mouse, shows the map
// alone beside the image with zoom and pan kept in step, and exports it (PNG, TIFF, CSV, JSON).
// GUI thread.
#pragma once

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

#include "ui/widgets/ImageCanvas.h"
#include "results/MapExport.h"
#include "engine/Prompts.h"
#include "ui/maps/QualityMapComputer.h"
#include "images/ResizePolicy.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace qc::ui {

class MapLegend;

class MapPanel : public QWidget {
    Q_OBJECT
public:
    MapPanel(ImageCanvas* canvas, ImageCanvas* sideCanvas, QWidget* parent = nullptr);

    void setContext(std::shared_ptr<const qc::QualiClipModel> model, const qc::ResizePolicy& policy);
    void setPairs(const std::vector<qc::PromptPair>& pairs);
    void showImage(const QString& path);  // the viewer moved to another image ("" for none)
    QAction* toggleAction() const { return toggle_; }

    // For documentation and tests: choose a map kind (index in the kind list: 0 none, 1 dense,
    // 2 patches, 3 Grad-CAM) and whether the map is shown beside the image.
    void selectMap(int kindIndex, bool sideBySide);
    const MapResult* current() const { return result_.get(); }
    QString statusText() const;  // the map's summary, or the cell under the mouse

Q_SIGNALS:
    void sideBySideChanged(bool on);
    void mapShown();  // a computed map is now drawn

private:
    void requestMap();
    void render();
    void onReady(std::shared_ptr<const MapResult> result);
    void showCell(QPointF imagePixel);
    void showSummary();
    void exportMap();
    void syncSide(const CanvasView& view, bool fromMain);
    qc::ColorMap colorMap() const;

    ImageCanvas* canvas_;
    ImageCanvas* side_;
    QualityMapComputer* computer_;
    QComboBox* kind_;
    QComboBox* target_;
    QComboBox* colors_;
    QSlider* opacity_;
    QCheckBox* smooth_;
    QToolButton* sideBySide_;
    QToolButton* export_;
    MapLegend* legend_;
    QLabel* status_;
    QWidget* looks_ = nullptr;  // colours, opacity, smooth, legend, readout
    QAction* toggle_;

    std::shared_ptr<const qc::QualiClipModel> model_;
    qc::ResizePolicy policy_;
    QString path_;
    std::shared_ptr<const MapResult> result_;
};

}  // namespace qc::ui
