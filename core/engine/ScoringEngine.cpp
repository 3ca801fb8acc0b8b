#include "engine/ScoringEngine.h"

#include "engine/TrunkStrips.h"
#include "engine/ImagePreparation.h"

#include <chrono>
#include <cmath>
#include <deque>
#include <future>

#include <opencv2/imgproc.hpp>

#include "Errors.h"

namespace qc {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool cancelled(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

void takeNetworkOutput(NetworkOutput&& out, ImageResult& r) {
    r.inputWidth = out.inputWidth;
    r.inputHeight = out.inputHeight;
    r.score = out.score;
    r.pairProbabilities = std::move(out.pairProbabilities);
    r.embedding = std::move(out.embedding);
    r.mapWidth = out.mapWidth;
    r.mapHeight = out.mapHeight;
    r.denseMean = std::move(out.denseMean);
    r.densePairs = std::move(out.densePairs);
    r.networkSeconds = out.networkSeconds;
    // Finite weights and pixels give finite scores; never let a NaN reach a table or file.
    if (!std::isfinite(r.score)) r.error = "'" + r.path + "': the network produced a non-finite score";
}

}  // namespace

std::string scoreVariant(const std::string& resize, Precision precision, const std::string& source) {
    std::string variant = resize;
    if (!source.empty() && source != "file") variant += "+" + source;
    if (precision != Precision::Float32) variant += "+" + precisionName(precision);
    return variant;
}

ImageLoadOptions effectiveLoadOptions(const ScoringOptions& options) {
    ImageLoadOptions load = options.load;
    load.targetLongSide = options.resize.maxLongSide;
    load.fastJpeg = options.resize.fastJpeg;
    return load;
}

ScoringEngine::ScoringEngine(std::shared_ptr<const QualiClipModel> model, ScoringOptions options)
    : model_(std::move(model)), options_(options) {}

int ScoringEngine::effectiveBatch() const {
    if (options_.map) return 1;  // maps run further network passes per image
    if (options_.batch > 0) return options_.batch;
    if (model_->info().device.isCuda()) return 8;
    // On the CPU a pass of several photos is faster too (docs/benchmarks.md, "A shoot": 4 at
    // long:1024 against 1), and the next ones decode side by side meanwhile. Not at native size,
    // where each photo decoded ahead would hold its full-size input until its turn.
    return options_.resize.isNative() ? 1 : 4;
}

PreparedImage ScoringEngine::prepare(const std::string& path) const {
    return prepareImage(path, options_);
}

PreparedImage prepareImage(const std::string& path, const ScoringOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    PreparedImage prepared;
    prepared.path = path;
    try {
        DecodedImage decoded = loadImageRgb8(path, effectiveLoadOptions(options));
        prepared.source = decoded.source;
        // The full size: the policy's target comes from it even when libjpeg decoded smaller.
        prepared.width = decoded.fullWidth;
        prepared.height = decoded.fullHeight;
        int w = 0, h = 0;
        options.resize.targetSize(prepared.width, prepared.height, w, h);
        if (w == decoded.rgb.cols && h == decoded.rgb.rows) {
            prepared.input = std::move(decoded.rgb);
        } else {
            // Area interpolation: the standard anti-aliased shrink.
            cv::resize(decoded.rgb, prepared.input, cv::Size(w, h), 0, 0, cv::INTER_AREA);
        }
        if (w < QualiClipModel::kMinSide || h < QualiClipModel::kMinSide)
            throw ImageError("'" + path + "': " + std::to_string(w) + " x " + std::to_string(h) +
                             " px is too small for the network: both sides must be at least " +
                             std::to_string(QualiClipModel::kMinSide) + " px");
    } catch (const std::exception& e) {
        prepared.input.release();
        prepared.error = e.what();
    }
    prepared.decodeSeconds = secondsSince(started);
    return prepared;
}

// Everything a result says before the network has run.
ImageResult ScoringEngine::resultFor(const PreparedImage& image) const {
    ImageResult r;
    r.path = image.path;
    r.width = image.width;
    r.height = image.height;
    r.resize = options_.resize.toString();
    r.source = pixelSourceName(image.source);
    r.modelSha256 = model_->info().sha256;
    r.device = model_->info().device.toString();
    r.precision = model_->info().precision;
    r.promptSet = model_->info().promptSet;
    r.recipe = model_->info().recipe;
    r.decodeSeconds = image.decodeSeconds;
    r.error = image.error;
    return r;
}

ImageResult ScoringEngine::score(const PreparedImage& image, const std::atomic<bool>* cancel) const {
    ImageResult r = resultFor(image);
    if (r.ok()) {
        ForwardOptions forward;
        forward.dense = options_.dense || (options_.map && options_.map->kind == MapKind::Dense);
        forward.cancel = cancel;
        try {
            NetworkOutput out = model_->run(image.input, forward);
            if (options_.map) {
                r.map = computeMap(*model_, image.input, out, *options_.map, {}, cancel);
                r.networkInput = image.input;
            }
            takeNetworkOutput(std::move(out), r);
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            r.error = "'" + image.path + "': " + e.what();
        }
    }
    r.seconds = r.decodeSeconds + r.networkSeconds;
    return r;
}

ImageResult ScoringEngine::scoreFile(const std::string& path, const std::atomic<bool>* cancel) const {
    return score(prepare(path), cancel);
}

size_t ScoringEngine::scoreFiles(const std::vector<std::string>& paths, const ResultCallback& onResult,
                                 const std::atomic<bool>* cancel) const {
    size_t taken = 0;
    return scoreStream(
        [&](std::string& path) {
            if (taken == paths.size()) return false;
            path = paths[taken++];
            return true;
        },
        onResult, cancel);
}

size_t ScoringEngine::scoreStream(const PathSource& next, const ResultCallback& onResult,
                                  const std::atomic<bool>* cancel) const {
    const int batch = effectiveBatch();
    return batch > 1 ? scoreInBatches(next, onResult, cancel, static_cast<size_t>(batch))
                     : scoreOneByOne(next, onResult, cancel);
}

size_t ScoringEngine::scoreOneByOne(const PathSource& next, const ResultCallback& onResult,
                                    const std::atomic<bool>* cancel) const {
    auto decode = [this](const std::string& p) { return prepare(p); };
    std::string path;
    if (!next(path)) return 0;
    std::future<PreparedImage> ahead = std::async(std::launch::async, decode, path);
    size_t delivered = 0;
    for (size_t i = 0; ahead.valid(); ++i) {
        PreparedImage current = ahead.get();
        if (cancelled(cancel)) break;
        if (next(path)) ahead = std::async(std::launch::async, decode, path);
        ImageResult result;
        try {
            result = score(current, cancel);
        } catch (const Cancelled&) {
            break;
        }
        onResult(i, result);
        ++delivered;
    }
    if (ahead.valid()) ahead.wait();  // never leave a decoder running past our return
    return delivered;
}

// Decoded images of one size, all without error, through one network pass. A pass that fails
// as a whole (e.g. out of device memory) is retried image by image, so each gets its own result.
std::vector<ImageResult> ScoringEngine::scoreGroup(const std::vector<PreparedImage>& images,
                                                   const std::atomic<bool>* cancel) const {
    std::vector<ImageResult> results;
    if (images.size() > 1) {
        ForwardOptions forward;
        forward.dense = options_.dense;
        forward.cancel = cancel;
        std::vector<cv::Mat> inputs;
        for (const PreparedImage& image : images) inputs.push_back(image.input);
        try {
            std::vector<NetworkOutput> outputs = model_->runBatch(inputs, forward);
            for (size_t i = 0; i < images.size(); ++i) {
                ImageResult r = resultFor(images[i]);
                takeNetworkOutput(std::move(outputs[i]), r);
                r.seconds = r.decodeSeconds + r.networkSeconds;
                results.push_back(std::move(r));
            }
            return results;
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception&) {
            results.clear();  // fall through: one at a time
        }
    }
    for (const PreparedImage& image : images) results.push_back(score(image, cancel));
    return results;
}

size_t ScoringEngine::scoreInBatches(const PathSource& next, const ResultCallback& onResult,
                                     const std::atomic<bool>* cancel, size_t batch) const {
    auto decode = [this](const std::string& p) { return prepare(p); };
    std::deque<std::future<PreparedImage>> ahead;  // decoding while the network runs
    bool sourceDry = false;
    const auto refill = [&] {
        std::string path;
        while (!sourceDry && ahead.size() < batch) {
            sourceDry = !next(path);
            if (!sourceDry) ahead.push_back(std::async(std::launch::async, decode, path));
        }
    };
    std::optional<PreparedImage> carried;  // decoded, but of another size than the last group
    const auto take = [&] {
        if (carried) {
            PreparedImage image = std::move(*carried);
            carried.reset();
            return image;
        }
        PreparedImage image = ahead.front().get();
        ahead.pop_front();
        refill();
        return image;
    };
    const auto more = [&] { return carried.has_value() || !ahead.empty(); };

    refill();
    size_t delivered = 0;
    while (more()) {
        std::vector<PreparedImage> group{take()};
        const cv::Size size = group.front().input.size();
        const size_t fitting = static_cast<size_t>(
            imagesPerTrunkPass(model_->info().spec, size.width, size.height, static_cast<int>(batch)));
        while (group.front().error.empty() && group.size() < fitting && more()) {
            PreparedImage candidate = take();
            if (candidate.error.empty() && candidate.input.size() == group.front().input.size()) {
                group.push_back(std::move(candidate));
            } else {
                carried = std::move(candidate);
                break;
            }
        }
        if (cancelled(cancel)) break;
        std::vector<ImageResult> results;
        try {
            results = group.front().error.empty() ? scoreGroup(group, cancel)
                                                  : std::vector<ImageResult>{score(group.front(), cancel)};
        } catch (const Cancelled&) {
            break;
        }
        for (const ImageResult& r : results) onResult(delivered++, r);
    }
    for (auto& pending : ahead) pending.wait();  // never leave a decoder running past our return
    return delivered;
}

}  // namespace qc
