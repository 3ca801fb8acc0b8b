// ModelStatusPanel: the band at the top of the window that says, in the window, why there are
// no scores: no model found (where we looked, where to download the weights, their licence,
// where to put the file), a model loading, or a model that could not be used and why. Hidden
// while a model is in use. GUI thread.
#pragma once

#include <QFrame>

#include "ScoringSession.h"

class QLabel;

namespace qc::ui {

class ModelStatusPanel : public QFrame {
    Q_OBJECT
public:
    explicit ModelStatusPanel(QWidget* parent = nullptr);

    // `searched`: the places the model was looked for (core's ModelLocator).
    void showState(ModelState state, const QString& path, const QString& error, const QStringList& searched);

Q_SIGNALS:
    void openModelRequested();

private:
    QLabel* text_;
};

}  // namespace qc::ui
