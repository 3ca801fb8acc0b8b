// loadDisplayImage: an image file as a QImage for the screen (thumbnails, viewer), upright
// (EXIF orientation applied) and shrunk to at most maxSide pixels on its long side. Qt's
// readers are tried first because they can decode JPEGs at a reduced size, which makes
// thumbnails cheap; formats Qt cannot read (TIFF, WebP, 16-bit) go through core's ImageLoader,
// the same decoder the scores come from. RAW and HEIF files always go through core: a thumbnail
// of a RAW is its embedded preview (milliseconds, as for a JPEG), and the viewer shows the pixels
// the network saw (the preview or the demosaic), as chosen by setRawDisplayOptions().
//
// Safe on any thread; call it off the GUI thread, it decodes.
#pragma once

#include <QImage>
#include <QString>

#include "images/PixelSource.h"

namespace qc::ui {

// What the session scores RAW files with (its RAW mode and the policy's long side, 0 = native);
// full-size display of a RAW then picks the same source. Any thread.
void setRawDisplayOptions(qc::RawMode mode, int targetLongSide);

// maxSide <= 0: full size. On failure returns a null image and sets *error to a message that
// names the file and the reason.
QImage loadDisplayImage(const QString& path, int maxSide, QString* error);

}  // namespace qc::ui
