#include "library/ShootBursts.h"

#include <sstream>

#include "library/Catalog.h"

namespace qc {

int sharpnessPairIndex(const std::vector<PromptPair>& pairs) {
    for (size_t i = 0; i < pairs.size(); ++i)
        if (pairs[i].key == "sharp_image") return static_cast<int>(i);
    return -1;
}

std::string burstSettingsText(const BurstSettings& settings) {
    std::ostringstream text;
    text << "gap=" << settings.maxGapSeconds << " similarity=" << settings.minSimilarity;
    return text.str();
}

CaptureTime catalogCaptureTime(Catalog& catalog, int64_t imageId, const std::string& path) {
    if (auto stored = catalog.captureTime(imageId)) return *stored;
    const CaptureTime time = readCaptureTime(path);
    catalog.storeCaptureTimes({{imageId, time}});
    return time;
}

std::vector<std::optional<CaptureTime>> catalogCaptureTimes(Catalog& catalog,
                                                            const std::vector<int64_t>& imageIds,
                                                            const std::vector<std::string>& paths,
                                                            std::vector<std::string>& problems) {
    std::vector<std::optional<CaptureTime>> times(paths.size());
    problems.assign(paths.size(), {});
    std::vector<std::pair<int64_t, CaptureTime>> fresh;
    for (size_t i = 0; i < paths.size(); ++i) {
        if (imageIds[i] == 0) continue;
        try {
            times[i] = catalog.captureTime(imageIds[i]);
            if (!times[i]) {
                times[i] = readCaptureTime(paths[i]);
                fresh.emplace_back(imageIds[i], *times[i]);
            }
        } catch (const std::exception& e) {
            problems[i] = e.what();
        }
    }
    if (!fresh.empty()) catalog.storeCaptureTimes(fresh);
    return times;
}

namespace {

// The photo as the result describes it (its catalog id and capture time come later), and what
// grouping needs of it.
ShootPhoto describePhoto(Catalog& catalog, const ImageResult& r, int sharpnessPair,
                         BurstPhoto& input) {
    ShootPhoto photo;
    photo.path = r.path;
    input.name = r.path;
    try {
        photo.catalogId = catalog.resolve(r.path).id;
    } catch (const std::exception& e) {
        photo.error = e.what();
    }
    if (r.ok()) {
        photo.score = r.score;
        photo.pairProbabilities = r.pairProbabilities;
        input.score = r.score;
        input.embedding = r.embedding;
        if (sharpnessPair >= 0 && size_t(sharpnessPair) < r.pairProbabilities.size())
            input.sharpness = r.pairProbabilities[size_t(sharpnessPair)];
    } else if (photo.error.empty()) {
        photo.error = r.error;
    }
    return photo;
}

}  // namespace

ShootGrouping groupShoot(Catalog& catalog, const std::vector<ImageResult>& results,
                         const BurstSettings& settings, int sharpnessPair) {
    std::vector<ShootPhoto> photos;
    std::vector<BurstPhoto> inputs(results.size());
    photos.reserve(results.size());
    for (size_t i = 0; i < results.size(); ++i)
        photos.push_back(describePhoto(catalog, results[i], sharpnessPair, inputs[i]));
    std::vector<int64_t> ids;
    std::vector<std::string> paths, problems;
    for (const ShootPhoto& p : photos) {
        ids.push_back(p.catalogId);
        paths.push_back(p.path);
    }
    const std::vector<std::optional<CaptureTime>> times =
        catalogCaptureTimes(catalog, ids, paths, problems);
    for (size_t i = 0; i < photos.size(); ++i) {
        photos[i].captureTime = times[i];
        if (times[i]) inputs[i].captureSeconds = times[i]->seconds;
        if (!problems[i].empty() && photos[i].error.empty()) photos[i].error = problems[i];
    }

    const BurstGroups groups = groupBursts(inputs, settings);
    ShootGrouping grouping;
    grouping.burstCount = groups.bursts.size();
    std::vector<CatalogBurst> stored;
    for (const Burst& burst : groups.bursts) {
        const int64_t burstId = photos[burst.members.front()].catalogId;
        for (size_t position = 0; position < burst.members.size(); ++position) {
            ShootPhoto photo = photos[burst.members[position]];
            photo.burstId = burstId;
            photo.position = static_cast<int>(position);
            photo.burstSize = static_cast<int>(burst.members.size());
            photo.best = burst.best == burst.members[position];
            if (photo.catalogId != 0)
                stored.push_back(
                    {photo.catalogId, burstId, photo.position, photo.burstSize, photo.best});
            grouping.photos.push_back(std::move(photo));
        }
    }
    catalog.replaceBursts(stored, burstSettingsText(settings));
    return grouping;
}

}  // namespace qc
