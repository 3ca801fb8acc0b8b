// ResearchWindow: research mode ("Tools > Agreement with Human Scores…"). Choose a MOS file
// (KonIQ-10k or FLIVE columns, or any two columns) and the images folder; the study runs in a
// ResearchWorker (progress, cancel) and shows the agreement figures with their bootstrap
// intervals, a scatter of score against MOS with the fitted logistic (AgreementScatter) and the
// failure cases, worst first (FailureCaseModel). A second run on the same dataset, with another
// model file or resize policy, is shown beside the first: figures in a second column, dots in a
// second colour. Clicking a dot or double-clicking a failure emits imageActivated(path), which
// the inspector opens in its viewer. Export writes core's report folder plus the scatter as PNG.
// Scores go through the catalog when one is given, so a second run is instant. GUI thread.
#pragma once

#include <QString>
#include <QWidget>

#include <array>
#include <functional>
#include <memory>
#include <optional>

#include "research/MosTable.h"
#include "engine/PromptSet.h"
#include "engine/QualiClipModel.h"
#include "images/ResizePolicy.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTableWidget;

namespace qc {
class Catalog;
}

class QMenu;

namespace qc::ui {

class AgreementScatter;
class FailureCaseModel;
class ResearchWorker;
struct ResearchRun;

class ResearchWindow : public QWidget {
    Q_OBJECT
public:
    explicit ResearchWindow(std::shared_ptr<qc::Catalog> catalog, QWidget* parent = nullptr);
    ~ResearchWindow() override;

    // The action that opens a research window (deleted on close) with the inspector's model
    // and catalog; opened images go to `openImage`.
    static QAction* makeOpenAction(
        QWidget* owner, std::function<QString()> currentModelPath,
        std::function<std::shared_ptr<qc::Catalog>()> catalog,
        std::function<void(const QString&)> openImage,
        std::function<std::optional<qc::PromptSet>()> customPromptSet = {},
        std::function<QString()> currentFolder = {});

    // What the controls hold; the tests and the documentation screenshots set them directly.
    void setDataset(const QString& mosFile, const QString& imagesFolder,
                    const qc::MosColumns& columns);
    void setModel(int run, const QString& modelPath,
                  const qc::ResizePolicy& policy);  // run 0 A, 1 B
    void setBootstrap(int resamples, quint64 seed);
    // Offers `set` to both runs and selects it for `run`: run B with a prompt set against run A with
    // the model's own prompts compares the two on one dataset.
    void setPromptSet(int run, const qc::PromptSet& set);

    bool startRun(int run);  // false when the controls are incomplete (the status line says why)
    void cancel();
    bool running() const;
    std::shared_ptr<const ResearchRun> result(int run) const { return runs_[size_t(run)]; }
    void clearComparison();

    FailureCaseModel* failures() const { return failures_; }
    AgreementScatter* scatter() const { return scatter_; }
    QTableWidget* figures() const { return figures_; }
    QTableView* failureView() const { return failureView_; }
    QString statusText() const;
    QString imagesFolder() const;
    QListWidget* unmatchedList() const { return unmatched_; }  // names without an image, bad rows

    // The report folder of run A (run B's in its sub-folder "compare") and scatter.png.
    bool exportTo(const QString& folder, QString* error) const;

    static constexpr int kFigureRows = 6;  // n, SRCC, KRCC, PLCC, RMSE, scores

Q_SIGNALS:
    void imageActivated(const QString& path);
    // Each run's end: finished, cancelled or failed (the status line says which).
    void runFinished(int run, bool ok);

private:
    void buildUi();
    void onProgress(quint64 generation, int stage, qulonglong done, qulonglong total);
    void onFinished(quint64 generation, std::shared_ptr<const qc::ui::ResearchRun> run,
                    const QString& error, bool cancelled);
    void showRuns();
    void showUnmatched();
    void updateColumnsEnabled();
    void chooseMosFile();
    void chooseImagesFolder();
    void chooseModel(int run);
    void fillModelMenu(QMenu* menu, int run);  // the registry's models by name, installed ones enabled
    void exportReport();
    void setRunning(bool running);

    std::shared_ptr<qc::Catalog> catalog_;
    ResearchWorker* worker_;
    FailureCaseModel* failures_;
    std::array<std::shared_ptr<const ResearchRun>, 2> runs_;
    quint64 generation_ = 0;
    int runningRun_ = -1;

    QLineEdit* mosFile_ = nullptr;
    QComboBox* preset_ = nullptr;
    QLineEdit* nameColumn_ = nullptr;
    QLineEdit* mosColumn_ = nullptr;
    QLineEdit* imagesFolder_ = nullptr;
    std::array<QLineEdit*, 2> modelPath_{};
    std::array<QComboBox*, 2> policy_{};
    std::array<QComboBox*, 2> recipe_{};   // 0: the model's own recipe, 1: pyiqa's
    std::array<QComboBox*, 2> prompts_{};  // 0: the model's own prompts, 1: customPromptSet_
    std::optional<qc::PromptSet> customPromptSet_;
    std::array<QPushButton*, 2> runButton_{};
    QSpinBox* resamples_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QPushButton* exportButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* unmatchedTitle_ = nullptr;
    QListWidget* unmatched_ = nullptr;
    QTableWidget* figures_ = nullptr;
    AgreementScatter* scatter_ = nullptr;
    QComboBox* failuresOf_ = nullptr;
    QTableView* failureView_ = nullptr;
};

}  // namespace qc::ui
