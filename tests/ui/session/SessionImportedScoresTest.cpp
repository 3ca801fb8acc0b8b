// ScoringSession over a catalog that `qualiclip catalog import` filled from a cluster run's rows
// (issue #16): the folder opens with every score at once and nothing is scored again.
#include <QtTest>

#include <sstream>

#include "UiTestSupport.h"
#include "engine/ScoringEngine.h"
#include "library/Catalog.h"
#include "library/CatalogImport.h"
#include "results/ResultRows.h"
#include "results/ResultWriter.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

using namespace qc::ui;

using test::entriesFor;

class SessionImportedScoresTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importedRowsAreShownWithoutScoring() {
        QTemporaryDir dir;
        const QStringList paths = test::writeImages(dir, 5, 64);
        std::vector<std::string> files;
        for (const QString& p : paths) files.push_back(p.toStdString());

        // The cluster's side: rows written by the engine through ResultWriter, as `score` does.
        qc::ScoringOptions options;
        options.resize = qc::ResizePolicy::native();
        const qc::ScoringEngine engine(test::smallModel(), options);
        std::ostringstream rows;
        qc::ResultWriter writer(rows, qc::OutputFormat::Jsonl, test::smallModel()->info().pairs,
                                false);
        std::vector<double> engineScores;
        engine.scoreFiles(files, [&](size_t, const qc::ImageResult& r) {
            writer.write(r);
            engineScores.push_back(r.score);
        });
        QCOMPARE(int(engineScores.size()), 5);
        const QString rowsFile = QDir(dir.path()).filePath(QStringLiteral("all.jsonl"));
        {
            QFile out(rowsFile);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(QByteArray::fromStdString(rows.str()));
        }

        // Home again: the rows read back and imported into the catalog the window uses.
        const std::string dbPath =
            QDir(dir.path()).filePath(QStringLiteral("catalog.sqlite")).toStdString();
        auto catalog = std::make_shared<qc::Catalog>(dbPath);
        std::vector<qc::ImageResult> imported;
        for (const qc::ResultRow& row : qc::readResultFile(rowsFile.toStdString()).rows)
            imported.push_back(qc::toImageResult(row));
        QCOMPARE(qc::importScores(*catalog, imported).stored, size_t(5));

        ScoringSession session;
        session.setCatalog(catalog);
        session.setPolicy(qc::ResizePolicy::native());
        session.setModel(test::smallModel(), QStringLiteral("small random model"));
        session.addEntries(entriesFor(paths));
        QVERIFY2(!session.scoring(), "every score came from the import: nothing to run");
        QCOMPARE(session.table()->scores(), engineScores);
    }
};

QTEST_MAIN(SessionImportedScoresTest)
#include "SessionImportedScoresTest.moc"
