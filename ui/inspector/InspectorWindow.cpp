#include "ui/inspector/InspectorWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QSet>
#include <QItemSelection>
#include <QHeaderView>
#include <QActionGroup>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QResizeEvent>
#include <QScreen>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

#include "about/VersionReport.h"
#include "engine/ComputeDevice.h"
#include "engine/CpuFeatures.h"
#include "engine/PrecisionChoice.h"
#include "engine/QualiClipModel.h"
#include "models/ModelLocator.h"
#include "models/ModelRegistry.h"
#include "ui/inspector/AboutDialog.h"
#include "ui/inspector/BurstActions.h"
#include "ui/inspector/CompareView.h"
#include "ui/inspector/FullScreenViewer.h"
#include "ui/inspector/GridTileDelegate.h"
#include "ui/inspector/ImageDetailPanel.h"
#include "ui/inspector/InspectorSettings.h"
#include "ui/inspector/ProblemsDock.h"
#include "ui/inspector/RawFilesMenu.h"
#include "ui/inspector/RejectBelowDialog.h"
#include "ui/inspector/ScoreHistogram.h"
#include "ui/inspector/ShortcutsDialog.h"
#include "ui/inspector/ThumbnailDelegate.h"
#include "ui/lab/DegradationLabWindow.h"
#include "ui/maps/MapPanel.h"
#include "ui/models/ModelDownloadController.h"
#include "ui/models/ModelStatusPanel.h"
#include "ui/models/ModelsDialog.h"
#include "ui/prompts/PromptSetEditor.h"
#include "ui/research/ResearchWindow.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "ui/session/TableExport.h"
#include "ui/session/ThumbnailCache.h"
#include "ui/widgets/ImageCanvas.h"

namespace qc::ui {
namespace {

// The choices of the toolbar's policy box; long:1024/fast is the default (see InspectorSettings).
const char* const kPolicies[] = {"long:512",       "long:1024/fast", "long:1024",
                                 "long:2048/fast", "long:2048",      "native"};

QString imageCount(int n) {
    return n == 1 ? QStringLiteral("1 image") : QStringLiteral("%1 images").arg(n);
}

QString imageFileFilter() {
    return QStringLiteral(
        "Images (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.bmp *.ppm *.pgm *.jp2 *.heic *.heif "
        "*.hif *.avif "
        "*.dng *.cr2 *.cr3 *.crw *.nef *.nrw *.arw *.sr2 *.srf *.raf *.orf *.rw2 *.pef *.srw *.x3f "
        "*.3fr *.iiq "
        "*.mrw *.kdc *.dcr *.erf *.mef *.mos *.rwl "
        "*.JPG *.JPEG *.PNG *.TIF *.HEIC *.DNG *.CR2 *.CR3 *.NEF *.ARW *.RAF *.ORF *.RW2 *.PEF "
        "*.SRW);;"
        "RAW (*.dng *.cr2 *.cr3 *.crw *.nef *.nrw *.arw *.sr2 *.srf *.raf *.orf *.rw2 *.pef *.srw "
        "*.x3f *.3fr *.iiq "
        "*.mrw *.kdc *.dcr *.erf *.mef *.mos *.rwl *.DNG *.CR2 *.CR3 *.NEF *.ARW *.RAF *.ORF *.RW2 "
        "*.PEF *.SRW);;"
        "HEIF/AVIF (*.heic *.heif *.hif *.avif *.HEIC *.HEIF *.AVIF);;All files (*)");
}

// A checkable entry of an exclusive group that carries the value it stands for.
QAction* addChoice(QMenu* menu, QActionGroup* group, const QString& text, const QString& value,
                   const QString& tip) {
    QAction* action = menu->addAction(text);
    action->setCheckable(true);
    action->setData(value);
    action->setToolTip(tip);
    group->addAction(action);
    return action;
}

}  // namespace

InspectorWindow::InspectorWindow(QWidget* parent)
    : QMainWindow(parent),
      session_(new ScoringSession(this)),
      thumbnails_(new ThumbnailCache(160, 1500, this)),
      proxy_(new ScoreFilterProxyModel(this)),
      downloads_(new ModelDownloadController(this)) {
    setWindowTitle(QStringLiteral("QualiCLIP Inspector"));
    setAcceptDrops(true);
    session_->table()->setThumbnailCache(thumbnails_);
    proxy_->setSourceModel(session_->table());

    createActions();
    createCullingActions();
    createMenus();
    createToolBar();
    createCentralArea();
    createStatusBar();

    connect(session_, &ScoringSession::modelStateChanged, this, &InspectorWindow::onModelStateChanged);
    connect(session_, &ScoringSession::promptSetChanged, this, &InspectorWindow::onPromptSetChanged);
    connect(session_, &ScoringSession::progressChanged, this, &InspectorWindow::onProgressChanged);
    connect(session_, &ScoringSession::problemsFound, problems_, &ProblemsDock::add);
    auto selectFirstIfNone = [this] {
        if (!pendingImage_.isEmpty() && selectPath(pendingImage_)) pendingImage_.clear();
        if (currentId() == 0) selectRowQuietly(0);
        followFirstRowIfOpening();
        refreshCurrentViews();
    };
    connect(session_, &ScoringSession::imagesAdded, this, selectFirstIfNone);
    connect(proxy_, &QAbstractItemModel::modelReset, this, selectFirstIfNone);
    // Scores arriving re-sort the list: the first row stays current while a folder opens.
    connect(proxy_, &QAbstractItemModel::layoutChanged, this,
            &InspectorWindow::followFirstRowIfOpening);
    // A filter that hides the current image makes the first image it shows current.
    connect(proxy_, &ScoreFilterProxyModel::filterChanged, this, selectFirstIfNone);
    connect(thumbnails_, &ThumbnailCache::thumbnailFailed, this, &InspectorWindow::onThumbnailFailed);
    connect(modelPanel_, &ModelStatusPanel::openModelRequested, this, &InspectorWindow::chooseModel);
    connectModelDownloads();
    connect(table_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &InspectorWindow::onCurrentChanged);
    connect(session_->table(), &ScoreTableModel::marksChanged, this, [this] {
        if (!compare_ || !compare_->isVisible()) return;
        for (ImageId id : compare_->shownIds())
            if (const ImageEntry* e = session_->table()->entry(id)) compare_->updateEntry(*e);
    });
    connect(session_->table(), &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                const int row = session_->table()->rowOf(currentId());
                if (row >= from.row() && row <= to.row()) refreshCurrentViews();
            });

    keepArrowsOnTheList();
    restoreSettings();
    onModelStateChanged();
    onProgressChanged();
}

InspectorWindow::~InspectorWindow() = default;

