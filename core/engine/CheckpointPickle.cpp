#include "engine/CheckpointPickle.h"

#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <unordered_map>

namespace qc::detail {
namespace {

using Ref = size_t;  // index of a value in the arena

enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };

enum class GlobalKind { OrderedDict, RebuildTensorV2, RebuildParameter, StorageType };

// The torch storage classes whose data we can convert, and the others, which we recognise only
// to say which dtype a checkpoint uses.
struct StorageClass {
    const char* name;
    const char* dtype;
    bool supported;
    StoredType type;
};
constexpr StorageClass kStorageClasses[] = {
    {"FloatStorage", "float32", true, StoredType::Float32},
    {"HalfStorage", "float16", true, StoredType::Float16},
    {"LongStorage", "int64", true, StoredType::Int64},
    {"DoubleStorage", "float64", false, StoredType::Float32},
    {"BFloat16Storage", "bfloat16", false, StoredType::Float32},
    {"IntStorage", "int32", false, StoredType::Float32},
    {"ShortStorage", "int16", false, StoredType::Float32},
    {"CharStorage", "int8", false, StoredType::Float32},
    {"ByteStorage", "uint8", false, StoredType::Float32},
    {"BoolStorage", "bool", false, StoredType::Float32},
    {"ComplexFloatStorage", "complex64", false, StoredType::Float32},
    {"ComplexDoubleStorage", "complex128", false, StoredType::Float32},
};

struct Value {
    Kind kind = Kind::None;
    int64_t integer = 0;       // Bool, Int; GlobalKind for Global; numel for Storage
    double real = 0.0;         // Float
    std::string text;          // String; storage key for Storage
    std::string text2;         // storage location for Storage
    std::vector<Ref> items;    // Tuple, List; Dict as k0, v0, k1, v1, ...; Tensor: its args
    int64_t storageClass = 0;  // Global (StorageType), Storage: index in kStorageClasses
};

const char* kindName(Kind kind) {
    switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "a boolean";
    case Kind::Int: return "an integer";
    case Kind::Float: return "a float";
    case Kind::String: return "a string";
    case Kind::Tuple: return "a tuple";
    case Kind::List: return "a list";
    case Kind::Dict: return "a dict";
    case Kind::Global: return "a class or function";
    case Kind::Storage: return "a storage";
    case Kind::Tensor: return "a tensor";
    }
    return "an unknown value";
}

[[noreturn]] void malformed(const std::string& message) {
    throw PickleError(PickleError::Kind::Malformed, "damaged data.pkl: " + message);
}

std::string opcodeText(uint8_t op) {
    static const char* hex = "0123456789abcdef";
    std::string s = "0x";
    s += hex[op >> 4];
    s += hex[op & 15];
    if (op >= 0x21 && op < 0x7f) {
        s += " ('";
        s += static_cast<char>(op);
        s += "')";
    }
    return s;
}

// Bounds what any data.pkl can cost: values, memo entries, stack slots and marks together
// (a real state_dict needs about 20 per tensor: 10,000 for CLIP RN50). At ~150 bytes each the
// limit keeps the reader under 160 MB whatever the input.
constexpr size_t kMaxValues = size_t{1} << 20;

// Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF), as the keys of a
// state_dict written by Python always are.
bool isValidUtf8(const std::string& text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const unsigned char c = *p;
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            ++p;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (static_cast<size_t>(end - p) <= n) return false;
        for (size_t i = 1; i <= n; ++i) {
            if ((p[i] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        static constexpr uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kSmallest[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        p += n + 1;
    }
    return true;
}

class Interpreter {
public:
    Interpreter(const uint8_t* data, size_t size) : data_(data), size_(size) {}

    Ref run();
    const Value& at(Ref r) const { return arena_[r]; }

private:
    // --- input -------------------------------------------------------------------------
    void need(size_t n) const {
        if (n > size_ - pos_) malformed("it ends in the middle of an instruction (truncated)");
    }
    uint8_t u8() {
        need(1);
        return data_[pos_++];
    }
    uint64_t uintLE(size_t n) {
        need(n);
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
        pos_ += n;
        return v;
    }
    std::string bytes(uint64_t n) {
        if (n > size_ - pos_) malformed("a string runs past the end of the data (truncated)");
        std::string s(reinterpret_cast<const char*>(data_ + pos_), static_cast<size_t>(n));
        pos_ += static_cast<size_t>(n);
        return s;
    }
    std::string line() {
        const void* end = std::memchr(data_ + pos_, '\n', size_ - pos_);
        if (end == nullptr) malformed("a global name is not terminated (truncated)");
        size_t len = static_cast<size_t>(static_cast<const uint8_t*>(end) - (data_ + pos_));
        std::string s(reinterpret_cast<const char*>(data_ + pos_), len);
        pos_ += len + 1;
        return s;
    }

    // --- values and stack ----------------------------------------------------------------
    // Bounds memory on crafted input: everything the reader keeps counts against one limit.
    void count() const {
        if (arena_.size() + memo_.size() + stack_.size() + marks_.size() >= kMaxValues)
            malformed("it holds more than " + std::to_string(kMaxValues) +
                      " values, memo entries and "
                      "stack slots (a dict of tensors needs far fewer)");
    }
    Ref make(Value v) {
        count();
        arena_.push_back(std::move(v));
        return arena_.size() - 1;
    }
    Ref makeKind(Kind kind) {
        Value v;
        v.kind = kind;
        return make(std::move(v));
    }
    Ref makeInt(int64_t i) {
        Value v;
        v.kind = Kind::Int;
        v.integer = i;
        return make(std::move(v));
    }
    size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    void push(Ref r) {
        count();
        stack_.push_back(r);
    }
    Ref pop() {
        if (stack_.size() <= floor()) malformed("an instruction finds too few values (stack underflow)");
        Ref r = stack_.back();
        stack_.pop_back();
        return r;
    }
    Ref top() const {
        if (stack_.size() <= floor()) malformed("an instruction finds no value (stack underflow)");
        return stack_.back();
    }
    std::vector<Ref> popMark() {
        if (marks_.empty()) malformed("an instruction expects a MARK that is not there");
        size_t m = marks_.back();
        marks_.pop_back();
        std::vector<Ref> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
        stack_.resize(m);
        return items;
    }
    void memoPut(uint64_t index) {
        count();
        memo_[index] = top();
    }
    Ref memoGet(uint64_t index) const {
        auto it = memo_.find(index);
        if (it == memo_.end()) malformed("it refers to a memo entry that was never stored");
        return it->second;
    }

    Ref global(const std::string& module, const std::string& name);
    Ref persistentLoad(Ref pid);
    Ref reduce(Ref callable, Ref args);

    const uint8_t* data_;
    size_t size_;
    size_t pos_ = 0;
    std::vector<Value> arena_;
    std::vector<Ref> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint64_t, Ref> memo_;
};

Ref Interpreter::global(const std::string& module, const std::string& name) {
    Value v;
    v.kind = Kind::Global;
    if (module.rfind("__torch__", 0) == 0)
        throw PickleError(PickleError::Kind::TorchScript,
                          "TorchScript archive, not a checkpoint (data.pkl names the TorchScript "
                          "class '" + module + "." + name + "'); save the state_dict with torch.save");
    if (module == "collections" && name == "OrderedDict") {
        v.integer = static_cast<int64_t>(GlobalKind::OrderedDict);
        return make(std::move(v));
    }
    if (module == "torch._utils" && name == "_rebuild_tensor_v2") {
        v.integer = static_cast<int64_t>(GlobalKind::RebuildTensorV2);
        return make(std::move(v));
    }
    if (module == "torch._utils" && name == "_rebuild_parameter") {
        v.integer = static_cast<int64_t>(GlobalKind::RebuildParameter);
        return make(std::move(v));
    }
    if (module == "torch") {
        for (size_t i = 0; i < std::size(kStorageClasses); ++i) {
            if (name == kStorageClasses[i].name) {
                v.integer = static_cast<int64_t>(GlobalKind::StorageType);
                v.storageClass = static_cast<int64_t>(i);
                return make(std::move(v));
            }
        }
    }
    throw PickleError(PickleError::Kind::ForbiddenGlobal,
                      "forbidden pickle global '" + module + "." + name +
                          "': a checkpoint may only contain tensors, and this file asks to "
                          "call or build something else (it may be malicious)");
}

Ref Interpreter::persistentLoad(Ref pidRef) {
    const Value& pid = arena_[pidRef];
    if (pid.kind != Kind::Tuple || pid.items.size() != 5)
        malformed("a persistent id is not a ('storage', type, key, location, size) tuple");
    const Value& tag = arena_[pid.items[0]];
    const Value& type = arena_[pid.items[1]];
    const Value& key = arena_[pid.items[2]];
    const Value& location = arena_[pid.items[3]];
    const Value& numel = arena_[pid.items[4]];
    if (tag.kind != Kind::String || tag.text != "storage")
        malformed("a persistent id does not name a storage");
    if (type.kind != Kind::Global ||
        type.integer != static_cast<int64_t>(GlobalKind::StorageType))
        malformed("a storage's type is not a torch storage class");
    if (key.kind != Kind::String || key.text.empty() || key.text.size() > 64)
        malformed("a storage key is not a short string");
    for (char c : key.text) {
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '_' || c == '-' || c == '.';
        if (!ok) malformed("the storage key '" + key.text + "' contains unexpected characters");
    }
    if (location.kind != Kind::String) malformed("a storage location is not a string");
    if (numel.kind != Kind::Int || numel.integer < 0)
        malformed("the size of storage '" + key.text + "' is not a non-negative integer");
    Value v;
    v.kind = Kind::Storage;
    v.text = key.text;
    v.text2 = location.text;
    v.integer = numel.integer;
    v.storageClass = type.storageClass;
    return make(std::move(v));
}

Ref Interpreter::reduce(Ref callableRef, Ref argsRef) {
    const Value& callable = arena_[callableRef];
    const Value& args = arena_[argsRef];
    if (callable.kind != Kind::Global) malformed("REDUCE calls something that is not a function");
    if (args.kind != Kind::Tuple) malformed("REDUCE arguments are not a tuple");
    switch (static_cast<GlobalKind>(callable.integer)) {
    case GlobalKind::OrderedDict:
        if (!args.items.empty()) malformed("OrderedDict is built with arguments");
        return makeKind(Kind::Dict);
    case GlobalKind::RebuildTensorV2: {
        // Checked when the tensor's key is known (see parseCheckpointPickle).
        if (args.items.size() != 6 && args.items.size() != 7)
            malformed("_rebuild_tensor_v2 is called with " + std::to_string(args.items.size()) +
                      " arguments instead of 6 or 7");
        Value v;
        v.kind = Kind::Tensor;
        v.items = args.items;
        return make(std::move(v));
    }
    case GlobalKind::RebuildParameter: {
        if (args.items.size() != 3 && args.items.size() != 4)
            malformed("_rebuild_parameter is called with the wrong number of arguments");
        if (arena_[args.items[0]].kind != Kind::Tensor)
            malformed("_rebuild_parameter is called without a tensor");
        return args.items[0];
    }
    case GlobalKind::StorageType:
        malformed("a torch storage class is called directly");
    }
    malformed("REDUCE calls an unknown function");
}

Ref Interpreter::run() {
    while (true) {
        if (pos_ >= size_) malformed("it ends without a STOP instruction (truncated)");
        size_t opPos = pos_;
        uint8_t op = data_[pos_++];
        switch (op) {
        case 0x80: {  // PROTO
            uint8_t proto = u8();
            if (proto < 2 || proto > 5)
                malformed("pickle protocol " + std::to_string(proto) + " is not supported");
            break;
        }
        case 0x95:  // FRAME: a length hint; the data follows inline.
            uintLE(8);
            break;
        case '}': push(makeKind(Kind::Dict)); break;   // EMPTY_DICT
        case ']': push(makeKind(Kind::List)); break;   // EMPTY_LIST
        case ')': push(makeKind(Kind::Tuple)); break;  // EMPTY_TUPLE
        case '(':  // MARK
            count();
            marks_.push_back(stack_.size());
            break;
        case 't': {  // TUPLE
            Value v;
            v.kind = Kind::Tuple;
            v.items = popMark();
            push(make(std::move(v)));
            break;
        }
        case 0x85:    // TUPLE1
        case 0x86:    // TUPLE2
        case 0x87: {  // TUPLE3
            size_t n = static_cast<size_t>(op - 0x84);
            Value v;
            v.kind = Kind::Tuple;
            v.items.resize(n);
            for (size_t i = n; i-- > 0;) v.items[i] = pop();
            push(make(std::move(v)));
            break;
        }
        case 'q': memoPut(u8()); break;          // BINPUT
        case 'r': memoPut(uintLE(4)); break;     // LONG_BINPUT
        case 0x94: memoPut(memo_.size()); break;  // MEMOIZE
        case 'h': push(memoGet(u8())); break;      // BINGET
        case 'j': push(memoGet(uintLE(4))); break;  // LONG_BINGET
        case 'X':     // BINUNICODE
        case 0x8c:    // SHORT_BINUNICODE
        case 0x8d: {  // BINUNICODE8
            uint64_t len = uintLE(op == 'X' ? 4 : op == 0x8c ? 1 : 8);
            Value v;
            v.kind = Kind::String;
            v.text = bytes(len);
            if (!isValidUtf8(v.text)) malformed("a string is not valid UTF-8");
            push(make(std::move(v)));
            break;
        }
        case 'J':  // BININT
            push(makeInt(static_cast<int32_t>(static_cast<uint32_t>(uintLE(4)))));
            break;
        case 'K': push(makeInt(u8())); break;                                  // BININT1
        case 'M': push(makeInt(static_cast<int64_t>(uintLE(2)))); break;      // BININT2
        case 0x8a: {  // LONG1
            size_t n = u8();
            if (n > 8) malformed("an integer is too large");
            uint64_t v = uintLE(n);
            if (n > 0 && n < 8 && (v >> (8 * n - 1)) != 0) v |= ~uint64_t{0} << (8 * n);  // sign
            push(makeInt(static_cast<int64_t>(v)));
            break;
        }
        case 'G': {  // BINFLOAT, big-endian IEEE double
            need(8);
            uint64_t bits = 0;
            for (size_t i = 0; i < 8; ++i) bits = (bits << 8) | data_[pos_ + i];
            pos_ += 8;
            Value v;
            v.kind = Kind::Float;
            std::memcpy(&v.real, &bits, sizeof bits);
            push(make(std::move(v)));
            break;
        }
        case 0x88:  // NEWTRUE
        case 0x89: {  // NEWFALSE
            Value v;
            v.kind = Kind::Bool;
            v.integer = op == 0x88 ? 1 : 0;
            push(make(std::move(v)));
            break;
        }
        case 'N': push(makeKind(Kind::None)); break;  // NONE
        case 'c': {  // GLOBAL
            std::string module = line();
            std::string name = line();
            push(global(module, name));
            break;
        }
        case 0x93: {  // STACK_GLOBAL
            Ref nameRef = pop();
            Ref moduleRef = pop();
            if (arena_[nameRef].kind != Kind::String || arena_[moduleRef].kind != Kind::String)
                malformed("STACK_GLOBAL names are not strings");
            Ref g = global(arena_[moduleRef].text, arena_[nameRef].text);
            push(g);
            break;
        }
        case 'Q': {  // BINPERSID
            Ref pid = pop();
            push(persistentLoad(pid));
            break;
        }
        case 'R': {  // REDUCE
            Ref args = pop();
            Ref callable = pop();
            push(reduce(callable, args));
            break;
        }
        case 'b': {  // BUILD: only the `_metadata` state of a state_dict OrderedDict; ignored.
            pop();
            if (arena_[top()].kind != Kind::Dict)
                malformed("BUILD sets the state of " + std::string(kindName(arena_[top()].kind)));
            break;
        }
        case 's': {  // SETITEM
            Ref value = pop();
            Ref key = pop();
            Value& dict = arena_[top()];
            if (dict.kind != Kind::Dict) malformed("SETITEM on something that is not a dict");
            dict.items.push_back(key);
            dict.items.push_back(value);
            break;
        }
        case 'u': {  // SETITEMS
            std::vector<Ref> items = popMark();
            if (items.size() % 2 != 0) malformed("SETITEMS with an odd number of values");
            Value& dict = arena_[top()];
            if (dict.kind != Kind::Dict) malformed("SETITEMS on something that is not a dict");
            dict.items.insert(dict.items.end(), items.begin(), items.end());
            break;
        }
        case 'a': {  // APPEND
            Ref value = pop();
            Value& list = arena_[top()];
            if (list.kind != Kind::List) malformed("APPEND on something that is not a list");
            list.items.push_back(value);
            break;
        }
        case 'e': {  // APPENDS
            std::vector<Ref> items = popMark();
            Value& list = arena_[top()];
            if (list.kind != Kind::List) malformed("APPENDS on something that is not a list");
            list.items.insert(list.items.end(), items.begin(), items.end());
            break;
        }
        case '.': {  // STOP
            Ref result = pop();
            if (!marks_.empty()) malformed("it stops inside an unfinished MARK");
            return result;
        }
        default:
            malformed("unsupported pickle opcode " + opcodeText(op) + " at byte " +
                      std::to_string(opPos));
        }
    }
}

// Reads a tuple of non-negative integers (a size or stride).
std::vector<int64_t> intTuple(const Interpreter& in, Ref r, const std::string& what,
                              const std::string& key) {
    const Value& v = in.at(r);
    if (v.kind != Kind::Tuple) malformed("the " + what + " of tensor '" + key + "' is not a tuple");
    if (v.items.size() > 64) malformed("tensor '" + key + "' has too many dimensions");
    std::vector<int64_t> out;
    for (Ref item : v.items) {
        const Value& x = in.at(item);
        if (x.kind != Kind::Int || x.integer < 0)
            malformed("the " + what + " of tensor '" + key + "' is not a tuple of non-negative integers");
        out.push_back(x.integer);
    }
    return out;
}

PickledTensor makeTensor(const Interpreter& in, const Value& t, const std::string& key) {
    const Value& storage = in.at(t.items[0]);
    const Value& offset = in.at(t.items[1]);
    if (storage.kind != Kind::Storage) malformed("tensor '" + key + "' has no storage");
    const StorageClass& cls = kStorageClasses[storage.storageClass];
    if (!cls.supported)
        throw PickleError(PickleError::Kind::Malformed,
                          "tensor '" + key + "' is stored as " + cls.dtype + " (torch." +
                              cls.name + "), an unsupported dtype; only float32, float16 and "
                              "int64 tensors can be read");
    if (offset.kind != Kind::Int || offset.integer < 0)
        malformed("the storage offset of tensor '" + key + "' is not a non-negative integer");
    PickledTensor out;
    out.storageKey = storage.text;
    out.storageLocation = storage.text2;
    out.storedType = cls.type;
    out.storageNumel = storage.integer;
    out.storageOffset = offset.integer;
    out.size = intTuple(in, t.items[2], "size", key);
    out.stride = intTuple(in, t.items[3], "stride", key);
    if (out.size.size() != out.stride.size())
        malformed("tensor '" + key + "' has " + std::to_string(out.size.size()) + " sizes but " +
                  std::to_string(out.stride.size()) + " strides");
    if (in.at(t.items[4]).kind != Kind::Bool)
        malformed("the requires_grad flag of tensor '" + key + "' is not a boolean");
    if (in.at(t.items[5]).kind != Kind::Dict && in.at(t.items[5]).kind != Kind::None)
        malformed("the backward hooks of tensor '" + key + "' are not a dict");

    int64_t numel = 1;
    int64_t last = out.storageOffset;  // largest linear index touched
    for (size_t d = 0; d < out.size.size(); ++d) {
        int64_t step = 0;
        if (__builtin_mul_overflow(numel, out.size[d], &numel) ||
            (out.size[d] > 0 && __builtin_mul_overflow(out.size[d] - 1, out.stride[d], &step)) ||
            __builtin_add_overflow(last, step, &last))
            malformed("the size of tensor '" + key + "' is too large");
    }
    out.numel = numel;
    if (numel == 0) {
        out.extent = 0;
    } else if (__builtin_add_overflow(last, int64_t{1}, &out.extent)) {
        malformed("the size of tensor '" + key + "' is too large");
    }
    return out;
}

}  // namespace

int64_t storedTypeSize(StoredType type) {
    switch (type) {
    case StoredType::Float32: return 4;
    case StoredType::Float16: return 2;
    case StoredType::Int64: return 8;
    }
    return 4;
}

std::vector<std::pair<std::string, PickledTensor>> parseCheckpointPickle(const uint8_t* data,
                                                                         size_t size) {
    Interpreter in(data, size);
    Ref rootRef = in.run();
    if (in.at(rootRef).kind != Kind::Dict)
        throw PickleError(PickleError::Kind::Malformed,
                          std::string("the checkpoint holds ") + kindName(in.at(rootRef).kind) +
                              " instead of a dict of tensors");
    // pyiqa saves trained parts as {'params': state_dict} (QualiCLIP+ prompt learners): a dict
    // whose only entry is 'params' holding a dict is read as that dict, with the same checks.
    const Value& outer = in.at(rootRef);
    if (outer.items.size() == 2 && in.at(outer.items[0]).kind == Kind::String &&
        in.at(outer.items[0]).text == "params" && in.at(outer.items[1]).kind == Kind::Dict)
        rootRef = outer.items[1];
    const Value& root = in.at(rootRef);

    std::vector<std::pair<std::string, PickledTensor>> out;
    std::map<std::string, size_t> position;  // key -> index in `out`
    for (size_t i = 0; i + 1 < root.items.size(); i += 2) {
        const Value& key = in.at(root.items[i]);
        const Value& value = in.at(root.items[i + 1]);
        if (key.kind != Kind::String)
            throw PickleError(PickleError::Kind::Malformed,
                              std::string("the checkpoint dict has a key that is ") +
                                  kindName(key.kind) + ", not a string");
        if (key.text == "_metadata" && value.kind == Kind::Dict) continue;
        if (value.kind != Kind::Tensor)
            throw PickleError(PickleError::Kind::Malformed,
                              "entry '" + key.text + "' of the checkpoint is " +
                                  kindName(value.kind) +
                                  ", not a tensor; a flat dict of tensors (a state_dict) is "
                                  "expected");
        PickledTensor tensor = makeTensor(in, value, key.text);
        auto it = position.find(key.text);
        if (it != position.end()) {
            out[it->second].second = std::move(tensor);
        } else {
            position.emplace(key.text, out.size());
            out.emplace_back(key.text, std::move(tensor));
        }
    }
    return out;
}

}  // namespace qc::detail
