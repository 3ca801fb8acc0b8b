// Reading a torch.save zip checkpoint without Python.
//
// The file is checked in this order, so that each kind of wrong file gets its own message:
// existence -> leading bytes (PNG, legacy torch pickle, not a zip) -> the zip's central
// directory, read here with bounds checks (truncated/damaged zips, sizes of every record,
// duplicate names) -> the archive's layout (TorchScript, no data.pkl) -> data.pkl through the
// strict pickle reader (CheckpointPickle) -> every tensor's storage record, bounds-checked
// before it is converted.
//
// Records are read here too, not by LibTorch's zip reader: torch.save writes every record
// stored (uncompressed), so a compressed record means the file was not written by torch.save
// (or was altered) and is refused; every record's CRC-32 is checked against the directory, as
// Python's zipfile does; and no record is allocated before its size has been checked against
// the file, so a crafted file cannot make us allocate more than its own bytes justify.
#include "engine/Checkpoint.h"

#include "Errors.h"
#include "engine/CheckpointPickle.h"

#include "engine/FileHashCache.h"

#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <tuple>

namespace qc {

TensorValues::TensorValues(std::vector<float> values) {
    auto owned = std::make_shared<std::vector<float>>(std::move(values));
    adopt(owned);
}

void TensorValues::adopt(const std::shared_ptr<std::vector<float>>& owned) {
    owned_ = owned.get();
    data_ = owned->data();
    size_ = owned->size();
    owner_ = owned;
}

std::vector<float>& TensorValues::own() {
    // Only a buffer of our own that nobody else shares may be written; anything else (shared
    // copies, values in place in a mapped file) is copied first.
    if (owned_ == nullptr || owner_.use_count() > 1)
        adopt(std::make_shared<std::vector<float>>(data_, data_ + size_));
    return *owned_;
}

int64_t CheckpointTensor::numel() const {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    return n;
}

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw CheckpointError("model file '" + path + "': " + problem);
}

// --- raw file access --------------------------------------------------------------------

// The file mapped read-only: records are checked and tensors read in place, without copying
// 400 MB through read() and freshly faulted buffers (what made loading cost seconds). The pages
// are mapped up front (MAP_POPULATE, one call), since every byte is read for its CRC anyway and
// one fault per 4 KiB page is slow in a virtual machine. Tensors
// that can be used as stored keep the mapping alive (TensorValues' owner).
class RawFile {
public:
    explicit RawFile(const std::string& path) : path_(path) {
        std::error_code ec;
        auto status = std::filesystem::status(path, ec);
        if (ec || !std::filesystem::exists(status)) fail(path, "file not found");
        if (std::filesystem::is_directory(status)) fail(path, "is a folder, not a model file");
        if (!std::filesystem::is_regular_file(status)) fail(path, "is not a regular file");
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail(path, std::string("cannot be opened (") + std::strerror(errno) + ")");
        struct stat st {};
        if (::fstat(fd, &st) != 0 || st.st_size < 0) {
            ::close(fd);
            fail(path, "cannot be read (its size is unknown)");
        }
        size_ = static_cast<uint64_t>(st.st_size);
        if (size_ > 0) {
            void* at = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
            const int mapErrno = errno;
            ::close(fd);
            if (at == MAP_FAILED)
                fail(path, std::string("cannot be read (mapping it failed: ") + std::strerror(mapErrno) + ")");
            const uint64_t size = size_;
            mapping_ = std::shared_ptr<const uint8_t>(static_cast<const uint8_t*>(at),
                                                      [size](const uint8_t* p) {
                                                          ::munmap(const_cast<uint8_t*>(p), size);
                                                      });
        } else {
            ::close(fd);
        }
    }
    uint64_t size() const { return size_; }
    // The n bytes at pos, or fails with a "damaged" message.
    const uint8_t* at(uint64_t pos, uint64_t n) const {
        if (pos > size_ || n > size_ - pos)
            fail(path_,
                 "the zip archive is damaged (a directory entry points past the end of the file)");
        return mapping_.get() + pos;
    }
    void read(uint64_t pos, void* buf, size_t n) const {
        const uint8_t* from = at(pos, n);
        if (n > 0) std::memcpy(buf, from, n);
    }
    // Keeps the mapping alive for as long as tensors read in place are.
    const std::shared_ptr<const uint8_t>& mapping() const { return mapping_; }

private:
    std::string path_;
    std::shared_ptr<const uint8_t> mapping_;
    uint64_t size_ = 0;
};