void InspectorWindow::createActions() {
    openImagesAction_ = new QAction(QStringLiteral("&Open Images\u2026"), this);
    openImagesAction_->setShortcut(QKeySequence::Open);
    connect(openImagesAction_, &QAction::triggered, this, &InspectorWindow::chooseImages);

    openFolderAction_ = new QAction(QStringLiteral("Open &Folder\u2026"), this);
    openFolderAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    openFolderAction_->setToolTip(
        QStringLiteral("Show this folder's photos instead of the list (Ctrl+Shift+O)"));
    connect(openFolderAction_, &QAction::triggered, this, &InspectorWindow::chooseFolder);
    addFolderAction_ = new QAction(QStringLiteral("&Add Folder\u2026"), this);
    addFolderAction_->setToolTip(QStringLiteral("Add a folder's photos to the list"));
    connect(addFolderAction_, &QAction::triggered, this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, QStringLiteral("Add Folder"), currentFolder());
        if (!folder.isEmpty()) open({folder});
    });
    closeFolderAction_ = new QAction(QStringLiteral("&Close Folder"), this);
    closeFolderAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+W")));
    connect(closeFolderAction_, &QAction::triggered, this, &InspectorWindow::closeFolder);
    reopenFolderAction_ = new QAction(QStringLiteral("Reopen &Last Folder at Start"), this);
    reopenFolderAction_->setCheckable(true);
    connect(reopenFolderAction_, &QAction::toggled, this,
            [](bool on) { InspectorSettings().setReopenLastFolder(on); });

    editPromptsAction_ = new QAction(QStringLiteral("Edit &Prompts\u2026"), this);
    editPromptsAction_->setToolTip(QStringLiteral("Write your own antonym prompt pairs and score the photos with them"));
    connect(editPromptsAction_, &QAction::triggered, this, &InspectorWindow::editPromptSet);

    openModelAction_ = new QAction(QStringLiteral("Open &Model\u2026"), this);
    connect(openModelAction_, &QAction::triggered, this, &InspectorWindow::chooseModel);
    modelsAction_ = new QAction(QStringLiteral("Mo&dels\u2026"), this);
    connect(modelsAction_, &QAction::triggered, this, &InspectorWindow::showModelsDialog);

    recursiveAction_ = new QAction(QStringLiteral("Include &Sub-folders"), this);
    recursiveAction_->setCheckable(true);
    connect(recursiveAction_, &QAction::toggled, this, [](bool on) { InspectorSettings().setRecursive(on); });

    removeAction_ = new QAction(QStringLiteral("&Remove from List\u2026"), this);
    removeAction_->setShortcut(QKeySequence::Delete);
    connect(removeAction_, &QAction::triggered, this, &InspectorWindow::removeSelected);

    cancelAction_ = new QAction(QStringLiteral("&Cancel Scoring"), this);
    cancelAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancelAction_, &QAction::triggered, session_, &ScoringSession::cancel);

    resumeAction_ = new QAction(QStringLiteral("Score &Remaining"), this);
    connect(resumeAction_, &QAction::triggered, session_, &ScoringSession::scoreUnscored);

    exportAction_ = new QAction(QStringLiteral("&Export Table\u2026"), this);
    connect(exportAction_, &QAction::triggered, this, &InspectorWindow::exportTable);
    copyPicksAction_ = new QAction(QStringLiteral("&Copy Picks To\u2026"), this);
    connect(copyPicksAction_, &QAction::triggered, this, [this] { transferFlagged(CullFlag::Pick, TransferMode::Copy); });
    moveRejectsAction_ = new QAction(QStringLiteral("Mo&ve Rejects To\u2026"), this);
    connect(moveRejectsAction_, &QAction::triggered, this, [this] { transferFlagged(CullFlag::Reject, TransferMode::Move); });

    writeXmpAction_ = new QAction(QStringLiteral("&Write XMP Sidecar on Every Decision"), this);
    writeXmpAction_->setCheckable(true);
    lightroomNamingAction_ = new QAction(QStringLiteral("Sidecar Named IMG_1.xmp (&Lightroom)"), this);
    darktableNamingAction_ = new QAction(QStringLiteral("Sidecar Named IMG_1.CR2.xmp (&darktable)"), this);
    auto* namings = new QActionGroup(this);
    for (QAction* a : {lightroomNamingAction_, darktableNamingAction_}) {
        a->setCheckable(true);
        namings->addAction(a);
    }
    for (QAction* a : {writeXmpAction_, lightroomNamingAction_, darktableNamingAction_})
        connect(a, &QAction::triggered, this, &InspectorWindow::applySidecarSettings);

    quitAction_ = new QAction(QStringLiteral("&Quit"), this);
    quitAction_->setShortcut(QKeySequence::Quit);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);
}

QAction* InspectorWindow::addShortcutAction(const QString& text, const QList<QKeySequence>& keys) {
    auto* action = new QAction(text, this);
    action->setShortcuts(keys);
    addAction(action);  // active even when no menu shows it
    cullingActions_ << action;
    return action;
}

void InspectorWindow::createCullingActions() {
    // Lightroom's keys, which photographers already know.
    connect(addShortcutAction(QStringLiteral("&Pick"), {Qt::Key_P}), &QAction::triggered, this,
            [this] { applyFlag(CullFlag::Pick); });
    connect(addShortcutAction(QStringLiteral("&Reject"), {Qt::Key_X}), &QAction::triggered, this,
            [this] { applyFlag(CullFlag::Reject); });
    connect(addShortcutAction(QStringLiteral("&Unflag"), {Qt::Key_U}), &QAction::triggered, this,
            [this] { applyFlag(CullFlag::None); });
    for (int stars = 0; stars <= 5; ++stars) {
        const QString text = stars == 0 ? QStringLiteral("No Rating") : QStringLiteral("Rate %1").arg(QString(stars, QChar(0x2605)));
        connect(addShortcutAction(text, {QKeySequence(Qt::Key_0 + stars)}), &QAction::triggered, this,
                [this, stars] { applyStars(stars); });
    }
    connect(addShortcutAction(QStringLiteral("&Previous Image"), {Qt::Key_Left}), &QAction::triggered, this,
            [this] { moveCurrent(-1); });
    connect(addShortcutAction(QStringLiteral("&Next Image"), {Qt::Key_Right}), &QAction::triggered, this,
            [this] { moveCurrent(1); });
    connect(addShortcutAction(QStringLiteral("&First Image"), {Qt::Key_Home}), &QAction::triggered, this,
            [this] { moveToEnd(false); });
    connect(addShortcutAction(QStringLiteral("&Last Image"), {Qt::Key_End}), &QAction::triggered, this,
            [this] { moveToEnd(true); });
    fullScreenAction_ = addShortcutAction(QStringLiteral("&Full-screen Viewer"), {Qt::Key_F, Qt::Key_Space});
    fullScreenAction_->setCheckable(true);
    connect(fullScreenAction_, &QAction::triggered, this, &InspectorWindow::toggleFullScreen);

    // Lightroom's Caps Lock "auto advance": a culling key marks the image and shows the next.
    autoAdvanceAction_ = new QAction(QStringLiteral("&Auto Advance"), this);
    autoAdvanceAction_->setCheckable(true);
    autoAdvanceAction_->setToolTip(
        QStringLiteral("P, X, U and the star keys move on to the next image"));
    connect(autoAdvanceAction_, &QAction::toggled, this,
            [](bool on) { InspectorSettings().setAutoAdvance(on); });

    fitAction_ = new QAction(QStringLiteral("Zoom to &Fit"), this);
    fitAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+0")));
    addAction(fitAction_);
    actualSizeAction_ = new QAction(QStringLiteral("Zoom to &100 %"), this);
    actualSizeAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Alt+0")));
    addAction(actualSizeAction_);

    compareAction_ = new QAction(QStringLiteral("&Compare Selected"), this);
    compareAction_->setShortcut(QKeySequence(Qt::Key_C));
    compareAction_->setToolTip(QStringLiteral("Show 2 to 4 selected images side by side (C)"));
    connect(compareAction_, &QAction::triggered, this, &InspectorWindow::compareSelected);
    degradeAction_ = DegradationLabWindow::makeOpenAction(
        this, [this] { const ImageEntry* e = session_->table()->entry(currentId()); return e ? e->path : QString(); },
        [this] { return session_->model(); });

    tableViewAction_ = new QAction(QStringLiteral("&Table"), this);
    tableViewAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+1")));
    gridViewAction_ = new QAction(QStringLiteral("&Grid"), this);
    gridViewAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+2")));
    auto* views = new QActionGroup(this);
    for (QAction* a : {tableViewAction_, gridViewAction_}) {
        a->setCheckable(true);
        views->addAction(a);
    }
    tableViewAction_->setChecked(true);
    connect(gridViewAction_, &QAction::toggled, this, &InspectorWindow::showGrid);

    selectBelowAction_ = new QAction(QStringLiteral("&Select All Below Score\u2026"), this);
    connect(selectBelowAction_, &QAction::triggered, this, &InspectorWindow::askSelectBelow);
    rejectBelowAction_ = new QAction(QStringLiteral("Re&ject All Below Score\u2026"), this);
    connect(rejectBelowAction_, &QAction::triggered, this, &InspectorWindow::askRejectBelow);

    // Every decision, single or bulk, is one step of the session's history (DecisionCommand).
    undoAction_ = session_->undoStack()->createUndoAction(this, QStringLiteral("&Undo"));
    undoAction_->setShortcut(QKeySequence::Undo);
    redoAction_ = session_->undoStack()->createRedoAction(this, QStringLiteral("&Redo"));
    redoAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});

    bursts_ = new BurstActions(*session_, *proxy_, [this] { return currentId(); }, this);
    connect(bursts_, &BurstActions::compareRequested, this, &InspectorWindow::compareEntries);
}

void InspectorWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(openImagesAction_);
    file->addAction(openFolderAction_);
    file->addAction(addFolderAction_);
    recentMenu_ = file->addMenu(QStringLiteral("Recent &Folders"));
    file->addAction(closeFolderAction_);
    file->addAction(recursiveAction_);
    file->addAction(reopenFolderAction_);
    file->addSeparator();
    file->addAction(openModelAction_);
    file->addAction(modelsAction_);
    file->addSeparator();
    file->addAction(removeAction_);
    file->addSeparator();
    file->addAction(exportAction_);
    file->addAction(copyPicksAction_);
    file->addAction(moveRejectsAction_);
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu* edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    edit->addAction(undoAction_);
    edit->addAction(redoAction_);

    QMenu* cull = menuBar()->addMenu(QStringLiteral("&Cull"));
    for (int i = 0; i < 9; ++i) {
        cull->addAction(cullingActions_[i]);
        if (i == 2) cull->addSeparator();
    }
    cull->addSeparator();
    cull->addAction(autoAdvanceAction_);
    cull->addSeparator();
    cull->addAction(selectBelowAction_);
    cull->addAction(rejectBelowAction_);
    cull->addAction(bursts_->rulesAction());
    cull->addSeparator();
    cull->addAction(writeXmpAction_);
    cull->addAction(lightroomNamingAction_);
    cull->addAction(darktableNamingAction_);

    QMenu* view = viewMenu_ = menuBar()->addMenu(QStringLiteral("&View"));
    view->addAction(tableViewAction_);
    view->addAction(gridViewAction_);
    view->addAction(compareAction_);
    view->addAction(bursts_->compareBurstAction());
    view->addAction(bursts_->collapseAction());
    view->addAction(bursts_->toggleStackAction());
    view->addAction(degradeAction_);
    view->addSeparator();
    view->addAction(fitAction_);
    view->addAction(actualSizeAction_);
    view->addSeparator();
    for (int i = 9; i < cullingActions_.size(); ++i) view->addAction(cullingActions_[i]);

    QMenu* scoring = menuBar()->addMenu(QStringLiteral("&Scoring"));
    scoring->addAction(cancelAction_);
    scoring->addAction(resumeAction_);
    scoring->addSeparator();
    createDeviceMenu(scoring);
    addRawFilesMenu(scoring, session_);
    scoring->addAction(editPromptsAction_);
    scoring->addSeparator();
    scoring->addAction(ResearchWindow::makeOpenAction(
        this, [this] { return session_->modelPath(); },
        [this] { return session_->sharedCatalog(); },
        [this](const QString& path) {
            showImage(path);
            raise();
            activateWindow();
        },
        [this] { return customPromptSet_; }, [this] { return currentFolder(); }));

    QMenu* help = menuBar()->addMenu(QStringLiteral("&Help"));
    aboutAction_ = help->addAction(QStringLiteral("&About QualiCLIP Inspector"), this, [this] {
        const auto model = session_->model();
        const ActiveModel active = model ? ActiveModel{model->info().path, model->info().sha256, {}}
                                         : ActiveModel{{}, {}, "none loaded"};
        const std::string version = QApplication::applicationVersion().toStdString();  // with git describe
        const QString report =
            QString::fromStdString(versionReport("qualiclip-inspector", version, active));
        auto* about = new AboutDialog(report, this);
        about->setAttribute(Qt::WA_DeleteOnClose);
        about->show();
    });
    shortcutsAction_ = help->addAction(QStringLiteral("&Keyboard Shortcuts"), this,
                                       &InspectorWindow::showShortcuts);
    shortcutsAction_->setShortcuts(
        {QKeySequence::HelpContents, QKeySequence(QStringLiteral("Ctrl+/"))});
}

void InspectorWindow::createToolBar() {
    QToolBar* bar = addToolBar(QStringLiteral("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->addAction(openImagesAction_);
    bar->addAction(openFolderAction_);
    bar->addSeparator();
    bar->addWidget(new QLabel(QStringLiteral(" Resize: "), bar));
    policyCombo_ = new QComboBox(bar);
    for (const char* policy : kPolicies) policyCombo_->addItem(QString::fromLatin1(policy));
    policyCombo_->setToolTip(
        QStringLiteral("How images are sized before scoring. long:1024/fast (default) decodes "
                       "JPEGs at a reduced size "
                       "first (its scores stay within 0.003 of long:1024, docs/benchmarks.md; "
                       "several times faster). long:1024 is about the resolution QualiCLIP "
                       "was validated at and is fast; native is the reference but costs tens of "
                       "seconds per large photo. "
                       "Changing it rescores every image."));
    connect(policyCombo_, &QComboBox::activated, this, &InspectorWindow::onPolicyChosen);
    bar->addWidget(policyCombo_);
    bar->addWidget(new QLabel(QStringLiteral(" Prompts: "), bar));
    promptCombo_ = new QComboBox(bar);
    promptCombo_->addItem(QStringLiteral("Model's own (7 pairs)"));
    promptCombo_->setToolTip(QStringLiteral(
        "Which antonym prompts score the photos: the model's own 7 pairs (\"Good photo.\" vs \"Bad photo.\", ...) "
        "or your prompt set (Edit Prompts…). Switching rescores every image."));
    connect(promptCombo_, &QComboBox::activated, this, &InspectorWindow::onPromptChoice);
    bar->addWidget(promptCombo_);
    bar->addAction(editPromptsAction_);
    bar->addSeparator();
    bar->addAction(cancelAction_);

    bar->addSeparator();
    bar->addAction(tableViewAction_);
    bar->addAction(gridViewAction_);
    bar->addAction(compareAction_);
    bar->addSeparator();
    bar->addWidget(new QLabel(QStringLiteral(" Show: "), bar));
    flagFilterCombo_ = new QComboBox(bar);
    flagFilterCombo_->setObjectName(QStringLiteral("flagFilter"));
    flagFilterCombo_->addItem(QStringLiteral("All"), int(FlagFilter::All));
    flagFilterCombo_->addItem(QStringLiteral("Picks"), int(FlagFilter::Picked));
    flagFilterCombo_->addItem(QStringLiteral("Rejects"), int(FlagFilter::Rejected));
    flagFilterCombo_->addItem(QStringLiteral("Unflagged"), int(FlagFilter::Unflagged));
    flagFilterCombo_->addItem(QStringLiteral("Not rejected"), int(FlagFilter::NotRejected));
    connect(flagFilterCombo_, &QComboBox::activated, this,
            [this] { proxy_->setFlagFilter(FlagFilter(flagFilterCombo_->currentData().toInt())); });
    bar->addWidget(flagFilterCombo_);
    starsFilterCombo_ = new QComboBox(bar);
    starsFilterCombo_->setObjectName(QStringLiteral("ratingFilter"));
    starsFilterCombo_->addItem(QStringLiteral("Any rating"), 0);
    starsFilterCombo_->addItem(QStringLiteral("Unrated"), ScoreFilterProxyModel::kUnratedOnly);
    for (int stars = 1; stars <= 5; ++stars)
        starsFilterCombo_->addItem(QStringLiteral("\u2265 %1").arg(QString(stars, QChar(0x2605))), stars);
    connect(starsFilterCombo_, &QComboBox::activated, this,
            [this] { proxy_->setMinimumStars(starsFilterCombo_->currentData().toInt()); });
    bar->addWidget(starsFilterCombo_);
}

void InspectorWindow::createCentralArea() {
    table_ = new QTableView(this);
    table_->setModel(proxy_);
    table_->setItemDelegateForColumn(ScoreTableModel::ThumbnailColumn, new ThumbnailDelegate(table_));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setSortingEnabled(true);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Fixed row heights: the view never measures thousands of rows.
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(52);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionsMovable(true);
    table_->horizontalHeader()->resizeSection(ScoreTableModel::ThumbnailColumn, 68);
    // Narrow enough that Flag and Rating stay in view in a 1024 px window.
    table_->horizontalHeader()->resizeSection(ScoreTableModel::FileColumn, 150);
    table_->horizontalHeader()->resizeSection(ScoreTableModel::ScoreColumn, 72);
    table_->horizontalHeader()->resizeSection(ScoreTableModel::FlagColumn, 52);
    table_->horizontalHeader()->resizeSection(ScoreTableModel::StarsColumn, 64);
    connect(table_->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            [](int column, Qt::SortOrder order) { InspectorSettings().setSort(column, order); });

    grid_ = new QListView(this);
    grid_->setModel(proxy_);
    grid_->setModelColumn(ScoreTableModel::FileColumn);
    grid_->setItemDelegate(new GridTileDelegate(grid_));
    grid_->setViewMode(QListView::IconMode);
    grid_->setResizeMode(QListView::Adjust);
    grid_->setMovement(QListView::Static);
    grid_->setUniformItemSizes(true);  // never measures thousands of tiles
    grid_->setLayoutMode(QListView::Batched);
    grid_->setSpacing(4);
    grid_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    grid_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // One selection for both views: switching keeps the selection and the current image.
    grid_->setSelectionModel(table_->selectionModel());
    // A double click on a stack (a burst shown as its best frame) opens or closes it.
    for (QAbstractItemView* view : {static_cast<QAbstractItemView*>(table_), static_cast<QAbstractItemView*>(grid_)})
        connect(view, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
            bursts_->toggleStack(proxy_->idAt(index.row()));
        });
    listStack_ = new QStackedWidget(this);
    listStack_->addWidget(table_);
    listStack_->addWidget(grid_);

    detail_ = new ImageDetailPanel(this);
    connect(fitAction_, &QAction::triggered, detail_->canvas(), &ImageCanvas::fitToWindow);
    connect(actualSizeAction_, &QAction::triggered, detail_->canvas(),
            &ImageCanvas::showActualSize);
    addAction(detail_->mapPanel()->toggleAction());  // H, wherever the focus is
    viewMenu_->addSeparator();
    viewMenu_->addAction(detail_->mapPanel()->toggleAction());
    detail_->addAction(degradeAction_);  // its context menu
    detail_->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(listStack_);
    split->addWidget(detail_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    listViewerSplit_ = split;

    modelPanel_ = new ModelStatusPanel(this);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(modelPanel_);
    layout->addWidget(split, 1);
    setCentralWidget(central);

    histogram_ = new ScoreHistogram(this);
    auto* histogramDock = new QDockWidget(QStringLiteral("Score Histogram"), this);
    histogramDock->setObjectName(QStringLiteral("histogramDock"));
    histogramDock->setWidget(histogram_);
    addDockWidget(Qt::BottomDockWidgetArea, histogramDock);
    problems_ = new ProblemsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, problems_);
    splitDockWidget(histogramDock, problems_, Qt::Horizontal);
    resizeDocks({histogramDock}, {230}, Qt::Vertical);
    resizeDocks({histogramDock, problems_}, {700, 500}, Qt::Horizontal);
    problems_->hide();

    // Scores can arrive hundreds of times a second: the histogram is redrawn at most every 150 ms.
    histogramTimer_ = new QTimer(this);
    histogramTimer_->setSingleShot(true);
    histogramTimer_->setInterval(150);
    connect(histogramTimer_, &QTimer::timeout, this, &InspectorWindow::refreshHistogram);
    auto later = [this] { if (!histogramTimer_->isActive()) histogramTimer_->start(); };
    connect(session_->table(), &ScoreTableModel::scoresChanged, this, later);
    connect(proxy_, &ScoreFilterProxyModel::filterChanged, this, later);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, later);
    connect(histogram_, &ScoreHistogram::rangeSelected, proxy_, &ScoreFilterProxyModel::setScoreRange);
}

