// Checkpoint: the tensors of a `torch.save` zip file (PyTorch >= 1.6), read without Python and
// without executing anything. The pickle inside is interpreted by a strict reader that knows
// only the opcodes and globals torch.save emits for a dict of tensors; any other global is
// refused, which is what makes a .pth downloaded from the internet safe to open.
//
// Get one with readCheckpoint(path). It is a plain value: any thread may call readCheckpoint;
// the result is not shared.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qc {

enum class StoredType { Float32, Float16, Int64 };

struct CheckpointTensor {
    std::vector<int64_t> shape;   // [] for a scalar
    std::vector<float> values;    // row-major, contiguous, converted to float32
    StoredType storedType = StoredType::Float32;

    int64_t numel() const;
};

struct Checkpoint {
    std::string path;
    std::string sha256;  // lowercase hex SHA-256 of the whole file
    std::map<std::string, CheckpointTensor> tensors;  // keys exactly as stored
};

// Throws CheckpointError whose message names the file and the problem: not found, not a zip,
// truncated/damaged archive, legacy (pre-1.6) non-zip format, TorchScript archive instead of a
// checkpoint, forbidden pickle global, unsupported dtype, storage too small for a tensor, ...
Checkpoint readCheckpoint(const std::string& path);

// SHA-256 of a file as lowercase hex; throws QualiClipError if it cannot be read.
std::string sha256OfFile(const std::string& path);

}  // namespace qc
