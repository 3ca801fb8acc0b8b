// DegradationLabWindow: the degradation lab for one image ("Degrade This Image…" in the
// inspector). Choose families, levels and seed; the grid shows the original and every family x
// level with its score as the worker delivers them; a chart draws score against level, one line
// per family; the monotonicity list gives each family's Spearman correlation of score with level
// and marks those where the score does not fall at every level. Clicking a cell shows it large
// beside the original, zoom and pan synchronised. Export: the grid as one PNG, the images and
// the CSV (the same files as `qualiclip degrade`). Its own window; GUI thread.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

#include "lab/Degradations.h"
#include "engine/QualiClipModel.h"

class QAction;
class QComboBox;
class QCustomPlot;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTableWidget;

namespace qc::ui {

class DegradationLabModel;
class DegradationLabWorker;
class ImageCanvas;
class MapLegend;
class QualityMapComputer;
struct MapResult;

class DegradationLabWindow : public QWidget {
    Q_OBJECT
public:
    DegradationLabWindow(const QString& imagePath, std::shared_ptr<const qc::QualiClipModel> model,
                         QWidget* parent = nullptr);
    ~DegradationLabWindow() override;

    // The action that opens a lab (deleted on close) for the image currentImage() names, scored
    // with currentModel(); disabled while there is no image.
    static QAction* makeOpenAction(QWidget* owner, std::function<QString()> currentImage,
                                   std::function<std::shared_ptr<const qc::QualiClipModel>()> currentModel);

    void run();     // with the families, levels and seed chosen
    void cancel();
    bool running() const;
    DegradationLabModel* labModel() const { return model_; }
    void setFamiliesChecked(const std::vector<qc::DegradationFamily>& families);
    void setLevels(int levels);
    void showCell(int row, int column);  // large, beside the original
    // The quality map over the cell and the original: 0 none, 1 dense, 2 patches, 3 Grad-CAM.
    void showMap(int kindIndex);

    QImage renderGrid() const;  // the grid as one picture, with labels and scores
    bool exportImages(const QString& folder, QString* error) const;  // PNGs + degradations.csv

Q_SIGNALS:
    void runFinished();
    void cellMapsShown();  // both maps of the cell view are drawn

protected:
    void keyPressEvent(QKeyEvent* event) override;  // Escape closes the lab

private:
    void buildUi();
    void onCellReady();
    void onFinished(quint64 generation, bool cancelled, const QString& error);
    void updateChart();
    void updateMonotonicity();
    void updateStatus();
    void exportGrid();
    void exportFolder();
    void requestCellMaps();
    void renderCellMaps();

    QString imagePath_;
    std::shared_ptr<const qc::QualiClipModel> qualiclip_;
    DegradationLabModel* model_;
    DegradationLabWorker* worker_;
    QListWidget* familyList_ = nullptr;
    QSpinBox* levels_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QTableView* grid_ = nullptr;
    QCustomPlot* chart_ = nullptr;
    QTableWidget* monotonicity_ = nullptr;
    ImageCanvas* originalCanvas_ = nullptr;
    ImageCanvas* cellCanvas_ = nullptr;
    QLabel* cellTitle_ = nullptr;
    // The quality map of the cell shown large and of the original beside it, on one scale.
    QComboBox* mapKind_ = nullptr;
    MapLegend* mapLegend_ = nullptr;
    QualityMapComputer* originalMaps_ = nullptr;
    QualityMapComputer* cellMaps_ = nullptr;
    std::shared_ptr<const MapResult> originalMap_, cellMap_;
    int shownRow_ = -1, shownColumn_ = -1;
    bool running_ = false;
};

}  // namespace qc::ui
