// InspectorWindow: the inspector's main window. It assembles the views over one
// ScoringSession (table, model status panel, problems, progress) and turns menu, toolbar,
// keyboard and drag-and-drop input into session calls. It holds no scoring logic itself.
// GUI thread only.
#pragma once

#include <QMainWindow>

#include <functional>
#include <optional>
#include <vector>

#include "engine/PromptSet.h"
#include "ui/session/FileTransfer.h"
#include "ui/session/ImageEntry.h"
#include "ui/session/ScoreFilterProxyModel.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QProgressBar;
class QListView;
class QStackedWidget;
class QTableView;
class QSplitter;
class QTimer;

namespace qc::ui {

class BurstActions;
class CompareView;
class FullScreenViewer;
class ImageDetailPanel;
class ModelDownloadController;
class ScoreHistogram;
class ModelStatusPanel;
class ProblemsDock;
class ScoreFilterProxyModel;
class ScoringSession;
class ThumbnailCache;

class InspectorWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit InspectorWindow(QWidget* parent = nullptr);
    ~InspectorWindow() override;

    ScoringSession* session() const { return session_; }
    ScoreFilterProxyModel* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }
    QListView* grid() const { return grid_; }
    BurstActions* bursts() const { return bursts_; }
    void showGrid(bool grid);
    ImageDetailPanel* detailPanel() const { return detail_; }
    QAction* degradeAction() const { return degradeAction_; }  // opens the lab on the current image
    QAction* aboutAction() const { return aboutAction_; }  // Help > About, with the version report
    QAction* shortcutsAction() const { return shortcutsAction_; }  // Help > Keyboard Shortcuts
    ModelStatusPanel* modelPanel() const { return modelPanel_; }
    ProblemsDock* problemsDock() const { return problems_; }
    QLabel* progressLabel() const { return progressLabel_; }
    FullScreenViewer* fullScreenViewer() const { return fullScreen_; }
    QAction* fullScreenAction() const { return fullScreenAction_; }  // F
    CompareView* compareView() const { return compare_; }
    ScoreHistogram* histogram() const { return histogram_; }

    // Adds files and folders to the list (drops, Add Folder…, the command line).
    void open(const QStringList& paths);
    // File > Open Folder…: the folder replaces the list, and is reopened at the next start.
    void openFolder(const QString& folder);
    // File > Close Folder: empties the list (scores and marks stay in the catalog).
    void closeFolder();
    // At start, without paths on the command line: the folder open when the window last closed,
    // when that setting is on (File > Reopen Last Folder at Start).
    void reopenLastFolder();
    QAction* autoAdvanceAction() const { return autoAdvanceAction_; }
    // Makes the image current in the list and the viewer, opening it first when it is not listed
    // (research mode's "show me this failure case").
    void showImage(const QString& path);
    // Starts loading `path`, or, when empty, the model core's ModelLocator finds.
    void loadModel(const QString& explicitPath);
    // Scores the open photos with a custom prompt set (the toolbar's Prompts switch selects it).
    void usePromptSet(const qc::PromptSet& set);
    QComboBox* promptSwitch() const { return promptCombo_; }
    // Opens the prompt-set editor (window-modal, deleted on close); accepting scores with its set.
    QDialog* editPromptSet();
    // Nothing is loading, scanning, scoring or making visible thumbnails.
    bool settled() const;
    // Downloads the registry's first model into the models folder (from `url` when not empty),
    // with progress in the model panel, then loads it.
    void startModelDownload(const QString& url = {});
    void showModelsDialog();

    // Culling, on the selected images (or the current one).
    void applyFlag(CullFlag flag);
    void applyStars(int stars);
    void selectBelow(double threshold);
    // Rejects the unflagged images scored below `threshold`; picks always, and starred images
    // unless `includeStarred`, are left alone (RejectBelowDialog says how many before).
    void rejectBelow(double threshold, bool includeStarred = false);
    ImageId currentId() const;  // 0 when none

    // Filters the list to a score range and shows it on the histogram: what dragging across
    // the histogram does (nullopt clears it). For the --score-range option.
    void setScoreRange(std::optional<ScoreRange> range);
    // Gives the viewer (image, score, pair bars) most of the window's width.
    void enlargeViewer();
    // Makes the first image in the list current, as the Home key does.
    void goToFirst() { moveToEnd(false); }
    // Selects these rows of the list (as shown) and opens the compare view on them; returns it,
    // or nullptr when fewer than two rows exist.
    CompareView* compareRows(const std::vector<int>& rows);

