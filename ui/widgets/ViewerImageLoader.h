// ViewerImageLoader: decodes the image a viewer is about to show on a pool thread, at full
// size (100 % must show real pixels). Only the latest request is reported, so flicking through
// images never shows a stale one. GUI thread only.
#pragma once

#include <QImage>
#include <QObject>
#include <QString>

namespace qc::ui {

class ViewerImageLoader : public QObject {
    Q_OBJECT
public:
    explicit ViewerImageLoader(QObject* parent = nullptr);

    void load(const QString& path);
    QString path() const { return path_; }

Q_SIGNALS:
    void loaded(const QImage& image);
    void failed(const QString& message);  // names the file and the reason

private:
    quint64 latest_ = 0;
    QString path_;
};

}  // namespace qc::ui