void InspectorWindow::createDeviceMenu(QMenu* parent) {
    deviceMenu_ = parent->addMenu(QStringLiteral("Compute &Device"));
    deviceMenu_->setToolTipsVisible(true);
    auto* group = new QActionGroup(deviceMenu_);
    const auto add = [&](const QString& text, const QString& value, const QString& tip) {
        QAction* action = addChoice(deviceMenu_, group, text, value, tip);
        connect(action, &QAction::triggered, this, [this, value] {
            InspectorSettings().setComputeDevice(value);
            applyComputeOptions();
        });
        return action;
    };
    add(QStringLiteral("&Automatic"), QStringLiteral("auto"),
        QStringLiteral("A CUDA GPU when this build has CUDA and one is present, else the CPU"));
    add(QStringLiteral("&CPU"), QStringLiteral("cpu"), QStringLiteral("Always the processor"));
    const int gpus = qc::cudaDeviceCount();
    for (int i = 0; i < gpus; ++i)
        add(QStringLiteral("CUDA %1").arg(i), QStringLiteral("cuda:%1").arg(i), QStringLiteral("GPU number %1").arg(i));
    if (gpus == 0) {
        QAction* none = deviceMenu_->addAction(qc::libtorchHasCuda() ? QStringLiteral("CUDA (no GPU found)")
                                                                     : QStringLiteral("CUDA (this build has no CUDA)"));
        none->setEnabled(false);
    }
    createPrecisionEntries();
}

// The precision entries under the devices: float32 always; bfloat16 where the processor runs it
// natively or a GPU is there, else disabled with the reason in its text and tooltip.
void InspectorWindow::createPrecisionEntries() {
    deviceMenu_->addSection(QStringLiteral("Precision"));
    auto* group = new QActionGroup(deviceMenu_);
    const auto add = [&](const QString& text, const QString& value, const QString& tip) {
        QAction* action = addChoice(deviceMenu_, group, text, value, tip);
        precisionActions_.push_back(action);
        connect(action, &QAction::triggered, this, [this, value] {
            InspectorSettings().setComputePrecision(value);
            applyComputeOptions();
        });
        return action;
    };
    add(QStringLiteral("&Float32"), QStringLiteral("float32"),
        QStringLiteral("The reference implementation's numbers (default)"));
    const std::string unavailable =
        qc::cudaDeviceCount() > 0 ? std::string() : qc::bfloat16Unavailable();
    QAction* bf16 = add(
        QStringLiteral("&BFloat16"), QStringLiteral("bfloat16"),
        QStringLiteral("The convolutional trunk in bfloat16 (oneDNN on this processor): faster, "
                       "scores within about 0.01 of float32; kept apart from float32 scores in "
                       "the catalog"));
    if (!unavailable.empty()) {
        bf16->setEnabled(false);
        bf16->setText(QStringLiteral("BFloat16 (not on this processor)"));
        bf16->setToolTip(QString::fromStdString(unavailable));
    }
}

void InspectorWindow::applyComputeOptions() {
    const InspectorSettings settings;
    const QString deviceRequest = settings.computeDevice();
    const QString precisionRequest = settings.computePrecision();
    qc::ModelOptions options;
    QStringList fallbacks;
    try {
        options.device = qc::resolveDevice(deviceRequest.toStdString());
    } catch (const std::exception& e) {
        fallbacks << QStringLiteral("%1; using the CPU").arg(QString::fromStdString(e.what()));
    }
    const qc::Precision requested =
        qc::parsePrecision(precisionRequest.toStdString()).value_or(qc::Precision::Float32);
    const qc::PrecisionChoice precision = qc::choosePrecision(options.device, requested);
    options.precision = precision.precision;
    if (!precision.fallback.empty()) fallbacks << QString::fromStdString(precision.fallback);
    if (!fallbacks.isEmpty()) statusBar()->showMessage(fallbacks.join(QStringLiteral(". ")), 10000);
    const QString precisionShown = QString::fromStdString(qc::precisionName(options.precision));
    for (QAction* action : deviceMenu_->actions()) {
        if (!action->isCheckable()) continue;
        const bool isPrecision = precisionActions_.contains(action);
        action->setChecked(action->data().toString() ==
                           (isPrecision ? precisionShown : deviceRequest));
    }
    session_->setModelOptions(options);
    onModelStateChanged();
}