protected:
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createCullingActions();
    QAction* addShortcutAction(const QString& text, const QList<QKeySequence>& keys);
    void createMenus();
    void createToolBar();
    void createCentralArea();
    void createStatusBar();
    void createDeviceMenu(QMenu* parent);
    void createPrecisionEntries();
    // Resolves the device and precision settings ("auto", "cpu", "cuda:N"; "float32",
    // "bfloat16") and reloads the model with them; a device this machine lacks falls back to the
    // CPU, bfloat16 on a CPU without it to float32, each with a message in the status bar.
    void applyComputeOptions();
    void restoreSettings();
    void fitDocksToHeight();

    void chooseImages();
    void chooseFolder();
    void chooseModel();
    void connectModelDownloads();
    void updateRecentMenu();
    void removeSelected();
    void exportTable();                                   // File > Export Table...
    void transferFlagged(CullFlag flag, TransferMode mode);  // File > Copy Picks To... / Move Rejects To...
    void applySidecarSettings();                          // Cull > XMP Sidecars
    void onModelStateChanged();
    void onPromptSetChanged();
    void onPromptChoice(int index);
    void onProgressChanged();
    void onPolicyChosen(int index);
    void onThumbnailFailed(ImageId id, const QString& message);

    // Marks the culling targets with `mark`, then moves on as Lightroom does: to the next image
    // with auto advance, or to the image that took the place of one the filter now hides.
    void cull(const std::function<void(ImageId)>& mark);
    std::vector<ImageId> cullingTargets() const;  // Compare: its current pane; else the selection
    bool compareActive() const;
    void onComparePaneClicked(ImageId id);
    void selectRowQuietly(int row);  // a selection the window makes, not the user
    void followFirstRowIfOpening();
    void returnFocusToList();
    void keepArrowsOnTheList();
    void showShortcuts();
    QString currentFolder() const;
    void moveCurrent(int delta);
    void moveToEnd(bool last);
    void toggleFullScreen();
    void compareSelected();
    void compareEntries(const std::vector<ImageEntry>& entries);
    void askSelectBelow();
    void askRejectBelow();
    void onCurrentChanged();
    void refreshCurrentViews();
    void refreshHistogram();
    void sizePairColumns();

    std::vector<ImageId> selectedIds() const;

    ScoringSession* session_;
    ThumbnailCache* thumbnails_;
    ScoreFilterProxyModel* proxy_;
    QTableView* table_ = nullptr;
    QListView* grid_ = nullptr;
    QStackedWidget* listStack_ = nullptr;
    QSplitter* listViewerSplit_ = nullptr;
    ModelStatusPanel* modelPanel_ = nullptr;
    ProblemsDock* problems_ = nullptr;
    QComboBox* policyCombo_ = nullptr;
    QComboBox* promptCombo_ = nullptr;  // the model's own prompts or the custom set
    QLabel* promptLabel_ = nullptr;
    QAction* editPromptsAction_ = nullptr;
    std::optional<qc::PromptSet> customPromptSet_;  // the last set edited or loaded
    QComboBox* flagFilterCombo_ = nullptr;
    QComboBox* starsFilterCombo_ = nullptr;
    FullScreenViewer* fullScreen_ = nullptr;
    CompareView* compare_ = nullptr;
    ImageDetailPanel* detail_ = nullptr;
    ScoreHistogram* histogram_ = nullptr;
    QTimer* histogramTimer_ = nullptr;
    QList<QAction*> cullingActions_;  // also active in the full-screen viewer
    QProgressBar* progressBar_ = nullptr;
    QLabel* progressLabel_ = nullptr;
    QLabel* modelLabel_ = nullptr;
    QLabel* policyLabel_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QString pendingImage_;  // showImage() waits for this path to be listed
    QString openFolder_;    // the folder Open Folder… showed last ("" after Close Folder)
    // After a folder opens, its first row (as sorted) stays current while scores re-sort the
    // list, until the user moves.
    bool followFirstRow_ = false;
    int selectingQuietly_ = 0;
    bool selectPath(const QString& path);
    QStringList searchedForModel_;
    ModelDownloadController* downloads_;

    QAction* openImagesAction_ = nullptr;
    QAction* openFolderAction_ = nullptr;
    QAction* addFolderAction_ = nullptr;
    QAction* closeFolderAction_ = nullptr;
    QAction* reopenFolderAction_ = nullptr;
    QAction* autoAdvanceAction_ = nullptr;
    QAction* fitAction_ = nullptr;
    QAction* actualSizeAction_ = nullptr;
    QAction* shortcutsAction_ = nullptr;
    QAction* openModelAction_ = nullptr;
    QAction* modelsAction_ = nullptr;
    QAction* recursiveAction_ = nullptr;
    QAction* removeAction_ = nullptr;
    QAction* cancelAction_ = nullptr;
    QAction* resumeAction_ = nullptr;
    QAction* quitAction_ = nullptr;
    QAction* exportAction_ = nullptr;
    QAction* copyPicksAction_ = nullptr;
    QAction* moveRejectsAction_ = nullptr;
    QAction* writeXmpAction_ = nullptr;
    QAction* lightroomNamingAction_ = nullptr;
    QAction* darktableNamingAction_ = nullptr;
    QAction* fullScreenAction_ = nullptr;
    QMenu* deviceMenu_ = nullptr;
    QList<QAction*> precisionActions_;  // Compute Device ▸ Precision entries
    QAction* compareAction_ = nullptr;
    QAction* degradeAction_ = nullptr;  // opens the degradation lab (issue #7)
    QAction* aboutAction_ = nullptr;    // opens the About dialog (issue #17)
    QAction* tableViewAction_ = nullptr;
    QAction* gridViewAction_ = nullptr;
    QAction* selectBelowAction_ = nullptr;
    QAction* rejectBelowAction_ = nullptr;
    BurstActions* bursts_ = nullptr;
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;
};

}  // namespace qc::ui
