#include "library/ImageCollector.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "images/ImageLoader.h"

namespace fs = std::filesystem;

namespace qc {
namespace {

void collectFolder(const fs::path& folder, bool recursive, CollectedImages& out) {
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    if (ec) {
        out.problems.push_back({folder.string(), "cannot read folder: " + ec.message()});
        return;
    }
    std::vector<fs::path> files, subfolders;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) {
            out.problems.push_back({folder.string(), "cannot list folder: " + ec.message()});
            break;
        }
        std::error_code typeError;
        if (it->is_directory(typeError)) {
            if (recursive) subfolders.push_back(it->path());
        } else if (hasImageExtension(it->path().string())) {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    std::sort(subfolders.begin(), subfolders.end());
    for (const fs::path& f : files) out.images.push_back(f.string());
    for (const fs::path& d : subfolders) collectFolder(d, recursive, out);
}

}  // namespace

CollectedImages collectImages(const std::vector<std::string>& inputs, bool recursive) {
    CollectedImages out;
    for (const std::string& input : inputs) {
        std::error_code ec;
        const fs::file_status status = fs::status(input, ec);
        if (ec || !fs::exists(status)) {
            out.problems.push_back({input, "no such file or folder"});
        } else if (fs::is_directory(status)) {
            const size_t before = out.images.size(), problemsBefore = out.problems.size();
            collectFolder(input, recursive, out);
            // A folder named on purpose that yields nothing is worth saying, not a silent success.
            if (out.images.size() == before && out.problems.size() == problemsBefore)
                out.problems.push_back({input, recursive ? "the folder and its subfolders hold no images"
                                                         : "the folder holds no images (its subfolders "
                                                           "were not searched)"});
        } else {
            out.images.push_back(input);
        }
    }
    return out;
}

}  // namespace qc
