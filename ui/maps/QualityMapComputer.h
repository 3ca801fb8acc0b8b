// QualityMapComputer: computes the quality map of the image in the viewer on its own pool thread
// (maps can take seconds: a patch map scores dozens of windows), one at a time. A new request
// cancels the one running; only the latest request is reported. The owner's destructor cancels
// and waits. GUI-thread API; results arrive as queued signals.
#pragma once

#include <QImage>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>

#include <opencv2/core/mat.hpp>

#include "engine/QualityMaps.h"
#include "images/ResizePolicy.h"

namespace qc::ui {

struct MapResult {
    QString path;
    qc::QualityMap map;
    cv::Mat input;  // the network input (RGB) the map's cells refer to
};

class QualityMapComputer : public QObject {
    Q_OBJECT
public:
    explicit QualityMapComputer(QObject* parent = nullptr);
    ~QualityMapComputer() override;

    void request(const QString& path, std::shared_ptr<const qc::QualiClipModel> model,
                 const qc::ResizePolicy& policy, const qc::MapRequest& request);
    // An image already in memory (RGB888), used as the network input as it is; `label` names it
    // in results and messages.
    void requestImage(const QString& label, const QImage& image, std::shared_ptr<const qc::QualiClipModel> model,
                      const qc::MapRequest& request);
    void cancel();
    // Blocks until no computation runs (at most msecs; -1 = no limit). What they reported is
    // then queued for this object's thread: nothing more can arrive after those events.
    bool waitForDone(int msecs = -1) { return pool_.waitForDone(msecs); }

Q_SIGNALS:
    void ready(std::shared_ptr<const qc::ui::MapResult> result);
    void failed(const QString& message);  // names the file and the reason
    void progress(int done, int total);

private:
    void start(const QString& path, const QImage& image, std::shared_ptr<const qc::QualiClipModel> model,
               const qc::ResizePolicy& policy, const qc::MapRequest& request);

    QThreadPool pool_;
    quint64 latest_ = 0;
    std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace qc::ui

Q_DECLARE_METATYPE(std::shared_ptr<const qc::ui::MapResult>)
