// Tests of readCheckpoint: the real-format oracle checkpoint, and files crafted here byte by
// byte (zip container and pickle) for every kind of wrong, damaged or hostile input.
#include "engine/Checkpoint.h"
#include "engine/CheckpointPickle.h"
#include "Errors.h"
#include "TestSupport.h"
#include "ZipBuilder.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace qc {
namespace {

using test::putLE;
using test::TempDir;
using test::ZipBuilder;

// --- byte helpers -------------------------------------------------------------------------

std::string floatsLE(const std::vector<float>& values) {
    std::string out;
    for (float f : values) {
        uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        putLE(out, bits, 4);
    }
    return out;
}

std::string doublesLE(const std::vector<double>& values) {
    std::string out;
    for (double d : values) {
        uint64_t bits;
        std::memcpy(&bits, &d, sizeof bits);
        putLE(out, bits, 8);
    }
    return out;
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Pickle opcodes, written by hand (protocol 2, as torch.save does).
class Pickle {
public:
    Pickle() { bytes_ += "\x80\x02"; }
    Pickle& raw(const std::string& s) {
        bytes_ += s;
        return *this;
    }
    Pickle& memo(uint8_t index) {  // BINPUT
        bytes_ += 'q';
        bytes_ += static_cast<char>(index);
        return *this;
    }
    Pickle& op(char c) {
        bytes_ += c;
        return *this;
    }
    Pickle& str(const std::string& s) {
        bytes_ += 'X';
        putLE(bytes_, s.size(), 4);
        bytes_ += s;
        return *this;
    }
    Pickle& integer(int64_t v) {
        if (v >= 0 && v < 256) {
            bytes_ += 'K';
            putLE(bytes_, static_cast<uint64_t>(v), 1);
        } else if (v >= 0 && v < 65536) {
            bytes_ += 'M';
            putLE(bytes_, static_cast<uint64_t>(v), 2);
        } else {
            bytes_ += "\x8a\x08";
            putLE(bytes_, static_cast<uint64_t>(v), 8);
        }
        return *this;
    }
    Pickle& global(const std::string& module, const std::string& name) {
        bytes_ += 'c' + module + '\n' + name + '\n';
        return *this;
    }
    Pickle& intTuple(const std::vector<int64_t>& values) {
        op('(');
        for (int64_t v : values) integer(v);
        return op('t');
    }
    Pickle& emptyOrderedDict() { return global("collections", "OrderedDict").op(')').op('R'); }
    // _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride,
    //                    False, OrderedDict())
    Pickle& tensor(const std::string& storageType, const std::string& storageKey,
                   int64_t storageNumel, int64_t offset, const std::vector<int64_t>& size,
                   const std::vector<int64_t>& stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').str("storage").global("torch", storageType).str(storageKey).str("cpu");
        integer(storageNumel).op('t').op('Q');
        integer(offset).intTuple(size).intTuple(stride).op('\x89').emptyOrderedDict();
        return op('t').op('R');
    }
    Pickle& stop() { return op('.'); }
    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_;
};

// Writes a torch.save-shaped zip under the folder `folder` (named after the file, as torch does).
std::string checkpointZip(const std::string& pickle,
                          const std::map<std::string, std::string>& storages,
                          const std::string& folder = "crafted") {
    ZipBuilder zip;
    zip.add(folder + "/data.pkl", pickle);
    for (const auto& [key, data] : storages) zip.add(folder + "/data/" + key, data);
    zip.add(folder + "/version", "3\n");
    return zip.bytes();
}

// A dict {key: float32 tensor} with the tensor's storage as given.
std::string oneTensorPickle(const std::string& key, const std::string& storageType,
                            int64_t storageNumel, int64_t offset, const std::vector<int64_t>& size,
                            const std::vector<int64_t>& stride) {
    Pickle p;
    p.op('}').memo(0).op('(').str(key);
    p.tensor(storageType, "0", storageNumel, offset, size, stride);
    p.op('u').stop();
    return p.bytes();
}

// Runs readCheckpoint and returns the CheckpointError message ("" and a failure if none).
std::string errorOf(const std::string& path) {
    try {
        readCheckpoint(path);
    } catch (const CheckpointError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a CheckpointError: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no error for " << path;
    return "";
}

#define EXPECT_CONTAINS(text, part) \
    EXPECT_NE(std::string(text).find(part), std::string::npos) << "'" << (text) << "' lacks '" << (part) << "'"

// --- the real-format oracle ----------------------------------------------------------------

TEST(Checkpoint, LoadsOracleWithEveryKeyDtypeAndShape) {
    QCI_REQUIRE_ORACLE();
    const std::string path = (test::oracleDir() / "tiny_qualiclip.pth").string();
    Checkpoint ck = readCheckpoint(path);
    EXPECT_EQ(ck.path, path);
    EXPECT_EQ(ck.sha256, "de91cdef8875625710b6504d9bc65cb55e404e6f71827f385d0110aab92913eb");
    ASSERT_EQ(ck.tensors.size(), 160u);

    std::ifstream keys(test::oracleDir() / "checkpoint_keys.txt");
    ASSERT_TRUE(keys.good());
    std::string line;
    size_t lines = 0;
    while (std::getline(keys, line)) {
        if (line.empty()) continue;
        ++lines;
        std::istringstream fields(line);
        std::string name, dtype, shapeText;
        std::getline(fields, name, '\t');
        std::getline(fields, dtype, '\t');
        std::getline(fields, shapeText);
        std::vector<int64_t> shape;
        for (char& c : shapeText)
            if (c == '[' || c == ']' || c == ',') c = ' ';
        std::istringstream dims(shapeText);
        for (int64_t d; dims >> d;) shape.push_back(d);

        auto it = ck.tensors.find(name);
        ASSERT_NE(it, ck.tensors.end()) << name;
        const CheckpointTensor& t = it->second;
        EXPECT_EQ(t.shape, shape) << name;
        EXPECT_EQ(static_cast<int64_t>(t.values.size()), t.numel()) << name;
        if (dtype == "float32")
            EXPECT_EQ(t.storedType, StoredType::Float32) << name;
        else if (dtype == "int64")
            EXPECT_EQ(t.storedType, StoredType::Int64) << name;
        else
            ADD_FAILURE() << "unexpected dtype " << dtype << " for " << name;
    }
    EXPECT_EQ(lines, 160u);

    const CheckpointTensor& scale = ck.tensors.at("clip_model.logit_scale");
    EXPECT_TRUE(scale.shape.empty());
    ASSERT_EQ(scale.values.size(), 1u);
    EXPECT_NEAR(scale.values[0], std::log(1.0 / 0.07), 1e-5);
    const CheckpointTensor& tracked = ck.tensors.at("clip_model.visual.bn1.num_batches_tracked");
    ASSERT_EQ(tracked.values.size(), 1u);
    EXPECT_EQ(tracked.values[0], 0.0f);
}

TEST(Checkpoint, OracleValuesMatchExpectedJson) {
    QCI_REQUIRE_ORACLE();
    Checkpoint ck = readCheckpoint((test::oracleDir() / "tiny_qualiclip.pth").string());
    QFile file(QString::fromStdString((test::oracleDir() / "expected.json").string()));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    ASSERT_TRUE(doc.isObject());
    EXPECT_EQ(doc.object().value("checkpoint_sha256").toString().toStdString(), ck.sha256);
    QJsonArray rows = doc.object().value("prompts_features").toArray();
    ASSERT_EQ(rows.size(), 14);

    const CheckpointTensor& pf = ck.tensors.at("prompts_features");
    ASSERT_EQ(pf.shape, (std::vector<int64_t>{14, 64}));
    for (int r = 0; r < 14; ++r) {
        QJsonArray row = rows.at(r).toArray();
        ASSERT_EQ(row.size(), 64);
        for (int c = 0; c < 64; ++c)
            ASSERT_FLOAT_EQ(pf.values[static_cast<size_t>(r * 64 + c)],
                            static_cast<float>(row.at(c).toDouble()))
                << "prompts_features[" << r << "][" << c << "]";
    }
}

// --- files that are not checkpoints -----------------------------------------------------

TEST(Checkpoint, MissingFileNamesPath) {
    TempDir dir;
    std::string path = dir.file("nowhere.pth");
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "not found");
}

TEST(Checkpoint, FolderIsRejected) {
    TempDir dir;
    std::string msg = errorOf(dir.path().string());
    EXPECT_CONTAINS(msg, dir.path().string());
    EXPECT_CONTAINS(msg, "folder");
}

TEST(Checkpoint, EmptyFile) {
    TempDir dir;
    std::string path = dir.file("empty.pth");
    writeFile(path, "");
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "empty");
}

TEST(Checkpoint, RandomBytesAreNotAZip) {
    TempDir dir;
    std::string path = dir.file("random.pth");
    std::mt19937 rng(1234);
    std::string bytes(4096, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    bytes[0] = 0x17;  // make sure it is neither "PK" nor a pickle
    writeFile(path, bytes);
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "not a zip");
}

TEST(Checkpoint, PngImageIsNamed) {
    TempDir dir;
    std::string path = dir.file("photo.pth");
    std::string png("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
                    "\x00\x00\x00\x90wS\xde",
                    33);
    writeFile(path, png);
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "PNG");
}

