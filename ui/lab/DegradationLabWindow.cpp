#include "ui/lab/DegradationLabWindow.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

#include "ui/lab/DegradationLabModel.h"
#include "ui/lab/DegradationLabWorker.h"
#include "ui/widgets/ImageCanvas.h"
#include "results/MapExport.h"
#include "ui/maps/MapLegend.h"
#include "ui/maps/QualityMapComputer.h"
#include "ui/widgets/DisplayImage.h"
#include "ui/widgets/QCustomPlotWrapper.h"
#include "ui/widgets/ScoreColors.h"

namespace qc::ui {
namespace {

QColor familyColor(int index, int count) {
    return QColor::fromHsv((index * 360 / std::max(1, count) + index % 2 * 15) % 360, 200, index % 2 ? 170 : 220);
}

const QColor kNonMonotone(255, 225, 215);

// Thumbnail above its score (the default puts the icon left of the text, which leaves no room).
class ThumbnailAboveTextDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        option->decorationPosition = QStyleOptionViewItem::Top;
        option->displayAlignment = Qt::AlignHCenter | Qt::AlignBottom;
    }
};

}  // namespace

DegradationLabWindow::DegradationLabWindow(const QString& imagePath, std::shared_ptr<const qc::QualiClipModel> model,
                                           QWidget* parent)
    : QWidget(parent, Qt::Window),
      imagePath_(imagePath),
      qualiclip_(std::move(model)),
      model_(new DegradationLabModel(this)),
      worker_(new DegradationLabWorker(this)) {
    setWindowTitle(QStringLiteral("Degradation lab \u2014 %1").arg(QFileInfo(imagePath).fileName()));
    buildUi();
    connect(worker_, &DegradationLabWorker::cellReady, this, [this](const LabCell& cell) {
        model_->setCell(cell);
        if (cell.generation == model_->generation()) onCellReady();
    });
    connect(worker_, &DegradationLabWorker::finished, this, &DegradationLabWindow::onFinished);
    auto* close = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(close, &QShortcut::activated, this, &QWidget::close);
    // 1560 x 960 where there is room, never more than the screen offers.
    const QScreen* screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    const QSize room = screen ? screen->availableGeometry().size() * 0.95 : QSize(1560, 960);
    resize(std::min(1560, room.width()), std::min(960, room.height()));
}

DegradationLabWindow::~DegradationLabWindow() { worker_->cancel(); }

void DegradationLabWindow::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QWidget::keyPressEvent(event);
}

QAction* DegradationLabWindow::makeOpenAction(
    QWidget* owner, std::function<QString()> currentImage,
    std::function<std::shared_ptr<const qc::QualiClipModel>()> currentModel) {
    auto* action = new QAction(QStringLiteral("&Degrade This Image\u2026"), owner);
    action->setShortcut(QKeySequence(QStringLiteral("Ctrl+D")));
    action->setToolTip(QStringLiteral("Blur, noise, compress\u2026 the image at five levels and score each"));
    QObject::connect(action, &QAction::triggered, owner, [owner, currentImage, currentModel] {
        const QString path = currentImage();
        if (path.isEmpty()) return;
        // A file that cannot be decoded would give a lab of 85 placeholders: say so instead.
        QString error;
        if (loadDisplayImage(path, 64, &error).isNull()) {
            auto* box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Degrade This Image"),
                                        QStringLiteral("'%1' cannot be degraded: %2")
                                            .arg(QFileInfo(path).fileName(), error),
                                        QMessageBox::Ok, owner);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
            return;
        }
        auto* lab = new DegradationLabWindow(path, currentModel(), owner);
        lab->setAttribute(Qt::WA_DeleteOnClose);
        lab->show();
        lab->run();
    });
    return action;
}

