#include "ui/research/ResearchWindow.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/research/AgreementScatter.h"
#include "library/Catalog.h"
#include "models/ModelChoice.h"
#include "models/ModelRegistry.h"
#include "ui/research/FailureCaseModel.h"
#include "ui/widgets/QCustomPlotWrapper.h"
#include "ui/research/ResearchWorker.h"

namespace qc::ui {
namespace {

enum Preset { Koniq, Flive, Chosen };
constexpr int kScatterPngWidth = 1200, kScatterPngHeight = 900;
const char* const kFigureNames[ResearchWindow::kFigureRows] = {"Images", "SRCC", "KRCC",
                                                               "PLCC",   "RMSE", "Scores"};

QString estimateText(const qc::EstimateWithInterval& e, bool intervals) {
    return intervals ? QStringLiteral("%1  [%2, %3]")
                           .arg(QString::number(e.value, 'f', 4), QString::number(e.low, 'f', 3),
                                QString::number(e.high, 'f', 3))
                     : QString::number(e.value, 'f', 4);
}

QString runName(int run) { return run == 0 ? QStringLiteral("A") : QStringLiteral("B"); }

}  // namespace

ResearchWindow::ResearchWindow(std::shared_ptr<qc::Catalog> catalog, QWidget* parent)
    : QWidget(parent, Qt::Window),
      catalog_(std::move(catalog)),
      worker_(new ResearchWorker(this)),
      failures_(new FailureCaseModel(this)) {
    setWindowTitle(QStringLiteral("Agreement with Human Scores"));
    buildUi();
    connect(worker_, &ResearchWorker::progress, this, &ResearchWindow::onProgress);
    connect(worker_, &ResearchWorker::finished, this, &ResearchWindow::onFinished);
    // 1400 x 900 where there is room, never more than the screen offers.
    const QScreen* shown = parent ? parent->screen() : QGuiApplication::primaryScreen();
    const QSize room = shown ? shown->availableGeometry().size() : QSize(1400, 900);
    resize(std::min(1400, room.width()), std::min(900, room.height()));
}

ResearchWindow::~ResearchWindow() { worker_->cancel(); }

QAction* ResearchWindow::makeOpenAction(
    QWidget* owner, std::function<QString()> currentModelPath,
    std::function<std::shared_ptr<qc::Catalog>()> catalog,
    std::function<void(const QString&)> openImage,
    std::function<std::optional<qc::PromptSet>()> customPromptSet,
    std::function<QString()> currentFolder) {
    auto* action = new QAction(QStringLiteral("&Agreement with Human Scores\u2026"), owner);
    action->setToolTip(
        QStringLiteral("Score a dataset with human MOS and compare: SRCC, KRCC, "
                       "PLCC, RMSE, scatter, failure cases"));
    QObject::connect(action, &QAction::triggered, owner, [=] {
        auto* window = new ResearchWindow(catalog(), owner);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->setModel(0, currentModelPath(), qc::ResizePolicy::native());
        // The folder open in the inspector is usually the dataset's images.
        if (currentFolder) window->imagesFolder_->setText(currentFolder());
        // The inspector's prompt set, if any, is run B's: default against custom in one click.
        if (customPromptSet)
            if (const std::optional<qc::PromptSet> set = customPromptSet()) window->setPromptSet(1, *set);
        QObject::connect(window, &ResearchWindow::imageActivated, owner, openImage);
        window->show();
    });
    return action;
}

void ResearchWindow::buildUi() {
    // Left: the dataset, the two runs, progress, the figures and export.
    mosFile_ = new QLineEdit(this);
    mosFile_->setPlaceholderText(QStringLiteral("CSV with a header row"));
    auto* browseMos = new QPushButton(QStringLiteral("Browse\u2026"), this);
    connect(browseMos, &QPushButton::clicked, this, &ResearchWindow::chooseMosFile);
    auto* mosRow = new QHBoxLayout;
    mosRow->addWidget(mosFile_, 1);
    mosRow->addWidget(browseMos);

    preset_ = new QComboBox(this);
    preset_->addItem(QStringLiteral("KonIQ-10k (image_name, MOS)"));
    preset_->addItem(QStringLiteral("FLIVE (name, mos)"));
    preset_->addItem(QStringLiteral("Chosen columns"));
    nameColumn_ = new QLineEdit(this);
    nameColumn_->setPlaceholderText(QStringLiteral("name column"));
    mosColumn_ = new QLineEdit(this);
    mosColumn_->setPlaceholderText(QStringLiteral("MOS column"));
    connect(preset_, &QComboBox::currentIndexChanged, this, &ResearchWindow::updateColumnsEnabled);
    auto* columnsRow = new QHBoxLayout;
    columnsRow->addWidget(nameColumn_);
    columnsRow->addWidget(mosColumn_);

    imagesFolder_ = new QLineEdit(this);
    auto* browseImages = new QPushButton(QStringLiteral("Browse\u2026"), this);
    connect(browseImages, &QPushButton::clicked, this, &ResearchWindow::chooseImagesFolder);
    auto* imagesRow = new QHBoxLayout;
    imagesRow->addWidget(imagesFolder_, 1);
    imagesRow->addWidget(browseImages);

    auto* dataset = new QGroupBox(QStringLiteral("Dataset"), this);
    auto* datasetForm = new QFormLayout(dataset);
    datasetForm->addRow(QStringLiteral("MOS file:"), mosRow);
    datasetForm->addRow(QStringLiteral("Columns:"), preset_);
    datasetForm->addRow(QString(), columnsRow);
    datasetForm->addRow(QStringLiteral("Images:"), imagesRow);

    resamples_ = new QSpinBox(this);
    resamples_->setRange(0, 100000);
    resamples_->setValue(1000);
    resamples_->setToolTip(QStringLiteral("Bootstrap resamples for the 95% intervals (0: none)"));
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1000000);
    seed_->setValue(1);
    auto* statsRow = new QHBoxLayout;
    statsRow->addWidget(new QLabel(QStringLiteral("Bootstrap:"), this));
    statsRow->addWidget(resamples_);
    statsRow->addWidget(new QLabel(QStringLiteral("Seed:"), this));
    statsRow->addWidget(seed_);
    statsRow->addStretch(1);
    datasetForm->addRow(statsRow);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(dataset);
    for (int run = 0; run < 2; ++run) {
        auto* box = new QGroupBox(run == 0 ? QStringLiteral("Run A")
                                           : QStringLiteral("Run B (compare on the same dataset)"),
                                  this);
        auto* form = new QFormLayout(box);
        modelPath_[size_t(run)] = new QLineEdit(this);
        modelPath_[size_t(run)]->setPlaceholderText(QStringLiteral("QualiCLIP checkpoint (.pth) or a model id"));
        auto* browse = new QPushButton(QStringLiteral("Browse\u2026"), this);
        connect(browse, &QPushButton::clicked, this, [this, run] { chooseModel(run); });
        // The installed models by name: QualiCLIP and the QualiCLIP+ variants.
        auto* installed = new QToolButton(this);
        installed->setText(QStringLiteral("Models"));
        installed->setObjectName(QStringLiteral("modelMenuButton%1").arg(run));
        installed->setPopupMode(QToolButton::InstantPopup);
        auto* menu = new QMenu(installed);
        connect(menu, &QMenu::aboutToShow, this, [this, menu, run] { fillModelMenu(menu, run); });
        installed->setMenu(menu);
        auto* modelRow = new QHBoxLayout;
        modelRow->addWidget(modelPath_[size_t(run)], 1);
        modelRow->addWidget(installed);
        modelRow->addWidget(browse);
        form->addRow(QStringLiteral("Model:"), modelRow);
        policy_[size_t(run)] = new QComboBox(this);
        policy_[size_t(run)]->setEditable(true);
        policy_[size_t(run)]->addItems({QStringLiteral("native"), QStringLiteral("long:1024"),
                                        QStringLiteral("long:512"), QStringLiteral("long:224")});
        runButton_[size_t(run)] = new QPushButton(QStringLiteral("Run %1").arg(runName(run)), this);
        connect(runButton_[size_t(run)], &QPushButton::clicked, this,
                [this, run] { startRun(run); });
        auto* policyRow = new QHBoxLayout;
        policyRow->addWidget(policy_[size_t(run)], 1);
        prompts_[size_t(run)] = new QComboBox(this);
        prompts_[size_t(run)]->addItem(QStringLiteral("Model's own prompts"));
        prompts_[size_t(run)]->setToolTip(QStringLiteral("The antonym prompts this run scores with"));
        policyRow->addWidget(prompts_[size_t(run)], 1);
        recipe_[size_t(run)] = new QComboBox(this);
        recipe_[size_t(run)]->addItems({QStringLiteral("Model's recipe"), QStringLiteral("pyiqa's recipe")});
        recipe_[size_t(run)]->setToolTip(
            QStringLiteral("Official: the authors' numbers (QualiCLIP+ always uses pyiqa's). pyiqa's: the "
                           "numbers papers report, exp(logit_scale) / 2 instead of 100"));
        policyRow->addWidget(recipe_[size_t(run)]);
        policyRow->addWidget(runButton_[size_t(run)]);
        if (run == 1) {
            auto* clear = new QPushButton(QStringLiteral("Clear"), this);
            connect(clear, &QPushButton::clicked, this, &ResearchWindow::clearComparison);
            policyRow->addWidget(clear);
        }
        form->addRow(QStringLiteral("Resize:"), policyRow);
        leftLayout->addWidget(box);
    }
    modelPath_[1]->setPlaceholderText(
        QStringLiteral("another checkpoint, or A's with another resize"));

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    cancelButton_ = new QPushButton(QStringLiteral("Cancel"), this);
    cancelButton_->setEnabled(false);
    connect(cancelButton_, &QPushButton::clicked, this, &ResearchWindow::cancel);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(progress_, 1);
    progressRow->addWidget(cancelButton_);
    leftLayout->addLayout(progressRow);
    status_ = new QLabel(
        QStringLiteral("Choose a MOS file, the images folder and a model, then Run A."), this);
    status_->setWordWrap(true);
    leftLayout->addWidget(status_);
    // Names of the MOS file without an image, and unusable rows: shown, not only exported.
    unmatched_ = new QListWidget(this);
    unmatched_->setMaximumHeight(90);
    unmatched_->setToolTip(
        QStringLiteral("MOS rows that were not used: names without an image file, unusable rows"));
    unmatchedTitle_ = new QLabel(this);
    leftLayout->addWidget(unmatchedTitle_);
    leftLayout->addWidget(unmatched_);

