// Tests of writeCheckpoint (torch.save's format through LibTorch's zip writer) read back by the
// strict reader, and of values read in place from the mapped file.
#include "engine/CheckpointWriter.h"

#include "TestSupport.h"
#include "engine/Checkpoint.h"
#include "engine/RandomCheckpoint.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace qc {
namespace {

using test::TempDir;

TEST(CheckpointWriter, WhatIsWrittenReadsBackValueForValue) {
    const Checkpoint original = makeRandomCheckpoint(smallModelSpec(), 7);
    TempDir dir;
    const std::string path = dir.file("random.pth");
    writeCheckpoint(original, path);
    const Checkpoint read = readCheckpoint(path);
    ASSERT_EQ(read.tensors.size(), original.tensors.size());
    for (const auto& [key, t] : original.tensors) {
        ASSERT_EQ(read.tensors.count(key), 1u) << key;
        const CheckpointTensor& back = read.tensors.at(key);
        EXPECT_EQ(back.shape, t.shape) << key;
        EXPECT_EQ(back.values.toVector(), t.values.toVector()) << key;
    }
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    EXPECT_EQ(std::string(magic, 4), std::string("PK\x03\x04", 4));  // a zip, as torch.save writes
}

TEST(CheckpointWriter, ValuesReadInPlaceCanBeChangedWithoutTouchingTheFile) {
    TempDir dir;
    const std::string path = dir.file("random.pth");
    writeCheckpoint(makeRandomCheckpoint(smallModelSpec(), 3), path);
    Checkpoint first = readCheckpoint(path);
    const std::string key = first.tensors.begin()->first;
    const float stored = first.tensors.at(key).values[0];
    Checkpoint copy = first;
    first.tensors.at(key).values[0] = stored + 1.0f;  // the mapping is read-only: this must copy
    EXPECT_EQ(first.tensors.at(key).values[0], stored + 1.0f);
    EXPECT_EQ(copy.tensors.at(key).values[0], stored);
    EXPECT_FALSE(first.tensors.at(key).values.sharesBufferWith(copy.tensors.at(key).values));
    EXPECT_EQ(readCheckpoint(path).tensors.at(key).values[0], stored);
}

TEST(CheckpointWriter, AnUnwritablePathIsNamed) {
    TempDir dir;
    const std::string path = dir.file("no/such/folder/m.pth");
    try {
        writeCheckpoint(makeRandomCheckpoint(smallModelSpec(), 1), path);
        ADD_FAILURE() << "no error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace qc
