#include "ui/inspector/CullRulesDialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>
#include <set>

#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"

namespace qc::ui {
namespace {

// The slider holds similarity as steps of 0.0005 from 0.5: a random-weight model's similarities
// crowd near 1 (docs/benchmarks.md), so the top of the range needs fine steps.
constexpr double kSliderFloor = 0.5, kSliderStep = 0.0005;
int sliderPosition(double similarity) {
    return int(std::lround((similarity - kSliderFloor) / kSliderStep));
}
double sliderValue(int position) { return kSliderFloor + position * kSliderStep; }

}  // namespace

CullRulesDialog::CullRulesDialog(ScoringSession& session, QWidget* parent)
    : QDialog(parent),
      session_(session),
      gap_(new QDoubleSpinBox(this)),
      similarity_(new QSlider(Qt::Horizontal, this)),
      similarityValue_(new QLabel(this)),
      groups_(new QLabel(this)),
      rules_(new QButtonGroup(this)),
      threshold_(new QDoubleSpinBox(this)),
      percent_(new QDoubleSpinBox(this)),
      starred_(new QCheckBox(QStringLiteral("Also reject starred photos"), this)),
      preview_(new QLabel(this)) {
    setWindowTitle(QStringLiteral("Bursts and Rules"));
    gap_->setRange(0, 600);
    gap_->setDecimals(1);
    gap_->setSingleStep(0.5);
    gap_->setSuffix(QStringLiteral(" s"));
    gap_->setValue(session.burstSettings().maxGapSeconds);
    similarity_->setRange(0, sliderPosition(1.0));
    similarity_->setValue(sliderPosition(session.burstSettings().minSimilarity));
    similarity_->setMinimumWidth(240);
    auto* similarityRow = new QHBoxLayout;
    similarityRow->addWidget(similarity_, 1);
    similarityRow->addWidget(similarityValue_);
    auto* burstBox = new QGroupBox(QStringLiteral("Bursts"), this);
    auto* burstForm = new QFormLayout(burstBox);
    burstForm->addRow(QStringLiteral("Longest time between frames:"), gap_);
    burstForm->addRow(QStringLiteral("Least similarity of frames:"), similarityRow);
    burstForm->addRow(QString(), groups_);

    threshold_->setRange(0, 1);
    threshold_->setDecimals(3);
    threshold_->setSingleStep(0.05);
    threshold_->setValue(0.4);
    percent_->setRange(0, 100);
    percent_->setDecimals(0);
    percent_->setSuffix(QStringLiteral(" %"));
    percent_->setValue(20);
    auto* ruleBox = new QGroupBox(QStringLiteral("Rule"), this);
    auto* ruleGrid = new QFormLayout(ruleBox);
    auto* best =
        new QRadioButton(QStringLiteral("Pick the best of each burst, reject the others"), this);
    auto* below = new QRadioButton(QStringLiteral("Reject unflagged photos scored below"), this);
    auto* top = new QRadioButton(QStringLiteral("Pick the top of the shoot"), this);
    rules_->addButton(best, int(Rule::BestOfBursts));
    rules_->addButton(below, int(Rule::RejectBelow));
    rules_->addButton(top, int(Rule::PickTop));
    best->setChecked(true);
    ruleGrid->addRow(best);
    ruleGrid->addRow(below, threshold_);
    ruleGrid->addRow(QString(), starred_);
    ruleGrid->addRow(top, percent_);

    preview_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* applyButton =
        buttons->addButton(QStringLiteral("Apply"), QDialogButtonBox::ApplyRole);
    applyButton->setDefault(true);
    connect(applyButton, &QPushButton::clicked, this, &CullRulesDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(burstBox);
    layout->addWidget(ruleBox);
    layout->addWidget(preview_);
    layout->addWidget(buttons);

    connect(gap_, &QDoubleSpinBox::valueChanged, this, &CullRulesDialog::update);
    connect(similarity_, &QSlider::valueChanged, this, &CullRulesDialog::update);
    connect(rules_, &QButtonGroup::idClicked, this, &CullRulesDialog::update);
    connect(threshold_, &QDoubleSpinBox::valueChanged, this, &CullRulesDialog::update);
    connect(percent_, &QDoubleSpinBox::valueChanged, this, &CullRulesDialog::update);
    connect(starred_, &QCheckBox::toggled, this, &CullRulesDialog::update);
    update();
}

void CullRulesDialog::setRule(Rule rule) {
    rules_->button(int(rule))->setChecked(true);
    update();
}

void CullRulesDialog::setSimilarity(double similarity) {
    similarity_->setValue(sliderPosition(similarity));
}
void CullRulesDialog::setGap(double seconds) { gap_->setValue(seconds); }
QString CullRulesDialog::groupsText() const { return groups_->text(); }
QString CullRulesDialog::previewText() const { return preview_->text(); }

qc::BurstSettings CullRulesDialog::settings() const {
    return {gap_->value(), sliderValue(similarity_->value())};
}

void CullRulesDialog::update() {
    const qc::BurstSettings s = settings();
    similarityValue_->setText(QString::number(s.minSimilarity, 'f', 4));
    const std::vector<qc::CullCandidate> candidates = session_.cullCandidates(s);
    std::set<int64_t> bursts;
    for (const qc::CullCandidate& c : candidates) bursts.insert(c.burstId);
    groups_->setText(
        QStringLiteral("%1 photos in %2 groups").arg(candidates.size()).arg(bursts.size()));
    switch (Rule(rules_->checkedId())) {
        case Rule::BestOfBursts:
            plan_ = qc::planBestOfBursts(candidates);
            break;
        case Rule::RejectBelow:
            plan_ = qc::planRejectBelow(candidates, threshold_->value(), starred_->isChecked());
            break;
        case Rule::PickTop:
            plan_ = qc::planPickTopPercent(candidates, percent_->value());
            break;
    }
    preview_->setText(
        QStringLiteral("Will pick %1 and reject %2 photos. Picks and starred photos are never "
                       "rejected unless asked; Edit \u25b8 Undo takes it all back.")
            .arg(plan_.picks.size())
            .arg(plan_.rejects.size()));
}

void CullRulesDialog::apply() {
    update();
    session_.groupBursts(settings());
    static const char* const names[] = {"Pick best of each burst", "Reject below score",
                                        "Pick top of shoot"};
    session_.applyCullPlan(plan_, QString::fromLatin1(names[rules_->checkedId()]));
    update();
}

}  // namespace qc::ui