    figures_ = new QTableWidget(kFigureRows, 2, this);
    figures_->setHorizontalHeaderLabels({QStringLiteral("A"), QStringLiteral("B")});
    for (int r = 0; r < kFigureRows; ++r)
        figures_->setVerticalHeaderItem(r,
                                        new QTableWidgetItem(QString::fromLatin1(kFigureNames[r])));
    figures_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    figures_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    figures_->setToolTip(
        QStringLiteral("95% percentile bootstrap intervals in brackets; PLCC and "
                       "RMSE after the 4-parameter logistic (VQEG)"));
    figures_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // As tall as its rows: the space below is the window's, not an empty table's.
    figures_->setFixedHeight(figures_->horizontalHeader()->sizeHint().height() +
                             kFigureRows * figures_->verticalHeader()->defaultSectionSize() +
                             2 * figures_->frameWidth());
    leftLayout->addWidget(figures_);
    leftLayout->addStretch(1);

    exportButton_ = new QPushButton(QStringLiteral("Export Report\u2026"), this);
    exportButton_->setEnabled(false);
    exportButton_->setToolTip(
        QStringLiteral("images.csv, failures.csv, unmatched.csv, "
                       "summary.json and scatter.png"));
    connect(exportButton_, &QPushButton::clicked, this, &ResearchWindow::exportReport);
    leftLayout->addWidget(exportButton_);

