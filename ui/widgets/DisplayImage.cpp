#include "ui/widgets/DisplayImage.h"

#include <QImageReader>

#include <opencv2/imgproc.hpp>

#include "images/ImageLoader.h"

namespace qc::ui {
namespace {

QImage readWithQt(const QString& path, int maxSide) {
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (!size.isValid()) return {};
    // The reader scales before EXIF rotation, so a bounding square keeps it right either way.
    if (maxSide > 0 && (size.width() > maxSide || size.height() > maxSide))
        reader.setScaledSize(size.scaled(maxSide, maxSide, Qt::KeepAspectRatio));
    return reader.read();
}

QImage readWithCore(const QString& path, int maxSide) {
    cv::Mat rgb = qc::loadImageRgb8(path.toStdString()).rgb;
    const int longSide = std::max(rgb.cols, rgb.rows);
    if (maxSide > 0 && longSide > maxSide) {
        const double f = double(maxSide) / longSide;
        cv::Mat small;
        cv::resize(rgb, small, cv::Size(), f, f, cv::INTER_AREA);
        rgb = small;
    }
    QImage view(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888);
    return view.copy();  // own the pixels; rgb goes away
}

}  // namespace

QImage loadDisplayImage(const QString& path, int maxSide, QString* error) {
    QImage image = readWithQt(path, maxSide);
    if (!image.isNull()) return image;
    try {
        return readWithCore(path, maxSide);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace qc::ui
