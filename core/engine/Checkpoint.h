// Checkpoint: the tensors of a `torch.save` zip file (PyTorch >= 1.6), read without Python and
// without executing anything. The pickle inside is interpreted by a strict reader that knows
// only the opcodes and globals torch.save emits for a dict of tensors; any other global is
// refused, which is what makes a .pth downloaded from the internet safe to open.
//
// Get one with readCheckpoint(path). It is a plain value: any thread may call readCheckpoint;
// the result is not shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace qc {

enum class StoredType { Float32, Float16, Int64 };

// The float32 values of a tensor. Copies share one buffer until one of them is written, so keys
// of a checkpoint that view the same storage identically cost its bytes once (a crafted file
// that names one tensor under thousands of keys cannot multiply memory). Values read from a
// model file may lie in place in its read-only mapping (kept alive by `owner`); writing them
// copies them first.
class TensorValues {
public:
    TensorValues() = default;
    explicit TensorValues(std::vector<float> values);
    // n values at `data`, which `owner` keeps alive and nobody writes.
    TensorValues(std::shared_ptr<const void> owner, const float* data, size_t n)
        : owner_(std::move(owner)), data_(data), size_(n) {}

    size_t size() const { return size_; }
    bool empty() const { return size() == 0; }
    const float* data() const { return data_; }
    const float* begin() const { return data(); }
    const float* end() const { return data() + size(); }
    float operator[](size_t i) const { return data_[i]; }
    float at(size_t i) const {
        if (i >= size()) throw std::out_of_range("tensor value index out of range");
        return data_[i];
    }
    std::vector<float> toVector() const { return std::vector<float>(begin(), end()); }
    bool sharesBufferWith(const TensorValues& other) const {
        return data_ != nullptr && data_ == other.data_;
    }

    // Writing detaches this copy from the others first.
    float* data() { return own().data(); }
    float* begin() { return data(); }
    float* end() { return data() + size(); }
    float& operator[](size_t i) { return own()[i]; }
    void resize(size_t n) {
        own().resize(n);
        data_ = owned_->data();
        size_ = n;
    }

private:
    std::vector<float>& own();
    void adopt(const std::shared_ptr<std::vector<float>>& owned);
    std::shared_ptr<const void> owner_;  // what keeps data_ alive
    std::vector<float>* owned_ = nullptr;  // owner_'s vector when the values are our own copy
    const float* data_ = nullptr;
    size_t size_ = 0;
};

struct CheckpointTensor {
    std::vector<int64_t> shape;  // [] for a scalar
    TensorValues values;         // row-major, contiguous, converted to float32
    StoredType storedType = StoredType::Float32;

    int64_t numel() const;
};

// Where readCheckpoint's time went, in seconds (for benchmarks).
struct CheckpointReadTimes {
    double open = 0;     // mapping the file, its zip directory and every record's header
    double sha256 = 0;   // the file's hash (remembered per path, size and time: engine/FileHashCache.h)
    double parse = 0;    // version, byte order, data.pkl through the strict pickle reader
    double tensors = 0;  // every storage record's CRC-32, bounds, and its values (in place when possible)
};

struct Checkpoint {
    std::string path;
    CheckpointReadTimes readTimes;
    std::string sha256;                               // lowercase hex SHA-256 of the whole file
    std::map<std::string, CheckpointTensor> tensors;  // keys exactly as stored
};

// Throws CheckpointError whose message names the file and the problem: not found, not a zip,
// truncated/damaged archive (sizes, CRC-32 of every record), compressed records (torch.save never
// compresses), legacy (pre-1.6) non-zip format, TorchScript archive instead of a checkpoint,
// forbidden pickle global, unsupported dtype, storage too small for a tensor, ...
//
// Memory bound: reading costs at most the file's tensor bytes (as float32) plus
// kCheckpointReadOverheadBytes, whatever the file holds; anything that would need more is refused
// before it is allocated.
constexpr uint64_t kCheckpointReadOverheadBytes = uint64_t{256} << 20;
Checkpoint readCheckpoint(const std::string& path);

// SHA-256 of a file as lowercase hex; throws QualiClipError if it cannot be read.
std::string sha256OfFile(const std::string& path);

}  // namespace qc
