#include "ui/inspector/InspectorSettings.h"

#include "ui/session/ScoreTableModel.h"

namespace qc::ui {
namespace {

const char* const kGeometry = "window/geometry";
const char* const kState = "window/state";
const char* const kHeader = "window/tableHeader";
const char* const kRecentFolders = "files/recentFolders";
const char* const kModelFolder = "files/lastModelFolder";
const char* const kLastFolder = "files/lastFolder";
const char* const kReopenLastFolder = "files/reopenLastFolder";
const char* const kModelPath = "scoring/modelPath";
const char* const kAutoAdvance = "culling/autoAdvance";
const char* const kResize = "scoring/resizePolicy";
const char* const kRawMode = "scoring/rawMode";
const char* const kPairScoring = "scoring/pairScoring";
const char* const kThreads = "scoring/computeThreads";
const char* const kDevice = "scoring/device";
const char* const kPrecision = "scoring/precision";
const char* const kRecursive = "files/recursive";
const char* const kSidecarNaming = "xmp/sidecarNaming";
const char* const kWriteXmp = "xmp/writeOnDecision";
const char* const kSortColumn = "view/sortColumn";
const char* const kSortOrder = "view/sortOrder";

}  // namespace

InspectorSettings::InspectorSettings() : settings_(std::make_unique<QSettings>()) {}

InspectorSettings::InspectorSettings(std::unique_ptr<QSettings> settings) : settings_(std::move(settings)) {}

QByteArray InspectorSettings::windowGeometry() const { return settings_->value(kGeometry).toByteArray(); }
void InspectorSettings::setWindowGeometry(const QByteArray& geometry) { settings_->setValue(kGeometry, geometry); }
QByteArray InspectorSettings::windowState() const { return settings_->value(kState).toByteArray(); }
void InspectorSettings::setWindowState(const QByteArray& state) { settings_->setValue(kState, state); }
QByteArray InspectorSettings::tableHeaderState() const { return settings_->value(kHeader).toByteArray(); }
void InspectorSettings::setTableHeaderState(const QByteArray& state) { settings_->setValue(kHeader, state); }

QStringList InspectorSettings::recentFolders() const { return settings_->value(kRecentFolders).toStringList(); }

void InspectorSettings::addRecentFolder(const QString& folder) {
    QStringList folders = recentFolders();
    folders.removeAll(folder);
    folders.prepend(folder);
    while (folders.size() > kMaxRecentFolders) folders.removeLast();
    settings_->setValue(kRecentFolders, folders);
}

QString InspectorSettings::lastFolder() const { return settings_->value(kLastFolder).toString(); }
void InspectorSettings::setLastFolder(const QString& folder) {
    settings_->setValue(kLastFolder, folder);
}
bool InspectorSettings::reopenLastFolder() const {
    return settings_->value(kReopenLastFolder, true).toBool();
}
void InspectorSettings::setReopenLastFolder(bool on) { settings_->setValue(kReopenLastFolder, on); }
QString InspectorSettings::modelPath() const { return settings_->value(kModelPath).toString(); }
void InspectorSettings::setModelPath(const QString& path) { settings_->setValue(kModelPath, path); }
bool InspectorSettings::autoAdvance() const {
    return settings_->value(kAutoAdvance, true).toBool();
}
void InspectorSettings::setAutoAdvance(bool on) { settings_->setValue(kAutoAdvance, on); }

QString InspectorSettings::lastModelFolder() const {
    return settings_->value(kModelFolder).toString();
}
void InspectorSettings::setLastModelFolder(const QString& folder) {
    settings_->setValue(kModelFolder, folder);
}

qc::ResizePolicy InspectorSettings::resizePolicy() const {
    const auto parsed = qc::ResizePolicy::parse(
        settings_->value(kResize, "long:1024/fast").toString().toStdString());
    return parsed.value_or(qc::ResizePolicy::longSideFast(1024));
}

void InspectorSettings::setResizePolicy(const qc::ResizePolicy& policy) {
    settings_->setValue(kResize, QString::fromStdString(policy.toString()));
}

qc::RawMode InspectorSettings::rawMode() const {
    const auto parsed =
        qc::parseRawMode(settings_->value(kRawMode, "auto").toString().toStdString());
    return parsed.value_or(qc::RawMode::Auto);
}

void InspectorSettings::setRawMode(qc::RawMode mode) {
    settings_->setValue(kRawMode, QString::fromStdString(qc::rawModeName(mode)));
}

qc::PairScoring InspectorSettings::pairScoring() const {
    const auto parsed =
        qc::parsePairScoring(settings_->value(kPairScoring, "jpeg").toString().toStdString());
    return parsed.value_or(qc::PairScoring::Jpeg);
}

void InspectorSettings::setPairScoring(qc::PairScoring which) {
    settings_->setValue(kPairScoring, QString::fromStdString(qc::pairScoringName(which)));
}

int InspectorSettings::computeThreads() const { return std::max(0, settings_->value(kThreads, 0).toInt()); }
void InspectorSettings::setComputeThreads(int threads) { settings_->setValue(kThreads, threads); }

QString InspectorSettings::computeDevice() const { return settings_->value(kDevice, QStringLiteral("auto")).toString(); }
void InspectorSettings::setComputeDevice(const QString& device) { settings_->setValue(kDevice, device); }
QString InspectorSettings::computePrecision() const {
    return settings_->value(kPrecision, QStringLiteral("float32")).toString();
}
void InspectorSettings::setComputePrecision(const QString& precision) {
    settings_->setValue(kPrecision, precision);
}

bool InspectorSettings::recursive() const { return settings_->value(kRecursive, true).toBool(); }
void InspectorSettings::setRecursive(bool recursive) { settings_->setValue(kRecursive, recursive); }

qc::SidecarNaming InspectorSettings::sidecarNaming() const {
    const QString text = settings_->value(kSidecarNaming, "darktable").toString();
    return qc::parseSidecarNaming(text.toStdString()).value_or(qc::SidecarNaming::AppendExtension);
}

void InspectorSettings::setSidecarNaming(qc::SidecarNaming naming) {
    settings_->setValue(kSidecarNaming, QString::fromLatin1(qc::sidecarNamingName(naming)));
}

bool InspectorSettings::writeXmpOnDecision() const { return settings_->value(kWriteXmp, false).toBool(); }
void InspectorSettings::setWriteXmpOnDecision(bool on) { settings_->setValue(kWriteXmp, on); }

std::optional<qc::SidecarNaming> InspectorSettings::sidecarWriting() const {
    if (!writeXmpOnDecision()) return std::nullopt;
    return sidecarNaming();
}

int InspectorSettings::sortColumn() const {
    return settings_->value(kSortColumn, int(ScoreTableModel::ScoreColumn)).toInt();
}

Qt::SortOrder InspectorSettings::sortOrder() const {
    // Best first by default: culling starts from the top.
    return settings_->value(kSortOrder, int(Qt::DescendingOrder)).toInt() == Qt::AscendingOrder
               ? Qt::AscendingOrder
               : Qt::DescendingOrder;
}

void InspectorSettings::setSort(int column, Qt::SortOrder order) {
    settings_->setValue(kSortColumn, column);
    settings_->setValue(kSortOrder, int(order));
}

}  // namespace qc::ui
