#include "ui/prompts/PromptSetEditor.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "Errors.h"

namespace qc::ui {
namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

QTableWidgetItem* cell(const QString& value, bool editable = true) {
    auto* item = new QTableWidgetItem(value);
    if (!editable) item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

}  // namespace

PromptSetEditor::PromptSetEditor(std::shared_ptr<const qc::ClipTokenizer> tokenizer,
                                 const QString& vocabularyMessage, QWidget* parent)
    : QDialog(parent),
      tokenizer_(std::move(tokenizer)),
      table_(new QTableWidget(0, ColumnCount, this)),
      starters_(new QComboBox(this)),
      status_(new QLabel(this)) {
    setWindowTitle(QStringLiteral("Prompt Set"));
    auto* intro = new QLabel(
        QStringLiteral(
            "Ask the model your own questions: each pair is scored as the probability that the "
            "photo is "
            "closer to the positive prompt than to the negative one; the score is their mean."),
        this);
    intro->setWordWrap(true);

    starters_->addItem(QStringLiteral("Start from…"));
    for (const qc::PromptSet& s : qc::starterPromptSets()) starters_->addItem(text(s.name));
    connect(starters_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) startFrom(index - 1);
        starters_->setCurrentIndex(0);
    });
    auto* load = new QPushButton(QStringLiteral("&Load…"), this);
    auto* save = new QPushButton(QStringLiteral("&Save…"), this);
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, QStringLiteral("Load Prompt Set"), {},
                                         QStringLiteral("Prompt sets (*.prompts);;All files (*)"));
        if (!path.isEmpty()) loadFile(path);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save Prompt Set"),
                                                    setName_ + ".prompts",
                                                    QStringLiteral("Prompt sets (*.prompts)"));
        if (path.isEmpty()) return;
        if (!path.endsWith(QStringLiteral(".prompts"))) path += QStringLiteral(".prompts");
        saveFile(path);
    });
    auto* files = new QHBoxLayout;
    files->addWidget(starters_);
    files->addStretch(1);
    files->addWidget(load);
    files->addWidget(save);

    table_->setHorizontalHeaderLabels({QStringLiteral("Name"), QStringLiteral("Positive prompt"),
                                       QStringLiteral("Negative prompt"),
                                       QStringLiteral("Tokens")});
    table_->horizontalHeader()->setSectionResizeMode(PositiveColumn, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(NegativeColumn, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(TokensColumn, QHeaderView::ResizeToContents);
    table_->setColumnWidth(NameColumn, 140);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->setVisible(false);
    connect(table_, &QTableWidget::itemChanged, this, [this] {
        if (!refreshing_) refresh();
    });

    auto* add = new QPushButton(QStringLiteral("&Add Pair"), this);
    auto* remove = new QPushButton(QStringLiteral("&Remove"), this);
    auto* up = new QPushButton(QStringLiteral("Move &Up"), this);
    auto* down = new QPushButton(QStringLiteral("Move &Down"), this);
    connect(add, &QPushButton::clicked, this, [this] {
        addPair({"pair_" + std::to_string(table_->rowCount() + 1), "", ""});
        table_->setCurrentCell(table_->rowCount() - 1, PositiveColumn);
        table_->editItem(table_->item(table_->rowCount() - 1, PositiveColumn));
    });
    connect(remove, &QPushButton::clicked, this, &PromptSetEditor::removeSelected);
    connect(up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    auto* rows = new QHBoxLayout;
    for (QPushButton* b : {add, remove, up, down}) rows->addWidget(b);
    rows->addStretch(1);

    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (!tokenizer_) status_->setText(vocabularyMessage);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    acceptButton_ =
        buttons->addButton(QStringLiteral("Score With This Set"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(files);
    layout->addWidget(table_, 1);
    layout->addLayout(rows);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    resize(860, 420);
    refresh();
}

void PromptSetEditor::setPromptSet(const qc::PromptSet& set) {
    refreshing_ = true;
    table_->setRowCount(0);
    setName_ = text(set.name);
    for (const qc::PromptPair& p : set.pairs) addPair(p);
    refreshing_ = false;
    refresh();
}

qc::PromptSet PromptSetEditor::promptSet() const {
    qc::PromptSet set;
    set.name = setName_.isEmpty() ? std::string("custom") : setName_.toStdString();
    for (int row = 0; row < table_->rowCount(); ++row) {
        auto value = [&](int column) {
            return table_->item(row, column)->text().trimmed().toStdString();
        };
        set.pairs.push_back({value(NameColumn), value(PositiveColumn), value(NegativeColumn)});
    }
    return set;
}

void PromptSetEditor::addPair(const qc::PromptPair& pair) {
    const bool wasRefreshing = refreshing_;
    refreshing_ = true;
    const int row = table_->rowCount();
    table_->insertRow(row);
    table_->setItem(row, NameColumn, cell(text(pair.key)));
    table_->setItem(row, PositiveColumn, cell(text(pair.positive)));
    table_->setItem(row, NegativeColumn, cell(text(pair.negative)));
    table_->setItem(row, TokensColumn, cell({}, false));
    refreshing_ = wasRefreshing;
    if (!refreshing_) refresh();
}

void PromptSetEditor::removeSelected() {
    const int row = table_->currentRow();
    if (row < 0) return;
    table_->removeRow(row);
    refresh();
}

void PromptSetEditor::moveSelected(int step) {
    const int row = table_->currentRow(), target = row + step;
    if (row < 0 || target < 0 || target >= table_->rowCount()) return;
    refreshing_ = true;
    for (int column = 0; column < ColumnCount; ++column) {
        QTableWidgetItem* a = table_->takeItem(row, column);
        QTableWidgetItem* b = table_->takeItem(target, column);
        table_->setItem(row, column, b);
        table_->setItem(target, column, a);
    }
    refreshing_ = false;
    table_->setCurrentCell(target, table_->currentColumn());
    refresh();
}

void PromptSetEditor::startFrom(int starterIndex) {
    const std::vector<qc::PromptSet> starters = qc::starterPromptSets();
    if (starterIndex >= 0 && starterIndex < static_cast<int>(starters.size()))
        setPromptSet(starters[starterIndex]);
}

bool PromptSetEditor::loadFile(const QString& path) {
    try {
        setPromptSet(qc::readPromptSetFile(path.toStdString()));
        return true;
    } catch (const qc::PromptError& e) {
        status_->setText(text(e.what()));
        return false;
    }
}

bool PromptSetEditor::saveFile(const QString& path) {
    try {
        qc::PromptSet set = promptSet();
        set.name = QFileInfo(path).completeBaseName().toStdString();
        qc::writePromptSetFile(path.toStdString(), set);
        setName_ = text(set.name);
        status_->setText(QStringLiteral("Saved %1").arg(path));
        return true;
    } catch (const qc::PromptError& e) {
        status_->setText(text(e.what()));
        return false;
    }
}

// "7": tokens the prompt takes of CLIP's context (start and end included); "?" without a tokenizer.
QString PromptSetEditor::tokenText(const std::string& prompt, bool& tooLong) const {
    if (!tokenizer_) return QStringLiteral("?");
    const int count = tokenizer_->tokenCount(prompt);
    tooLong = tooLong || count > qc::ClipTokenizer::kContextLength;
    return QString::number(count);
}

void PromptSetEditor::refresh() {
    refreshing_ = true;
    const qc::PromptSet set = promptSet();
    bool tooLong = false;
    QString longest;
    for (int row = 0; row < table_->rowCount(); ++row) {
        bool rowTooLong = false;
        const QString counts = tokenText(set.pairs[row].positive, rowTooLong) +
                               QStringLiteral(" / ") +
                               tokenText(set.pairs[row].negative, rowTooLong);
        QTableWidgetItem* item = table_->item(row, TokensColumn);
        item->setText(counts);
        item->setForeground(rowTooLong ? QColor(200, 30, 30) : palette().color(QPalette::Text));
        item->setToolTip(QStringLiteral("Tokens of the positive / negative prompt, of at most %1")
                             .arg(qc::ClipTokenizer::kContextLength));
        if (rowTooLong && !tooLong) longest = text(set.pairs[row].key);
        tooLong = tooLong || rowTooLong;
    }
    refreshing_ = false;
    problem_ = text(qc::promptSetProblem(set));
    if (problem_.isEmpty() && tooLong)
        problem_ = QStringLiteral("a prompt of '%1' is longer than CLIP's %2 tokens")
                       .arg(longest)
                       .arg(qc::ClipTokenizer::kContextLength);
    if (problem_.isEmpty() && !tokenizer_)
        problem_ = QStringLiteral("CLIP's vocabulary is not installed");
    acceptButton_->setEnabled(problem_.isEmpty());
    if (tokenizer_)
        status_->setText(problem_.isEmpty()
                             ? QStringLiteral("%1 pairs, ready.").arg(set.pairs.size())
                             : problem_);
}

}  // namespace qc::ui
