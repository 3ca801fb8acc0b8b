#include "ui/inspector/RejectBelowDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/session/ScoreTableModel.h"

namespace qc::ui {

std::vector<ImageId> rejectBelowCandidates(const ScoreTableModel& table, double threshold,
                                           bool includeStarred) {
    std::vector<ImageId> ids;
    for (int row = 0; row < table.count(); ++row) {
        const ImageEntry& e = table.entryAt(row);
        if (!e.hasScore() || e.score >= threshold || e.flag != CullFlag::None) continue;
        if (e.stars > 0 && !includeStarred) continue;
        ids.push_back(e.id);
    }
    return ids;
}

RejectBelowDialog::RejectBelowDialog(const ScoreTableModel& table, double threshold,
                                     QWidget* parent)
    : QDialog(parent),
      table_(table),
      threshold_(new QDoubleSpinBox(this)),
      starred_(new QCheckBox(QStringLiteral("Also reject starred photos"), this)),
      summary_(new QLabel(this)) {
    setWindowTitle(QStringLiteral("Reject All Below Score"));
    threshold_->setRange(0, 1);
    threshold_->setDecimals(3);
    threshold_->setSingleStep(0.05);
    threshold_->setValue(threshold);
    summary_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    reject_ = buttons->addButton(QStringLiteral("Reject"), QDialogButtonBox::AcceptRole);
    reject_->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* form = new QFormLayout;
    form->addRow(QStringLiteral("Reject unflagged images scored below:"), threshold_);
    form->addRow(QString(), starred_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(summary_);
    layout->addWidget(buttons);
    connect(threshold_, &QDoubleSpinBox::valueChanged, this, &RejectBelowDialog::update);
    connect(starred_, &QCheckBox::toggled, this, &RejectBelowDialog::update);
    update();
}

double RejectBelowDialog::threshold() const { return threshold_->value(); }
bool RejectBelowDialog::includeStarred() const { return starred_->isChecked(); }
QString RejectBelowDialog::summary() const { return summary_->text(); }

void RejectBelowDialog::update() {
    const double below = threshold();
    const int count = int(rejectBelowCandidates(table_, below, includeStarred()).size());
    int picks = 0, starred = 0;
    for (int row = 0; row < table_.count(); ++row) {
        const ImageEntry& e = table_.entryAt(row);
        if (!e.hasScore() || e.score >= below) continue;
        if (e.flag == CullFlag::Pick)
            ++picks;
        else if (e.flag == CullFlag::None && e.stars > 0 && !includeStarred())
            ++starred;
    }
    QString text = count == 1 ? QStringLiteral("1 image will be rejected.")
                              : QStringLiteral("%1 images will be rejected.").arg(count);
    QStringList kept;
    if (picks > 0)
        kept << (picks == 1 ? QStringLiteral("1 pick") : QStringLiteral("%1 picks").arg(picks));
    if (starred > 0)
        kept << (starred == 1 ? QStringLiteral("1 starred photo")
                              : QStringLiteral("%1 starred photos").arg(starred));
    if (!kept.isEmpty())
        text += QStringLiteral(" Left alone below that score: %1.")
                    .arg(kept.join(QStringLiteral(" and ")));
    summary_->setText(text);
    reject_->setText(QStringLiteral("Reject %1").arg(count));
    reject_->setEnabled(count > 0);
}

}  // namespace qc::ui
