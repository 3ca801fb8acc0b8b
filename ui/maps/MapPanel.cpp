#include "ui/maps/MapPanel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include "results/MapExport.h"
#include "ui/maps/MapLegend.h"
#include "ui/widgets/PairLabels.h"
#include "engine/QualiClipModel.h"

namespace qc::ui {
namespace {

const qc::MapKind kKinds[] = {qc::MapKind::Dense, qc::MapKind::Patches, qc::MapKind::GradCam};

QImage toQImage(const cv::Mat& rgb) {
    return QImage(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), QImage::Format_RGB888).copy();
}

}  // namespace

MapPanel::MapPanel(ImageCanvas* canvas, ImageCanvas* sideCanvas, QWidget* parent)
    : QWidget(parent),
      canvas_(canvas),
      side_(sideCanvas),
      computer_(new QualityMapComputer(this)),
      kind_(new QComboBox(this)),
      target_(new QComboBox(this)),
      colors_(new QComboBox(this)),
      opacity_(new QSlider(Qt::Horizontal, this)),
      smooth_(new QCheckBox(QStringLiteral("Smooth"), this)),
      sideBySide_(new QToolButton(this)),
      export_(new QToolButton(this)),
      legend_(new MapLegend(this)),
      status_(new QLabel(this)),
      toggle_(new QAction(QStringLiteral("Show Quality &Map Overlay"), this)) {
    kind_->setObjectName(QStringLiteral("mapKind"));
    colors_->setObjectName(QStringLiteral("mapColors"));
    opacity_->setObjectName(QStringLiteral("mapOpacity"));
    export_->setObjectName(QStringLiteral("mapExport"));
    kind_->addItems({QStringLiteral("No map"), QStringLiteral("Dense tokens"),
                     QStringLiteral("Patches 224/112"), QStringLiteral("Grad-CAM")});
    kind_->setToolTip(
        QStringLiteral("Where the model sees quality: per-position tokens (one pass), "
                       "224 px windows scored alone, or Grad-CAM of the score"));
    colors_->addItems(
        {QStringLiteral("viridis"), QStringLiteral("magma"), QStringLiteral("turbo")});
    opacity_->setRange(0, 100);
    opacity_->setValue(55);
    opacity_->setMinimumWidth(70);  // a slider, never a square, in a narrow window
    opacity_->setMaximumWidth(110);
    opacity_->setToolTip(QStringLiteral("Overlay opacity"));
    sideBySide_->setText(QStringLiteral("Side by side"));
    sideBySide_->setCheckable(true);
    export_->setText(QStringLiteral("Export\u2026"));
    export_->setToolTip(QStringLiteral("Save the overlay (PNG), the raw map (float TIFF, CSV) and a JSON sidecar"));
    toggle_->setCheckable(true);
    toggle_->setChecked(true);
    toggle_->setShortcut(QKeySequence(Qt::Key_H));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setPairs({});

    // Two short rows rather than one long one: the viewer stays narrow enough for the list's
    // Flag and Rating columns in a 1024 px window.
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(QStringLiteral("Map:"), this));
    for (QWidget* w : std::initializer_list<QWidget*>{kind_, target_, sideBySide_, export_})
        controls->addWidget(w);
    controls->addStretch(1);
    // The second row (how the map looks, its scale and readout) shows only with a map: without
    // one, a small window gives its height to the picture.
    looks_ = new QWidget(this);
    auto* scale = new QHBoxLayout(looks_);
    scale->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : std::initializer_list<QWidget*>{colors_, opacity_, smooth_}) scale->addWidget(w);
    scale->addWidget(legend_, 1);
    scale->addWidget(status_, 2);
    status_->setMinimumWidth(0);
    status_->setSizePolicy(QSizePolicy::Ignored,
                           QSizePolicy::Preferred);  // long readouts never widen the panel
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(looks_);

    connect(kind_, &QComboBox::currentIndexChanged, this, &MapPanel::requestMap);
    connect(target_, &QComboBox::currentIndexChanged, this, &MapPanel::requestMap);
    connect(colors_, &QComboBox::currentIndexChanged, this, &MapPanel::render);
    connect(smooth_, &QCheckBox::toggled, this, &MapPanel::render);
    connect(opacity_, &QSlider::valueChanged, this, [this](int v) { canvas_->setOverlayOpacity(v / 100.0); });
    connect(toggle_, &QAction::toggled, canvas_, &ImageCanvas::setOverlayVisible);
    connect(sideBySide_, &QToolButton::toggled, this, [this](bool on) {
        side_->setVisible(on && result_);
        Q_EMIT sideBySideChanged(on);
    });
    connect(export_, &QToolButton::clicked, this, &MapPanel::exportMap);
    connect(computer_, &QualityMapComputer::ready, this, &MapPanel::onReady);
    connect(computer_, &QualityMapComputer::failed, this, [this](const QString& m) { status_->setText(m); });
    connect(computer_, &QualityMapComputer::progress, this, [this](int done, int total) {
        status_->setText(QStringLiteral("Scoring windows %1 / %2\u2026").arg(done).arg(total));
    });
    connect(canvas_, &ImageCanvas::pointerMoved, this, &MapPanel::showCell);
    // The readout describes the cell under the mouse: gone when the mouse or the overlay is.
    connect(canvas_, &ImageCanvas::pointerLeft, this, &MapPanel::showSummary);
    connect(side_, &ImageCanvas::pointerLeft, this, &MapPanel::showSummary);
    connect(toggle_, &QAction::toggled, this, &MapPanel::showSummary);
    connect(side_, &ImageCanvas::pointerMoved, this, [this](QPointF p) {
        // The side canvas shows the map at the network input's size: back to image pixels.
        if (!result_ || canvas_->image().isNull()) return;
        showCell(QPointF(p.x() * canvas_->image().width() / result_->map.inputWidth,
                         p.y() * canvas_->image().height() / result_->map.inputHeight));
    });
    connect(canvas_, &ImageCanvas::viewChanged, this, [this](const CanvasView& v) { syncSide(v, true); });
    connect(side_, &ImageCanvas::viewChanged, this, [this](const CanvasView& v) { syncSide(v, false); });
    canvas_->setOverlayOpacity(opacity_->value() / 100.0);
    side_->hide();
    legend_->hide();
    looks_->hide();
    export_->setEnabled(false);
}

