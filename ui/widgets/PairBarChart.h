// PairBarChart: one image's seven prompt-pair probabilities as horizontal bars (QCustomPlot),
// each labelled with its pair ("Sharp / Blurry image") and coloured like a score; the dashed
// line is the image's score, the mean of the bars. GUI thread.
#pragma once

#include <QWidget>

#include <vector>

#include "engine/Prompts.h"

class QCustomPlot;
class QCPBars;
class QCPItemStraightLine;

namespace qc::ui {

class PairBarChart : public QWidget {
    Q_OBJECT
public:
    explicit PairBarChart(QWidget* parent = nullptr);

    void setPairs(const std::vector<qc::PromptPair>& pairs);
    // Empty probabilities clear the bars (an image without a score).
    void setProbabilities(const std::vector<double>& probabilities, double score);
    int shownBars() const;  // bars with a value drawn now

private:
    QCustomPlot* plot_;
    std::vector<QCPBars*> bars_;  // one per pair, so each has its own colour
    QCPItemStraightLine* scoreLine_;
    std::vector<qc::PromptPair> pairs_;
};

}  // namespace qc::ui
