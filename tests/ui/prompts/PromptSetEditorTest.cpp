// PromptSetEditor: token counts from CLIP's tokenizer (oracle vocabulary), add / remove / move /
// rename, the accept button only for a set that can be scored, .prompts files saved and loaded,
// and the message without a vocabulary.
#include <QPushButton>
#include <QTableWidget>
#include <QtTest>

#include "engine/PromptSet.h"
#include "ui/prompts/PromptSetEditor.h"
#include "UiTestSupport.h"

using namespace qc::ui;

namespace {

QString oracle(const QString& name) { return QStringLiteral(QCI_ORACLE_DIR "/") + name; }

std::shared_ptr<const qc::ClipTokenizer> oracleTokenizer() {
    static auto tokenizer = qc::ClipTokenizer::load(
        oracle(QStringLiteral("bpe_simple_vocab_16e6.txt.gz")).toStdString());
    return tokenizer;
}

QString cellText(const PromptSetEditor& editor, int row, int column) {
    return editor.table()->item(row, column)->text();
}

}  // namespace

class PromptSetEditorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsTokenCountsAndRefusesTooLongPrompts() {
        QCI_UI_REQUIRE_ORACLE_FILE(oracle(QStringLiteral("bpe_simple_vocab_16e6.txt.gz")));
        PromptSetEditor editor(oracleTokenizer(), {});
        editor.setPromptSet({"t", {{"good", "Good photo.", "Noisy image.High-quality image."}}});
        // tokenizer.json: "Good photo." takes 5 tokens, the missing-comma string 10.
        QCOMPARE(cellText(editor, 0, PromptSetEditor::TokensColumn), QStringLiteral("5 / 10"));
        QVERIFY(editor.acceptButton()->isEnabled());
        QString longPrompt;
        for (int i = 0; i < 80; ++i) longPrompt += QStringLiteral("very ");
        editor.table()->item(0, PromptSetEditor::PositiveColumn)->setText(longPrompt);
        QCOMPARE(cellText(editor, 0, PromptSetEditor::TokensColumn), QStringLiteral("82 / 10"));
        QVERIFY(!editor.acceptButton()->isEnabled());
        QVERIFY(editor.problem().contains(QStringLiteral("longer than CLIP's 77 tokens")));
    }

    void editsPairsAndKeepsTheSetValid() {
        PromptSetEditor editor(nullptr, QStringLiteral("no vocabulary"));
        editor.setPromptSet(qc::starterPromptSets().front());  // exposure: 3 pairs
        QCOMPARE(editor.table()->rowCount(), 3);
        editor.table()->setCurrentCell(2, 0);
        // Move the last pair to the top, rename it, remove the middle one.
        for (QPushButton* b : editor.findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Move &Up")) {
                b->click();
                editor.table()->setCurrentCell(1, 0);
                b->click();
            }
        QCOMPARE(editor.promptSet().pairs.at(0).key, std::string("balanced_light"));
        editor.table()->item(0, PromptSetEditor::NameColumn)->setText(QStringLiteral("highlights"));
        editor.table()->setCurrentCell(1, 0);
        for (QPushButton* b : editor.findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("&Remove")) b->click();
        const qc::PromptSet set = editor.promptSet();
        QCOMPARE(int(set.pairs.size()), 2);
        QCOMPARE(set.pairs[0].key, std::string("highlights"));
        QCOMPARE(set.pairs[1].key, std::string("not_dark"));
        // Two pairs of one name cannot be scored.
        editor.table()->item(1, PromptSetEditor::NameColumn)->setText(QStringLiteral("highlights"));
        QVERIFY(editor.problem().contains(QStringLiteral("used twice")));
        QVERIFY(!editor.acceptButton()->isEnabled());
        // Without the vocabulary the counts are unknown and the set cannot be scored.
        editor.table()->item(1, PromptSetEditor::NameColumn)->setText(QStringLiteral("dark"));
        QCOMPARE(cellText(editor, 0, PromptSetEditor::TokensColumn), QStringLiteral("? / ?"));
        QVERIFY(!editor.acceptButton()->isEnabled());
    }

    void savesAndLoadsPromptsFiles() {
        QTemporaryDir dir;
        PromptSetEditor editor(nullptr, {});
        editor.setPromptSet(qc::starterPromptSets().at(1));
        const QString path = dir.filePath(QStringLiteral("colour.prompts"));
        QVERIFY(editor.saveFile(path));
        const qc::PromptSet read = qc::readPromptSetFile(path.toStdString());
        QCOMPARE(qc::promptSetId(read), qc::promptSetId(qc::starterPromptSets().at(1)));
        PromptSetEditor other(nullptr, {});
        QVERIFY(other.loadFile(path));
        QCOMPARE(qc::promptSetId(other.promptSet()), qc::promptSetId(read));
        QFile bad(dir.filePath(QStringLiteral("bad.prompts")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("good: Good photo. | Bad photo.\nno bar here\n");
        bad.close();
        QVERIFY(!other.loadFile(bad.fileName()));
        QCOMPARE(other.table()->rowCount(), int(read.pairs.size()));  // unchanged
    }
};

QTEST_MAIN(PromptSetEditorTest)
#include "PromptSetEditorTest.moc"