void DegradationLabWindow::buildUi() {
    // Left: the choices and exports.
    familyList_ = new QListWidget(this);
    for (const qc::DegradationInfo& info : qc::degradationTable()) {
        auto* item = new QListWidgetItem(QString::fromUtf8(info.name), familyList_);
        item->setData(Qt::UserRole, static_cast<int>(info.family));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        const bool available = qc::degradationAvailable(info.family);
        item->setCheckState(available ? Qt::Checked : Qt::Unchecked);
        if (!available) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setToolTip(QStringLiteral("This OpenCV build cannot write the codec"));
        } else {
            item->setToolTip(QStringLiteral("%1: %2").arg(QString::fromUtf8(info.parameter), QString::fromUtf8(info.how)));
        }
    }
    auto* all = new QPushButton(QStringLiteral("All"), this);
    auto* none = new QPushButton(QStringLiteral("None"), this);
    auto setAll = [this](bool on) {
        for (int i = 0; i < familyList_->count(); ++i)
            if (familyList_->item(i)->flags() & Qt::ItemIsEnabled)
                familyList_->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    };
    connect(all, &QPushButton::clicked, this, [setAll] { setAll(true); });
    connect(none, &QPushButton::clicked, this, [setAll] { setAll(false); });
    levels_ = new QSpinBox(this);
    levels_->setRange(1, qc::kDegradationLevels);
    levels_->setValue(qc::kDegradationLevels);
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1'000'000);
    seed_->setValue(1);
    runButton_ = new QPushButton(QStringLiteral("Run"), this);
    cancelButton_ = new QPushButton(QStringLiteral("Cancel"), this);
    connect(runButton_, &QPushButton::clicked, this, &DegradationLabWindow::run);
    connect(cancelButton_, &QPushButton::clicked, this, &DegradationLabWindow::cancel);
    progress_ = new QProgressBar(this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    auto* exportGridButton = new QPushButton(QStringLiteral("Export Grid as PNG\u2026"), this);
    auto* exportFolderButton = new QPushButton(QStringLiteral("Export Images and CSV\u2026"), this);
    connect(exportGridButton, &QPushButton::clicked, this, &DegradationLabWindow::exportGrid);
    connect(exportFolderButton, &QPushButton::clicked, this, &DegradationLabWindow::exportFolder);

    auto* controls = new QWidget(this);
    auto* left = new QVBoxLayout(controls);
    left->addWidget(new QLabel(QStringLiteral("<b>Distortions</b>"), this));
    left->addWidget(familyList_, 1);
    auto* allNone = new QHBoxLayout;
    allNone->addWidget(all);
    allNone->addWidget(none);
    left->addLayout(allNone);
    auto* form = new QFormLayout;
    form->addRow(QStringLiteral("Levels"), levels_);
    form->addRow(QStringLiteral("Seed"), seed_);
    left->addLayout(form);
    auto* runCancel = new QHBoxLayout;
    runCancel->addWidget(runButton_);
    runCancel->addWidget(cancelButton_);
    left->addLayout(runCancel);
    left->addWidget(progress_);
    left->addWidget(status_);
    left->addSpacing(12);
    left->addWidget(exportGridButton);
    left->addWidget(exportFolderButton);
    controls->setMaximumWidth(230);

    // Centre: the grid over the comparison.
    grid_ = new QTableView(this);
    grid_->setModel(model_);
    grid_->setItemDelegate(new ThumbnailAboveTextDelegate(grid_));
    grid_->setIconSize(DegradationLabModel::kThumbnailSize);
    grid_->verticalHeader()->setDefaultSectionSize(DegradationLabModel::kThumbnailSize.height() + 26);
    grid_->horizontalHeader()->setDefaultSectionSize(DegradationLabModel::kThumbnailSize.width() + 6);
    grid_->setSelectionMode(QAbstractItemView::SingleSelection);
    grid_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(grid_, &QTableView::clicked, this, [this](const QModelIndex& i) { showCell(i.row(), i.column()); });

    originalCanvas_ = new ImageCanvas(this);
    cellCanvas_ = new ImageCanvas(this);
    originalCanvas_->setMessage(QStringLiteral("Click a cell of the grid"));
    cellCanvas_->setMessage(QStringLiteral("Click a cell of the grid"));
    // Zoom and pan follow each other (the compare view's way: same zoom, same relative centre).
    connect(originalCanvas_, &ImageCanvas::viewChanged, cellCanvas_, &ImageCanvas::setView);
    connect(cellCanvas_, &ImageCanvas::viewChanged, originalCanvas_, &ImageCanvas::setView);
    cellTitle_ = new QLabel(this);
    mapKind_ = new QComboBox(this);
    mapKind_->addItems({QStringLiteral("No map"), QStringLiteral("Dense tokens"), QStringLiteral("Patches 224/112"),
                        QStringLiteral("Grad-CAM")});
    mapKind_->setToolTip(QStringLiteral("Quality map of the original and of the cell, on one scale"));
    mapLegend_ = new MapLegend(this);
    mapLegend_->hide();
    originalMaps_ = new QualityMapComputer(this);
    cellMaps_ = new QualityMapComputer(this);
    connect(mapKind_, &QComboBox::currentIndexChanged, this, &DegradationLabWindow::requestCellMaps);
    connect(originalMaps_, &QualityMapComputer::ready, this, [this](std::shared_ptr<const MapResult> r) {
        originalMap_ = std::move(r);
        renderCellMaps();
    });
    connect(cellMaps_, &QualityMapComputer::ready, this, [this](std::shared_ptr<const MapResult> r) {
        cellMap_ = std::move(r);
        renderCellMaps();
    });
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(cellTitle_, 1);
    titleRow->addWidget(mapLegend_);
    titleRow->addWidget(new QLabel(QStringLiteral("Map:"), this));
    titleRow->addWidget(mapKind_);
    auto* compare = new QWidget(this);
    auto* compareLayout = new QVBoxLayout(compare);
    compareLayout->setContentsMargins(0, 0, 0, 0);
    compareLayout->addLayout(titleRow);
    auto* canvases = new QHBoxLayout;
    canvases->addWidget(originalCanvas_);
    canvases->addWidget(cellCanvas_);
    compareLayout->addLayout(canvases, 1);

    auto* centre = new QSplitter(Qt::Vertical, this);
    centre->addWidget(grid_);
    centre->addWidget(compare);
    centre->setStretchFactor(0, 3);
    centre->setStretchFactor(1, 2);

    // Right: the chart over the monotonicity figures.
    chart_ = new QCustomPlot(this);
    chart_->xAxis->setLabel(QStringLiteral("level"));
    chart_->yAxis->setLabel(QStringLiteral("QualiCLIP score"));
    chart_->legend->setVisible(true);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.8);
    chart_->legend->setFont(legendFont);
    chart_->legend->setRowSpacing(-3);
    // The legend beside the axes, so seventeen lines never hide the curves.
    auto* legendCell = new QCPLayoutGrid;
    chart_->plotLayout()->addElement(0, 1, legendCell);
    legendCell->addElement(0, 0, chart_->legend);
    legendCell->setRowStretchFactor(0, 0.01);
    chart_->plotLayout()->setColumnStretchFactor(1, 0.001);
    chart_->setMinimumHeight(360);

    monotonicity_ = new QTableWidget(0, 2, this);
    monotonicity_->setHorizontalHeaderLabels({QStringLiteral("Distortion"), QStringLiteral("Spearman \u03c1")});
    monotonicity_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    monotonicity_->verticalHeader()->setVisible(false);
    monotonicity_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    monotonicity_->setToolTip(QStringLiteral("Spearman correlation of score with level (0 = original). "
                                             "\u22121: the score falls at every level; other values are highlighted."));
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(chart_);
    auto* monoBox = new QWidget(this);
    auto* monoLayout = new QVBoxLayout(monoBox);
    monoLayout->setContentsMargins(0, 0, 0, 0);
    monoLayout->addWidget(new QLabel(QStringLiteral("<b>Monotonicity</b> (score vs level; highlighted: does not fall "
                                                    "at every level)"),
                                     this));
    monoLayout->addWidget(monotonicity_);
    right->addWidget(monoBox);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(controls);
    split->addWidget(centre);
    split->addWidget(right);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 1);
    split->setSizes({190, 1010, 400});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
    updateStatus();
}

