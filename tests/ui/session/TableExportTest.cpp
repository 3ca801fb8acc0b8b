// TableExport: the table as CSV and JSON, filtered or all, with the model, policy and version
// in the header, read back with core's CSV parser and Qt's JSON parser.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "research/CsvReader.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/TableExport.h"
#include "UiTestSupport.h"

using namespace qc::ui;

namespace {

struct Fixture {
    ScoreTableModel table;
    ScoreFilterProxyModel proxy;
    std::vector<ImageId> ids;
    TableExportHeader header{"abc123", "long:1024", "9.8.7"};

    Fixture() {
        std::vector<ImageEntry> entries;
        for (const QString& name : {QStringLiteral("a.png"), QStringLiteral("b, with comma.png"), QStringLiteral("c.png")}) {
            ImageEntry e;
            e.path = QStringLiteral("/shoot/") + name;
            e.fileName = name;
            entries.push_back(e);
        }
        ids = table.addImages(entries);
        for (size_t i = 0; i < ids.size(); ++i)
            table.applyResult(ids[i], test::fakeResult(0.1 + 0.2 * double(i), std::vector<double>(7, 0.5)));
        table.setFlag(ids[1], CullFlag::Pick);
        proxy.setSourceModel(&table);
        proxy.setFlagFilter(FlagFilter::Picked);
    }

    QByteArray write(TableExportFormat format, bool filteredOnly) {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out"));
        QString error;
        if (!exportTable(path, format, exportedEntries(proxy, filteredOnly), table.pairs(), header, &error))
            qFatal("%s", qPrintable(error));
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        return file.readAll();
    }
};

std::vector<qc::CsvRecord> records(const QByteArray& text, QStringList* comments) {
    QByteArray body;
    for (const QByteArray& line : text.split('\n')) {
        if (line.startsWith('#')) comments->append(QString::fromUtf8(line));
        else body += line + '\n';
    }
    return qc::parseCsv(body.toStdString());
}

}  // namespace

class TableExportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csv_data() {
        QTest::addColumn<bool>("filteredOnly");
        QTest::addColumn<int>("rows");
        QTest::newRow("filtered") << true << 1;
        QTest::newRow("all") << false << 3;
    }
    void csv() {
        QFETCH(bool, filteredOnly);
        QFETCH(int, rows);
        Fixture f;
        QStringList comments;
        const auto recs = records(f.write(TableExportFormat::Csv, filteredOnly), &comments);
        QCOMPARE(comments, (QStringList{"# model_sha256: abc123", "# resize: long:1024", "# app_version: 9.8.7"}));
        QCOMPARE(int(recs.size()), rows + 1);  // header row
        QCOMPARE(recs[0].fields[0], std::string("path"));
        QCOMPARE(recs[0].fields.size(), size_t(5 + 7 + 4));
        // The picked image, whose name has a comma, comes back as one field.
        const auto& picked = recs[filteredOnly ? 1 : 2];
        QCOMPARE(picked.fields.size(), recs[0].fields.size());
        QCOMPARE(picked.fields[1], std::string("b, with comma.png"));
        QCOMPARE(picked.fields[3], std::string("pick"));
        QCOMPARE(std::stod(picked.fields[2]), 0.3);
    }

    void json_data() { csv_data(); }
    void json() {
        QFETCH(bool, filteredOnly);
        QFETCH(int, rows);
        Fixture f;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(f.write(TableExportFormat::Json, filteredOnly), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = doc.object();
        QCOMPARE(root[QStringLiteral("model_sha256")].toString(), QStringLiteral("abc123"));
        QCOMPARE(root[QStringLiteral("resize")].toString(), QStringLiteral("long:1024"));
        QCOMPARE(root[QStringLiteral("app_version")].toString(), QStringLiteral("9.8.7"));
        const QJsonArray array = root[QStringLiteral("rows")].toArray();
        QCOMPARE(array.size(), rows);
        const QJsonObject picked = array[filteredOnly ? 0 : 1].toObject();
        QCOMPARE(picked[QStringLiteral("file")].toString(), QStringLiteral("b, with comma.png"));
        QCOMPARE(picked[QStringLiteral("flag")].toString(), QStringLiteral("pick"));
        QCOMPARE(picked[QStringLiteral("score")].toDouble(), 0.3);
        QCOMPARE(picked[QStringLiteral("pairs")].toObject().size(), 7);
    }
};

QTEST_MAIN(TableExportTest)
#include "TableExportTest.moc"