    // Right: the scatter over the failure cases.
    scatter_ = new AgreementScatter(this);
    connect(scatter_, &AgreementScatter::imageClicked, this, &ResearchWindow::imageActivated);

    failuresOf_ = new QComboBox(this);
    failuresOf_->addItems({QStringLiteral("Run A"), QStringLiteral("Run B")});
    connect(failuresOf_, &QComboBox::currentIndexChanged, this,
            [this](int run) { failures_->setRun(runs_[size_t(std::max(0, run))]); });
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(failures_);
    proxy->setSortRole(FailureCaseModel::kSortRole);
    failureView_ = new QTableView(this);
    failureView_->setModel(proxy);
    failureView_->setSortingEnabled(true);
    failureView_->sortByColumn(FailureCaseModel::Rank, Qt::AscendingOrder);
    failureView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    failureView_->setAlternatingRowColors(true);
    failureView_->verticalHeader()->hide();
    failureView_->horizontalHeader()->setSectionResizeMode(FailureCaseModel::Name,
                                                           QHeaderView::Stretch);
    failureView_->setToolTip(QStringLiteral("Double-click to open the image in the inspector"));
    connect(failureView_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        Q_EMIT imageActivated(index.data(FailureCaseModel::PathRole).toString());
    });

    auto* failureBox = new QWidget(this);
    auto* failureLayout = new QVBoxLayout(failureBox);
    failureLayout->setContentsMargins(0, 0, 0, 0);
    auto* failureTitle = new QHBoxLayout;
    auto* failureText =
        new QLabel(QStringLiteral("Failure cases, worst first (over-estimate: the model rates the image "
                                  "higher than people do):"),
                   this);
    failureText->setWordWrap(true);  // the window fits a 1024 px screen
    failureTitle->addWidget(failureText, 1);
    failureTitle->addWidget(failuresOf_);
    failureLayout->addLayout(failureTitle);
    failureLayout->addWidget(failureView_);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(scatter_);
    right->addWidget(failureBox);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({460, 940});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
    updateColumnsEnabled();
    showRuns();
}