TEST(Checkpoint, LegacyFormatIsNamed) {
    TempDir dir;
    std::string path = dir.file("old.pth");
    // What torch.save(..., _use_new_zipfile_serialization=False) writes first: the magic number.
    std::string legacy("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.\x80\x02M\xe9\x03.", 21);
    writeFile(path, legacy);
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "legacy (pre-1.6) PyTorch format, re-save with torch.save in PyTorch >= 1.6");
}

TEST(Checkpoint, TruncatedOracleIsNamed) {
    QCI_REQUIRE_ORACLE();
    const std::string full = readFile((test::oracleDir() / "tiny_qualiclip.pth").string());
    ASSERT_GT(full.size(), 100000u);
    TempDir dir;
    for (size_t cut : {size_t{10}, size_t{4096}, full.size() / 2, full.size() - 100, full.size() - 23,
                       full.size() - 1}) {
        std::string path = dir.file("cut_" + std::to_string(cut) + ".pth");
        writeFile(path, full.substr(0, cut));
        std::string msg = errorOf(path);
        EXPECT_CONTAINS(msg, path);
        EXPECT_CONTAINS(msg, "truncated");
    }
}

TEST(Checkpoint, DamagedLocalHeaderIsNamed) {
    QCI_REQUIRE_ORACLE();
    std::string bytes = readFile((test::oracleDir() / "tiny_qualiclip.pth").string());
    size_t second = bytes.find(std::string("PK\x03\x04", 4), 4);  // header of the 2nd record
    ASSERT_NE(second, std::string::npos);
    bytes.replace(second, 4, "XXXX");
    TempDir dir;
    std::string path = dir.file("damaged.pth");
    writeFile(path, bytes);
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "damaged");
}

