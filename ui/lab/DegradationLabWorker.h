// DegradationLabWorker: runs core's degradation study for the lab on its own thread. It loads
// the image, shrinks it to the lab's working size (long side at most kWorkingLongSide, area
// interpolation: what the network sees at the inspector's default policy), then degrades and
// scores cell by cell, emitting cellReady as each finishes. A new start() cancels and joins the
// previous run; so does the destructor. Created and driven on the GUI thread.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

#include "ui/lab/DegradationLabModel.h"
#include "lab/Degradations.h"
#include "engine/QualiClipModel.h"

namespace qc::ui {

struct LabRequest {
    QString imagePath;
    std::vector<qc::DegradationFamily> families;
    int levels = qc::kDegradationLevels;
    quint32 seed = 1;
    std::shared_ptr<const qc::QualiClipModel> model;  // null: degrade only
};

class DegradationLabWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kWorkingLongSide = 1024;

    explicit DegradationLabWorker(QObject* parent = nullptr);
    ~DegradationLabWorker() override;

    // Returns the run's generation (cells carry it).
    quint64 start(const LabRequest& request);
    void cancel();  // asks the run to stop and waits for it
    bool running() const;

Q_SIGNALS:
    void cellReady(const qc::ui::LabCell& cell);
    // Every cell delivered, or cancelled, or the image could not be read (error says why).
    void finished(quint64 generation, bool cancelled, const QString& error);

private:
    void run(LabRequest request, quint64 generation, std::shared_ptr<std::atomic<bool>> cancel);

    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
    quint64 generation_ = 0;
};

}  // namespace qc::ui