uint64_t le(const uint8_t* p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
}

// --- the zip directory ------------------------------------------------------------------

struct ZipEntry {
    uint16_t flags = 0;
    uint16_t method = 0;
    uint32_t crc32 = 0;
    uint64_t compressedSize = 0;
    uint64_t size = 0;
    uint64_t localHeaderOffset = 0;
};

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;

std::map<std::string, ZipEntry> readZipDirectory(RawFile& file, const std::string& path) {
    const uint64_t fileSize = file.size();
    // End-of-central-directory record: 22 bytes, then a comment of up to 65535 bytes.
    const uint64_t tailSize = std::min<uint64_t>(fileSize, 22 + 65535);
    std::vector<uint8_t> tail(static_cast<size_t>(tailSize));
    file.read(fileSize - tailSize, tail.data(), tail.size());
    std::optional<size_t> eocd;
    for (size_t i = tail.size() >= 22 ? tail.size() - 22 + 1 : 0; i-- > 0;) {
        if (le(&tail[i], 4) == kEndOfDirectory && i + 22 + le(&tail[i + 20], 2) <= tail.size()) {
            eocd = i;
            break;
        }
    }
    if (!eocd)
        fail(path,
             "the zip archive is truncated or damaged (the directory at the end of the file "
             "is missing; was the download or copy interrupted?)");
    const uint64_t eocdPos = fileSize - tailSize + *eocd;
    const uint8_t* e = &tail[*eocd];
    uint64_t count = le(e + 10, 2);
    uint64_t dirSize = le(e + 12, 4);
    uint64_t dirOffset = le(e + 16, 4);
    uint64_t dirEnd = eocdPos;

    // ZIP64 (PyTorch's writer always adds these records): the locator sits just before.
    if (eocdPos >= 20) {
        std::array<uint8_t, 20> loc{};
        file.read(eocdPos - 20, loc.data(), loc.size());
        if (le(loc.data(), 4) == kZip64Locator) {
            uint64_t z64Pos = le(loc.data() + 8, 8);
            if (z64Pos > eocdPos - 20 || eocdPos - 20 - z64Pos < 56)
                fail(path, "the zip archive is damaged (bad ZIP64 directory locator)");
            std::array<uint8_t, 56> z{};
            file.read(z64Pos, z.data(), z.size());
            if (le(z.data(), 4) != kZip64EndOfDirectory)
                fail(path, "the zip archive is damaged (bad ZIP64 end of directory)");
            count = le(z.data() + 32, 8);
            dirSize = le(z.data() + 40, 8);
            dirOffset = le(z.data() + 48, 8);
            dirEnd = z64Pos;
        }
    }
    if (dirOffset > dirEnd || dirSize > dirEnd - dirOffset || count > dirSize / 46)
        fail(path, "the zip archive is truncated or damaged (its directory is out of place)");

    std::vector<uint8_t> dir(static_cast<size_t>(dirSize));
    file.read(dirOffset, dir.data(), dir.size());
    std::map<std::string, ZipEntry> entries;
    size_t p = 0;
    for (uint64_t n = 0; n < count; ++n) {
        if (dir.size() - p < 46 || le(&dir[p], 4) != kDirectoryEntry)
            fail(path, "the zip archive is damaged (bad directory entry)");
        const uint8_t* h = &dir[p];
        ZipEntry entry;
        entry.flags = static_cast<uint16_t>(le(h + 8, 2));
        entry.method = static_cast<uint16_t>(le(h + 10, 2));
        entry.crc32 = static_cast<uint32_t>(le(h + 16, 4));
        entry.compressedSize = le(h + 20, 4);
        entry.size = le(h + 24, 4);
        size_t nameLen = le(h + 28, 2), extraLen = le(h + 30, 2), commentLen = le(h + 32, 2);
        entry.localHeaderOffset = le(h + 42, 4);
        if (dir.size() - p - 46 < nameLen + extraLen + commentLen)
            fail(path, "the zip archive is damaged (bad directory entry)");
        std::string name(reinterpret_cast<const char*>(h + 46), nameLen);
        // ZIP64 extra field: the 64-bit values of the fields that hold 0xFFFFFFFF, in order.
        const uint8_t* x = h + 46 + nameLen;
        for (size_t q = 0; q + 4 <= extraLen;) {
            size_t id = le(x + q, 2), len = le(x + q + 2, 2);
            if (q + 4 + len > extraLen) break;
            if (id == 0x0001) {
                const uint8_t* v = x + q + 4;
                size_t left = len;
                for (uint64_t* field :
                     {&entry.size, &entry.compressedSize, &entry.localHeaderOffset}) {
                    if (*field != 0xFFFFFFFFu) continue;
                    if (left < 8) fail(path, "the zip archive is damaged (bad ZIP64 field)");
                    *field = le(v, 8);
                    v += 8;
                    left -= 8;
                }
            }
            q += 4 + len;
        }
        if (entry.localHeaderOffset > dirOffset ||
            entry.compressedSize > dirOffset - entry.localHeaderOffset)
            fail(path, "the zip archive is damaged (entry '" + name + "' lies outside the data)");
        if (!entries.emplace(name, entry).second)
            fail(path, "the zip archive is damaged or crafted (it holds '" + name + "' twice)");
        p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
}

// --- recognising what kind of file this is ----------------------------------------------

void checkLeadingBytes(RawFile& file, const std::string& path) {
    if (file.size() == 0) fail(path, "the file is empty");
    std::array<uint8_t, 16> head{};
    size_t n = static_cast<size_t>(std::min<uint64_t>(file.size(), head.size()));
    file.read(0, head.data(), n);
    auto startsWith = [&](std::initializer_list<uint8_t> sig) {
        if (sig.size() > n) return false;
        return std::equal(sig.begin(), sig.end(), head.begin());
    };
    // Pre-1.6 torch.save: a pickle whose first object is the magic number 0x1950a86a20f9469cfc6c.
    if (startsWith(
            {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19}))
        fail(path, "legacy (pre-1.6) PyTorch format, re-save with torch.save in PyTorch >= 1.6");
    if (startsWith({0x80}))
        fail(path, "is a plain Python pickle, not a PyTorch checkpoint (torch.save zip archive)");
    if (startsWith({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}))
        fail(path, "is a PNG image, not a PyTorch checkpoint");
    if (startsWith({0xff, 0xd8, 0xff})) fail(path, "is a JPEG image, not a PyTorch checkpoint");
    if (startsWith({'P', 'Y', 'T', 'O', 'R', 'C', 'H', '1'}))
        fail(path,
             "is in the preview-release PyTorch format, re-save with torch.save in "
             "PyTorch >= 1.6");
    if (!startsWith({'P', 'K', 0x03, 0x04}) && !startsWith({'P', 'K', 0x05, 0x06}))
        fail(path, "is not a PyTorch checkpoint (it is not a zip archive)");
}

// The folder all records share, from data.pkl's location; rejects TorchScript and other zips.
std::string checkpointFolder(const std::map<std::string, ZipEntry>& entries,
                             const std::string& path) {
    std::string folder;
    bool hasData = false, torchScript = false;
    for (const auto& [name, entry] : entries) {
        auto slash = name.find('/');
        if (slash == std::string::npos) continue;
        std::string rest = name.substr(slash + 1);
        if (rest == "constants.pkl" || rest.rfind("code/", 0) == 0) torchScript = true;
        if (rest == "data.pkl") {
            if (hasData) fail(path, "the zip archive holds more than one data.pkl");
            hasData = true;
            folder = name.substr(0, slash);
        }
    }
    for (const auto& [name, entry] : entries)
        if (hasData && name.rfind(folder + "/", 0) != 0)
            fail(path, "the zip archive is damaged (entry '" + name +
                           "' lies outside the "
                           "checkpoint folder '" +
                           folder + "/')");
    if (torchScript)
        fail(path,
             "is a TorchScript archive, not a checkpoint (it holds code/ or constants.pkl); "
             "save the model's state_dict with torch.save instead");
    if (!hasData) fail(path, "is a zip archive but not a PyTorch checkpoint (it has no data.pkl)");
    if (entries.count(folder + "/version") == 0 && entries.count(folder + "/.data/version") == 0)
        fail(path, "is a zip archive but not a PyTorch checkpoint (it has no version record)");
    return folder;
}

// --- tensors ------------------------------------------------------------------------------

// IEEE 754 binary16 -> binary32, exact for every value (subnormals, infinities, NaN).
float halfToFloat(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {  // subnormal: normalise the mantissa
        exponent = 113;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

float loadElement(const uint8_t* base, StoredType type, int64_t index) {
    switch (type) {
        case StoredType::Float32: {
            uint32_t bits = static_cast<uint32_t>(le(base + 4 * index, 4));
            float f;
            std::memcpy(&f, &bits, sizeof f);
            return f;
        }
        case StoredType::Float16: {
            return halfToFloat(static_cast<uint16_t>(le(base + 2 * index, 2)));
        }
        case StoredType::Int64:
            return static_cast<float>(static_cast<int64_t>(le(base + 8 * index, 8)));
    }
    return 0.0f;
}

const char* storedTypeName(StoredType type) {
    switch (type) {
        case StoredType::Float32:
            return "float32";
        case StoredType::Float16:
            return "float16";
        case StoredType::Int64:
            return "int64";
    }
    return "?";
}

// Gathers a (possibly strided) tensor into row-major float32. The caller has checked that
// every index visited is < extent <= the elements in `base`.
std::vector<float> gather(const uint8_t* base, const detail::PickledTensor& t) {
    std::vector<float> out(static_cast<size_t>(t.numel));
    if (t.numel == 0) return out;
    const size_t ndim = t.size.size();
    std::vector<int64_t> index(ndim, 0);
    int64_t linear = t.storageOffset;
    for (size_t n = 0; n < out.size(); ++n) {
        out[n] = loadElement(base, t.storedType, linear);
        for (size_t d = ndim; d-- > 0;) {
            if (++index[d] < t.size[d]) {
                linear += t.stride[d];
                break;
            }
            linear -= t.stride[d] * (t.size[d] - 1);
            index[d] = 0;
        }
    }
    return out;
}

// True when the tensor's elements are its storage's, in row-major order, from its offset on.
bool isRowMajor(const detail::PickledTensor& t) {
    int64_t expected = 1;
    for (size_t d = t.size.size(); d-- > 0;) {
        if (t.size[d] != 1 && t.stride[d] != expected) return false;
        expected *= t.size[d];
    }
    return true;
}

// float32 values that can be used where they lie in the mapped file (little-endian host,
// row-major view, 4-byte aligned: torch.save aligns records to 64 bytes).
bool usableInPlace(const uint8_t* base, const detail::PickledTensor& t) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint8_t* first = base + 4 * t.storageOffset;
    return t.storedType == StoredType::Float32 && isRowMajor(t) &&
           reinterpret_cast<uintptr_t>(first) % alignof(float) == 0;
#else
    (void)base;
    (void)t;
    return false;
#endif
}

// ~120 bytes per tensor in practice (the released model's is 40 KB); the cap, with the pickle
// reader's value limit, keeps a crafted data.pkl well inside kCheckpointReadOverheadBytes.
constexpr uint64_t kMaxPickleSize = uint64_t{8} << 20;
constexpr uint64_t kMaxVersionRecordSize = 64;
constexpr uint32_t kLocalHeader = 0x04034b50;

// A record's bytes where they lie in the mapped file.
struct RecordBytes {
    const uint8_t* start = nullptr;
    size_t length = 0;
    const uint8_t* data() const { return start; }
    size_t size() const { return length; }
    const uint8_t* begin() const { return start; }
    const uint8_t* end() const { return start + length; }
};

// The stored records of the checkpoint folder, read straight from the file.
class Archive {
public:
    Archive(RawFile& file, const std::string& path, const std::map<std::string, ZipEntry>& entries,
            std::string folder)
        : file_(file), path_(path), entries_(entries), folder_(std::move(folder)) {}

    bool has(const std::string& name) const { return entries_.count(fullName(name)) != 0; }
    uint64_t size(const std::string& name) const { return entries_.at(fullName(name)).size; }
    std::string fullName(const std::string& name) const { return folder_ + "/" + name; }

    // Checks every record's header and compression before anything is read.
    void checkAllRecords() {
        for (const auto& [name, entry] : entries_) offsets_[name] = dataOffset(name, entry);
    }

    // Record `<folder>/<name>`, in place in the mapped file, after checking its CRC-32.
    RecordBytes record(const std::string& name) {
        const std::string full = fullName(name);
        const ZipEntry& e = entries_.at(full);
        const auto checked = offsets_.find(full);  // each local header is read once
        const uint64_t offset = checked != offsets_.end() ? checked->second : dataOffset(full, e);
        const RecordBytes bytes{file_.at(offset, e.size), static_cast<size_t>(e.size)};
        uLong crc = crc32(0L, Z_NULL, 0);
        for (size_t done = 0; done < bytes.size();) {  // zlib takes at most uInt bytes at a time
            const size_t chunk = std::min<size_t>(bytes.size() - done, size_t{1} << 30);
            crc = crc32(crc, bytes.data() + done, static_cast<uInt>(chunk));
            done += chunk;
        }
        if (static_cast<uint32_t>(crc) != e.crc32)
            fail(path_,
                 "the zip archive is damaged (record '" + full +
                     "' fails its CRC-32 check: "
                     "its bytes changed after it was written; download or copy the file again)");
        return bytes;
    }

private:
    // Where the record's bytes start, after checking its local header against the directory.
    uint64_t dataOffset(const std::string& full, const ZipEntry& e) {
        if (e.flags & 1) fail(path_, "record '" + full + "' is encrypted");
        if (e.method != 0)
            fail(path_, "record '" + full + "' is compressed (zip method " +
                            std::to_string(e.method) +
                            "); torch.save never compresses its records, so this file was not "
                            "written by torch.save or was altered afterwards");
        if (e.size != e.compressedSize)
            fail(path_,
                 "the zip archive is damaged (record '" + full + "' has two different sizes)");
        std::array<uint8_t, 30> h{};
        file_.read(e.localHeaderOffset, h.data(), h.size());
        if (le(h.data(), 4) != kLocalHeader)
            fail(path_,
                 "the zip archive is damaged (the header of record '" + full + "' is missing)");
        const uint64_t nameLen = le(h.data() + 26, 2), extraLen = le(h.data() + 28, 2);
        std::string localName(static_cast<size_t>(nameLen), '\0');
        file_.read(e.localHeaderOffset + 30, localName.data(), localName.size());
        const bool sizesHere = (le(h.data() + 6, 2) & 8) == 0;  // else in a data descriptor
        if (localName != full || le(h.data() + 8, 2) != e.method ||
            (sizesHere && le(h.data() + 14, 4) != e.crc32))
            fail(path_, "the zip archive is damaged (the header of record '" + full +
                            "' disagrees with the zip directory)");
        const uint64_t offset = e.localHeaderOffset + 30 + nameLen + extraLen;
        if (offset > file_.size() || e.size > file_.size() - offset)
            fail(path_, "the zip archive is truncated or damaged (record '" + full +
                            "' runs past the end of the file)");
        return offset;
    }

    RawFile& file_;
    std::string path_;
    const std::map<std::string, ZipEntry>& entries_;
    std::string folder_;
    std::map<std::string, uint64_t> offsets_;  // where each record's bytes start, once checked
};

void checkVersionRecord(Archive& archive, const std::string& path) {
    const std::string name = archive.has("version") ? "version" : ".data/version";
    if (archive.size(name) > kMaxVersionRecordSize)
        fail(path, "the zip archive is damaged or crafted (its version record claims " +
                       std::to_string(archive.size(name)) + " bytes)");
    const RecordBytes bytes = archive.record(name);
    std::string text(bytes.begin(), bytes.end());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    const bool digits =
        !text.empty() && text.size() <= 4 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    // LibTorch 1.13 writes 3 and reads 1..10.
    if (!digits || std::stoi(text) < 1 || std::stoi(text) > 10)
        fail(path, "has an unsupported torch.save format version '" + text.substr(0, 16) +
                       "' (supported: 1 to 10)");
}

void checkByteOrder(Archive& archive, const std::string& path) {
    if (!archive.has("byteorder")) return;
    if (archive.size("byteorder") > kMaxVersionRecordSize)
        fail(path, "the zip archive is damaged or crafted (its byteorder record is too large)");
    const RecordBytes bytes = archive.record("byteorder");
    const std::string order(bytes.begin(), bytes.end());
    if (order != "little")
        fail(path, "stores its tensors in '" + order +
                       "' byte order; only little-endian "
                       "checkpoints are supported");
}

std::vector<std::pair<std::string, detail::PickledTensor>> readTensorList(Archive& archive,
                                                                          const std::string& path) {
    if (archive.size("data.pkl") > kMaxPickleSize)
        fail(path, "data.pkl is implausibly large (" + std::to_string(archive.size("data.pkl")) +
                       " bytes) for a dict of tensors");
    const RecordBytes pickle = archive.record("data.pkl");
    std::vector<std::pair<std::string, detail::PickledTensor>> tensors;
    try {
        tensors = detail::parseCheckpointPickle(pickle.data(), pickle.size());
    } catch (const detail::PickleError& e) {
        if (e.kind() == detail::PickleError::Kind::TorchScript)
            fail(path, std::string("is a ") + e.what());
        fail(path, e.what());
    }
    if (tensors.empty()) fail(path, "the checkpoint holds no tensors");
    return tensors;
}

// Checks that tensor `key` fits its storage record of `bytes` bytes.
void checkTensorFits(const std::string& path, const std::string& recordName, const std::string& key,
                     const detail::PickledTensor& t, uint64_t bytes) {
    const int64_t elementSize = detail::storedTypeSize(t.storedType);
    const auto recordElements = static_cast<int64_t>(bytes / static_cast<uint64_t>(elementSize));
    if (t.extent > t.storageNumel)
        fail(path, "tensor '" + key +
                       "' reaches outside its storage: its offset, sizes and "
                       "strides need " +
                       std::to_string(t.extent) +
                       " elements but the storage "
                       "has " +
                       std::to_string(t.storageNumel) + " (damaged or crafted file)");
    if (t.extent > recordElements)
        fail(path, "the storage record '" + recordName + "' of tensor '" + key + "' holds " +
                       std::to_string(bytes) + " bytes but the tensor needs " +
                       std::to_string(t.extent) + " elements of " + std::to_string(elementSize) +
                       " bytes (truncated or damaged checkpoint)");
    if (t.numel > recordElements)
        fail(path, "tensor '" + key + "' has more elements (" + std::to_string(t.numel) +
                       ") than its storage record holds (" + std::to_string(recordElements) +
                       "); overlapping (zero-stride) tensors are not supported");
}

// Keys whose views of a storage are identical share one converted buffer.
using ViewKey = std::tuple<StoredType, int64_t, std::vector<int64_t>, std::vector<int64_t>>;

}  // namespace

Checkpoint readCheckpoint(const std::string& path) {
    auto started = std::chrono::steady_clock::now();
    RawFile file(path);
    checkLeadingBytes(file, path);
    const auto entries = readZipDirectory(file, path);
    const std::string folder = checkpointFolder(entries, path);

    Checkpoint checkpoint;
    checkpoint.path = path;
    auto lap = [&started](double& seconds) {
        const auto now = std::chrono::steady_clock::now();
        seconds = std::chrono::duration<double>(now - started).count();
        started = now;
    };
    lap(checkpoint.readTimes.open);
    try {
        checkpoint.sha256 = cachedSha256OfFile(path);
    } catch (const QualiClipError& e) {
        throw CheckpointError(e.what());
    }
    lap(checkpoint.readTimes.sha256);

    Archive archive(file, path, entries, folder);
    archive.checkAllRecords();
    checkVersionRecord(archive, path);
    checkByteOrder(archive, path);
    const auto tensors = readTensorList(archive, path);
    lap(checkpoint.readTimes.parse);

    std::map<std::string, std::vector<size_t>> byStorage;
    for (size_t i = 0; i < tensors.size(); ++i)
        byStorage[tensors[i].second.storageKey].push_back(i);

    // What the file's storages justify converting to float32; distinct views beyond it (the
    // same bytes viewed again and again) are refused instead of allocated.
    uint64_t storageElements = 0;
    for (const auto& [storageKey, members] : byStorage) {
        const std::string recordName = "data/" + storageKey;
        if (!archive.has(recordName))
            fail(path, "the storage record '" + archive.fullName(recordName) + "' of tensor '" +
                           tensors[members.front()].first +
                           "' is missing (damaged or incomplete checkpoint)");
        storageElements += archive.size(recordName) /
                           static_cast<uint64_t>(
                               detail::storedTypeSize(tensors[members.front()].second.storedType));
    }
    const uint64_t elementBudget =
        storageElements + kCheckpointReadOverheadBytes / 2 / sizeof(float);
    uint64_t elementsConverted = 0;

    for (const auto& [storageKey, members] : byStorage) {
        const std::string recordName = "data/" + storageKey;
        const RecordBytes bytes = archive.record(recordName);
        std::map<ViewKey, TensorValues>
            views;  // each storage record is read once, for all its views
        for (size_t i : members) {
            const std::string& key = tensors[i].first;
            const detail::PickledTensor& t = tensors[i].second;
            checkTensorFits(path, archive.fullName(recordName), key, t, bytes.size());
            CheckpointTensor out;
            out.shape = t.size;
            out.storedType = t.storedType;
            ViewKey view{t.storedType, t.storageOffset, t.size, t.stride};
            auto found = views.find(view);
            if (found != views.end()) {
                out.values = found->second;
            } else {
                elementsConverted += static_cast<uint64_t>(t.numel);
                if (elementsConverted > elementBudget)
                    fail(path, "its tensors view the same stored bytes over and over (" +
                                   std::to_string(elementsConverted) + " elements so far from " +
                                   std::to_string(storageElements) +
                                   " stored); refused to keep "
                                   "memory bounded (crafted file?)");
                try {
                    if (usableInPlace(bytes.data(), t))
                        out.values = TensorValues(
                            file.mapping(),
                            reinterpret_cast<const float*>(bytes.data() + 4 * t.storageOffset),
                            static_cast<size_t>(t.numel));
                    else
                        out.values = TensorValues(gather(bytes.data(), t));
                } catch (const std::bad_alloc&) {
                    fail(path, "not enough memory for tensor '" + key + "' (" +
                                   storedTypeName(t.storedType) + ", " + std::to_string(t.numel) +
                                   " elements)");
                }
                views.emplace(std::move(view), out.values);
            }
            checkpoint.tensors[key] = std::move(out);
        }
    }
    lap(checkpoint.readTimes.tensors);
    return checkpoint;
}

// OpenSSL's SHA-256 uses the processor's SHA extensions where it has them (~1.5 GB/s here,
// against ~0.4 GB/s for Qt's portable one): `models verify` hashes 400 MB in a quarter second.
std::string sha256OfFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw QualiClipError("cannot read '" + path + "' to compute its SHA-256 (" +
                             std::strerror(errno) + ")");
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
        throw QualiClipError("cannot compute the SHA-256 of '" + path + "' (OpenSSL refused)");
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const std::streamsize got = in.gcount();
        if (got > 0) EVP_DigestUpdate(context.get(), buffer.data(), static_cast<size_t>(got));
    }
    if (in.bad())
        throw QualiClipError("cannot read '" + path + "' to compute its SHA-256 (I/O error)");
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest.data(), &length);
    static const char* const kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 15];
    }
    return hex;
}

}  // namespace qc
