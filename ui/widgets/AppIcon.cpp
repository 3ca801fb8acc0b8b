#include "ui/widgets/AppIcon.h"

#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

#include "AppIconData.h"  // generated from the SVG by ui/CMakeLists.txt

namespace qc::ui {

QIcon applicationIcon() {
    // Rendered by hand rather than through Qt's SVG icon-engine plugin, which a minimal Qt
    // install may lack; the window would then silently have no icon.
    QSvgRenderer renderer{QByteArray(kApplicationIconSvg)};
    QIcon icon;
    for (int side : {16, 22, 24, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(side, side);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        renderer.render(&painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

}  // namespace qc::ui
