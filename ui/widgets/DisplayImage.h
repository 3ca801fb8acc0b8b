// loadDisplayImage: an image file as a QImage for the screen (thumbnails, viewer), upright
// (EXIF orientation applied) and shrunk to at most maxSide pixels on its long side. Qt's
// readers are tried first because they can decode JPEGs at a reduced size, which makes
// thumbnails cheap; formats Qt cannot read (TIFF, WebP, 16-bit) go through core's ImageLoader,
// the same decoder the scores come from.
//
// Safe on any thread; call it off the GUI thread, it decodes.
#pragma once

#include <QImage>
#include <QString>

namespace qc::ui {

// maxSide <= 0: full size. On failure returns a null image and sets *error to a message that
// names the file and the reason.
QImage loadDisplayImage(const QString& path, int maxSide, QString* error);

}  // namespace qc::ui
