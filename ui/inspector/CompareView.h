// CompareView: two to four images side by side, for choosing the best of a burst. Each pane
// has its canvas, its score and its pair bars; zooming or panning one pane does the same to
// the others (same zoom, same relative position). Its own window. GUI thread.
#pragma once

#include <QWidget>

#include <vector>

#include "ui/session/ImageEntry.h"
#include "engine/Prompts.h"

class QHBoxLayout;

namespace qc::ui {

class ComparePane;
struct CanvasView;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);

    static constexpr int kMaxImages = 4;
    // The first kMaxImages entries are shown.
    void showEntries(const std::vector<ImageEntry>& entries, const std::vector<qc::PromptPair>& pairs);

private:
    void follow(const ComparePane* source, const CanvasView& view);

    QHBoxLayout* layout_;
    std::vector<ComparePane*> panes_;
};

}  // namespace qc::ui