void ResearchWindow::updateColumnsEnabled() {
    const int preset = preset_->currentIndex();
    if (preset != Chosen) {
        const qc::MosColumns c = *qc::mosPreset(preset == Koniq ? "koniq" : "flive");
        nameColumn_->setText(QString::fromStdString(c.name));
        mosColumn_->setText(QString::fromStdString(c.mos));
    }
    nameColumn_->setEnabled(preset == Chosen);
    mosColumn_->setEnabled(preset == Chosen);
}

void ResearchWindow::setDataset(const QString& mosFile, const QString& imagesFolder,
                                const qc::MosColumns& columns) {
    mosFile_->setText(mosFile);
    imagesFolder_->setText(imagesFolder);
    int preset = Chosen;
    for (int p : {Koniq, Flive}) {
        const qc::MosColumns c = *qc::mosPreset(p == Koniq ? "koniq" : "flive");
        if (c.name == columns.name && c.mos == columns.mos) preset = p;
    }
    preset_->setCurrentIndex(preset);
    nameColumn_->setText(QString::fromStdString(columns.name));
    mosColumn_->setText(QString::fromStdString(columns.mos));
    updateColumnsEnabled();
}

void ResearchWindow::setModel(int run, const QString& modelPath, const qc::ResizePolicy& policy) {
    modelPath_[size_t(run)]->setText(modelPath);
    policy_[size_t(run)]->setCurrentText(QString::fromStdString(policy.toString()));
}

