#include "ui/widgets/DisplayImage.h"

#include <QImageReader>

#include <atomic>

#include <opencv2/imgproc.hpp>

#include "images/ImageLoader.h"

namespace qc::ui {
namespace {

std::atomic<int> rawDisplayMode{int(qc::RawMode::Auto)};
std::atomic<int> rawDisplayLongSide{1024};

// Up to this size a request is a thumbnail: a RAW's embedded preview is enough.
constexpr int kThumbnailSide = 512;

qc::ImageLoadOptions coreOptions(const QString& path, int maxSide) {
    qc::ImageLoadOptions options;
    if (!qc::hasRawExtension(path.toStdString())) return options;
    if (maxSide > 0 && maxSide <= kThumbnailSide) {
        options.raw = qc::RawMode::Auto;
        options.targetLongSide = maxSide;
    } else {
        options.raw = static_cast<qc::RawMode>(rawDisplayMode.load());
        options.targetLongSide = rawDisplayLongSide.load();
    }
    return options;
}

// Qt's TIFF reader would show a RAW's first IFD (often a tiny thumbnail or the undeveloped
// mosaic), and Qt has no HEIF reader here: those go to core directly.
bool coreOnly(const QString& path) {
    const std::string p = path.toStdString();
    return qc::hasRawExtension(p) || qc::hasHeifExtension(p);
}

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
    cv::Mat rgb = qc::loadImageRgb8(path.toStdString(), coreOptions(path, maxSide)).rgb;
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

void setRawDisplayOptions(qc::RawMode mode, int targetLongSide) {
    rawDisplayMode.store(int(mode));
    rawDisplayLongSide.store(targetLongSide);
}

QImage loadDisplayImage(const QString& path, int maxSide, QString* error) {
    QImage image = coreOnly(path) ? QImage() : readWithQt(path, maxSide);
    if (!image.isNull()) return image;
    try {
        return readWithCore(path, maxSide);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace qc::ui