TEST(Checkpoint, ZipWithoutDataPkl) {
    TempDir dir;
    std::string path = dir.file("notes.pth");
    writeFile(path, ZipBuilder().add("notes/readme.txt", "hello").add("notes/version", "3\n").bytes());
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "no data.pkl");
}

TEST(Checkpoint, OddArchiveLayoutsAreRefused) {
    TempDir dir;
    const std::string pickle = oneTensorPickle("w", "FloatStorage", 1, 0, {1}, {1});
    // Records outside the folder that holds data.pkl.
    std::string mixed = dir.file("mixed.pth");
    writeFile(mixed, ZipBuilder()
                         .add("other/data/0", floatsLE({1}))
                         .add("model/data.pkl", pickle)
                         .add("model/data/0", floatsLE({1}))
                         .add("model/version", "3\n")
                         .bytes());
    std::string msg = errorOf(mixed);
    EXPECT_CONTAINS(msg, mixed);
    EXPECT_CONTAINS(msg, "'other/data/0'");
    // Big-endian storages.
    std::string big = dir.file("big.pth");
    writeFile(big, ZipBuilder()
                       .add("big/data.pkl", pickle)
                       .add("big/byteorder", "big")
                       .add("big/data/0", floatsLE({1}))
                       .add("big/version", "3\n")
                       .bytes());
    EXPECT_CONTAINS(errorOf(big), "'big' byte order");
    // A pickle of something other than a dict.
    std::string list = dir.file("list.pth");
    writeFile(list, checkpointZip(Pickle().op(']').stop().bytes(), {}));
    EXPECT_CONTAINS(errorOf(list), "a list instead of a dict of tensors");
}

TEST(Checkpoint, TorchScriptArchiveIsNamed) {
    TempDir dir;
    std::string path = dir.file("scripted.pt");
    Pickle p;
    p.global("__torch__.Model", "Model").op(')').op('\x81').stop();
    writeFile(path, ZipBuilder()
                        .add("scripted/data.pkl", p.bytes())
                        .add("scripted/code/__torch__/model.py", "class Model: pass\n")
                        .add("scripted/constants.pkl", Pickle().op(')').stop().bytes())
                        .add("scripted/version", "3\n")
                        .bytes());
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "TorchScript archive, not a checkpoint");

    // Without code/ and constants.pkl, the __torch__ class in data.pkl gives it away.
    std::string path2 = dir.file("scripted2.pt");
    writeFile(path2, checkpointZip(p.bytes(), {}));
    std::string msg2 = errorOf(path2);
    EXPECT_CONTAINS(msg2, path2);
    EXPECT_CONTAINS(msg2, "TorchScript archive, not a checkpoint");
}

// --- hostile pickles --------------------------------------------------------------------

TEST(Checkpoint, ForbiddenGlobalsAreRefused) {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> globals = {
        {"os", "system"}, {"builtins", "eval"}, {"posix", "system"},
        {"torch.storage", "_load_from_bytes"}, {"torch", "load"}, {"collections", "defaultdict"}};
    for (const auto& [module, name] : globals) {
        Pickle p;
        p.op('}').op('(').str("w").global(module, name).str("echo pwned").op('\x85').op('R');
        p.op('u').stop();
        std::string path = dir.file(name + ".pth");
        writeFile(path, checkpointZip(p.bytes(), {}));
        std::string msg = errorOf(path);
        EXPECT_CONTAINS(msg, path);
        EXPECT_CONTAINS(msg, "forbidden pickle global '" + module + "." + name + "'");
    }
    // STACK_GLOBAL is checked just the same.
    Pickle p;
    p.op('}').op('(').str("w").str("os").str("system").op('\x93').str("id").op('\x85').op('R');
    p.op('u').stop();
    std::string path = dir.file("stack_global.pth");
    writeFile(path, checkpointZip(p.bytes(), {}));
    EXPECT_CONTAINS(errorOf(path), "forbidden pickle global 'os.system'");
}