void ResearchWindow::setPromptSet(int run, const qc::PromptSet& set) {
    customPromptSet_ = set;
    const QString name = QStringLiteral("Prompt set: %1").arg(QString::fromStdString(set.name));
    for (QComboBox* combo : prompts_) {
        if (combo->count() < 2) combo->addItem(QString());
        combo->setItemText(1, name);
    }
    prompts_[size_t(run)]->setCurrentIndex(1);
}

void ResearchWindow::setBootstrap(int resamples, quint64 seed) {
    resamples_->setValue(resamples);
    seed_->setValue(int(seed));
}

QString ResearchWindow::statusText() const { return status_->text(); }
QString ResearchWindow::imagesFolder() const { return imagesFolder_->text(); }

bool ResearchWindow::running() const { return runningRun_ >= 0; }

bool ResearchWindow::startRun(int run) {
    ResearchRequest request;
    request.mosFile = mosFile_->text().trimmed();
    request.imagesFolder = imagesFolder_->text().trimmed();
    request.columns = {nameColumn_->text().trimmed().toStdString(),
                       mosColumn_->text().trimmed().toStdString()};
    request.modelPath = modelPath_[size_t(run)]->text().trimmed();
    if (run == 1 && request.modelPath.isEmpty())
        request.modelPath = modelPath_[0]->text().trimmed();
    const auto policy =
        qc::ResizePolicy::parse(policy_[size_t(run)]->currentText().trimmed().toStdString());
    QString problem;
    if (request.mosFile.isEmpty())
        problem = QStringLiteral("Choose the MOS file.");
    else if (request.imagesFolder.isEmpty())
        problem = QStringLiteral("Choose the images folder.");
    else if (request.columns.name.empty() || request.columns.mos.empty())
        problem = QStringLiteral("Name the image-name and MOS columns.");
    else if (request.modelPath.isEmpty())
        problem = QStringLiteral("Choose the model file of run %1.").arg(runName(run));
    else if (!policy)
        problem = QStringLiteral("Resize must be native or long:N (N at least 32).");
    else if (run == 1 && !runs_[0])
        problem = QStringLiteral("Run A first: B is compared with it.");
    if (!problem.isEmpty()) {
        status_->setText(problem);
        return false;
    }
    request.policy = *policy;
    if (prompts_[size_t(run)]->currentIndex() == 1 && customPromptSet_) request.promptSet = customPromptSet_;
    if (recipe_[size_t(run)]->currentIndex() == 1) request.recipe = qc::ScoringRecipe::Pyiqa;
    request.statistics.bootstrapResamples = resamples_->value();
    request.statistics.seed = quint64(seed_->value());
    request.catalog = catalog_;
    // A comparison is on one dataset: a new A on another dataset drops B.
    if (run == 0 && runs_[1] &&
        (runs_[1]->context.mosFile != request.mosFile.toStdString() ||
         runs_[1]->context.imagesFolder != request.imagesFolder.toStdString()))
        runs_[1].reset();
    runningRun_ = run;
    generation_ = worker_->start(request);
    progress_->setRange(0, 0);
    status_->setText(QStringLiteral("Run %1: reading %2\u2026")
                         .arg(runName(run), QFileInfo(request.mosFile).fileName()));
    setRunning(true);
    return true;
}

void ResearchWindow::cancel() { worker_->cancel(); }

void ResearchWindow::setRunning(bool running) {
    for (QPushButton* b : runButton_) b->setEnabled(!running);
    cancelButton_->setEnabled(running);
    exportButton_->setEnabled(!running && runs_[0] != nullptr);
}

