// Tests of the remembered SHA-256 of model files (engine/FileHashCache.h), with the cache in a
// temporary folder (XDG_CACHE_HOME).
#include "engine/FileHashCache.h"

#include "TestSupport.h"
#include "engine/Checkpoint.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/time.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace qc {
namespace {

using test::TempDir;

// SHA-256 test vectors (FIPS 180-2, appendix B).
constexpr char kShaOfAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kShaOfAbd[] = "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9";

class FileHashCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        const char* old = std::getenv("XDG_CACHE_HOME");
        if (old) saved_ = old, hadValue_ = true;
        setenv("XDG_CACHE_HOME", cache_.path().c_str(), 1);
    }
    void TearDown() override {
        if (hadValue_)
            setenv("XDG_CACHE_HOME", saved_.c_str(), 1);
        else
            unsetenv("XDG_CACHE_HOME");
    }
    static void write(const std::string& path, const std::string& text, long mtimeSeconds) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
        const struct timeval times[2] = {{mtimeSeconds, 0}, {mtimeSeconds, 0}};
        ASSERT_EQ(::utimes(path.c_str(), times), 0);
    }
    TempDir cache_, files_;
    std::string saved_;
    bool hadValue_ = false;
};

TEST_F(FileHashCacheTest, HashesOnceAndRemembersTheFile) {
    const std::string path = files_.file("m.pth");
    write(path, "abc", 1700000000);
    EXPECT_EQ(cachedSha256OfFile(path), kShaOfAbc);
    EXPECT_EQ(sha256CachePath(), cache_.file("qualiclip/sha256.tsv"));
    std::ifstream cache(sha256CachePath());
    std::string line;
    ASSERT_TRUE(std::getline(cache, line));
    EXPECT_EQ(line.substr(0, 64), kShaOfAbc);
    EXPECT_NE(line.find(path), std::string::npos) << line;
}

TEST_F(FileHashCacheTest, AnEntryWhoseSizeAndTimeMatchIsUsedWithoutHashing) {
    const std::string path = files_.file("m.pth");
    write(path, "abc", 1700000000);
    rememberSha256(path, std::string(64, 'e'));  // a value no file hashes to: proves the lookup
    EXPECT_EQ(cachedSha256OfFile(path), std::string(64, 'e'));
    EXPECT_EQ(sha256OfFile(path), kShaOfAbc);  // the uncached function always hashes
}

TEST_F(FileHashCacheTest, AChangedFileIsHashedAgain) {
    const std::string path = files_.file("m.pth");
    write(path, "abc", 1700000000);
    EXPECT_EQ(cachedSha256OfFile(path), kShaOfAbc);
    write(path, "abd", 1700000001);  // same size, new modification time
    EXPECT_EQ(cachedSha256OfFile(path), kShaOfAbd);
    write(path, "abcd", 1700000001);  // same time, new size
    EXPECT_NE(cachedSha256OfFile(path), kShaOfAbd);
}

TEST_F(FileHashCacheTest, ADamagedCacheFileIsIgnored) {
    const std::string path = files_.file("m.pth");
    write(path, "abc", 1700000000);
    ASSERT_EQ(::mkdir(cache_.file("qualiclip").c_str(), 0755), 0);
    std::ofstream(sha256CachePath()) << "garbage\tline\n\x01\x02\n"
                                     << std::string(64, 'f') << "\tnot-a-size\t1\t" << path << "\n";
    EXPECT_EQ(cachedSha256OfFile(path), kShaOfAbc);
}

TEST_F(FileHashCacheTest, AMissingFileIsNamed) {
    const std::string path = files_.file("absent.pth");
    try {
        cachedSha256OfFile(path);
        ADD_FAILURE() << "no error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace qc