void InspectorWindow::createStatusBar() {
    promptLabel_ = new QLabel(QStringLiteral("Prompts: model's own"), this);
    statusBar()->addPermanentWidget(promptLabel_);
    modelLabel_ = new QLabel(this);
    policyLabel_ = new QLabel(this);
    progressLabel_ = new QLabel(this);
    progressBar_ = new QProgressBar(this);
    progressBar_->setMaximumWidth(220);
    progressBar_->setTextVisible(false);
    statusBar()->addWidget(progressBar_);
    statusBar()->addWidget(progressLabel_, 1);
    statusBar()->addPermanentWidget(policyLabel_);
    statusBar()->addPermanentWidget(modelLabel_);
    // Auto advance's state is always in view, and a click switches it.
    auto* advance = new QToolButton(this);
    advance->setObjectName(QStringLiteral("autoAdvanceButton"));
    advance->setCheckable(true);
    advance->setText(QStringLiteral("Auto advance: off"));
    advance->setToolTip(autoAdvanceAction_->toolTip());
    connect(advance, &QToolButton::toggled, autoAdvanceAction_, &QAction::setChecked);
    connect(autoAdvanceAction_, &QAction::toggled, advance, [advance](bool on) {
        advance->setChecked(on);
        advance->setText(on ? QStringLiteral("Auto advance: on") : QStringLiteral("Auto advance: off"));
    });
    advance->setAutoRaise(true);
    advance->setFocusPolicy(Qt::NoFocus);
    statusBar()->addPermanentWidget(advance);
    // A catalog that refuses writes: how many decisions are not kept, with the reason as tooltip
    // (the problem itself is listed once in the Problems dock).
    auto* catalogStatus = new QLabel(this);
    catalogStatus->setObjectName(QStringLiteral("catalogStatusLabel"));
    catalogStatus->hide();
    statusBar()->addPermanentWidget(catalogStatus);
    connect(session_->catalogGuard(), &CatalogWriteGuard::stateChanged, catalogStatus, [this, catalogStatus] {
        const CatalogWriteGuard* guard = session_->catalogGuard();
        const int unsaved = guard->unsavedDecisions();
        catalogStatus->setVisible(unsaved > 0 || guard->readOnly());
        catalogStatus->setText(unsaved > 0 ? QStringLiteral("⚠ %1 %2 not saved in the catalog")
                                                 .arg(unsaved)
                                                 .arg(unsaved == 1 ? QStringLiteral("decision") : QStringLiteral("decisions"))
                                           : QStringLiteral("⚠ Catalog read-only"));
        catalogStatus->setToolTip(guard->problem());
    });
    // Long texts (paths, progress) are cut rather than pushing the window wider than the screen.
    for (QLabel* label : {promptLabel_, policyLabel_, modelLabel_}) label->setMinimumWidth(40);
    progressLabel_->setMinimumWidth(0);
    progressLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    progressBar_->setMinimumWidth(60);
}

void InspectorWindow::restoreSettings() {
    InspectorSettings settings;
    if (!restoreGeometry(settings.windowGeometry())) {
        // 1400 x 900 where there is room; a smaller screen gets the window at its own size.
        const QSize room = screen() ? screen()->availableGeometry().size() : QSize(1400, 900);
        resize(std::min(1400, room.width()), std::min(900, room.height()));
    }
    if (!restoreState(settings.windowState())) fitDocksToHeight();
    recursiveAction_->setChecked(settings.recursive());
    reopenFolderAction_->setChecked(settings.reopenLastFolder());
    autoAdvanceAction_->setChecked(settings.autoAdvance());
    const qc::ResizePolicy policy = settings.resizePolicy();
    const QString policyText = QString::fromStdString(policy.toString());
    if (policyCombo_->findText(policyText) < 0) policyCombo_->addItem(policyText);
    policyCombo_->setCurrentText(policyText);
    session_->setPolicy(policy);
    session_->setComputeThreads(settings.computeThreads());
    applyComputeOptions();
    table_->sortByColumn(settings.sortColumn(), settings.sortOrder());
    writeXmpAction_->setChecked(settings.writeXmpOnDecision());
    (settings.sidecarNaming() == qc::SidecarNaming::ReplaceExtension ? lightroomNamingAction_ : darktableNamingAction_)
        ->setChecked(true);
    session_->setSidecarWriting(settings.sidecarWriting());
    updateRecentMenu();
}

void InspectorWindow::fitDocksToHeight() {
    // A fifth of the window for the histogram (180 px at 900, 140 px at 700, 230 at most): the
    // picture needs the rest.
    const auto docks = findChildren<QDockWidget*>();
    for (QDockWidget* dock : docks)
        if (dock->widget() == histogram_)
            resizeDocks({dock}, {std::clamp(height() / 5, 110, 230)}, Qt::Vertical);
}

void InspectorWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    if (histogram_ && histogram_->height() > height() / 4) fitDocksToHeight();
}

void InspectorWindow::closeEvent(QCloseEvent* event) {
    InspectorSettings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    QMainWindow::closeEvent(event);
}

void InspectorWindow::open(const QStringList& paths) {
    if (paths.isEmpty()) return;
    InspectorSettings settings;
    for (const QString& path : paths)
        if (QFileInfo(path).isDir()) settings.addRecentFolder(QFileInfo(path).absoluteFilePath());
    updateRecentMenu();
    if (session_->table()->count() == 0) followFirstRow_ = true;  // the list starts at its top
    session_->open(paths, recursiveAction_->isChecked());
}

void InspectorWindow::openFolder(const QString& folder) {
    const QString absolute = QFileInfo(folder).absoluteFilePath();
    closeFolder();
    openFolder_ = absolute;
    InspectorSettings().setLastFolder(absolute);
    open({absolute});
}

void InspectorWindow::closeFolder() {
    session_->cancel();
    session_->remove(session_->table()->allIds());
    problems_->clear();
    problems_->hide();
    openFolder_.clear();
    InspectorSettings().setLastFolder({});
    refreshCurrentViews();
}

void InspectorWindow::reopenLastFolder() {
    InspectorSettings settings;
    const QString folder = settings.lastFolder();
    if (settings.reopenLastFolder() && !folder.isEmpty() && QFileInfo(folder).isDir())
        openFolder(folder);
}

QString InspectorWindow::currentFolder() const {
    if (!openFolder_.isEmpty()) return openFolder_;
    if (session_->table()->count() > 0)
        return QFileInfo(session_->table()->entryAt(0).path).absolutePath();
    return InspectorSettings().recentFolders().value(0);
}

void InspectorWindow::showImage(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (selectPath(absolute)) return;
    pendingImage_ = absolute;
    open({absolute});
}

bool InspectorWindow::selectPath(const QString& path) {
    for (int row = 0; row < proxy_->rowCount(); ++row) {
        const QModelIndex index = proxy_->index(row, ScoreTableModel::FileColumn);
        if (QFileInfo(index.data(ScoreTableModel::PathRole).toString()).absoluteFilePath() != path) continue;
        table_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table_->scrollTo(index);
        return true;
    }
    return false;
}

void InspectorWindow::loadModel(const QString& requested) {
    QString explicitPath = requested;
    // The model last used in the window, unless the command line or the environment names one.
    const QString remembered = InspectorSettings().modelPath();
    if (explicitPath.isEmpty() && qEnvironmentVariableIsEmpty("QUALICLIP_MODEL") &&
        QFileInfo::exists(remembered))
        explicitPath = remembered;
    const qc::ModelLocation location = qc::locateModel(explicitPath.toStdString());
    searchedForModel_.clear();
    for (const std::string& c : location.candidates) searchedForModel_ << QString::fromStdString(c);
    if (location.path) {
        session_->loadModel(QString::fromStdString(*location.path));
    } else if (!explicitPath.isEmpty()) {
        // An explicit file that does not exist is an error naming it, not a silent fallback.
        session_->setModelError(explicitPath, QStringLiteral("'%1': no such file").arg(explicitPath));
    } else {
        onModelStateChanged();
    }
}

bool InspectorWindow::settled() const { return session_->settled() && thumbnails_->idle(); }

void InspectorWindow::chooseImages() {
    const QStringList files = QFileDialog::getOpenFileNames(this, QStringLiteral("Open Images"),
                                                            InspectorSettings().recentFolders().value(0),
                                                            imageFileFilter());
    open(files);
}

void InspectorWindow::chooseFolder() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, QStringLiteral("Open Folder"), currentFolder());
    if (!folder.isEmpty()) openFolder(folder);
}

