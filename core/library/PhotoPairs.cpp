#include "library/PhotoPairs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "images/ImageLoader.h"

namespace fs = std::filesystem;

namespace qc {
namespace {

bool isJpegName(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".jpg" || ext == ".jpeg";
}

// Folder + stem: what a RAW and its JPEG share.
std::string pairKey(const std::string& path) {
    const fs::path p(path);
    return (p.parent_path() / p.stem()).string();
}

struct Candidates {
    std::vector<size_t> raws, jpegs;
};

}  // namespace

std::string pairScoringName(PairScoring which) {
    return which == PairScoring::Raw ? "raw" : "jpeg";
}

std::optional<PairScoring> parsePairScoring(const std::string& text) {
    if (text == "jpeg") return PairScoring::Jpeg;
    if (text == "raw") return PairScoring::Raw;
    return std::nullopt;
}

std::string Photo::jpegPath() const {
    if (!isPair()) return {};
    return isJpegName(companion) ? companion : path;
}

std::vector<std::string> Photo::files() const {
    std::vector<std::string> all{path};
    if (isPair()) all.push_back(companion);
    return all;
}

std::vector<Photo> pairRawAndJpeg(const std::vector<std::string>& paths, PairScoring which) {
    std::map<std::string, Candidates> byKey;
    for (size_t i = 0; i < paths.size(); ++i) {
        if (hasRawExtension(paths[i]))
            byKey[pairKey(paths[i])].raws.push_back(i);
        else if (isJpegName(paths[i]))
            byKey[pairKey(paths[i])].jpegs.push_back(i);
    }
    std::vector<size_t> companionOf(paths.size(), SIZE_MAX);  // for a RAW: its JPEG
    std::set<size_t> absorbed;                                // JPEGs that belong to a RAW
    for (const auto& [key, c] : byKey) {
        if (c.raws.size() != 1 || c.jpegs.size() != 1) continue;
        companionOf[c.raws[0]] = c.jpegs[0];
        absorbed.insert(c.jpegs[0]);
    }
    std::vector<Photo> photos;
    photos.reserve(paths.size() - absorbed.size());
    for (size_t i = 0; i < paths.size(); ++i) {
        if (absorbed.count(i)) continue;
        Photo photo;
        photo.path = paths[i];
        photo.scoredPath = paths[i];
        if (companionOf[i] != SIZE_MAX) {
            photo.companion = paths[companionOf[i]];
            if (which == PairScoring::Jpeg) photo.scoredPath = photo.companion;
        }
        photos.push_back(std::move(photo));
    }
    return photos;
}

}  // namespace qc
