// ResultShards: which share of an image list one process scores (`qualiclip score --shard I/N`).
// A path's shard depends only on the path and N: the first 8 bytes of the SHA-256 of its key,
// modulo N. The key is the path relative to the folder it was found in (a file named on the
// command line is its own key), so the same N always gives the same shares on every node, in
// any order, and whichever folder prefix the nodes mount the data set under.
//
// Usage:
//   const auto shard = parseShard("3/8");                 // nullopt when malformed
//   images = selectShard(collectImages(inputs, r).images, inputs, *shard);
//
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qc {

struct ShardSpec {
    int index = 0;  // 0 .. count-1
    int count = 1;
};

// "I/N" with 0 <= I < N and 1 <= N <= 100000; nullopt otherwise.
std::optional<ShardSpec> parseShard(const std::string& text);

// The key a path is hashed by: its path relative to the input folder it lies in (the longest
// such input), else the path itself, lexically normal, '/'-separated.
std::string shardKey(const std::string& path, const std::vector<std::string>& inputs);

// 0 .. count-1 for a key.
int shardOfKey(const std::string& key, int count);

// The images of `images` (as collectImages found them under `inputs`) that belong to `shard`,
// in their original order.
std::vector<std::string> selectShard(const std::vector<std::string>& images,
                                     const std::vector<std::string>& inputs, ShardSpec shard);

}  // namespace qc
