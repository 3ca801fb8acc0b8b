// ScoringEngine: from image files to QualiCLIP results. It decodes (ImageLoader), applies the
// resize policy, runs the network (QualiClipModel) and turns every failure into a per-image
// error, so one bad file never stops a batch. The CLI and the GUI's worker both use it.
//
// Usage:
//   ScoringEngine engine(QualiClipModel::load(path), ScoringOptions{});
//   engine.scoreFiles(paths, [](size_t i, const ImageResult& r) { ... }, &cancelFlag);
//
// A const engine may be used from several threads. scoreFiles() calls back on the calling
// thread, in input order, while it decodes the next image on a helper thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "images/ImageLoader.h"
#include "engine/QualiClipModel.h"
#include "engine/QualityMaps.h"
#include "images/ResizePolicy.h"

namespace qc {

struct ScoringOptions {
    ResizePolicy resize = ResizePolicy::native();
    bool dense = false;      // also compute the per-position map (mean over pairs and per pair)
    ImageLoadOptions load;   // pixel limit
    std::optional<MapRequest> map;  // also compute a quality map (QualityMaps.h)
    // Images of one size per network pass in scoreFiles(): 0 = automatic (8 on a CUDA device,
    // 4 on the CPU with a long:N policy, 1 at native size); fewer for large images, whose pass must fit the trunk's memory budget
    // (engine/TrunkStrips.h).
    int batch = 0;
};

struct ImageResult {
    std::string path;
    int width = 0, height = 0;            // decoded image, EXIF orientation applied
    int inputWidth = 0, inputHeight = 0;  // what the network saw after the resize policy
    std::string resize;                   // policy text, e.g. "native", "long:1024/fast"
    std::string source = "file";          // the pixels seen: file, raw-preview/-half/-full, heif
    std::string modelSha256;
    std::string device = "cpu";           // where the network ran (engine/ComputeDevice.h)
    Precision precision = Precision::Float32;
    std::string promptSet = kDefaultPromptSetId;  // which prompts scored it (engine/PromptSet.h)
    ScoringRecipe recipe = ScoringRecipe::Official;  // how cosines became the score (engine/ScoringRecipe.h)
    double score = 0;                     // valid only when ok()
    std::vector<double> pairProbabilities;
    std::vector<float> embedding;         // L2-normalised image embedding
    int mapWidth = 0, mapHeight = 0;      // dense map size (dense == true)
    std::vector<float> denseMean;
    std::vector<std::vector<float>> densePairs;
    std::optional<QualityMap> map;        // when ScoringOptions::map was set
    cv::Mat networkInput;                 // the RGB input the map refers to (map requests only)
    double decodeSeconds = 0, networkSeconds = 0, seconds = 0;
    std::string error;                    // empty on success; names the file and the problem
    bool cached = false;                  // the score came from the catalog (library/Catalog.h), not the network

    bool ok() const { return error.empty(); }
};

// What a stored score is keyed by besides the image and the model: the resize policy, with the
// pixel source appended when it is not the file's own pixels ("long:1024+raw-preview") and the
// precision when it is not float32 ("long:1024+float16"), since those are other numbers. Plain
// files at float32 keep the bare policy, so catalogs from before RAW support stay valid.
std::string scoreVariant(const std::string& resize, Precision precision, const std::string& source = "file");

// The load options the engine decodes with under `options`: the policy's long side and fast
// flag passed down, so RAW `auto` and fast JPEG decoding know what size is needed.
ImageLoadOptions effectiveLoadOptions(const ScoringOptions& options);

// A decoded, resized image ready for the network (or the error that stopped it).
struct PreparedImage {
    std::string path;
    cv::Mat input;  // CV_8UC3 RGB at the policy's size
    int width = 0, height = 0;
    PixelSource source = PixelSource::File;
    double decodeSeconds = 0;
    std::string error;
};

class ScoringEngine {
public:
    using ResultCallback = std::function<void(size_t index, const ImageResult& result)>;

    ScoringEngine(std::shared_ptr<const QualiClipModel> model, ScoringOptions options);

    const QualiClipModel& model() const { return *model_; }
    const ScoringOptions& options() const { return options_; }

    PreparedImage prepare(const std::string& path) const;
    ImageResult score(const PreparedImage& image, const std::atomic<bool>* cancel = nullptr) const;
    ImageResult scoreFile(const std::string& path, const std::atomic<bool>* cancel = nullptr) const;

    // Scores every path in order; decoding of image i+1 overlaps the network on image i.
    // With a batch above 1, consecutive images of one size go through the network together
    // while the next batch decodes. Stops promptly when *cancel becomes true (the images in the
    // network are abandoned). Returns how many results were delivered.
    size_t scoreFiles(const std::vector<std::string>& paths, const ResultCallback& onResult,
                      const std::atomic<bool>* cancel = nullptr) const;
    // Where scoreStream() takes its paths from: sets `path` and returns true, or returns false
    // when there is none left. Called on the calling thread, ahead of the network.
    using PathSource = std::function<bool(std::string& path)>;
    // scoreFiles() over paths taken one at a time until `next` has none, so that a caller with a
    // queue keeps the decoding ahead going from one job to the next; the callback's index counts
    // the paths taken.
    size_t scoreStream(const PathSource& next, const ResultCallback& onResult,
                       const std::atomic<bool>* cancel = nullptr) const;
    // The batch scoreFiles() uses: options().batch, or the automatic choice; 1 with maps.
    int effectiveBatch() const;

    // Everything a result says before the network has run; also the row of an input that never
    // reached the decoder (a missing path: `image.error` says why).
    ImageResult resultFor(const PreparedImage& image) const;

private:
    std::vector<ImageResult> scoreGroup(const std::vector<PreparedImage>& images,
                                        const std::atomic<bool>* cancel) const;
    size_t scoreOneByOne(const PathSource& next, const ResultCallback& onResult,
                         const std::atomic<bool>* cancel) const;
    size_t scoreInBatches(const PathSource& next, const ResultCallback& onResult,
                          const std::atomic<bool>* cancel, size_t batch) const;

    std::shared_ptr<const QualiClipModel> model_;
    ScoringOptions options_;
};

}  // namespace qc
