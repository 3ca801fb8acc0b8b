// PromptSetEditor: the dialog where a person writes the questions to ask the model: a table of
// antonym pairs (name, positive prompt, negative prompt, tokens each takes of CLIP's 77) with
// add, remove, move up/down (rename = edit the name), starting sets (exposure, colour, noise,
// compression, sharpness) and .prompts files to load and save. It only edits a core PromptSet;
// ScoringSession::setPromptSet scores with it.
//
// Token counts need CLIP's tokenizer; without one (vocabulary not installed) they show "?" and
// the dialog says how to get the vocabulary. GUI thread only.
#pragma once

#include <QDialog>

#include <memory>

#include "engine/ClipTokenizer.h"
#include "engine/PromptSet.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace qc::ui {

class PromptSetEditor : public QDialog {
    Q_OBJECT
public:
    // tokenizer may be null; vocabularyMessage then says why (shown in the dialog).
    PromptSetEditor(std::shared_ptr<const qc::ClipTokenizer> tokenizer,
                    const QString& vocabularyMessage, QWidget* parent = nullptr);

    void setPromptSet(const qc::PromptSet& set);
    qc::PromptSet promptSet() const;
    // "" when the set can be scored, else the first problem (also shown under the table).
    QString problem() const { return problem_; }

    // For tests and the window's File actions.
    bool loadFile(const QString& path);  // false: the message is shown in the dialog
    bool saveFile(const QString& path);
    QTableWidget* table() const { return table_; }
    QPushButton* acceptButton() const { return acceptButton_; }

    enum Column { NameColumn, PositiveColumn, NegativeColumn, TokensColumn, ColumnCount };

private:
    void addPair(const qc::PromptPair& pair);
    void removeSelected();
    void moveSelected(int step);
    void startFrom(int starterIndex);
    void refresh();
    QString tokenText(const std::string& prompt, bool& tooLong) const;

    std::shared_ptr<const qc::ClipTokenizer> tokenizer_;
    QString setName_;
    QTableWidget* table_;
    QComboBox* starters_;
    QLabel* status_;
    QPushButton* acceptButton_;
    QString problem_;
    bool refreshing_ = false;
};

}  // namespace qc::ui
