// CompareView: two to four images side by side, for choosing the best of a burst. Each pane
// has its canvas, its score, flag and stars, and its pair bars; zooming or panning one pane does
// the same to the others (same zoom, same relative position). Clicking a pane makes its image
// the current one (framed), which the window's culling keys then mark; Escape closes the window.
// Its own window, never larger than the screen. GUI thread.
#pragma once

#include <QWidget>

#include <vector>

#include "engine/Prompts.h"
#include "ui/session/ImageEntry.h"

class QGridLayout;

namespace qc::ui {

class ComparePane;
struct CanvasView;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);

    // A whole burst fits (Compare Burst): up to 12 panes, four to a row.
    static constexpr int kMaxImages = 12;
    static constexpr int kPanesPerRow = 4;
    // The first kMaxImages entries are shown.
    void showEntries(const std::vector<ImageEntry>& entries,
                     const std::vector<qc::PromptPair>& pairs);
    // A shown image's marks or score changed: its title follows.
    void updateEntry(const ImageEntry& entry);
    // Frames the pane of this image (the one the culling keys mark).
    void setCurrent(ImageId id);
    std::vector<ImageId> shownIds() const;
    QString titleOf(ImageId id) const;  // the pane's title as plain text ("" when not shown)

Q_SIGNALS:
    void paneClicked(qc::ui::ImageId id);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void follow(const ComparePane* source, const CanvasView& view);

    QGridLayout* layout_;
    std::vector<ComparePane*> panes_;
};

}  // namespace qc::ui
