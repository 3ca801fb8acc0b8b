#include "InspectorWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QProgressBar>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "InspectorSettings.h"
#include "ModelLocator.h"
#include "ModelStatusPanel.h"
#include "ProblemsDock.h"
#include "ScoreFilterProxyModel.h"
#include "ScoreTableModel.h"
#include "ScoringSession.h"
#include "ThumbnailCache.h"
#include "ThumbnailDelegate.h"

namespace qc::ui {
namespace {

// The choices of the toolbar's policy box; long:1024 is the default (see InspectorSettings).
const char* const kPolicies[] = {"long:512", "long:1024", "long:2048", "native"};

QString imageFileFilter() {
    return QStringLiteral("Images (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.bmp *.ppm *.pgm *.jp2);;All files (*)");
}

}  // namespace

InspectorWindow::InspectorWindow(QWidget* parent)
    : QMainWindow(parent),
      session_(new ScoringSession(this)),
      thumbnails_(new ThumbnailCache(160, 1500, this)),
      proxy_(new ScoreFilterProxyModel(this)) {
    setWindowTitle(QStringLiteral("QualiCLIP Inspector"));
    setAcceptDrops(true);
    session_->table()->setThumbnailCache(thumbnails_);
    proxy_->setSourceModel(session_->table());

    createActions();
    createMenus();
    createToolBar();
    createCentralArea();
    createStatusBar();

    connect(session_, &ScoringSession::modelStateChanged, this, &InspectorWindow::onModelStateChanged);
    connect(session_, &ScoringSession::progressChanged, this, &InspectorWindow::onProgressChanged);
    connect(session_, &ScoringSession::problemsFound, problems_, &ProblemsDock::add);
    connect(thumbnails_, &ThumbnailCache::thumbnailFailed, this, &InspectorWindow::onThumbnailFailed);
    connect(modelPanel_, &ModelStatusPanel::openModelRequested, this, &InspectorWindow::chooseModel);

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
    connect(openFolderAction_, &QAction::triggered, this, &InspectorWindow::chooseFolder);

    openModelAction_ = new QAction(QStringLiteral("Open &Model\u2026"), this);
    connect(openModelAction_, &QAction::triggered, this, &InspectorWindow::chooseModel);

    recursiveAction_ = new QAction(QStringLiteral("Include &Sub-folders"), this);
    recursiveAction_->setCheckable(true);
    connect(recursiveAction_, &QAction::toggled, this, [](bool on) { InspectorSettings().setRecursive(on); });

    removeAction_ = new QAction(QStringLiteral("&Remove from List"), this);
    removeAction_->setShortcut(QKeySequence::Delete);
    connect(removeAction_, &QAction::triggered, this, &InspectorWindow::removeSelected);

    cancelAction_ = new QAction(QStringLiteral("&Cancel Scoring"), this);
    cancelAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancelAction_, &QAction::triggered, session_, &ScoringSession::cancel);

    resumeAction_ = new QAction(QStringLiteral("Score &Remaining"), this);
    connect(resumeAction_, &QAction::triggered, session_, &ScoringSession::scoreUnscored);

    quitAction_ = new QAction(QStringLiteral("&Quit"), this);
    quitAction_->setShortcut(QKeySequence::Quit);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);
}

void InspectorWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(openImagesAction_);
    file->addAction(openFolderAction_);
    recentMenu_ = file->addMenu(QStringLiteral("Recent &Folders"));
    file->addAction(recursiveAction_);
    file->addSeparator();
    file->addAction(openModelAction_);
    file->addSeparator();
    file->addAction(removeAction_);
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu* scoring = menuBar()->addMenu(QStringLiteral("&Scoring"));
    scoring->addAction(cancelAction_);
    scoring->addAction(resumeAction_);
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
    policyCombo_->setToolTip(QStringLiteral(
        "How images are sized before scoring. long:1024 (default) is about the resolution QualiCLIP "
        "was validated at and is fast; native is the reference but costs tens of seconds per large photo. "
        "Changing it rescores every image."));
    connect(policyCombo_, &QComboBox::activated, this, &InspectorWindow::onPolicyChosen);
    bar->addWidget(policyCombo_);
    bar->addSeparator();
    bar->addAction(cancelAction_);
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
    table_->horizontalHeader()->resizeSection(ScoreTableModel::FileColumn, 200);
    table_->horizontalHeader()->resizeSection(ScoreTableModel::ScoreColumn, 60);
    table_->horizontalHeader()->resizeSection(ScoreTableModel::FlagColumn, 52);
    table_->horizontalHeader()->resizeSection(ScoreTableModel::StarsColumn, 64);
    connect(table_->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            [](int column, Qt::SortOrder order) { InspectorSettings().setSort(column, order); });

    modelPanel_ = new ModelStatusPanel(this);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(modelPanel_);
    layout->addWidget(table_, 1);
    setCentralWidget(central);

    problems_ = new ProblemsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, problems_);
    problems_->hide();
}

