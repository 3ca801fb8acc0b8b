// Reading a torch.save zip checkpoint without Python.
//
// The file is checked in this order, so that each kind of wrong file gets its own message:
// existence -> leading bytes (PNG, legacy torch pickle, not a zip) -> the zip's central
// directory, read here with bounds checks (truncated/damaged zips, sizes of every record) ->
// the archive's layout (TorchScript, no data.pkl) -> data.pkl through the strict pickle reader
// (CheckpointPickle) -> every tensor's storage record, bounds-checked before it is converted.
//
// Records are extracted with LibTorch's own zip reader, caffe2::serialize::PyTorchStreamReader.
// It allocates a record's uncompressed size as the zip directory claims it, so every record is
// size-checked against our own reading of the directory (and the file size) before it is asked
// for: a crafted file cannot make us allocate more than its own bytes justify.
#include "engine/Checkpoint.h"

#include "engine/CheckpointPickle.h"
#include "Errors.h"

#include <caffe2/serialize/inline_container.h>
#include <c10/util/Exception.h>
#include <c10/util/Half.h>

#include <QCryptographicHash>
#include <QByteArrayView>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <system_error>

namespace qc {

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

class RawFile {
public:
    explicit RawFile(const std::string& path) : path_(path) {
        std::error_code ec;
        auto status = std::filesystem::status(path, ec);
        if (ec || !std::filesystem::exists(status)) fail(path, "file not found");
        if (std::filesystem::is_directory(status)) fail(path, "is a folder, not a model file");
        if (!std::filesystem::is_regular_file(status)) fail(path, "is not a regular file");
        in_.open(path, std::ios::binary);
        if (!in_) fail(path, std::string("cannot be opened (") + std::strerror(errno) + ")");
        in_.seekg(0, std::ios::end);
        auto end = in_.tellg();
        if (end < 0) fail(path, "cannot be read (its size is unknown)");
        size_ = static_cast<uint64_t>(end);
    }
    uint64_t size() const { return size_; }
    // Reads exactly n bytes at pos, or fails with a "damaged" message.
    void read(uint64_t pos, void* buf, size_t n) {
        if (pos > size_ || n > size_ - pos)
            fail(path_, "the zip archive is damaged (a directory entry points past the end of the file)");
        in_.clear();
        in_.seekg(static_cast<std::streamoff>(pos));
        in_.read(static_cast<char*>(buf), static_cast<std::streamsize>(n));
        if (static_cast<size_t>(in_.gcount()) != n) fail(path_, "cannot be read (input/output error)");
    }

private:
    std::string path_;
    std::ifstream in_;
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
        fail(path, "the zip archive is truncated or damaged (the directory at the end of the file "
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
                for (uint64_t* field : {&entry.size, &entry.compressedSize, &entry.localHeaderOffset}) {
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
        entries[name] = entry;
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
    if (startsWith({0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19}))
        fail(path, "legacy (pre-1.6) PyTorch format, re-save with torch.save in PyTorch >= 1.6");
    if (startsWith({0x80}))
        fail(path, "is a plain Python pickle, not a PyTorch checkpoint (torch.save zip archive)");
    if (startsWith({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}))
        fail(path, "is a PNG image, not a PyTorch checkpoint");
    if (startsWith({0xff, 0xd8, 0xff})) fail(path, "is a JPEG image, not a PyTorch checkpoint");
    if (startsWith({'P', 'Y', 'T', 'O', 'R', 'C', 'H', '1'}))
        fail(path, "is in the preview-release PyTorch format, re-save with torch.save in "
                   "PyTorch >= 1.6");
    if (!startsWith({'P', 'K', 0x03, 0x04}) && !startsWith({'P', 'K', 0x05, 0x06}))
        fail(path, "is not a PyTorch checkpoint (it is not a zip archive)");
}

// The folder all records share, from data.pkl's location; rejects TorchScript and other zips.
std::string checkpointFolder(const std::map<std::string, ZipEntry>& entries, const std::string& path) {
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
            fail(path, "the zip archive is damaged (entry '" + name + "' lies outside the "
                       "checkpoint folder '" + folder + "/')");
    if (torchScript)
        fail(path, "is a TorchScript archive, not a checkpoint (it holds code/ or constants.pkl); "
                   "save the model's state_dict with torch.save instead");
    if (!hasData)
        fail(path, "is a zip archive but not a PyTorch checkpoint (it has no data.pkl)");
    if (entries.count(folder + "/version") == 0 && entries.count(folder + "/.data/version") == 0)
        fail(path, "is a zip archive but not a PyTorch checkpoint (it has no version record)");
    return folder;
}

// --- tensors ------------------------------------------------------------------------------

float loadElement(const uint8_t* base, StoredType type, int64_t index) {
    switch (type) {
    case StoredType::Float32: {
        uint32_t bits = static_cast<uint32_t>(le(base + 4 * index, 4));
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    }
    case StoredType::Float16: {
        uint16_t bits = static_cast<uint16_t>(le(base + 2 * index, 2));
        return static_cast<float>(c10::Half(bits, c10::Half::from_bits()));
    }
    case StoredType::Int64:
        return static_cast<float>(static_cast<int64_t>(le(base + 8 * index, 8)));
    }
    return 0.0f;
}

const char* storedTypeName(StoredType type) {
    switch (type) {
    case StoredType::Float32: return "float32";
    case StoredType::Float16: return "float16";
    case StoredType::Int64: return "int64";
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

constexpr uint64_t kMaxPickleSize = uint64_t{32} << 20;

class Archive {
public:
    Archive(const std::string& path, const std::map<std::string, ZipEntry>& entries,
            std::string folder)
        : path_(path), entries_(entries), folder_(std::move(folder)) {
        guard("opening the zip archive", [&] {
            reader_ = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path_);
        });
    }

    bool has(const std::string& name) const { return entries_.count(folder_ + "/" + name) != 0; }
    uint64_t size(const std::string& name) const { return entries_.at(fullName(name)).size; }
    std::string fullName(const std::string& name) const { return folder_ + "/" + name; }

    // Reads record `<folder>/<name>` after checking its size against the file.
    std::pair<at::DataPtr, size_t> record(const std::string& name) {
        const ZipEntry& e = entries_.at(fullName(name));
        if (e.flags & 1) fail(path_, "record '" + fullName(name) + "' is encrypted");
        bool plausible = (e.method == 0 && e.size == e.compressedSize) ||
                         (e.method == 8 && e.size / 1032 <= e.compressedSize);  // deflate max ratio
        if (!plausible || e.size > (uint64_t{1} << 40))
            fail(path_, "the zip archive is damaged (record '" + fullName(name) +
                            "' has an impossible size or an unsupported compression method)");
        std::pair<at::DataPtr, size_t> out;
        guard("reading record '" + fullName(name) + "'", [&] {
            auto [data, size] = reader_->getRecord(name);
            out = {std::move(data), size};
        });
        if (out.second != e.size)
            fail(path_, "the zip archive is damaged (record '" + fullName(name) + "' has the wrong size)");
        return out;
    }

private:
    template <typename F>
    void guard(const std::string& what, F&& f) {
        try {
            f();
        } catch (const c10::Error& err) {
            std::string msg = err.what_without_backtrace();
            msg = msg.substr(0, msg.find('\n'));
            fail(path_, "the zip archive is damaged or truncated (" + what + ": " + msg + ")");
        } catch (const std::bad_alloc&) {
            fail(path_, "not enough memory while " + what);
        } catch (const CheckpointError&) {
            throw;
        } catch (const std::exception& err) {
            fail(path_, "the zip archive is damaged (" + what + ": " + err.what() + ")");
        }
    }

    std::string path_;
    const std::map<std::string, ZipEntry>& entries_;
    std::string folder_;
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader_;
};

}  // namespace

Checkpoint readCheckpoint(const std::string& path) {
    RawFile file(path);
    checkLeadingBytes(file, path);
    const auto entries = readZipDirectory(file, path);
    const std::string folder = checkpointFolder(entries, path);

    Checkpoint checkpoint;
    checkpoint.path = path;
    try {
        checkpoint.sha256 = sha256OfFile(path);
    } catch (const QualiClipError& e) {
        throw CheckpointError(e.what());
    }

    Archive archive(path, entries, folder);
    if (archive.has("byteorder")) {
        auto [data, size] = archive.record("byteorder");
        std::string order(static_cast<const char*>(data.get()), size);
        if (order != "little")
            fail(path, "stores its tensors in '" + order + "' byte order; only little-endian "
                       "checkpoints are supported");
    }

    std::vector<std::pair<std::string, detail::PickledTensor>> tensors;
    {
        // ~120 bytes per tensor in practice; the cap keeps a crafted pickle from costing GBs.
        if (archive.size("data.pkl") > kMaxPickleSize)
            fail(path, "data.pkl is implausibly large (" + std::to_string(archive.size("data.pkl")) +
                           " bytes) for a dict of tensors");
        auto [data, size] = archive.record("data.pkl");
        try {
            tensors = detail::parseCheckpointPickle(static_cast<const uint8_t*>(data.get()), size);
        } catch (const detail::PickleError& e) {
            if (e.kind() == detail::PickleError::Kind::TorchScript)
                fail(path, std::string("is a ") + e.what());
            fail(path, e.what());
        }
    }
    if (tensors.empty()) fail(path, "the checkpoint holds no tensors");

    // Each storage record is read once, for all the tensors that view it.
    std::map<std::string, std::vector<size_t>> byStorage;
    for (size_t i = 0; i < tensors.size(); ++i) byStorage[tensors[i].second.storageKey].push_back(i);

    for (const auto& [storageKey, members] : byStorage) {
        const std::string recordName = "data/" + storageKey;
        if (!archive.has(recordName))
            fail(path, "the storage record '" + archive.fullName(recordName) + "' of tensor '" +
                           tensors[members.front()].first +
                           "' is missing (damaged or incomplete checkpoint)");
        auto [data, bytes] = archive.record(recordName);
        const auto* base = static_cast<const uint8_t*>(data.get());
        for (size_t i : members) {
            const std::string& key = tensors[i].first;
            const detail::PickledTensor& t = tensors[i].second;
            const int64_t elementSize = detail::storedTypeSize(t.storedType);
            const auto recordElements = static_cast<int64_t>(bytes / static_cast<size_t>(elementSize));
            if (t.extent > t.storageNumel)
                fail(path, "tensor '" + key + "' reaches outside its storage: its offset, sizes and "
                           "strides need " + std::to_string(t.extent) + " elements but the storage "
                           "has " + std::to_string(t.storageNumel) + " (damaged or crafted file)");
            if (t.extent > recordElements)
                fail(path, "the storage record '" + archive.fullName(recordName) + "' of tensor '" +
                               key + "' holds " + std::to_string(bytes) + " bytes but the tensor "
                               "needs " + std::to_string(t.extent * elementSize) +
                               " (truncated or damaged checkpoint)");
            if (t.numel > recordElements)
                fail(path, "tensor '" + key + "' has more elements (" + std::to_string(t.numel) +
                               ") than its storage record holds (" + std::to_string(recordElements) +
                               "); overlapping (zero-stride) tensors are not supported");
            CheckpointTensor out;
            out.shape = t.size;
            out.storedType = t.storedType;
            try {
                out.values = gather(base, t);
            } catch (const std::bad_alloc&) {
                fail(path, "not enough memory for tensor '" + key + "' (" +
                               storedTypeName(t.storedType) + ", " + std::to_string(t.numel) +
                               " elements)");
            }
            checkpoint.tensors[key] = std::move(out);
        }
    }
    return checkpoint;
}

std::string sha256OfFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw QualiClipError("cannot read '" + path + "' to compute its SHA-256 (" +
                             std::strerror(errno) + ")");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        std::streamsize got = in.gcount();
        if (got > 0) hash.addData(QByteArrayView(buffer.data(), static_cast<qsizetype>(got)));
    }
    if (in.bad()) throw QualiClipError("cannot read '" + path + "' to compute its SHA-256 (I/O error)");
    return hash.result().toHex().toStdString();
}

}  // namespace qc
