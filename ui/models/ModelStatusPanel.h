// ModelStatusPanel: the band at the top of the window that says, in the window, why there are
// no scores: no model found (where we looked, where to download the weights, their licence,
// where to put the file), a model loading, or a model that could not be used and why. Hidden
// while a model is in use. Its Download button fetches the authors' weights (progress with
// bytes, rate and time left, and Cancel); "Use a file I already have…" opens one. GUI thread.
#pragma once

#include <QFrame>

#include "ui/session/ScoringSession.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace qc::ui {

class ModelStatusPanel : public QFrame {
    Q_OBJECT
public:
    explicit ModelStatusPanel(QWidget* parent = nullptr);

    // `searched`: the places the model was looked for (core's ModelLocator).
    void showState(ModelState state, const QString& path, const QString& error, const QStringList& searched);

    // The download's state: running shows the progress bar and Cancel instead of Download.
    void setDownloading(bool running);
    void setDownloadProgress(const QString& text, int permille);  // permille -1: size unknown
    void showDownloadMessage(const QString& text);                // an error, or "cancelled"

    QPushButton* downloadButton() const { return download_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QPushButton* dismissButton() const { return dismiss_; }
    QString downloadText() const;

Q_SIGNALS:
    void openModelRequested();
    void downloadRequested();
    void cancelDownloadRequested();

private:
    QLabel* text_;
    QPushButton* download_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* downloadStatus_;
    QPushButton* dismiss_;
};

}  // namespace qc::ui
