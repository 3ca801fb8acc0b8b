// ImageCollector: expands the files and folders a user named into the list of images to score.
// Files named explicitly are always kept (a bad one becomes an error row, not a silent skip);
// inside folders, files without an image extension are skipped quietly, and folders that
// cannot be read are reported with the reason. Order: as given, folder contents sorted by name.
#pragma once

#include <string>
#include <vector>

namespace qc {

struct CollectionProblem {
    std::string path;
    std::string reason;
};

struct CollectedImages {
    std::vector<std::string> images;
    std::vector<CollectionProblem> problems;  // missing paths, unreadable or empty named folders
};

CollectedImages collectImages(const std::vector<std::string>& inputs, bool recursive);

}  // namespace qc