void MapPanel::setPairs(const std::vector<qc::PromptPair>& pairs) {
    const QSignalBlocker block(target_);
    target_->clear();
    target_->addItem(QStringLiteral("Mean / score"));
    for (const qc::PromptPair& p : pairs) target_->addItem(pairLabel(p));
}

void MapPanel::setContext(std::shared_ptr<const qc::QualiClipModel> model, const qc::ResizePolicy& policy) {
    if (model == model_ && policy == policy_) return;
    model_ = std::move(model);
    policy_ = policy;
    requestMap();
}

void MapPanel::showImage(const QString& path) {
    if (path == path_) return;
    path_ = path;
    requestMap();
}

void MapPanel::selectMap(int kindIndex, bool sideBySide) {
    kind_->setCurrentIndex(kindIndex);
    sideBySide_->setChecked(sideBySide);
}

void MapPanel::requestMap() {
    result_.reset();
    canvas_->clearOverlay();
    side_->hide();
    legend_->hide();  // a scale only beside a map
    export_->setEnabled(false);
    computer_->cancel();
    looks_->setVisible(kind_->currentIndex() > 0);
    if (kind_->currentIndex() <= 0 || path_.isEmpty()) {
        status_->clear();
        return;
    }
    if (!model_) {
        status_->setText(QStringLiteral("Maps need a model (see the model panel)."));
        return;
    }
    qc::MapRequest request;
    request.kind = kKinds[kind_->currentIndex() - 1];
    request.pair = target_->currentIndex() - 1;
    status_->setText(QStringLiteral("Computing the %1 map of %2\u2026")
                         .arg(QString::fromStdString(qc::mapKindName(request.kind)), QFileInfo(path_).fileName()));
    computer_->request(path_, model_, policy_, request);
}

void MapPanel::onReady(std::shared_ptr<const MapResult> result) {
    if (result->path != path_) return;
    result_ = std::move(result);
    export_->setEnabled(true);
    showSummary();
    render();
    side_->setVisible(sideBySide_->isChecked());
    syncSide(canvas_->view(), true);
    Q_EMIT mapShown();
}

