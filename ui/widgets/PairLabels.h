// Short labels for QualiCLIP's antonym prompt pairs, e.g. "Sharp image." / "Blurry image." ->
// "Sharp / Blurry image", used by the table headers and the pair bar charts. Pure functions.
#pragma once

#include <QString>

#include "engine/Prompts.h"

namespace qc::ui {

// "Positive / Negative common-tail"; the pair's key when the checkpoint has no prompt texts.
QString pairLabel(const qc::PromptPair& pair);

// Both prompts in full, for tooltips.
QString pairDescription(const qc::PromptPair& pair);

}  // namespace qc::ui