void ResearchWindow::onProgress(quint64 generation, int stage, qulonglong done, qulonglong total) {
    if (generation != generation_) return;
    progress_->setRange(0, int(total));
    progress_->setValue(int(done));
    status_->setText(QStringLiteral("Run %1: %2 %3 of %4")
                         .arg(runName(runningRun_), stage == 0
                                                        ? QStringLiteral("scoring image")
                                                        : QStringLiteral("bootstrap resample"))
                         .arg(done)
                         .arg(total));
}

void ResearchWindow::onFinished(quint64 generation, std::shared_ptr<const ResearchRun> run,
                                const QString& error, bool cancelled) {
    if (generation != generation_) return;
    const int which = runningRun_;
    runningRun_ = -1;
    progress_->setRange(0, 1);
    progress_->setValue(run ? 1 : 0);
    if (run) {
        runs_[size_t(which)] = run;
        const qc::AgreementStudy& s = run->study;
        const size_t failed = s.rows.size() - s.scoredCount;
        status_->setText(
            QStringLiteral("Run %1 done: %2 images (%3 from the catalog, %4 scored)%5%6.")
                .arg(runName(which))
                .arg(s.scoredCount)
                .arg(run->cached)
                .arg(run->scored)
                .arg(failed ? QStringLiteral("; %1 could not be scored").arg(failed) : QString(),
                     s.unmatched.empty() && s.problems.empty()
                         ? QString()
                         : QStringLiteral(
                               "; %1 names without an image, %2 unusable rows (listed below)")
                               .arg(s.unmatched.size())
                               .arg(s.problems.size())));
    } else if (cancelled) {
        status_->setText(QStringLiteral("Run %1 cancelled.").arg(runName(which)));
    } else {
        // The figures, dots and failures of an earlier run must not stand under the new files:
        // a failed A clears both runs (B is compared with A), a failed B clears B.
        runs_[size_t(which)].reset();
        if (which == 0) runs_[1].reset();
        status_->setText(QStringLiteral("Run %1 failed: %2").arg(runName(which), error));
    }
    showRuns();
    setRunning(false);
    Q_EMIT runFinished(which, run != nullptr);
}

void ResearchWindow::clearComparison() {
    if (runningRun_ == 1) cancel();
    runs_[1].reset();
    showRuns();
}

void ResearchWindow::showRuns() {
    for (int c = 0; c < 2; ++c) {
        const ResearchRun* run = runs_[size_t(c)].get();
        figures_->setHorizontalHeaderItem(
            c, new QTableWidgetItem(run ? QStringLiteral("%1: %2").arg(runName(c), run->label())
                                        : runName(c)));
        for (int r = 0; r < kFigureRows; ++r) {
            QString text;
            if (run) {
                const qc::AgreementReport& rep = run->study.report;
                const bool intervals = rep.bootstrapResamples > 0;
                switch (r) {
                    case 0:
                        text = QStringLiteral("%1 of %2").arg(rep.n).arg(run->study.rows.size());
                        break;
                    case 1:
                        text = estimateText(rep.srcc, intervals);
                        break;
                    case 2:
                        text = estimateText(rep.krcc, intervals);
                        break;
                    case 3:
                        text = estimateText(rep.plcc, intervals);
                        break;
                    case 4:
                        text = estimateText(rep.rmse, intervals);
                        break;
                    default:
                        text = QStringLiteral("%1 cached, %2 scored")
                                   .arg(run->cached)
                                   .arg(run->scored);
                }
            }
            auto* item = new QTableWidgetItem(text);
            item->setForeground(AgreementScatter::kColors[size_t(c)].darker(130));
            figures_->setItem(r, c, item);
        }
    }
    figures_->setColumnHidden(1, runs_[1] == nullptr);
    scatter_->setRuns(runs_[0], runs_[1]);
    const int shown = runs_[1] ? failuresOf_->currentIndex() : 0;
    failuresOf_->setCurrentIndex(shown);
    failuresOf_->setEnabled(runs_[1] != nullptr);
    failures_->setRun(runs_[size_t(shown)]);
    failureView_->resizeColumnsToContents();
    failureView_->horizontalHeader()->setSectionResizeMode(FailureCaseModel::Name,
                                                           QHeaderView::Stretch);
    exportButton_->setEnabled(runningRun_ < 0 && runs_[0] != nullptr);
    showUnmatched();
}