void InspectorWindow::chooseModel() {
    InspectorSettings settings;
    QString start = settings.lastModelFolder();
    if (start.isEmpty()) start = QString::fromStdString(qc::defaultModelsFolder());
    // A folder that does not exist yet would be typed into the file name box ("models").
    while (!start.isEmpty() && !QFileInfo(start).isDir()) {
        const QString parent = QFileInfo(start).absolutePath();
        start = parent == start ? QString() : parent;
    }
    const QString file = QFileDialog::getOpenFileName(
        this, QStringLiteral("Open QualiCLIP Model"), start,
        QStringLiteral("PyTorch checkpoint (*.pth *.pt);;All files (*)"));
    if (file.isEmpty()) return;
    settings.setLastModelFolder(QFileInfo(file).absolutePath());
    loadModel(file);
}

void InspectorWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList folders = InspectorSettings().recentFolders();
    for (const QString& folder : folders)
        recentMenu_->addAction(folder, this, [this, folder] { openFolder(folder); });
    recentMenu_->setEnabled(!folders.isEmpty());
}

void InspectorWindow::exportTable() {
    QStringList filters{QStringLiteral("CSV (*.csv)"), QStringLiteral("JSON (*.json)")};
    QString filter;
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export Table"),
                                                      InspectorSettings().recentFolders().value(0),
                                                      filters.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty()) return;
    bool filteredOnly = false;
    if (proxy_->isFiltering()) {
        const auto answer = QMessageBox::question(
            this, QStringLiteral("Export Table"),
            QStringLiteral("Export only the %1 images the filter shows (No: all %2)?")
                .arg(proxy_->rowCount())
                .arg(session_->table()->count()),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel) return;
        filteredOnly = answer == QMessageBox::Yes;
    }
    const bool json = path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive) ||
                      (!path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive) && filter == filters[1]);
    const auto model = session_->model();
    const TableExportHeader header{model ? model->info().sha256 : std::string(), session_->policy().toString(),
                                   QCoreApplication::applicationVersion().toStdString()};
    QString error;
    const auto entries = exportedEntries(*proxy_, filteredOnly);
    if (!qc::ui::exportTable(path, json ? TableExportFormat::Json : TableExportFormat::Csv, entries,
                             session_->table()->pairs(), header, &error))
        QMessageBox::warning(this, QStringLiteral("Export Table"), error);
    else
        statusBar()->showMessage(
            QStringLiteral("Exported %1 to %2").arg(imageCount(int(entries.size())), path), 10000);
}

void InspectorWindow::transferFlagged(CullFlag flag, TransferMode mode) {
    const bool move = mode == TransferMode::Move;
    const QString what =
        flag == CullFlag::Pick ? QStringLiteral("picks") : QStringLiteral("rejects");
    const QString title =
        QStringLiteral("%1 %2 To")
            .arg(move ? QStringLiteral("Move") : QStringLiteral("Copy"),
                 flag == CullFlag::Pick ? QStringLiteral("Picks") : QStringLiteral("Rejects"));
    const QString folder = QFileDialog::getExistingDirectory(
        this, title, InspectorSettings().recentFolders().value(0));
    if (folder.isEmpty()) return;
    // Moving removes the originals from their folder: never without the user saying so.
    if (move && QMessageBox::question(this, title,
                                      QStringLiteral("Move the %1 and their XMP sidecars to '%2'? They will no "
                                                     "longer be in their original folder.")
                                          .arg(what, folder)) != QMessageBox::Yes)
        return;
    const TransferReport report = session_->transferFlagged(flag, folder, mode);
    const int done = int(report.done.size());
    QString message = QStringLiteral("%1 %2 %3")
                          .arg(move ? QStringLiteral("Moved") : QStringLiteral("Copied"))
                          .arg(done)
                          .arg(done == 1 ? what.chopped(1) : what);
    if (!report.skipped.empty())
        message += QStringLiteral(", %1 skipped (see Problems)").arg(report.skipped.size());
    statusBar()->showMessage(message, 8000);
}

void InspectorWindow::applySidecarSettings() {
    InspectorSettings settings;
    settings.setWriteXmpOnDecision(writeXmpAction_->isChecked());
    settings.setSidecarNaming(lightroomNamingAction_->isChecked() ? qc::SidecarNaming::ReplaceExtension
                                                                  : qc::SidecarNaming::AppendExtension);
    session_->setSidecarWriting(settings.sidecarWriting());
}

std::vector<ImageId> InspectorWindow::selectedIds() const {
    std::vector<ImageId> ids;
    QSet<int> rows;  // a grid selects one cell per row, the table whole rows
    for (const QModelIndex& index : table_->selectionModel()->selectedIndexes())
        if (!rows.contains(index.row())) {
            rows.insert(index.row());
            ids.push_back(index.data(ScoreTableModel::IdRole).value<ImageId>());
        }
    if (ids.empty() && currentId() != 0) ids.push_back(currentId());
    return ids;
}

ImageId InspectorWindow::currentId() const {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    return current.isValid() ? current.data(ScoreTableModel::IdRole).value<ImageId>() : 0;
}

void InspectorWindow::applyFlag(CullFlag flag) {
    cull([this, flag](ImageId id) { session_->setFlag(id, flag); });
}

void InspectorWindow::applyStars(int stars) {
    cull([this, stars](ImageId id) { session_->setStars(id, stars); });
}

bool InspectorWindow::compareActive() const {
    return compare_ && compare_->isVisible() && compare_->isActiveWindow();
}

std::vector<ImageId> InspectorWindow::cullingTargets() const {
    if (compareActive())
        return currentId() != 0 ? std::vector<ImageId>{currentId()} : std::vector<ImageId>{};
    return selectedIds();
}

void InspectorWindow::cull(const std::function<void(ImageId)>& mark) {
    const std::vector<ImageId> targets = cullingTargets();
    const ImageId current = currentId();
    const int row = table_->selectionModel()->currentIndex().row();
    // A key on a selection is one undo step, however many photos it marks.
    if (targets.size() > 1) session_->undoStack()->beginMacro(QStringLiteral("Mark %1 photos").arg(targets.size()));
    for (ImageId id : targets) mark(id);
    if (targets.size() > 1) session_->undoStack()->endMacro();
    if (current == 0 || compareActive()) return;  // Compare keeps its panes
    const int rows = proxy_->rowCount();
    bool stillShown = false;
    for (int r = 0; r < rows && !stillShown; ++r) stillShown = proxy_->idAt(r) == current;
    if (!stillShown) {
        // The filter hid the image: the next one has taken its row (Qt would go to the previous).
        if (rows > 0) selectRowQuietly(std::min(row, rows - 1));
    } else if (targets.size() == 1 && autoAdvanceAction_->isChecked()) {
        moveCurrent(1);
    }
}

void InspectorWindow::onComparePaneClicked(ImageId id) {
    for (int row = 0; row < proxy_->rowCount(); ++row) {
        if (proxy_->idAt(row) != id) continue;
        // The selection (the compared images) stays; only the current image changes.
        table_->selectionModel()->setCurrentIndex(proxy_->index(row, ScoreTableModel::FileColumn),
                                                  QItemSelectionModel::NoUpdate);
        break;
    }
    compare_->setCurrent(id);
}

void InspectorWindow::selectRowQuietly(int row) {
    if (row < 0 || row >= proxy_->rowCount()) return;
    ++selectingQuietly_;
    const QModelIndex index = proxy_->index(row, ScoreTableModel::FileColumn);
    table_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QAbstractItemView* view =
        listStack_->currentWidget() == grid_ ? static_cast<QAbstractItemView*>(grid_) : table_;
    view->scrollTo(index);
    --selectingQuietly_;
}

void InspectorWindow::followFirstRowIfOpening() {
    if (followFirstRow_ && proxy_->rowCount() > 0 &&
        table_->selectionModel()->currentIndex().row() != 0)
        selectRowQuietly(0);
}

void InspectorWindow::returnFocusToList() {
    QWidget* view = listStack_->currentWidget();
    // After the popup closes, Qt gives the focus back to the box: take it once that is done.
    QTimer::singleShot(0, view, [view] { view->setFocus(Qt::OtherFocusReason); });
}

