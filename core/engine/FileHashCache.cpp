#include "engine/FileHashCache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "engine/Checkpoint.h"

namespace qc {
namespace {

// Enough for every model a user switches between; older entries are dropped.
constexpr size_t kMaxEntries = 64;

struct FileStamp {
    std::string path;  // absolute
    uint64_t size = 0;
    int64_t modifiedNs = 0;
};

struct Entry {
    FileStamp stamp;
    std::string sha256;
};

bool stampOf(const std::string& path, FileStamp& stamp) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    stamp.path = ec ? path : absolute.lexically_normal().string();
    stamp.size = static_cast<uint64_t>(st.st_size);
    stamp.modifiedNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return true;
}

// One line per file: sha256 TAB size TAB mtime-ns TAB path (paths may hold spaces, not newlines).
std::vector<Entry> readEntries() {
    std::vector<Entry> entries;
    std::ifstream in(sha256CachePath());
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        Entry e;
        std::string size, time;
        if (!std::getline(fields, e.sha256, '\t') || !std::getline(fields, size, '\t') ||
            !std::getline(fields, time, '\t') || !std::getline(fields, e.stamp.path))
            continue;
        if (e.sha256.size() != 64 || e.stamp.path.empty()) continue;
        try {
            e.stamp.size = std::stoull(size);
            e.stamp.modifiedNs = std::stoll(time);
        } catch (const std::exception&) {
            continue;
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

void writeEntries(const std::vector<Entry>& entries) {
    const std::filesystem::path target(sha256CachePath());
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    const std::string temporary = target.string() + "." + std::to_string(::getpid()) + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        for (const Entry& e : entries)
            out << e.sha256 << '\t' << e.stamp.size << '\t' << e.stamp.modifiedNs << '\t'
                << e.stamp.path << '\n';
        if (!out) {
            std::filesystem::remove(temporary, ec);
            return;  // a cache that cannot be written only costs time
        }
    }
    std::filesystem::rename(temporary, target, ec);
    if (ec) std::filesystem::remove(temporary, ec);
}

void remember(const FileStamp& stamp, const std::string& sha256) {
    if (stamp.path.find('\n') != std::string::npos) return;
    std::vector<Entry> entries = readEntries();
    std::vector<Entry> kept{Entry{stamp, sha256}};
    for (Entry& e : entries)
        if (e.stamp.path != stamp.path && kept.size() < kMaxEntries) kept.push_back(std::move(e));
    writeEntries(kept);
}

}  // namespace

std::string sha256CachePath() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    std::string base;
    if (xdg && *xdg == '/') {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        base = std::string(home && *home ? home : "/tmp") + "/.cache";
    }
    return base + "/qualiclip/sha256.tsv";
}

std::string cachedSha256OfFile(const std::string& path) {
    FileStamp stamp;
    if (!stampOf(path, stamp)) return sha256OfFile(path);  // names the problem
    for (const Entry& e : readEntries())
        if (e.stamp.path == stamp.path && e.stamp.size == stamp.size &&
            e.stamp.modifiedNs == stamp.modifiedNs)
            return e.sha256;
    const std::string sha256 = sha256OfFile(path);
    FileStamp after;
    // A file written while it was hashed is not remembered: its hash may be of neither version.
    if (stampOf(path, after) && after.size == stamp.size && after.modifiedNs == stamp.modifiedNs)
        remember(stamp, sha256);
    return sha256;
}

void rememberSha256(const std::string& path, const std::string& sha256) {
    FileStamp stamp;
    if (stampOf(path, stamp)) remember(stamp, sha256);
}

}  // namespace qc
