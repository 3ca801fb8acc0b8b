// qualiclip-gui-bench: how the inspector window behaves while it scores a large folder (issue #3).
// It writes N small generated images (not timed), opens their folder in the real, shown
// InspectorWindow with a model loaded and the default settings (resize policy long:1024, sorted
// by score), and measures: time until every row is listed, time to the first score in the table
// model, the GUI event loop's stalls (lateness of a 1 ms timer), images per second, total time
// and peak resident memory. It prints a Markdown table for docs/benchmarks.md.
//
//   qualiclip-gui-bench [--count N] [--model PATH] [--seed S] [--stalls] [--soak]
//                       [--folder DIR] [--resize POLICY]
//
// --folder opens an existing folder instead of generated images (every image in it, as the window
// lists them), e.g. qualiclip-shoot-bench's 24 MP photos; --resize sets the window's resize
// policy first (default: the window's own, long:1024/fast).
//
// --soak (issue #19) also walks the table while it scores, one row further every 20 ms (the viewer
// loads each image, the table scrolls and draws thumbnails), and reports the resident memory
// (now, not peak) once 1,000 images are scored and after all are: the thumbnail and image caches
// must keep it bounded, so on 10,000 images the second is within 300 MB of the first.
//
// --stalls lists every stall over 20 ms with its time and how many images were scored by then,
// and the ten slowest events the GUI thread handled (receiver class, event type).
//
// Default model: the tiny random-weight conformance checkpoint (QCI_ORACLE_DIR). Runs offscreen
// unless QT_QPA_PLATFORM says otherwise (e.g. xcb under xvfb-run).
#include <sys/resource.h>
#include <unistd.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QPointer>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/ComputeEnvironment.h"
#include "ui/inspector/InspectorWindow.h"
#include "engine/QualiClipModel.h"
#include "library/ImageCollector.h"
#include "ui/session/ScoreFilterProxyModel.h"
#include "ui/session/ScoreTableModel.h"
#include "ui/session/ScoringSession.h"
#include "engine/TorchBenchmark.h"