void ResearchWindow::showUnmatched() {
    unmatched_->clear();
    const ResearchRun* run = runs_[0].get();
    if (run) {
        for (const qc::MosEntry& e : run->study.unmatched)
            unmatched_->addItem(QStringLiteral("%1 (line %2): no image")
                                    .arg(QString::fromStdString(e.name))
                                    .arg(e.line));
        for (const qc::MosRowProblem& p : run->study.problems)
            unmatched_->addItem(
                QStringLiteral("line %1: %2").arg(p.line).arg(QString::fromStdString(p.reason)));
    }
    unmatchedTitle_->setText(QStringLiteral("Not used (%1):").arg(unmatched_->count()));
    unmatchedTitle_->setVisible(unmatched_->count() > 0);
    unmatched_->setVisible(unmatched_->count() > 0);
}

bool ResearchWindow::exportTo(const QString& folder, QString* error) const {
    if (!runs_[0]) {
        if (error) *error = QStringLiteral("Nothing to export: run the study first.");
        return false;
    }
    try {
        qc::writeAgreementReport(folder.toStdString(), runs_[0]->study, runs_[0]->context);
        if (runs_[1])
            qc::writeAgreementReport(QDir(folder).filePath(QStringLiteral("compare")).toStdString(),
                                     runs_[1]->study, runs_[1]->context);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    const QString png = QDir(folder).filePath(QStringLiteral("scatter.png"));
    if (!scatter_->plot()->savePng(png, kScatterPngWidth, kScatterPngHeight)) {
        if (error) *error = QStringLiteral("Cannot write '%1'.").arg(png);
        return false;
    }
    return true;
}

void ResearchWindow::exportReport() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, QStringLiteral("Export the Report to"));
    if (folder.isEmpty()) return;
    QString error;
    status_->setText(exportTo(folder, &error) ? QStringLiteral("Report written to %1.").arg(folder)
                                              : QStringLiteral("Export failed: %1").arg(error));
}

void ResearchWindow::chooseMosFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("MOS File"), mosFile_->text(),
                                     QStringLiteral("CSV files (*.csv *.txt);;All files (*)"));
    if (path.isEmpty()) return;
    mosFile_->setText(path);
    if (imagesFolder_->text().isEmpty()) imagesFolder_->setText(QFileInfo(path).absolutePath());
}

void ResearchWindow::chooseImagesFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, QStringLiteral("Images Folder"),
                                                          imagesFolder_->text());
    if (!dir.isEmpty()) imagesFolder_->setText(dir);
}

void ResearchWindow::fillModelMenu(QMenu* menu, int run) {
    menu->clear();
    for (const qc::RegistryEntry& entry : qc::modelRegistry()) {
        std::string problem;
        const bool installed = qc::chooseModel(entry.id, problem).has_value();
        QAction* action = menu->addAction(QStringLiteral("%1 (%2)%3").arg(
            QString::fromStdString(entry.name), QString::fromStdString(entry.id),
            installed ? QString() : QStringLiteral(": not installed")));
        action->setEnabled(installed);
        action->setToolTip(QString::fromStdString(installed ? entry.citation : problem));
        const QString id = QString::fromStdString(entry.id);
        connect(action, &QAction::triggered, this, [this, run, id] { modelPath_[size_t(run)]->setText(id); });
    }
}

void ResearchWindow::chooseModel(int run) {
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("QualiCLIP Checkpoint"), modelPath_[size_t(run)]->text(),
        QStringLiteral("Checkpoints (*.pth *.pt);;All files (*)"));
    if (!path.isEmpty()) modelPath_[size_t(run)]->setText(path);
}

}  // namespace qc::ui