void DegradationLabWindow::setFamiliesChecked(const std::vector<qc::DegradationFamily>& families) {
    for (int i = 0; i < familyList_->count(); ++i) {
        QListWidgetItem* item = familyList_->item(i);
        const auto family = static_cast<qc::DegradationFamily>(item->data(Qt::UserRole).toInt());
        const bool on = std::find(families.begin(), families.end(), family) != families.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
}

void DegradationLabWindow::setLevels(int levels) { levels_->setValue(levels); }

bool DegradationLabWindow::running() const { return running_; }

void DegradationLabWindow::run() {
    LabRequest request;
    request.imagePath = imagePath_;
    for (int i = 0; i < familyList_->count(); ++i)
        if (familyList_->item(i)->checkState() == Qt::Checked)
            request.families.push_back(static_cast<qc::DegradationFamily>(familyList_->item(i)->data(Qt::UserRole).toInt()));
    request.levels = levels_->value();
    request.seed = static_cast<quint32>(seed_->value());
    request.model = qualiclip_;
    if (request.families.empty()) {
        status_->setText(QStringLiteral("Choose at least one distortion."));
        return;
    }
    const quint64 generation = worker_->start(request);
    model_->reset(generation, request.families, request.levels,
                  qualiclip_ ? qualiclip_->info().pairs : std::vector<qc::PromptPair>{});
    running_ = true;
    shownRow_ = shownColumn_ = -1;
    updateChart();
    updateMonotonicity();
    updateStatus();
}

void DegradationLabWindow::cancel() {
    worker_->cancel();
    running_ = false;
    updateStatus();
}

void DegradationLabWindow::onCellReady() {
    updateChart();
    updateMonotonicity();
    updateStatus();
    if (shownRow_ < 0 && model_->cell(0, 0)) showCell(0, 0);
    else if (shownRow_ >= 0) showCell(shownRow_, shownColumn_);
}

void DegradationLabWindow::onFinished(quint64 generation, bool cancelled, const QString& error) {
    if (generation != model_->generation()) return;
    running_ = false;
    updateStatus();
    if (!error.isEmpty()) status_->setText(error);
    else if (cancelled) status_->setText(status_->text() + QStringLiteral(" Cancelled."));
    Q_EMIT runFinished();
}

void DegradationLabWindow::updateStatus() {
    progress_->setRange(0, model_->cellsTotal());
    progress_->setValue(model_->cellsDone());
    runButton_->setEnabled(!running_);
    cancelButton_->setEnabled(running_);
    QString text = QStringLiteral("%1 of %2 images.").arg(model_->cellsDone()).arg(model_->cellsTotal());
    if (qualiclip_)
        text += QStringLiteral(" Model: %1.").arg(QFileInfo(QString::fromStdString(qualiclip_->info().path)).fileName());
    else
        text += QStringLiteral(" No model loaded: images are degraded but not scored (File \u25b8 Open Model).");
    text += QStringLiteral(" Working size: long side \u2264 %1 px.").arg(DegradationLabWorker::kWorkingLongSide);
    status_->setText(text);
}

void DegradationLabWindow::updateChart() {
    chart_->clearGraphs();
    const int rows = model_->rowCount();
    double lo = 1, hi = 0;
    for (int row = 0; row < rows; ++row) {
        QCPGraph* graph = chart_->addGraph();
        const QString name = model_->headerData(row, Qt::Vertical, Qt::DisplayRole).toString();
        const std::optional<double> rho = model_->spearman(row);
        const bool flagged = rho && !DegradationLabModel::isMonotone(*rho);
        graph->setName(name);
        QPen pen(familyColor(row, rows), 1.8);
        if (flagged) pen.setStyle(Qt::DashLine);
        graph->setPen(pen);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
        const std::vector<double> scores = model_->scoresByLevel(row);
        for (size_t level = 0; level < scores.size(); ++level) {
            if (std::isnan(scores[level])) continue;
            graph->addData(double(level), scores[level]);
            lo = std::min(lo, scores[level]);
            hi = std::max(hi, scores[level]);
        }
    }
    chart_->xAxis->setRange(-0.2, model_->levels() + 0.2);
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    chart_->xAxis->setTicker(ticker);
    if (hi >= lo) {
        const double margin = std::max(0.01, (hi - lo) * 0.08);
        chart_->yAxis->setRange(lo - margin, hi + margin);
    } else {
        chart_->yAxis->setRange(0, 1);
    }
    chart_->replot(QCustomPlot::rpQueuedReplot);
}

void DegradationLabWindow::updateMonotonicity() {
    const int rows = model_->rowCount();
    monotonicity_->setRowCount(rows);
    for (int row = 0; row < rows; ++row) {
        auto* name = new QTableWidgetItem(model_->headerData(row, Qt::Vertical, Qt::DisplayRole).toString());
        const std::optional<double> rho = model_->spearman(row);
        QString text = QStringLiteral("\u2026");
        if (rho) text = std::isnan(*rho) ? QStringLiteral("undefined") : QString::number(*rho, 'f', 2);
        auto* value = new QTableWidgetItem(text);
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (rho && !DegradationLabModel::isMonotone(*rho)) {
            name->setBackground(kNonMonotone);
            value->setBackground(kNonMonotone);
            value->setToolTip(QStringLiteral("The score does not fall at every level"));
        }
        name->setForeground(familyColor(row, rows).darker(130));
        monotonicity_->setItem(row, 0, name);
        monotonicity_->setItem(row, 1, value);
    }
}

void DegradationLabWindow::showCell(int row, int column) {
    const LabCell* original = model_->cell(row, 0);
    const LabCell* c = model_->cell(row, column);
    if (!original || !c) return;
    const bool first = shownRow_ < 0;
    shownRow_ = row;
    shownColumn_ = column;
    originalCanvas_->setImage(original->image);
    cellCanvas_->setImage(c->image);
    requestCellMaps();
    if (first) {
        originalCanvas_->fitToWindow();
        cellCanvas_->fitToWindow();
    }
    const QString score = [&] {
        if (!c->error.isEmpty()) return c->error;
        return c->scored ? QStringLiteral("score %1").arg(c->score, 0, 'f', 3) : QStringLiteral("not scored");
    }();
    const QString originalScore = original->hasScore() ? QStringLiteral(" (score %1)").arg(original->score, 0, 'f', 3) : QString();
    if (column == 0) {
        cellTitle_->setText(QStringLiteral("<b>Original</b>%1 \u2014 both sides").arg(originalScore));
    } else {
        const qc::DegradationInfo& info = qc::degradationInfo(model_->families()[static_cast<size_t>(row)]);
        cellTitle_->setText(QStringLiteral("<b>Original</b>%1 &nbsp;|&nbsp; <b>%2, level %3</b> (%4 = %5): %6")
                                .arg(originalScore, QString::fromUtf8(info.name))
                                .arg(column)
                                .arg(QString::fromUtf8(info.parameter))
                                .arg(c->parameter)
                                .arg(score));
    }
}

QImage DegradationLabWindow::renderGrid() const {
    const QSize thumb = DegradationLabModel::kThumbnailSize;
    const int labelWidth = 170, headerHeight = 28, captionHeight = 22, pad = 6;
    const int cellW = thumb.width() + pad, cellH = thumb.height() + captionHeight + pad;
    const int rows = model_->rowCount(), columns = model_->columnCount();
    QImage image(labelWidth + columns * cellW + pad, headerHeight + std::max(1, rows) * cellH + pad, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    QFont bold = p.font();
    bold.setBold(true);
    for (int column = 0; column < columns; ++column) {
        p.setFont(bold);
        p.drawText(QRect(labelWidth + column * cellW, 0, cellW, headerHeight), Qt::AlignCenter,
                   model_->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
    }
    for (int row = 0; row < rows; ++row) {
        const int y = headerHeight + row * cellH;
        p.setFont(bold);
        p.setPen(Qt::black);
        p.drawText(QRect(pad, y, labelWidth - 2 * pad, thumb.height()), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
                   model_->headerData(row, Qt::Vertical, Qt::DisplayRole).toString());
        p.setFont(font());
        for (int column = 0; column < columns; ++column) {
            const LabCell* c = model_->cell(row, column);
            const QRect box(labelWidth + column * cellW, y, thumb.width(), thumb.height());
            if (!c) continue;
            const QImage t = c->thumbnail;
            p.drawImage(QPoint(box.x() + (box.width() - t.width()) / 2, box.y() + (box.height() - t.height()) / 2), t);
            QString caption = column == 0 ? QStringLiteral("original")
                                          : QStringLiteral("%1").arg(c->parameter);
            if (c->hasScore()) {
                caption += QStringLiteral("  %1").arg(c->score, 0, 'f', 3);
                p.setPen(scoreTextColor(c->score));
            } else {
                p.setPen(Qt::darkGray);
            }
            p.drawText(QRect(box.x(), box.bottom() + 2, box.width(), captionHeight), Qt::AlignCenter, caption);
        }
    }
    return image;
}

bool DegradationLabWindow::exportImages(const QString& folder, QString* error) const {
    if (!QDir().mkpath(folder)) {
        if (error) *error = QStringLiteral("Cannot create the folder %1").arg(folder);
        return false;
    }
    const QDir dir(folder);
    for (int row = 0; row < model_->rowCount(); ++row) {
        for (int column = row == 0 ? 0 : 1; column < model_->columnCount(); ++column) {
            const LabCell* c = model_->cell(row, column);
            if (!c || c->image.isNull()) continue;
            const QString path = dir.filePath(QString::fromStdString(model_->fileName(row, column)));
            if (!c->image.save(path, "PNG")) {
                if (error) *error = QStringLiteral("Cannot write %1").arg(path);
                return false;
            }
        }
    }
    QFile csv(dir.filePath(QStringLiteral("degradations.csv")));
    const std::string text = model_->csv();
    if (!csv.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        csv.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())) {
        if (error) *error = QStringLiteral("Cannot write %1").arg(csv.fileName());
        return false;
    }
    return true;
}

void DegradationLabWindow::exportGrid() {
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export Grid"), QFileInfo(imagePath_).completeBaseName() + QStringLiteral("-degradations.png"),
        QStringLiteral("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (!renderGrid().save(path, "PNG"))
        QMessageBox::warning(this, QStringLiteral("Export Grid"), QStringLiteral("Cannot write %1").arg(path));
}

void DegradationLabWindow::exportFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, QStringLiteral("Export Images and CSV"));
    if (folder.isEmpty()) return;
    QString error;
    if (!exportImages(folder, &error)) QMessageBox::warning(this, QStringLiteral("Export Images and CSV"), error);
}

void DegradationLabWindow::showMap(int kindIndex) { mapKind_->setCurrentIndex(kindIndex); }

void DegradationLabWindow::requestCellMaps() {
    originalMap_.reset();
    cellMap_.reset();
    originalCanvas_->clearOverlay();
    cellCanvas_->clearOverlay();
    mapLegend_->hide();
    const LabCell* original = model_->cell(shownRow_, 0);
    const LabCell* c = model_->cell(shownRow_, shownColumn_);
    if (mapKind_->currentIndex() <= 0 || !qualiclip_ || !original || !c) {
        originalMaps_->cancel();
        cellMaps_->cancel();
        return;
    }
    const qc::MapKind kinds[] = {qc::MapKind::Dense, qc::MapKind::Patches, qc::MapKind::GradCam};
    const qc::MapRequest request{kinds[mapKind_->currentIndex() - 1], -1, {}};
    originalMaps_->requestImage(QStringLiteral("original"), original->image, qualiclip_, request);
    cellMaps_->requestImage(QStringLiteral("cell"), c->image, qualiclip_, request);
}

// Both maps on the scale of their union, so a colour means the same value on both sides.
void DegradationLabWindow::renderCellMaps() {
    if (!originalMap_ || !cellMap_) return;
    double low = 0, high = 1, low2 = 0, high2 = 1;
    qc::displayRange(originalMap_->map, low, high);
    qc::displayRange(cellMap_->map, low2, high2);
    low = std::min(low, low2);
    high = std::max(high, high2);
    auto render = [&](const MapResult& r) {
        const cv::Mat rgb = qc::renderMap(r.map, qc::ColorMap::Viridis, false, low, high);
        return QImage(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), QImage::Format_RGB888).copy();
    };
    originalCanvas_->setOverlay(render(*originalMap_), false);
    cellCanvas_->setOverlay(render(*cellMap_), false);
    mapLegend_->setScale(qc::ColorMap::Viridis, low, high);
    mapLegend_->show();
    Q_EMIT cellMapsShown();
}

}  // namespace qc::ui