void InspectorWindow::createStatusBar() {
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
}

void InspectorWindow::restoreSettings() {
    InspectorSettings settings;
    if (!restoreGeometry(settings.windowGeometry())) resize(1400, 900);
    restoreState(settings.windowState());
    recursiveAction_->setChecked(settings.recursive());
    const qc::ResizePolicy policy = settings.resizePolicy();
    const QString policyText = QString::fromStdString(policy.toString());
    if (policyCombo_->findText(policyText) < 0) policyCombo_->addItem(policyText);
    policyCombo_->setCurrentText(policyText);
    session_->setPolicy(policy);
    session_->setComputeThreads(settings.computeThreads());
    table_->sortByColumn(settings.sortColumn(), settings.sortOrder());
    updateRecentMenu();
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
    session_->open(paths, recursiveAction_->isChecked());
}

void InspectorWindow::loadModel(const QString& explicitPath) {
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
    const QString folder = QFileDialog::getExistingDirectory(this, QStringLiteral("Open Folder"),
                                                             InspectorSettings().recentFolders().value(0));
    if (!folder.isEmpty()) open({folder});
}

void InspectorWindow::chooseModel() {
    InspectorSettings settings;
    QString start = settings.lastModelFolder();
    if (start.isEmpty()) start = QString::fromStdString(qc::defaultModelsFolder());
    const QString file = QFileDialog::getOpenFileName(this, QStringLiteral("Open QualiCLIP Model"), start,
                                                      QStringLiteral("PyTorch checkpoint (*.pth *.pt);;All files (*)"));
    if (file.isEmpty()) return;
    settings.setLastModelFolder(QFileInfo(file).absolutePath());
    loadModel(file);
}

void InspectorWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList folders = InspectorSettings().recentFolders();
    for (const QString& folder : folders)
        recentMenu_->addAction(folder, this, [this, folder] { open({folder}); });
    recentMenu_->setEnabled(!folders.isEmpty());
}

std::vector<ImageId> InspectorWindow::selectedIds() const {
    std::vector<ImageId> ids;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        ids.push_back(index.data(ScoreTableModel::IdRole).value<ImageId>());
    return ids;
}

void InspectorWindow::removeSelected() { session_->remove(selectedIds()); }

void InspectorWindow::onModelStateChanged() {
    const ModelState state = session_->modelState();
    modelPanel_->showState(state, session_->modelPath(), session_->modelError(), searchedForModel_);
    if (state == ModelState::Ready) {
        modelLabel_->setText(QStringLiteral("Model: %1").arg(QFileInfo(session_->modelPath()).fileName()));
        modelLabel_->setToolTip(session_->modelPath());
    } else {
        modelLabel_->setText(state == ModelState::Loading ? QStringLiteral("Model: loading\u2026")
                                                          : QStringLiteral("Model: none"));
    }
}

void InspectorWindow::onProgressChanged() {
    const ScoringProgress& p = session_->progress();
    progressBar_->setVisible(session_->scoring());
    progressBar_->setMaximum(std::max(1, p.total()));
    progressBar_->setValue(p.done());
    progressLabel_->setText(p.total() > 0 ? QStringLiteral("Scored %1").arg(p.summary()) : QString());
    cancelAction_->setEnabled(session_->scoring());
    resumeAction_->setEnabled(!session_->scoring() && session_->hasModel());
    policyLabel_->setText(QStringLiteral("Scores at %1").arg(QString::fromStdString(session_->policy().toString())));
}

void InspectorWindow::onPolicyChosen(int index) {
    const auto policy = qc::ResizePolicy::parse(policyCombo_->itemText(index).toStdString());
    if (!policy) return;
    InspectorSettings().setResizePolicy(*policy);
    session_->setPolicy(*policy);
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
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    open(paths);
    event->acceptProposedAction();
}

}  // namespace qc::ui