// Arrow keys move between images, never through a toolbar or map choice: the boxes take no
// focus from a click, and the keyboard's way into them (Tab) returns to the list after a choice.
void InspectorWindow::keepArrowsOnTheList() {
    QList<QComboBox*> boxes{policyCombo_, promptCombo_, flagFilterCombo_, starsFilterCombo_};
    boxes += detail_->mapPanel()->findChildren<QComboBox*>();
    for (QComboBox* box : boxes) {
        box->setFocusPolicy(Qt::TabFocus);
        connect(box, &QComboBox::activated, this, &InspectorWindow::returnFocusToList);
    }
    for (QCheckBox* box : detail_->mapPanel()->findChildren<QCheckBox*>())
        box->setFocusPolicy(Qt::TabFocus);
    for (QSlider* slider : detail_->mapPanel()->findChildren<QSlider*>())
        slider->setFocusPolicy(Qt::TabFocus);
}

void InspectorWindow::showShortcuts() {
    QList<QAction*> culling = cullingActions_.mid(0, 9);
    culling << autoAdvanceAction_ << undoAction_ << redoAction_ << bursts_->rulesAction();
    QList<QAction*> moving = cullingActions_.mid(9);
    moving << compareAction_ << bursts_->compareBurstAction() << bursts_->toggleStackAction() << degradeAction_ << fitAction_ << actualSizeAction_
           << detail_->mapPanel()->toggleAction() << tableViewAction_ << gridViewAction_;
    const QList<QPair<QString, QList<QAction*>>> groups{
        {QStringLiteral("Culling"), culling},
        {QStringLiteral("Viewing"), moving},
        {QStringLiteral("Files and scoring"),
         {openImagesAction_, openFolderAction_, closeFolderAction_, removeAction_, cancelAction_,
          quitAction_}},
        {QStringLiteral("Help"), {shortcutsAction_}}};
    auto* dialog = new ShortcutsDialog(groups, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void InspectorWindow::moveCurrent(int delta) {
    const int rows = proxy_->rowCount();
    if (rows == 0) return;
    const QModelIndex current = table_->selectionModel()->currentIndex();
    const int row = current.isValid() ? std::clamp(current.row() + delta, 0, rows - 1) : 0;
    table_->selectionModel()->setCurrentIndex(proxy_->index(row, ScoreTableModel::FileColumn),
                                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void InspectorWindow::moveToEnd(bool last) {
    const int rows = proxy_->rowCount();
    if (rows == 0) return;
    table_->selectionModel()->setCurrentIndex(proxy_->index(last ? rows - 1 : 0, ScoreTableModel::FileColumn),
                                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void InspectorWindow::selectBelow(double threshold) {
    QItemSelection selection;
    for (int row = 0; row < proxy_->rowCount(); ++row) {
        const QVariant score = proxy_->index(row, 0).data(ScoreTableModel::ScoreRole);
        if (score.isValid() && score.toDouble() < threshold)
            selection.select(proxy_->index(row, 0), proxy_->index(row, proxy_->columnCount() - 1));
    }
    table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void InspectorWindow::rejectBelow(double threshold, bool includeStarred) {
    session_->setFlags(rejectBelowCandidates(*session_->table(), threshold, includeStarred), CullFlag::Reject,
                       QStringLiteral("Reject below %1").arg(threshold));
}

void InspectorWindow::askSelectBelow() {
    bool ok = false;
    const double s = QInputDialog::getDouble(this, QStringLiteral("Select All Below Score"),
                                             QStringLiteral("Select the shown images scored below:"), 0.5, 0, 1, 3, &ok);
    if (ok) selectBelow(s);
}

void InspectorWindow::askRejectBelow() {
    auto* dialog = new RejectBelowDialog(*session_->table(), 0.4, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { rejectBelow(dialog->threshold(), dialog->includeStarred()); });
    dialog->open();
}

void InspectorWindow::toggleFullScreen() {
    if (fullScreen_ && fullScreen_->isVisible()) {
        fullScreen_->close();
        return;
    }
    if (currentId() == 0) moveToEnd(false);
    if (currentId() == 0) return;
    if (!fullScreen_) {
        fullScreen_ = new FullScreenViewer(this);
        fullScreen_->addActions(cullingActions_);
        connect(fullScreen_, &FullScreenViewer::closed, this, [this] { fullScreenAction_->setChecked(false); });
    }
    fullScreenAction_->setChecked(true);
    // Only a visible viewer is refreshed: show it first, then give it the current image.
    // The screen's size first: without a window manager (Xvfb) "full screen" alone changes nothing.
    if (const QScreen* target = screen()) fullScreen_->setGeometry(target->geometry());
    fullScreen_->showFullScreen();
    refreshCurrentViews();
}

void InspectorWindow::compareSelected() {
    std::vector<ImageEntry> entries;
    for (ImageId id : selectedIds())
        if (const ImageEntry* e = session_->table()->entry(id)) entries.push_back(*e);
    if (entries.size() < 2) {
        statusBar()->showMessage(QStringLiteral("Select two to four images to compare them."), 4000);
        return;
    }
    compareEntries(entries);
}

void InspectorWindow::compareEntries(const std::vector<ImageEntry>& entries) {
    if (!compare_) {
        compare_ = new CompareView(this);
        compare_->addActions(
            cullingActions_.mid(0, 9));  // P, X, U and the stars, on its current pane
        connect(compare_, &CompareView::paneClicked, this, &InspectorWindow::onComparePaneClicked);
    }
    compare_->showEntries(entries, session_->table()->pairs());
    compare_->show();
    compare_->raise();
    compare_->activateWindow();
    onComparePaneClicked(entries.front().id);
}

void InspectorWindow::setScoreRange(std::optional<ScoreRange> range) {
    histogram_->setRange(range);
    proxy_->setScoreRange(range);
}

void InspectorWindow::enlargeViewer() {
    const int width = listViewerSplit_->width();
    listViewerSplit_->setSizes({width * 3 / 10, width - width * 3 / 10});
}

CompareView* InspectorWindow::compareRows(const std::vector<int>& rows) {
    QItemSelection selection;
    for (int row : rows)
        if (row >= 0 && row < proxy_->rowCount())
            selection.select(proxy_->index(row, 0), proxy_->index(row, proxy_->columnCount() - 1));
    table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    compareSelected();
    return compare_ && compare_->isVisible() ? compare_ : nullptr;
}

void InspectorWindow::showGrid(bool grid) {
    QAbstractItemView* view = grid ? static_cast<QAbstractItemView*>(grid_) : table_;
    listStack_->setCurrentWidget(view);
    gridViewAction_->setChecked(grid);
    view->setFocus();
    if (currentId() != 0) view->scrollTo(view->selectionModel()->currentIndex());
}

void InspectorWindow::onCurrentChanged() {
    if (selectingQuietly_ == 0) followFirstRow_ = false;  // the user chose an image
    refreshCurrentViews();
}

void InspectorWindow::refreshHistogram() {
    std::vector<double> highlighted;
    QString name;
    const std::vector<ImageId> selected = selectedIds();
    auto addScore = [&highlighted](const QModelIndex& index) {
        const QVariant score = index.data(ScoreTableModel::ScoreRole);
        if (score.isValid()) highlighted.push_back(score.toDouble());
    };
    if (selected.size() > 1) {
        for (ImageId id : selected)
            if (const ImageEntry* e = session_->table()->entry(id); e && e->hasScore()) highlighted.push_back(e->score);
        name = QStringLiteral("Selected");
    } else if (proxy_->isFiltering()) {
        for (int row = 0; row < proxy_->rowCount(); ++row) addScore(proxy_->index(row, 0));
        name = QStringLiteral("Shown by the filter");
    }
    histogram_->setScores(session_->table()->scores(), highlighted, name);
}

void InspectorWindow::sizePairColumns() {
    // Pair headers ("High-resolution / Low-resolution image") are long; size the columns to them.
    const QFontMetrics metrics(table_->horizontalHeader()->font());
    const ScoreTableModel* model = session_->table();
    for (int column = ScoreTableModel::FirstPairColumn; column < model->sizeColumn(); ++column)
        table_->horizontalHeader()->resizeSection(
            column, metrics.horizontalAdvance(model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString()) + 24);
}

void InspectorWindow::refreshCurrentViews() {
    const ImageEntry* e = session_->table()->entry(currentId());
    if (!e) {
        detail_->clear();
        return;
    }
    detail_->showEntry(*e);
    if (fullScreen_ && fullScreen_->isVisible()) fullScreen_->showEntry(*e);
}

void InspectorWindow::removeSelected() {
    const std::vector<ImageId> ids = selectedIds();
    if (ids.empty()) return;
    const ImageEntry* first = session_->table()->entry(ids.front());
    const QString what = ids.size() == 1 && first ? QStringLiteral("'%1'").arg(first->fileName)
                                                  : imageCount(int(ids.size()));
    auto* box = new QMessageBox(
        QMessageBox::Question, QStringLiteral("Remove from List"),
        QStringLiteral("Remove %1 from the list? The files stay on disk, and their scores "
                       "and marks stay in the catalog.")
            .arg(what),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->button(QMessageBox::Yes)->setText(QStringLiteral("Remove"));
    box->setDefaultButton(QMessageBox::Yes);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QDialog::finished, this, [this, ids](int answer) {
        if (answer == QMessageBox::Yes) session_->remove(ids);
    });
    box->open();
}

void InspectorWindow::onModelStateChanged() {
    const ModelState state = session_->modelState();
    modelPanel_->showState(state, session_->modelPath(), session_->modelError(), searchedForModel_);
    detail_->setPairs(session_->table()->pairs());
    detail_->setMapContext(session_->model(), session_->policy());
    refreshCurrentViews();  // new pair names clear the bars: draw the shown image's again
    sizePairColumns();
    if (state == ModelState::Ready && session_->modelError().isEmpty() &&
        !session_->modelPath().isEmpty())
        InspectorSettings().setModelPath(session_->modelPath());
    if (state == ModelState::Ready) {
        const qc::ModelInfo& info = session_->model()->info();
        modelLabel_->setText(QStringLiteral("Model: %1 on %2, %3")
                                 .arg(QFileInfo(session_->modelPath()).fileName(),
                                      QString::fromStdString(info.device.toString()),
                                      QString::fromStdString(qc::precisionName(info.precision))));
        modelLabel_->setToolTip(session_->modelPath());
    } else {
        modelLabel_->setText(state == ModelState::Loading ? QStringLiteral("Model: loading\u2026")
                                                          : QStringLiteral("Model: none"));
    }
}

void InspectorWindow::usePromptSet(const qc::PromptSet& set) {
    customPromptSet_ = set;
    if (promptCombo_->count() < 2) promptCombo_->addItem(QString());
    promptCombo_->setItemText(1, QStringLiteral("%1 (%2 pairs)").arg(QString::fromStdString(set.name)).arg(set.pairs.size()));
    session_->setPromptSet(set);
}

void InspectorWindow::onPromptChoice(int index) {
    if (index == 1 && customPromptSet_)
        session_->setPromptSet(customPromptSet_);
    else
        session_->setPromptSet(std::nullopt);
}

QDialog* InspectorWindow::editPromptSet() {
    // The tokenizer of the model's text side when loaded, else CLIP's vocabulary read here (0.2 s).
    std::shared_ptr<const qc::ClipTokenizer> tokenizer;
    QString message;
    if (const auto encoder = session_->promptEncoder()) {
        tokenizer = std::shared_ptr<const qc::ClipTokenizer>(encoder, &encoder->tokenizer());
    } else {
        const qc::ModelLocation vocabulary = qc::locateVocabulary({});
        try {
            if (vocabulary.path) tokenizer = qc::ClipTokenizer::load(*vocabulary.path);
            else message = QString::fromStdString(qc::missingVocabularyMessage(vocabulary));
        } catch (const std::exception& e) {
            message = QString::fromStdString(e.what());
        }
    }
    auto* editor = new PromptSetEditor(tokenizer, message, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->setPromptSet(customPromptSet_ ? *customPromptSet_ : qc::starterPromptSets().front());
    connect(editor, &QDialog::accepted, this, [this, editor] { usePromptSet(editor->promptSet()); });
    editor->open();
    return editor;
}

void InspectorWindow::onPromptSetChanged() {
    const auto& set = session_->promptSet();
    promptCombo_->setCurrentIndex(set ? 1 : 0);
    if (!session_->promptSetError().isEmpty()) {
        promptLabel_->setText(QStringLiteral("Prompts: model's own (custom set failed)"));
        promptLabel_->setToolTip(session_->promptSetError());
        statusBar()->showMessage(session_->promptSetError(), 15000);
    } else if (set) {
        promptLabel_->setText(QStringLiteral("Prompts: %1%2")
                                  .arg(QString::fromStdString(set->name))
                                  .arg(session_->promptSetLoading() ? QStringLiteral(" (encoding…)") : QString()));
        promptLabel_->setToolTip(QString::fromStdString(qc::normalisedPromptSetText(*set)));
    } else {
        promptLabel_->setText(QStringLiteral("Prompts: model's own"));
        promptLabel_->setToolTip({});
    }
}

void InspectorWindow::onProgressChanged() {
    const ScoringProgress& p = session_->progress();
    progressBar_->setVisible(session_->scoring());
    progressBar_->setMaximum(std::max(1, p.total()));
    progressBar_->setValue(p.done());
    progressLabel_->setText(p.summary());
    cancelAction_->setEnabled(session_->scoring());
    resumeAction_->setEnabled(!session_->scoring() && session_->hasModel());
    policyLabel_->setText(QStringLiteral("Scores at %1").arg(QString::fromStdString(session_->policy().toString())));
}

void InspectorWindow::onPolicyChosen(int index) {
    const auto policy = qc::ResizePolicy::parse(policyCombo_->itemText(index).toStdString());
    if (!policy) return;
    InspectorSettings().setResizePolicy(*policy);
    session_->setPolicy(*policy);
    detail_->setMapContext(session_->model(), session_->policy());
    onProgressChanged();
}

void InspectorWindow::onThumbnailFailed(ImageId id, const QString& message) {
    const ImageEntry* e = session_->table()->entry(id);
    if (!e) return;
    // With a model the scorer reports the same file; without one this is the only report.
    if (!session_->hasModel()) problems_->add({{e->path, message}});
}

void InspectorWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void InspectorWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        if (url.toLocalFile().endsWith(QStringLiteral(".pth"), Qt::CaseInsensitive))
            loadModel(url.toLocalFile());  // a dropped checkpoint is a model, not an image
        else
            paths << url.toLocalFile();
    }
    if (!paths.isEmpty()) open(paths);
    event->acceptProposedAction();
}

// --- getting a model: the panel's Download button and the Models dialog ---------------------

void InspectorWindow::connectModelDownloads() {
    connect(modelPanel_, &ModelStatusPanel::downloadRequested, this, [this] { startModelDownload(); });
    connect(modelPanel_, &ModelStatusPanel::cancelDownloadRequested, downloads_, &ModelDownloadController::cancel);
    connect(downloads_, &ModelDownloadController::progressed, modelPanel_, &ModelStatusPanel::setDownloadProgress);
    connect(downloads_, &ModelDownloadController::finished, this,
            [this](const QString& path, const QString& sha256, const QString& warning) {
                modelPanel_->setDownloading(false);
                modelPanel_->showDownloadMessage(QStringLiteral("Installed, SHA-256 %1").arg(sha256));
                if (!warning.isEmpty()) QMessageBox::warning(this, QStringLiteral("Model download"), warning);
                loadModel(path);
            });
    connect(downloads_, &ModelDownloadController::failed, this, [this](const QString& message) {
        modelPanel_->setDownloading(false);
        modelPanel_->showDownloadMessage(QStringLiteral("Download failed: ") + message);
    });
    connect(downloads_, &ModelDownloadController::cancelled, this, [this] {
        modelPanel_->setDownloading(false);
        modelPanel_->showDownloadMessage(
            QStringLiteral("Download cancelled; downloading again resumes where it stopped."));
    });
}

void InspectorWindow::startModelDownload(const QString& url) {
    if (downloads_->running()) return;
    modelPanel_->show();
    modelPanel_->setDownloading(true);
    downloads_->start(qc::modelRegistry().front(), QString::fromStdString(qc::defaultModelsFolder()), url);
}

void InspectorWindow::showModelsDialog() {
    ModelsDialog dialog(QString::fromStdString(qc::defaultModelsFolder()), session_->modelPath(),
                        session_->hasModel() ? session_->table()->rowCount() : 0, this);
    connect(&dialog, &ModelsDialog::modelChosen, this, &InspectorWindow::loadModel);
    connect(&dialog, &ModelsDialog::downloadRequested, this, [this] { startModelDownload(); });
    dialog.exec();
}

}  // namespace qc::ui
