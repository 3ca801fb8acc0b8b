#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "results/ResultShards.h"

namespace qc {
namespace {

TEST(ResultShards, ParsesIndexOverCount) {
    ASSERT_TRUE(parseShard("0/1"));
    const auto shard = parseShard("3/8");
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->index, 3);
    EXPECT_EQ(shard->count, 8);
    for (const char* bad : {"", "3", "8/8", "-1/4", "1/0", "a/4", "1/4x", "1 /4", "1/100001"})
        EXPECT_FALSE(parseShard(bad)) << bad;
}

// The hash is SHA-256 of the key, first 8 bytes big-endian, modulo N: the expected shards were
// computed with Python's hashlib, not with this code, so a change of hash or byte order (which
// would reshuffle every running cluster job) fails here.
TEST(ResultShards, ShardOfAKeyIsFixedAcrossVersions) {
    EXPECT_EQ(shardOfKey("a.png", 7), 1);
    EXPECT_EQ(shardOfKey("a.png", 4), 0);
    EXPECT_EQ(shardOfKey("koniq/img_00001.jpg", 7), 4);
    EXPECT_EQ(shardOfKey("koniq/img_00001.jpg", 4), 3);
    EXPECT_EQ(shardOfKey("sub/dir/photo.JPG", 100000), 15218);
}

TEST(ResultShards, KeyIsThePathRelativeToItsFolder) {
    EXPECT_EQ(shardKey("/data/koniq/sub/a.jpg", {"/data/koniq"}), "sub/a.jpg");
    EXPECT_EQ(shardKey("/data/koniq/sub/a.jpg", {"/data/koniq/"}), "sub/a.jpg");
    EXPECT_EQ(shardKey("/scratch/u1/koniq/sub/a.jpg", {"/scratch/u1/koniq"}), "sub/a.jpg");
    EXPECT_EQ(shardKey("koniq/./a.jpg", {"koniq"}), "a.jpg");
    // The deepest folder wins when folders nest; a file named on its own is its own key.
    EXPECT_EQ(shardKey("/d/a/b/c.png", {"/d", "/d/a/b"}), "c.png");
    EXPECT_EQ(shardKey("/d/x.png", {"/d/x.png", "/e"}), "/d/x.png");
    EXPECT_EQ(shardKey("/dd/x.png", {"/d"}),
              "/dd/x.png");  // a sibling with a longer name is not inside
}

std::vector<std::string> datasetPaths(const std::string& folder, int count) {
    std::vector<std::string> paths;
    char name[64];
    for (int i = 0; i < count; ++i) {
        std::snprintf(name, sizeof name, "/img_%05d.jpg", i);
        paths.push_back(folder + name);
    }
    return paths;
}

TEST(ResultShards, TenThousandPathsIntoSevenShardsAreBalanced) {
    const auto paths = datasetPaths("/data/koniq", 10000);
    std::set<std::string> seen;
    const double mean = 10000.0 / 7;
    for (int i = 0; i < 7; ++i) {
        const auto shard = selectShard(paths, {"/data/koniq"}, {i, 7});
        EXPECT_GE(shard.size(), mean * 0.9) << "shard " << i;
        EXPECT_LE(shard.size(), mean * 1.1) << "shard " << i;
        for (const auto& p : shard) EXPECT_TRUE(seen.insert(p).second) << p << " is in two shards";
    }
    EXPECT_EQ(seen.size(), paths.size()) << "every path belongs to exactly one shard";
}

TEST(ResultShards, SharesDoNotDependOnOrderOrMountPoint) {
    const auto home = datasetPaths("/home/me/koniq", 500);
    const auto cluster = datasetPaths("/scratch/me/koniq", 500);
    std::vector<std::string> reversed(home.rbegin(), home.rend());
    for (int i = 0; i < 3; ++i) {
        const auto a = selectShard(home, {"/home/me/koniq"}, {i, 3});
        const auto b = selectShard(cluster, {"/scratch/me/koniq"}, {i, 3});
        auto c = selectShard(reversed, {"/home/me/koniq"}, {i, 3});
        std::reverse(c.begin(), c.end());
        ASSERT_EQ(a.size(), b.size());
        for (size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].substr(9), b[k].substr(12));
        EXPECT_EQ(a, c);
    }
}

}  // namespace
}  // namespace qc