namespace {

struct BenchArguments {
    int count = 2000;
    unsigned seed = 1;
    std::string model;
    bool listStalls = false;
    bool soak = false;
    std::string folder;  // an existing folder to open instead of generated images
    std::string resize;  // the window's resize policy; empty = its default
};

// Resident memory now (VmRSS), not the peak: what a long session keeps.
double residentMiB() {
    QFile file(QStringLiteral("/proc/self/statm"));
    if (!file.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0) : 0;
}

// Varied 320x240 scenes: a gradient, a few shapes, some blur and noise; every third a PNG.
QStringList writeImages(const QString& folder, int count, unsigned seed) {
    cv::RNG rng(seed);
    QStringList paths;
    for (int i = 0; i < count; ++i) {
        cv::Mat image(240, 320, CV_8UC3);
        const cv::Vec3f from(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
        const cv::Vec3f to(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
        const bool vertical = rng.uniform(0, 2) == 0;
        for (int y = 0; y < image.rows; ++y)
            for (int x = 0; x < image.cols; ++x) {
                const float t = vertical ? float(y) / float(image.rows - 1) : float(x) / float(image.cols - 1);
                const cv::Vec3f c = from * (1 - t) + to * t;
                image.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(c[0]), uchar(c[1]), uchar(c[2]));
            }
        const int shapes = rng.uniform(1, 8);
        for (int s = 0; s < shapes; ++s) {
            const cv::Scalar colour(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
            const cv::Point p(rng.uniform(0, 320), rng.uniform(0, 240)), q(rng.uniform(0, 320), rng.uniform(0, 240));
            switch (rng.uniform(0, 3)) {
            case 0: cv::circle(image, p, rng.uniform(5, 80), colour, cv::FILLED, cv::LINE_AA); break;
            case 1: cv::rectangle(image, p, q, colour, cv::FILLED); break;
            default: cv::line(image, p, q, colour, rng.uniform(1, 6), cv::LINE_AA); break;
            }
        }
        if (rng.uniform(0, 3) == 0) {
            const int k = 2 * rng.uniform(1, 5) + 1;
            cv::GaussianBlur(image, image, cv::Size(k, k), 0);
        }
        const double sigma = rng.uniform(0.0, 25.0);
        if (sigma > 2) {
            cv::Mat noise(image.size(), CV_16SC3);
            rng.fill(noise, cv::RNG::NORMAL, 0, sigma);
            cv::Mat sum;
            image.convertTo(sum, CV_16SC3);
            sum += noise;
            sum.convertTo(image, CV_8UC3);
        }
        const bool png = i % 3 == 2;
        const QString path = QDir(folder).filePath(
            QStringLiteral("bench_%1.%2").arg(i, 5, 10, QLatin1Char('0')).arg(png ? "png" : "jpg"));
        std::vector<int> params;
        if (!png) params = {cv::IMWRITE_JPEG_QUALITY, rng.uniform(40, 96)};
        if (!cv::imwrite(path.toStdString(), image, params)) {
            std::fprintf(stderr, "qualiclip-gui-bench: cannot write '%s'\n", qPrintable(path));
            std::exit(1);
        }
        paths << path;
    }
    return paths;
}

// Lateness of a 1 ms precise timer: each gap between two ticks beyond 1 ms is time the GUI
// thread did not get back to its event loop.
class StallMeter : public QObject {
public:
    struct LongStall {
        double at, ms;
        int done;  // images scored by then
    };
    static constexpr double kLongStallMs = 20;

    explicit StallMeter(std::function<int()> probe) : probe_(std::move(probe)) {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(1);
        connect(&timer_, &QTimer::timeout, this, [this] {
            const qint64 now = clock_.nsecsElapsed();
            const double late = std::max(0.0, (now - last_) / 1e6 - 1.0);
            lateMs_.push_back(late);
            if (late > kLongStallMs) longStalls_.push_back({now / 1e9, late, probe_ ? probe_() : 0});
            last_ = now;
        });
    }
    void start() {
        lateMs_.clear();
        clock_.start();
        last_ = clock_.nsecsElapsed();
        timer_.start();
    }
    void stop() { timer_.stop(); }
    const std::vector<LongStall>& longStalls() const { return longStalls_; }
    size_t mark() const { return lateMs_.size(); }
    // Max and 99th percentile of the ticks in [from, to).
    std::pair<double, double> maxAndP99(size_t from, size_t to) const {
        std::vector<double> v(lateMs_.begin() + std::ptrdiff_t(from), lateMs_.begin() + std::ptrdiff_t(to));
        if (v.empty()) return {0, 0};
        std::sort(v.begin(), v.end());
        return {v.back(), v[std::min(v.size() - 1, size_t(double(v.size()) * 0.99))]};
    }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    std::vector<double> lateMs_;
    std::vector<LongStall> longStalls_;
    std::function<int()> probe_;
};

// CPU seconds this thread has used (the GUI thread's own work, whatever the other threads do).
double threadCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Times every event the GUI thread dispatches (outermost only), to name what a stall was.
class TimingApplication : public QApplication {
public:
    using QApplication::QApplication;
    struct SlowEvent {
        double ms;
        QString what;
    };
    bool notify(QObject* receiver, QEvent* event) override {
        if (depth_ > 0 || QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
        ++depth_;
        QElapsedTimer timer;
        timer.start();
        const int type = event->type();
        // The event may delete its receiver (DeferredDelete): name it from what is known before.
        const char* className = receiver->metaObject()->className();
        const QPointer<QObject> alive(receiver);
        const bool result = QApplication::notify(receiver, event);
        const double ms = timer.nsecsElapsed() / 1e6;
        --depth_;
        if (ms > 10)
            slow_.push_back({ms, QStringLiteral("%1 (%2) event %3")
                                     .arg(QString::fromLatin1(className),
                                          alive ? alive->objectName() : QStringLiteral("deleted"))
                                     .arg(type)});
        return result;
    }
    std::vector<SlowEvent> slowEvents() const {
        std::vector<SlowEvent> v = slow_;
        std::sort(v.begin(), v.end(), [](const SlowEvent& a, const SlowEvent& b) { return a.ms > b.ms; });
        if (v.size() > 10) v.resize(10);
        return v;
    }

private:
    int depth_ = 0;
    std::vector<SlowEvent> slow_;
};

std::string cpuModel() {
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly)) return "unknown";
    for (const QByteArray& line : file.readAll().split('\n'))
        if (line.startsWith("model name")) return line.mid(line.indexOf(':') + 1).trimmed().toStdString();
    return "unknown";
}

BenchArguments parse(int argc, char** argv) {
    BenchArguments args;
#ifdef QCI_ORACLE_DIR
    args.model = std::string(QCI_ORACLE_DIR) + "/tiny_qualiclip.pth";
#endif
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(argv[i], "--count") && hasValue) {
            args.count = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--model") && hasValue) {
            args.model = argv[++i];
        } else if (!std::strcmp(argv[i], "--soak")) {
            args.soak = true;
        } else if (!std::strcmp(argv[i], "--stalls")) {
            args.listStalls = true;
        } else if (!std::strcmp(argv[i], "--seed") && hasValue) {
            args.seed = unsigned(std::atoi(argv[++i]));
        } else if (!std::strcmp(argv[i], "--folder") && hasValue) {
            args.folder = argv[++i];
        } else if (!std::strcmp(argv[i], "--resize") && hasValue) {
            args.resize = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: qualiclip-gui-bench [--count N] [--model PATH] [--seed S] [--stalls] [--soak] "
                         "[--folder DIR] [--resize POLICY]\n");
            std::exit(2);
        }
    }
    if (!args.folder.empty()) args.count = int(qc::collectImages({args.folder}, false).images.size());
    if (args.count < 1 || args.model.empty()) {
        std::fprintf(stderr, "qualiclip-gui-bench: need --count >= 1 and a --model\n");
        std::exit(2);
    }
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);
    const BenchArguments args = parse(argc, argv);
    std::string commandLine;
    for (int i = 0; i < argc; ++i) commandLine += (i ? " " : "") + std::string(argv[i]);

    // Default settings and an empty catalog, not the user's: fresh folders for this run (scores
    // remembered by an earlier run would come from the catalog, not the network).
    QTemporaryDir config, data;
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", data.path().toLocal8Bit());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    TimingApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("qualiclip-bench"));
    QApplication::setApplicationName(QStringLiteral("qualiclip-gui-bench"));

    QTemporaryDir generated;
    QString folder = QString::fromStdString(args.folder);
    if (folder.isEmpty()) {
        folder = generated.path();
        std::fprintf(stderr, "writing %d images to %s ...\n", args.count, qPrintable(folder));
        writeImages(folder, args.count, args.seed);
    }

    std::shared_ptr<const qc::QualiClipModel> model;
    try {
        model = qc::QualiClipModel::load(args.model);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "qualiclip-gui-bench: %s\n", e.what());
        return 2;
    }

    qc::ui::InspectorWindow window;
    window.show();
    window.session()->setModel(model, QString::fromStdString(args.model));
    if (!args.resize.empty()) {
        const std::optional<qc::ResizePolicy> policy = qc::ResizePolicy::parse(args.resize);
        if (!policy) {
            std::fprintf(stderr, "qualiclip-gui-bench: invalid --resize '%s'\n", args.resize.c_str());
            return 2;
        }
        window.session()->setPolicy(*policy);
    }
    QEventLoop settle;
    QTimer::singleShot(500, &settle, &QEventLoop::quit);  // let the window map and paint
    settle.exec();

    qc::ui::ScoringSession* session = window.session();
    qc::ui::ScoreTableModel* table = session->table();
    StallMeter stalls([session] { return session->progress().done(); });
    QElapsedTimer clock;
    double listedAt = -1, firstScoreAt = -1, scoredAt = -1;
    size_t listedTick = 0;
    QEventLoop loop;
    QObject::connect(session, &qc::ui::ScoringSession::imagesAdded, &loop, [&] {
        if (listedAt < 0 && table->count() >= args.count && window.proxy()->rowCount() >= args.count) {
            listedAt = clock.nsecsElapsed() / 1e9;
            listedTick = stalls.mark();
        }
    });
    QObject::connect(table, &QAbstractItemModel::dataChanged, &loop, [&](const QModelIndex& from, const QModelIndex& to) {
        if (firstScoreAt >= 0) return;
        for (int row = from.row(); row <= to.row(); ++row)
            if (table->entryAt(row).state == qc::ui::ScoreState::Scored) {
                firstScoreAt = clock.nsecsElapsed() / 1e9;
                return;
            }
    });
    QObject::connect(session, &qc::ui::ScoringSession::scoringFinished, &loop, [&] {
        if (listedAt >= 0 && session->progress().done() >= args.count) {
            scoredAt = clock.nsecsElapsed() / 1e9;
            loop.quit();
        }
    });

    // --soak: memory once 1,000 are scored and at the end, while the current row walks the table.
    constexpr int kSoakFirst = 1000;
    double residentAtFirst = -1;
    QObject::connect(session, &qc::ui::ScoringSession::progressChanged, &loop, [&] {
        if (args.soak && residentAtFirst < 0 && session->progress().done() >= std::min(kSoakFirst, args.count))
            residentAtFirst = residentMiB();
    });
    QTimer walker;
    int walkedRows = 0;
    QObject::connect(&walker, &QTimer::timeout, &loop, [&] {
        const int rows = window.proxy()->rowCount();
        if (rows == 0) return;
        window.table()->setCurrentIndex(window.proxy()->index(walkedRows++ % rows, 0));
    });
    if (args.soak) walker.start(20);

    const double cpuBefore = threadCpuSeconds();
    stalls.start();
    clock.start();
    window.open({folder});
    loop.exec();
    walker.stop();
    stalls.stop();
    const double guiCpu = threadCpuSeconds() - cpuBefore;

    int scored = 0;
    for (int row = 0; row < table->count(); ++row) scored += table->entryAt(row).state == qc::ui::ScoreState::Scored;
    const auto [listMax, listP99] = stalls.maxAndP99(0, listedTick);
    const auto [scoreMax, scoreP99] = stalls.maxAndP99(listedTick, stalls.mark());

    std::printf("\n| figure | %d images, %s |\n|---|---|\n", args.count,
                window.session()->policy().toString().c_str());
    std::printf("| open folder → all rows listed | %.0f ms |\n", listedAt * 1e3);
    std::printf("| open folder → first score in the table model | %.0f ms |\n", firstScoreAt * 1e3);
    std::printf("| longest GUI stall while listing (max / p99 lateness of a 1 ms timer) | %.1f / %.1f ms |\n", listMax,
                listP99);
    std::printf("| longest GUI stall while scoring (max / p99 lateness of a 1 ms timer) | %.1f / %.1f ms |\n",
                scoreMax, scoreP99);
    std::printf("| images per second | %.1f |\n", scored / scoredAt);
    std::printf("| open folder → all scored | %.1f s |\n", scoredAt);
    std::printf("| images scored | %d of %d |\n", scored, args.count);
    std::printf("| GUI thread busy (its CPU time / wall time) | %.0f %% |\n", 100 * guiCpu / scoredAt);
    std::printf("| peak resident memory | %.0f MiB |\n", qc::peakResidentMiB());
    bool soakPassed = true;
    if (args.soak) {
        // Settle: let the last thumbnails and viewer images arrive before the final reading.
        QEventLoop drain;
        QTimer::singleShot(2000, &drain, &QEventLoop::quit);
        drain.exec();
        const double residentAtEnd = residentMiB();
        const double growthMB = (residentAtEnd - residentAtFirst) * 1.048576;  // MiB to MB (10^6 bytes)
        soakPassed = growthMB <= 300;
        std::printf("| resident memory after %d scored | %.0f MiB |\n", std::min(kSoakFirst, args.count),
                    residentAtFirst);
        std::printf("| resident memory after all %d scored (%d rows walked) | %.0f MiB (%+.0f MB: %s) |\n",
                    args.count, walkedRows, residentAtEnd, growthMB,
                    soakPassed ? "within 300 MB" : "MORE than 300 MB");
    }
    std::printf("\nMachine: %d logical CPUs (nproc), %s; Qt platform %s; model %s.\nCommand: `%s`\n",
                QThread::idealThreadCount(), cpuModel().c_str(), qPrintable(QGuiApplication::platformName()),
                args.model.c_str(), commandLine.c_str());
    if (args.listStalls)
        for (const StallMeter::LongStall& s : stalls.longStalls())
            std::printf("stall %.1f ms at %.3f s, %d scored\n", s.ms, s.at, s.done);
    if (args.listStalls)
        for (const TimingApplication::SlowEvent& e : app.slowEvents())
            std::printf("slow event %.1f ms: %s\n", e.ms, qPrintable(e.what));
    return scored == args.count && soakPassed ? 0 : 1;
}
