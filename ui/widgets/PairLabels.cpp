#include "ui/widgets/PairLabels.h"

#include <QStringList>

namespace qc::ui {
namespace {

QStringList words(const std::string& prompt) {
    QString text = QString::fromStdString(prompt).trimmed();
    if (text.endsWith('.')) text.chop(1);
    return text.split(' ', Qt::SkipEmptyParts);
}

}  // namespace

QString pairLabel(const qc::PromptPair& pair) {
    QStringList positive = words(pair.positive);
    QStringList negative = words(pair.negative);
    if (positive.isEmpty() || negative.isEmpty()) return QString::fromStdString(pair.key);
    // The prompts share their last words ("... image"); say them once.
    QStringList tail;
    while (positive.size() > 1 && negative.size() > 1 && positive.last() == negative.last()) {
        tail.prepend(positive.takeLast());
        negative.removeLast();
    }
    QString label = positive.join(' ') + " / " + negative.join(' ');
    if (!tail.isEmpty()) label += ' ' + tail.join(' ');
    return label;
}

QString pairDescription(const qc::PromptPair& pair) {
    if (pair.positive.empty()) return QString::fromStdString(pair.key);
    return QStringLiteral("Probability of \"%1\" against \"%2\"")
        .arg(QString::fromStdString(pair.positive), QString::fromStdString(pair.negative));
}

}  // namespace qc::ui
