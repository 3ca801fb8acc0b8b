// Fixture: core/ stays free of Qt Widgets.
#include <QString>
#include <QWidget>