TEST(Checkpoint, UnknownOpcodeIsNamed) {
    TempDir dir;
    std::string path = dir.file("inst.pth");
    Pickle p;
    p.raw("ios\nsystem\n").stop();  // INST, a protocol-0 way to call a function
    writeFile(path, checkpointZip(p.bytes(), {}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "opcode 0x69");
}

TEST(Checkpoint, NonTensorEntryIsNamed) {
    TempDir dir;
    std::string path = dir.file("epoch.pth");
    Pickle p;
    p.op('}').str("epoch").integer(3).op('s').stop();
    writeFile(path, checkpointZip(p.bytes(), {}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "'epoch'");
}

TEST(Checkpoint, TruncatedPickleIsNamed) {
    TempDir dir;
    std::string pickle = oneTensorPickle("w", "FloatStorage", 2, 0, {2}, {1});
    std::string path = dir.file("short_pickle.pth");
    writeFile(path, checkpointZip(pickle.substr(0, pickle.size() - 3), {{"0", floatsLE({1, 2})}}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "truncated");
}

// --- storages and tensors ------------------------------------------------------------------

TEST(Checkpoint, StorageRecordShorterThanTensor) {
    TempDir dir;
    std::string path = dir.file("short.pth");
    writeFile(path, checkpointZip(oneTensorPickle("layer.weight", "FloatStorage", 6, 0, {2, 3}, {3, 1}),
                                  {{"0", floatsLE({1, 2, 3, 4})}}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "'layer.weight'");
    EXPECT_CONTAINS(msg, "crafted/data/0");
}

TEST(Checkpoint, MissingStorageRecord) {
    TempDir dir;
    std::string path = dir.file("nostorage.pth");
    writeFile(path, checkpointZip(oneTensorPickle("layer.bias", "FloatStorage", 2, 0, {2}, {1}), {}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "'layer.bias'");
    EXPECT_CONTAINS(msg, "missing");
}

TEST(Checkpoint, StridesOutOfBoundsAreRefused) {
    TempDir dir;
    struct Case {
        int64_t offset;
        std::vector<int64_t> size, stride;
    };
    for (const Case& c : {Case{0, {2, 3}, {3, 2}}, Case{5, {2}, {1}}, Case{0, {2, 3}, {4, 1}},
                          Case{0, {3, 1000000000000}, {1, 1000000000000}}}) {
        std::string path = dir.file("strides.pth");
        writeFile(path, checkpointZip(oneTensorPickle("evil", "FloatStorage", 6, c.offset, c.size, c.stride),
                                      {{"0", floatsLE({1, 2, 3, 4, 5, 6})}}));
        std::string msg = errorOf(path);
        EXPECT_CONTAINS(msg, path);
        EXPECT_CONTAINS(msg, "'evil'");
    }
    // The storage declares more elements than its record holds; the view must still fit the record.
    std::string path = dir.file("lying.pth");
    writeFile(path, checkpointZip(oneTensorPickle("liar", "FloatStorage", 1000000, 0, {1000, 1000}, {1000, 1}),
                                  {{"0", floatsLE({1, 2})}}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, "'liar'");
    EXPECT_CONTAINS(msg, "holds 8 bytes");
}

TEST(Checkpoint, ZeroStrideCannotInflateMemory) {
    TempDir dir;
    std::string path = dir.file("broadcast.pth");
    writeFile(path, checkpointZip(oneTensorPickle("huge", "FloatStorage", 1, 0, {1000000, 1000000}, {0, 0}),
                                  {{"0", floatsLE({1})}}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, "'huge'");
    EXPECT_CONTAINS(msg, "more elements");
}

TEST(Checkpoint, Float64StorageIsUnsupported) {
    TempDir dir;
    std::string path = dir.file("double.pth");
    writeFile(path, checkpointZip(oneTensorPickle("fc.weight", "DoubleStorage", 2, 0, {2}, {1}),
                                  {{"0", doublesLE({1.0, 2.0})}}));
    std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "'fc.weight'");
    EXPECT_CONTAINS(msg, "float64");
}

TEST(Checkpoint, Float16IsConverted) {
    TempDir dir;
    std::string path = dir.file("half.pth");
    // 1, -2.5, 0, 65504 (largest half), 2^-24 (smallest subnormal), 0.333251953125
    std::string bits;
    for (uint16_t h : {0x3c00, 0xc100, 0x0000, 0x7bff, 0x0001, 0x3555}) putLE(bits, h, 2);
    writeFile(path, checkpointZip(oneTensorPickle("h", "HalfStorage", 6, 0, {3, 2}, {2, 1}), {{"0", bits}}));
    Checkpoint ck = readCheckpoint(path);
    const CheckpointTensor& t = ck.tensors.at("h");
    EXPECT_EQ(t.storedType, StoredType::Float16);
    EXPECT_EQ(t.shape, (std::vector<int64_t>{3, 2}));
    EXPECT_EQ(t.values.toVector(), (std::vector<float>{1.0f, -2.5f, 0.0f, 65504.0f, std::ldexp(1.0f, -24),
                                            0.333251953125f}));
}

TEST(Checkpoint, TransposedAndOffsetViewsComeOutRowMajor) {
    TempDir dir;
    std::string path = dir.file("views.pth");
    Pickle p;
    p.op('}').memo(0).op('(');
    p.str("t").tensor("FloatStorage", "0", 6, 0, {3, 2}, {1, 3});  // the transpose of a 2x3
    p.str("odd").tensor("FloatStorage", "0", 6, 1, {2}, {2});       // elements 1 and 3
    p.str("s").tensor("FloatStorage", "0", 6, 5, {}, {});           // a scalar view
    p.op('u').stop();
    writeFile(path, checkpointZip(p.bytes(), {{"0", floatsLE({0, 1, 2, 3, 4, 5})}}));
    Checkpoint ck = readCheckpoint(path);
    ASSERT_EQ(ck.tensors.size(), 3u);
    EXPECT_EQ(ck.tensors.at("t").values.toVector(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
    EXPECT_EQ(ck.tensors.at("t").shape, (std::vector<int64_t>{3, 2}));
    EXPECT_EQ(ck.tensors.at("odd").values.toVector(), (std::vector<float>{1, 3}));
    EXPECT_EQ(ck.tensors.at("s").values.toVector(), (std::vector<float>{5}));
    EXPECT_TRUE(ck.tensors.at("s").shape.empty());
    EXPECT_EQ(ck.tensors.at("s").numel(), 1);
}

TEST(Checkpoint, OneItemDictWithSetItem) {
    TempDir dir;
    std::string path = dir.file("single.pth");
    Pickle p;
    p.op('}').memo(0).str("only").tensor("FloatStorage", "0", 2, 0, {2}, {1}).op('s').stop();
    writeFile(path, checkpointZip(p.bytes(), {{"0", floatsLE({0.5f, -7.25f})}}, "archive"));
    Checkpoint ck = readCheckpoint(path);
    ASSERT_EQ(ck.tensors.size(), 1u);
    EXPECT_EQ(ck.tensors.at("only").values.toVector(), (std::vector<float>{0.5f, -7.25f}));
    EXPECT_EQ(ck.tensors.at("only").storedType, StoredType::Float32);
}

TEST(Checkpoint, OrderedDictWithMetadataBuild) {
    TempDir dir;
    std::string path = dir.file("state_dict.pth");
    // torch.save(module.state_dict()): OrderedDict items, then BUILD {'_metadata': {...}}.
    Pickle p;
    p.emptyOrderedDict().memo(0).op('(');
    p.str("bn.running_mean").tensor("FloatStorage", "0", 2, 0, {2}, {1});
    p.str("bn.num_batches_tracked").tensor("LongStorage", "1", 1, 0, {}, {});
    p.op('u');
    p.op('}').str("_metadata").emptyOrderedDict().memo(1).op('(');
    p.str("").op('}').str("version").integer(1).op('s');
    p.str("bn").op('}').str("version").integer(2).op('s');
    p.op('u').op('s').op('b').stop();
    std::string count;
    putLE(count, 7, 8);
    writeFile(path, checkpointZip(p.bytes(), {{"0", floatsLE({0.25f, 4})}, {"1", count}}));
    Checkpoint ck = readCheckpoint(path);
    ASSERT_EQ(ck.tensors.size(), 2u);
    EXPECT_EQ(ck.tensors.at("bn.running_mean").values.toVector(), (std::vector<float>{0.25f, 4}));
    const CheckpointTensor& tracked = ck.tensors.at("bn.num_batches_tracked");
    EXPECT_EQ(tracked.storedType, StoredType::Int64);
    EXPECT_TRUE(tracked.shape.empty());
    EXPECT_EQ(tracked.values.toVector(), (std::vector<float>{7}));
}

// Every prefix and every single-byte corruption of a small valid checkpoint: each must load or
// fail with a CheckpointError (PickleError for the bare parser), never crash, hang or read out
// of bounds. Corruptions that the parser accepts are loaded end to end (a sample of them).
TEST(Checkpoint, CorruptedPicklesFailCleanly) {
    TempDir dir;
    Pickle p;
    p.emptyOrderedDict().memo(0).op('(');
    p.str("a").tensor("FloatStorage", "0", 6, 0, {2, 3}, {3, 1});
    p.str("b").tensor("HalfStorage", "1", 2, 1, {1}, {1});
    p.op('u').stop();
    const std::string pickle = p.bytes();
    const std::map<std::string, std::string> storages = {{"0", floatsLE({1, 2, 3, 4, 5, 6})},
                                                         {"1", std::string("\x00\x3c\x00\x40", 4)}};
    const std::string path = dir.file("fuzz.pth");
    writeFile(path, checkpointZip(pickle, storages));
    ASSERT_EQ(readCheckpoint(path).tensors.at("b").values.toVector(), (std::vector<float>{2.0f}));

    auto parses = [](const std::string& bytes) {
        try {
            detail::parseCheckpointPickle(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
            return true;
        } catch (const detail::PickleError&) {
            return false;
        }
    };
    for (size_t cut = 0; cut < pickle.size(); ++cut) {
        EXPECT_FALSE(parses(pickle.substr(0, cut))) << "prefix " << cut;
        if (cut % 16 == 0) {
            writeFile(path, checkpointZip(pickle.substr(0, cut), storages));
            EXPECT_THROW(readCheckpoint(path), CheckpointError) << "prefix " << cut;
        }
    }
    size_t accepted = 0, loaded = 0;
    for (size_t i = 0; i < pickle.size(); ++i) {
        for (int v = 0; v < 256; ++v) {
            std::string bad = pickle;
            bad[i] = static_cast<char>(v);
            if (bad == pickle || !parses(bad)) continue;
            if (++accepted % 5 != 0) continue;  // load a fifth of them end to end, for time
            writeFile(path, checkpointZip(bad, storages));
            try {
                Checkpoint ck = readCheckpoint(path);
                ++loaded;
                for (const auto& [key, t] : ck.tensors)
                    EXPECT_EQ(static_cast<int64_t>(t.values.size()), t.numel()) << key;
            } catch (const CheckpointError&) {
            }
        }
    }
    // Some corruptions are harmless (a changed key or value), most are not.
    EXPECT_GT(accepted, 0u);
    EXPECT_GT(loaded, 0u);
    EXPECT_LT(accepted, pickle.size() * 255 / 4);
}

// --- hostile and damaged archives (issue #19) ------------------------------------------------

std::string twoTensorCheckpoint() {
    Pickle p;
    p.op('}').memo(0).op('(');
    p.str("a").tensor("FloatStorage", "0", 4, 0, {4}, {1});
    p.str("b").tensor("FloatStorage", "1", 2, 0, {2}, {1});
    p.op('u').stop();
    return checkpointZip(p.bytes(), {{"0", floatsLE({1, 2, 3, 4})}, {"1", floatsLE({5, 6})}});
}

TEST(Checkpoint, FlippedTensorByteFailsTheCrcCheck) {
    TempDir dir;
    std::string bytes = twoTensorCheckpoint();
    const size_t at = bytes.find(floatsLE({5, 6}));
    ASSERT_NE(at, std::string::npos);
    bytes[at + 1] = static_cast<char>(bytes[at + 1] ^ 0x01);
    const std::string path = dir.file("flipped.pth");
    writeFile(path, bytes);
    const std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, "'crafted/data/1'");
    EXPECT_CONTAINS(msg, "CRC-32");
}

TEST(Checkpoint, FlippedByteInTheOracleFailsTheCrcCheck) {
    QCI_REQUIRE_ORACLE();
    std::string bytes = readFile((test::oracleDir() / "tiny_qualiclip.pth").string());
    const size_t name = bytes.find("/data/5");  // in the local header of a storage record
    ASSERT_NE(name, std::string::npos);
    const size_t header = bytes.rfind(std::string("PK\x03\x04", 4), name);
    auto field = [&](size_t at) {
        return static_cast<uint8_t>(bytes[header + at]) |
               static_cast<uint8_t>(bytes[header + at + 1]) << 8;
    };
    const size_t data = header + 30 + field(26) + field(28);  // after the name and the extra field
    bytes[data] = static_cast<char>(bytes[data] ^ 0x20);
    TempDir dir;
    const std::string path = dir.file("flipped.pth");
    writeFile(path, bytes);
    EXPECT_CONTAINS(errorOf(path), "CRC-32");
}

TEST(Checkpoint, FlippedCrcFieldIsRefused) {
    TempDir dir;
    std::string bytes = twoTensorCheckpoint();
    const size_t directory = bytes.find(std::string("PK\x01\x02", 4));
    ASSERT_NE(directory, std::string::npos);
    bytes[directory + 16] =
        static_cast<char>(bytes[directory + 16] ^ 0x80);  // the first record's CRC
    const std::string path = dir.file("crc.pth");
    writeFile(path, bytes);
    const std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, "'crafted/data.pkl'");
    EXPECT_TRUE(msg.find("CRC-32") != std::string::npos ||
                msg.find("disagrees") != std::string::npos)
        << msg;
}

TEST(Checkpoint, CompressedRecordIsRefused) {
    TempDir dir;
    std::string bytes = twoTensorCheckpoint();
    // Switch the data.pkl record to deflate in both its headers, as a crafted file would.
    const size_t local = bytes.find(std::string("PK\x03\x04", 4));
    const size_t central = bytes.find(std::string("PK\x01\x02", 4));
    bytes[local + 8] = 8;
    bytes[central + 10] = 8;
    const std::string path = dir.file("deflated.pth");
    writeFile(path, bytes);
    const std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, "is compressed");
    EXPECT_CONTAINS(msg, "torch.save never compresses");
}

TEST(Checkpoint, SecondDataPklIsRefused) {
    TempDir dir;
    const std::string pickle = oneTensorPickle("w", "FloatStorage", 1, 0, {1}, {1});
    const std::string path = dir.file("twice.pth");
    writeFile(path, ZipBuilder()
                        .add("m/data.pkl", pickle)
                        .add("m/data.pkl", oneTensorPickle("evil", "FloatStorage", 1, 0, {1}, {1}))
                        .add("m/data/0", floatsLE({1}))
                        .add("m/version", "3\n")
                        .bytes());
    const std::string msg = errorOf(path);
    EXPECT_CONTAINS(msg, "'m/data.pkl' twice");
}

TEST(Checkpoint, VersionRecordClaimingGigabytesIsRefusedWithoutAllocating) {
    TempDir dir;
    std::string bytes = twoTensorCheckpoint();
    // The version record is the last: patch its directory sizes to 4 GiB - 1.
    const size_t central = bytes.rfind(std::string("PK\x01\x02", 4));
    ASSERT_NE(bytes.find("crafted/version", central), std::string::npos);
    for (size_t field : {size_t{20}, size_t{24}})
        bytes.replace(central + field, 4, "\xff\xff\xff\x7f");
    const std::string path = dir.file("version.pth");
    writeFile(path, bytes);
    std::string msg;
    const uint64_t growth = test::peakResidentGrowthWhile([&] { msg = errorOf(path); });
    EXPECT_CONTAINS(msg, "crafted/version");
    QCI_EXPECT_MEMORY_BELOW(growth, uint64_t{64} << 20);
}

TEST(Checkpoint, UnsupportedVersionIsNamed) {
    TempDir dir;
    const std::string path = dir.file("v99.pth");
    writeFile(path, ZipBuilder()
                        .add("m/data.pkl", oneTensorPickle("w", "FloatStorage", 1, 0, {1}, {1}))
                        .add("m/data/0", floatsLE({1}))
                        .add("m/version", "99\n")
                        .bytes());
    EXPECT_CONTAINS(errorOf(path), "format version '99'");
}

TEST(Checkpoint, ManyKeysOfOneTensorShareOneBuffer) {
    // 4,000 keys naming the same 1M-element view: 4 MB of storage must not become 16 GB.
    constexpr int kKeys = 4000;
    constexpr int64_t kElements = 1 << 20;
    Pickle p;
    p.op('}').memo(0).op('(');
    p.str("k0").tensor("FloatStorage", "0", kElements, 0, {kElements}, {1}).memo(1);
    for (int i = 1; i < kKeys; ++i) p.str("k" + std::to_string(i)).raw("h\x01");
    p.op('u').stop();
    TempDir dir;
    const std::string path = dir.file("shared.pth");
    writeFile(path, checkpointZip(p.bytes(), {{"0", std::string(kElements * 4, '\0')}}));
    Checkpoint ck;
    const uint64_t growth = test::peakResidentGrowthWhile([&] { ck = readCheckpoint(path); });
    ASSERT_EQ(ck.tensors.size(), static_cast<size_t>(kKeys));
    EXPECT_TRUE(ck.tensors.at("k0").values.sharesBufferWith(ck.tensors.at("k3999").values));
    QCI_EXPECT_MEMORY_BELOW(growth, kElements * 4 * 3 + (uint64_t{64} << 20));
    // Writing one copy leaves the others as they were.
    ck.tensors.at("k1").values[0] = 7.0f;
    EXPECT_EQ(ck.tensors.at("k0").values[0], 0.0f);
    EXPECT_FALSE(ck.tensors.at("k0").values.sharesBufferWith(ck.tensors.at("k1").values));
}

TEST(Checkpoint, DistinctViewsBeyondTheStoredBytesAreRefused) {
    // 200 views of one 1M-element storage, each shifted by one element: 200M floats from 4 MB.
    constexpr int64_t kElements = 1 << 20;
    Pickle p;
    p.op('}').memo(0).op('(');
    for (int i = 0; i < 200; ++i)
        p.str("v" + std::to_string(i))
            .tensor("FloatStorage", "0", kElements, i, {kElements - 200}, {1});
    p.op('u').stop();
    TempDir dir;
    const std::string path = dir.file("views.pth");
    writeFile(path, checkpointZip(p.bytes(), {{"0", std::string(kElements * 4, '\0')}}));
    std::string msg;
    const uint64_t growth = test::peakResidentGrowthWhile([&] { msg = errorOf(path); });
    EXPECT_CONTAINS(msg, "same stored bytes");
    QCI_EXPECT_MEMORY_BELOW(growth, kCheckpointReadOverheadBytes + kElements * 4 * 2);
}

TEST(Checkpoint, MemoBombIsRefusedWithinTheMemoryBound) {
    // One value stored under 1.5M memo indices (7.5 MB of LONG_BINPUT): the memo counts.
    Pickle p;
    p.op('N');
    for (uint32_t i = 0; i < 1500000; ++i) {
        p.op('r');
        std::string index;
        putLE(index, i, 4);
        p.raw(index);
    }
    p.stop();
    TempDir dir;
    const std::string path = dir.file("memo.pth");
    writeFile(path, checkpointZip(p.bytes(), {}));
    std::string msg;
    const uint64_t growth = test::peakResidentGrowthWhile([&] { msg = errorOf(path); });
    EXPECT_CONTAINS(msg, "memo entries");
    QCI_EXPECT_MEMORY_BELOW(growth, kCheckpointReadOverheadBytes);
}

TEST(Checkpoint, InvalidUtf8KeyIsRefused) {
    TempDir dir;
    for (const std::string& key : {std::string("bad\xff"), std::string("\xc0\xaf"),  // overlong '/'
                                   std::string("\xed\xa0\x80"), std::string("cut\xe2\x82")}) {
        const std::string path = dir.file("utf8.pth");
        writeFile(path, checkpointZip(oneTensorPickle(key, "FloatStorage", 1, 0, {1}, {1}),
                                      {{"0", floatsLE({1})}}));
        EXPECT_CONTAINS(errorOf(path), "not valid UTF-8");
    }
    const std::string path = dir.file("ok.pth");
    writeFile(path, checkpointZip(oneTensorPickle("gr\xc3\xb6\xc3\x9f"
                                                  "e",
                                                  "FloatStorage", 1, 0, {1}, {1}),
                                  {{"0", floatsLE({1})}}));
    EXPECT_EQ(readCheckpoint(path).tensors.count("gr\xc3\xb6\xc3\x9f"
                                                 "e"),
              1u);
}

TEST(Checkpoint, OracleLoadsWithinItsTensorBytesPlusTheOverhead) {
    QCI_REQUIRE_ORACLE();
    const std::string path = (test::oracleDir() / "tiny_qualiclip.pth").string();
    Checkpoint ck;
    const uint64_t growth = test::peakResidentGrowthWhile([&] { ck = readCheckpoint(path); });
    uint64_t tensorBytes = 0;
    for (const auto& [key, t] : ck.tensors) tensorBytes += t.values.size() * sizeof(float);
    EXPECT_GT(tensorBytes, 100000u);
    QCI_EXPECT_MEMORY_BELOW(growth, tensorBytes + kCheckpointReadOverheadBytes);
}

// --- sha256 ------------------------------------------------------------------------------

TEST(Checkpoint, Sha256OfFile) {
    TempDir dir;
    std::string path = dir.file("abc.txt");
    writeFile(path, "abc");
    EXPECT_EQ(sha256OfFile(path), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::string big(3 << 20, 'x');  // spans several read chunks
    writeFile(path, big);
    EXPECT_EQ(sha256OfFile(path), "3bea8a9a07c1e8dcaa4c1b816815c35a29b4fb585ba6ecc70ea44840a794cfb3");
    EXPECT_THROW(sha256OfFile(dir.file("missing")), QualiClipError);
}

// pyiqa's {'params': state_dict} (QualiCLIP+ prompt learners): the inner dict is read with the same
// checks; anything beside 'params', or a non-tensor inside it, is refused as for a flat dict.
TEST(Checkpoint, NestedParamsDictIsReadWithTheSameStrictness) {
    test::TempDir dir;
    const auto nested = [](bool extraOuterKey, bool stringInside) {
        Pickle p;
        p.op('}').memo(0).op('(').str("params").op('}').memo(1).op('(').str("prompt_learner.ctx");
        if (stringInside)
            p.str("not a tensor");
        else
            p.tensor("FloatStorage", "0", 2, 0, {2}, {1});
        p.op('u');
        if (extraOuterKey) p.str("epoch").tensor("FloatStorage", "0", 2, 0, {2}, {1});
        return p.op('u').stop().bytes();
    };
    const std::string good = dir.file("QualiCLIP+_test.pth");
    writeFile(good, checkpointZip(nested(false, false), {{"0", floatsLE({1.5f, -2})}}));
    const Checkpoint ck = readCheckpoint(good);
    ASSERT_EQ(ck.tensors.size(), 1u);
    EXPECT_EQ(ck.tensors.at("prompt_learner.ctx").values.toVector(), (std::vector<float>{1.5f, -2}));

    const std::string besides = dir.file("besides.pth");
    writeFile(besides, checkpointZip(nested(true, false), {{"0", floatsLE({1.5f, -2})}}));
    EXPECT_CONTAINS(errorOf(besides), "entry 'params' of the checkpoint is a dict, not a tensor");
    const std::string inside = dir.file("inside.pth");
    writeFile(inside, checkpointZip(nested(false, true), {{"0", floatsLE({1.5f, -2})}}));
    EXPECT_CONTAINS(errorOf(inside), "entry 'prompt_learner.ctx' of the checkpoint is a string");
}

}  // namespace
}  // namespace qc
