// "Write XMP on every decision": the setting (InspectorSettings) turns it on in the session, a
// pick, reject or star change then writes the sidecar (read back with core's reader), and a
// sidecar that cannot be written is reported as a problem naming the file.
#include <QSignalSpy>
#include <QtTest>

#include "ui/inspector/InspectorSettings.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "UiTestSupport.h"
#include "library/XmpSidecar.h"

using namespace qc::ui;

namespace {

InspectorSettings iniSettings(const QTemporaryDir& dir) {
    return InspectorSettings(std::make_unique<QSettings>(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
}

ImageId addImage(ScoringSession& session, const QString& path) {
    ImageEntry e;
    e.path = path;
    e.fileName = QFileInfo(path).fileName();
    return session.addEntries({e}).at(0);
}

}  // namespace

class SidecarOnDecisionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void settingDefaultsAndRoundTrip() {
        QTemporaryDir dir;
        QVERIFY(!iniSettings(dir).sidecarWriting().has_value());
        QCOMPARE(iniSettings(dir).sidecarNaming(), qc::SidecarNaming::AppendExtension);
        iniSettings(dir).setSidecarNaming(qc::SidecarNaming::ReplaceExtension);
        iniSettings(dir).setWriteXmpOnDecision(true);
        QVERIFY(iniSettings(dir).sidecarWriting() == std::optional(qc::SidecarNaming::ReplaceExtension));
    }

    void decisionWritesTheSidecar_data() {
        QTest::addColumn<int>("naming");
        QTest::newRow("IMG_1.xmp") << int(qc::SidecarNaming::ReplaceExtension);
        QTest::newRow("IMG_1.png.xmp") << int(qc::SidecarNaming::AppendExtension);
    }
    void decisionWritesTheSidecar() {
        QFETCH(int, naming);
        const auto chosen = qc::SidecarNaming(naming);
        const auto other = chosen == qc::SidecarNaming::AppendExtension ? qc::SidecarNaming::ReplaceExtension
                                                                       : qc::SidecarNaming::AppendExtension;
        QTemporaryDir dir;
        const QString image = test::writeImages(dir, 1, 16).at(0);
        iniSettings(dir).setSidecarNaming(chosen);
        iniSettings(dir).setWriteXmpOnDecision(true);
        ScoringSession session;
        session.setSidecarWriting(iniSettings(dir).sidecarWriting());
        const ImageId id = addImage(session, image);

        session.setStars(id, 3);
        auto back = qc::readSidecar(image.toStdString(), chosen);
        QVERIFY(back.has_value());
        QCOMPARE(back->rating.value_or(-99), 3);
        session.setFlag(id, CullFlag::Reject);
        QCOMPARE(qc::readSidecar(image.toStdString(), chosen)->rating.value_or(-99), -1);
        session.setFlag(id, CullFlag::None);
        QCOMPARE(qc::readSidecar(image.toStdString(), chosen)->rating.value_or(-99), 3);
        QVERIFY(!qc::readSidecar(image.toStdString(), other).has_value());
    }

    void offWritesNothing() {
        QTemporaryDir dir;
        const QString image = test::writeImages(dir, 1, 16).at(0);
        ScoringSession session;
        session.setSidecarWriting(iniSettings(dir).sidecarWriting());
        session.setFlag(addImage(session, image), CullFlag::Pick);
        QVERIFY(!qc::readSidecar(image.toStdString(), qc::SidecarNaming::AppendExtension).has_value());
        QVERIFY(!qc::readSidecar(image.toStdString(), qc::SidecarNaming::ReplaceExtension).has_value());
    }

    void failureIsAProblem() {
        QTemporaryDir dir;
        const QString image = test::writeImages(dir, 1, 16).at(0);
        // A folder where the sidecar should go: it cannot be replaced by a file.
        QVERIFY(QDir().mkpath(image + QStringLiteral(".xmp")));
        ScoringSession session;
        session.setSidecarWriting(qc::SidecarNaming::AppendExtension);
        QSignalSpy problems(&session, &ScoringSession::problemsFound);
        session.setFlag(addImage(session, image), CullFlag::Pick);
        QCOMPARE(problems.count(), 1);
        const auto reported = problems.at(0).at(0).value<std::vector<OpenProblem>>();
        QCOMPARE(int(reported.size()), 1);
        QCOMPARE(reported[0].path, image);
        QVERIFY(reported[0].reason.startsWith(QStringLiteral("XMP sidecar not written")));
    }
};

QTEST_MAIN(SidecarOnDecisionTest)
#include "SidecarOnDecisionTest.moc"