void MapPanel::showSummary() {
    if (!result_) return;
    status_->setText(
        QStringLiteral("%1 map, %2 \u00d7 %3 cells of %4 px at %5 \u2014 hover for values")
            .arg(QString::fromStdString(qc::mapKindName(result_->map.kind)))
            .arg(result_->map.cols)
            .arg(result_->map.rows)
            .arg(result_->map.cellSize)
            .arg(QString::fromStdString(policy_.toString())));
}

QString MapPanel::statusText() const { return status_->text(); }

qc::ColorMap MapPanel::colorMap() const {
    const qc::ColorMap maps[] = {qc::ColorMap::Viridis, qc::ColorMap::Magma, qc::ColorMap::Turbo};
    return maps[std::clamp(colors_->currentIndex(), 0, 2)];
}

void MapPanel::render() {
    if (!result_) return;
    double low = 0, high = 1;
    qc::displayRange(result_->map, low, high);
    const QImage colored = toQImage(qc::renderMap(result_->map, colorMap(), smooth_->isChecked(), low, high));
    canvas_->setOverlay(colored, smooth_->isChecked());
    side_->setImage(colored);
    legend_->setScale(colorMap(), low, high);
    legend_->show();
}

void MapPanel::showCell(QPointF imagePixel) {
    if (!result_ || canvas_->image().isNull() || !toggle_->isChecked()) return;
    const qc::QualityMap& map = result_->map;
    const double x = imagePixel.x() * map.inputWidth / canvas_->image().width();
    const double y = imagePixel.y() * map.inputHeight / canvas_->image().height();
    const int col = static_cast<int>(x) / map.cellSize, row = static_cast<int>(y) / map.cellSize;
    if (row >= map.rows || col >= map.cols) {
        status_->setText(QStringLiteral("Outside the map (the network drops the last %1 px)").arg(map.inputWidth % 32));
        return;
    }
    const cv::Rect r = map.cellRect(row, col);
    status_->setText(QStringLiteral("Cell (%1, %2) = %3 \u00b7 input px x %4\u2013%5, y %6\u2013%7 of %8 \u00d7 %9")
                         .arg(row).arg(col).arg(map.at(row, col), 0, 'f', 4)
                         .arg(r.x).arg(r.x + r.width - 1).arg(r.y).arg(r.y + r.height - 1)
                         .arg(map.inputWidth).arg(map.inputHeight));
}

// The side canvas shows the map at the network input's size; the same view fraction and a
// zoom scaled by the size ratio keep both panes on the same part of the picture.
void MapPanel::syncSide(const CanvasView& view, bool fromMain) {
    if (!result_ || !side_->isVisible() || canvas_->image().isNull()) return;
    const double ratio = double(canvas_->image().width()) / result_->map.inputWidth;
    CanvasView other = view;
    other.zoom = fromMain ? view.zoom * ratio : view.zoom / ratio;
    (fromMain ? side_ : canvas_)->setView(other);
}

void MapPanel::exportMap() {
    if (!result_) return;
    const QString stem = QFileInfo(result_->path).completeBaseName() + "." +
                         QString::fromStdString(qc::mapKindName(result_->map.kind) + "-" + result_->map.target);
    const QString chosen = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export quality map"), QFileInfo(result_->path).dir().filePath(stem + ".png"),
        QStringLiteral("Overlay PNG, with .tiff, .csv and .json beside it (*.png)"));
    if (chosen.isEmpty()) return;
    const QString base = chosen.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive) ? chosen.chopped(4) : chosen;
    try {
        // The overlay PNG is what the viewer shows; the TIFF and CSV stay the raw cells.
        const qc::OverlayStyle shown{colorMap(), opacity_->value() / 100.0, smooth_->isChecked()};
        qc::writeMapFiles(
            base.toStdString(), result_->map, result_->input,
            {result_->path.toStdString(), model_ ? model_->info().sha256 : "", policy_.toString()},
            shown);
        status_->setText(QStringLiteral("Saved %1.png, .tiff, .csv and .json").arg(base));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, QStringLiteral("Export failed"), QString::fromStdString(e.what()));
    }
}

}  // namespace qc::ui
