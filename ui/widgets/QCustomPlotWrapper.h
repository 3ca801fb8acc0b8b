// The one way ui/ includes QCustomPlot. qcustomplot.h uses Qt's `signals`, `slots` and `foreach`
// keywords, which the whole project turns off (QT_NO_KEYWORDS, because they clash with LibTorch's
// headers); this maps them to the Q_ macros for that header only.
#pragma once

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef slots
#undef signals
