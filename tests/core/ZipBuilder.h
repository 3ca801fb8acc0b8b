// A minimal zip writer for tests: stored (uncompressed) entries, as torch.save writes them.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qc::test {

inline void putLE(std::string& out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

inline uint32_t crc32(const std::string& data) {
    uint32_t crc = 0xffffffffu;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A minimal zip writer: stored (uncompressed) entries, as torch.save writes them.
class ZipBuilder {
public:
    ZipBuilder& add(const std::string& name, const std::string& data) {
        entries_.emplace_back(name, data);
        return *this;
    }
    std::string bytes() const {
        std::string out, dir;
        for (const auto& [name, data] : entries_) {
            uint64_t offset = out.size();
            uint32_t crc = crc32(data);
            putLE(out, 0x04034b50, 4);
            putLE(out, 20, 2);  // version needed
            putLE(out, 0, 2);   // flags
            putLE(out, 0, 2);   // stored
            putLE(out, 0, 4);   // time, date
            putLE(out, crc, 4);
            putLE(out, data.size(), 4);
            putLE(out, data.size(), 4);
            putLE(out, name.size(), 2);
            putLE(out, 0, 2);
            out += name;
            out += data;

            putLE(dir, 0x02014b50, 4);
            putLE(dir, 20, 2);
            putLE(dir, 20, 2);
            putLE(dir, 0, 2);
            putLE(dir, 0, 2);
            putLE(dir, 0, 4);
            putLE(dir, crc, 4);
            putLE(dir, data.size(), 4);
            putLE(dir, data.size(), 4);
            putLE(dir, name.size(), 2);
            putLE(dir, 0, 2);  // extra
            putLE(dir, 0, 2);  // comment
            putLE(dir, 0, 2);  // disk
            putLE(dir, 0, 2);  // internal attributes
            putLE(dir, 0, 4);  // external attributes
            putLE(dir, offset, 4);
            dir += name;
        }
        uint64_t dirOffset = out.size();
        out += dir;
        putLE(out, 0x06054b50, 4);
        putLE(out, 0, 4);
        putLE(out, entries_.size(), 2);
        putLE(out, entries_.size(), 2);
        putLE(out, dir.size(), 4);
        putLE(out, dirOffset, 4);
        putLE(out, 0, 2);
        return out;
    }

private:
    std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace qc::test
