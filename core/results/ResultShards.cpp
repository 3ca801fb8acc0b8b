#include "results/ResultShards.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <charconv>
#include <filesystem>

namespace fs = std::filesystem;

namespace qc {
namespace {

constexpr int kMaxShards = 100000;

std::optional<int> parseInt(const std::string& text) {
    int value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return value;
}

// "a/b/" and "a/b" name the same folder; "a/./b" too.
fs::path normalFolder(const std::string& path) {
    fs::path p = fs::path(path).lexically_normal();
    if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    return p;
}

bool isInside(const fs::path& file, const fs::path& folder) {
    const fs::path relative = file.lexically_relative(folder);
    return !relative.empty() && *relative.begin() != ".." && relative != ".";
}

}  // namespace

std::optional<ShardSpec> parseShard(const std::string& text) {
    const size_t slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const auto index = parseInt(text.substr(0, slash));
    const auto count = parseInt(text.substr(slash + 1));
    if (!index || !count || *count < 1 || *count > kMaxShards || *index < 0 || *index >= *count)
        return std::nullopt;
    return ShardSpec{*index, *count};
}

std::string shardKey(const std::string& path, const std::vector<std::string>& inputs) {
    const fs::path file = fs::path(path).lexically_normal();
    fs::path bestFolder;
    for (const std::string& input : inputs) {
        const fs::path folder = normalFolder(input);
        if (folder == file) return file.generic_string();  // named on the command line
        if (isInside(file, folder) && folder.native().size() > bestFolder.native().size())
            bestFolder = folder;
    }
    if (bestFolder.empty()) return file.generic_string();
    return file.lexically_relative(bestFolder).generic_string();
}

int shardOfKey(const std::string& key, int count) {
    // A cryptographic hash so that similar names (img_0001 ... img_9999) spread evenly and every
    // platform and version agrees; its cost is nothing next to scoring the image.
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray::fromStdString(key), QCryptographicHash::Sha256);
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(digest[i]);
    return static_cast<int>(value % static_cast<uint64_t>(count));
}

std::vector<std::string> selectShard(const std::vector<std::string>& images,
                                     const std::vector<std::string>& inputs, ShardSpec shard) {
    std::vector<std::string> selected;
    for (const std::string& image : images)
        if (shardOfKey(shardKey(image, inputs), shard.count) == shard.index)
            selected.push_back(image);
    return selected;
}

}  // namespace qc
