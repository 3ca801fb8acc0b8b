// CheckpointPickle: a strict reader for the `data.pkl` record of a torch.save zip file.
//
// It is not a Python unpickler. It interprets only the pickle opcodes that torch.save emits for
// a dict of tensors and accepts only the globals needed to describe tensors (OrderedDict, the
// tensor rebuild functions and the torch *Storage class names); any other global is refused
// before anything is built, so no pickle can make this reader run code. Storages are not read
// here: a tensor comes back as its storage key, dtype, offset, sizes and strides, and the caller
// fetches and bounds-checks the bytes (see Checkpoint.cpp).
//
// All work is bounded by the input: every opcode consumes at least one byte, lengths are
// checked against the bytes that remain before anything is allocated, and values live in one
// flat arena (no recursive destruction, cycles are harmless).
#pragma once

#include "engine/Checkpoint.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace qc::detail {

// A problem in data.pkl, in user words but without the file path (the caller adds it).
class PickleError : public std::runtime_error {
public:
    enum class Kind {
        Malformed,        // damaged, truncated or not the shape torch.save writes
        ForbiddenGlobal,  // the pickle names a function or class outside the whitelist
        TorchScript,      // the pickle names __torch__ classes: a TorchScript archive
    };
    PickleError(Kind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

// One tensor as data.pkl describes it. Sizes and strides are validated (non-negative, no
// overflow); `extent` is the number of storage elements from the start of the storage that
// the tensor touches (storageOffset + the largest linear index + 1; 0 for an empty tensor).
struct PickledTensor {
    std::string storageKey;       // record `<top>/data/<storageKey>`
    std::string storageLocation;  // "cpu", "cuda:0", ... (informational)
    StoredType storedType = StoredType::Float32;
    int64_t storageNumel = 0;  // elements the storage declares
    int64_t storageOffset = 0;
    std::vector<int64_t> size;
    std::vector<int64_t> stride;
    int64_t numel = 0;
    int64_t extent = 0;
};

// Bytes per element of a stored type.
int64_t storedTypeSize(StoredType type);

// Interprets `data` (the whole data.pkl record) and returns the entries of its top-level dict or
// OrderedDict in pickle order; a key stored twice keeps its last value. Entries named
// `_metadata` whose value is a dict are dropped. A top-level dict whose only entry is `params`
// holding a dict (pyiqa's format) gives that inner dict's entries. Throws PickleError.
std::vector<std::pair<std::string, PickledTensor>> parseCheckpointPickle(const uint8_t* data,
                                                                         size_t size);

}  // namespace qc::detail
