// ScoringSession with a custom prompt set: the open photos are rescored with the set's pairs
// (scores as the official recipe gives them, oracle custom_prompt_scores), a missing vocabulary
// leaves the model's own prompts in use with a message, and switching back restores them.
#include <QSignalSpy>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "UiTestSupport.h"
#include "engine/PromptSet.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

namespace {

QString oracle(const QString& name) { return QStringLiteral(QCI_ORACLE_DIR "/") + name; }


}  // namespace

class PromptSetSessionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void customSetRescoresWithItsPairsAndSwitchesBack() {
        QCI_UI_REQUIRE_ORACLE_FILE(oracle(QStringLiteral("text_multihead_qualiclip.pth")));
        std::ifstream in(oracle(QStringLiteral("expected_text_multihead.json")).toStdString());
        const nlohmann::json expected = nlohmann::json::parse(in);
        qc::PromptSet set{"exposure", {}};
        for (const auto& p : expected.at("custom_prompt_sets").at("exposure"))
            set.pairs.push_back({p.at("name"), p.at("positive"), p.at("negative")});
        const QString image = oracle(QStringLiteral("images/scene_512x384.png"));
        const double want =
            expected.at("custom_prompt_scores").at("scene_512x384").at("exposure").at("score");

        ScoringSession session;
        session.setVocabularyPath(oracle(QStringLiteral("bpe_simple_vocab_16e6.txt.gz")));
        session.setPolicy(qc::ResizePolicy::native());
        session.setModel(qc::QualiClipModel::load(
                             oracle(QStringLiteral("text_multihead_qualiclip.pth")).toStdString()),
                         QStringLiteral("multihead"));
        session.addEntries(test::entriesFor({image}));
        QTRY_VERIFY_WITH_TIMEOUT(session.settled(), 60000);
        QCOMPARE(int(session.table()->pairs().size()), 7);
        const double defaultScore = session.table()->scores().at(0);

        QSignalSpy changed(&session, &ScoringSession::promptSetChanged);
        session.setPromptSet(set);
        QVERIFY(session.promptSetLoading());
        QTRY_VERIFY_WITH_TIMEOUT(session.settled() && !session.table()->scores().empty(), 60000);
        QVERIFY(session.promptSetError().isEmpty());
        QCOMPARE(int(session.table()->pairs().size()), 2);
        QCOMPARE(session.table()->pairs()[0].key, std::string("well_exposed"));
        QCOMPARE(session.model()->info().promptSet, qc::promptSetId(set));
        QVERIFY(std::abs(session.table()->scores().at(0) - want) < 1e-5);
        QVERIFY(changed.count() >= 2);  // requested, then ready

        session.setPromptSet(std::nullopt);
        QTRY_VERIFY_WITH_TIMEOUT(session.settled() && !session.table()->scores().empty(), 60000);
        QCOMPARE(int(session.table()->pairs().size()), 7);
        QCOMPARE(session.table()->scores().at(0), defaultScore);
    }

    void missingVocabularyKeepsTheModelsOwnPromptsAndSaysHowToGetIt() {
        QCI_UI_REQUIRE_ORACLE_FILE(oracle(QStringLiteral("text_multihead_qualiclip.pth")));
        QTemporaryDir dir;
        ScoringSession session;
        session.setVocabularyPath(dir.filePath(QStringLiteral("absent.txt.gz")));
        session.setModel(
            qc::QualiClipModel::load(oracle(QStringLiteral("tiny_qualiclip.pth")).toStdString()),
            QStringLiteral("tiny"));
        session.setPromptSet(qc::starterPromptSets().front());
        QVERIFY(!session.promptSet().has_value());
        QVERIFY(session.promptSetError().contains(QStringLiteral("qualiclip models download")));
        QCOMPARE(int(session.table()->pairs().size()), 7);
        QCOMPARE(session.model()->info().promptSet, std::string(qc::kDefaultPromptSetId));
    }
};

QTEST_MAIN(PromptSetSessionTest)
#include "PromptSetSessionTest.moc"
