// What torch.save writes for a state dict: data.pkl (pickle protocol 2: an OrderedDict of
// torch._utils._rebuild_tensor_v2 calls, one persistent 'storage' id per tensor) and one stored,
// 64-byte-aligned record per storage, through LibTorch's zip writer (PyTorchStreamWriter, the
// one torch.save uses). LibTorch's own pickle_save tags its dicts with a TorchScript type, which
// the strict reader rightly refuses, so the few opcodes are written here.
#include "engine/CheckpointWriter.h"

#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <cstring>

#include "Errors.h"

namespace qc {
namespace {

class PickleBytes {
public:
    PickleBytes() { bytes_ += "\x80\x02"; }
    void op(char c) { bytes_ += c; }
    void text(const std::string& s) {
        op('X');
        littleEndian(s.size(), 4);
        bytes_ += s;
    }
    void integer(int64_t v) {
        if (v >= 0 && v < 256) {
            op('K');
            littleEndian(static_cast<uint64_t>(v), 1);
        } else if (v >= 0 && v < 65536) {
            op('M');
            littleEndian(static_cast<uint64_t>(v), 2);
        } else {
            bytes_ += "\x8a\x08";
            littleEndian(static_cast<uint64_t>(v), 8);
        }
    }
    void global(const std::string& module, const std::string& name) {
        bytes_ += 'c' + module + '\n' + name + '\n';
    }
    void intTuple(const std::vector<int64_t>& values) {
        op('(');
        for (int64_t v : values) integer(v);
        op('t');
    }
    void emptyOrderedDict() {
        global("collections", "OrderedDict");
        op(')');
        op('R');
    }
    // _rebuild_tensor_v2(('storage', torch.FloatStorage, key, 'cpu', numel), 0, size, stride,
    //                    False, OrderedDict())
    void contiguousFloatTensor(const std::string& storageKey, const std::vector<int64_t>& shape) {
        std::vector<int64_t> stride(shape.size(), 1);
        for (size_t d = shape.size(); d-- > 1;) stride[d - 1] = stride[d] * shape[d];
        int64_t numel = 1;
        for (int64_t s : shape) numel *= s;
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(');
        text("storage");
        global("torch", "FloatStorage");
        text(storageKey);
        text("cpu");
        integer(numel);
        op('t');
        op('Q');
        integer(0);
        intTuple(shape);
        intTuple(stride);
        op('\x89');
        emptyOrderedDict();
        op('t');
        op('R');
    }
    const std::string& bytes() const { return bytes_; }

private:
    void littleEndian(uint64_t v, int n) {
        for (int i = 0; i < n; ++i) bytes_ += static_cast<char>((v >> (8 * i)) & 0xff);
    }
    std::string bytes_;
};

}  // namespace

void writeCheckpoint(const Checkpoint& checkpoint, const std::string& path) {
    try {
        caffe2::serialize::PyTorchStreamWriter writer(path);
        PickleBytes pickle;
        pickle.emptyOrderedDict();
        pickle.op('(');
        int storage = 0;
        for (const auto& [key, t] : checkpoint.tensors) {
            const std::string storageKey = std::to_string(storage++);
            pickle.text(key);
            pickle.contiguousFloatTensor(storageKey, t.shape);
            // float32 little-endian, as on every machine this builds for.
            writer.writeRecord("data/" + storageKey, t.values.data(),
                               t.values.size() * sizeof(float));
        }
        pickle.op('u');
        pickle.op('.');
        writer.writeRecord("data.pkl", pickle.bytes().data(), pickle.bytes().size());
        writer.writeEndOfFile();
    } catch (const c10::Error& e) {
        const std::string message = e.what_without_backtrace();
        throw QualiClipError("cannot write the model file '" + path + "' (" +
                             message.substr(0, message.find('\n')) + ")");
    }
}

}  // namespace qc
