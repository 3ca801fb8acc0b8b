// Replays every saved fuzz input (tests/fuzz/regressions/<target>/): each one once made a
// parser crash, hang, leak or escape with a foreign exception, or is a hostile input from a
// review. Each must now be handled: parsed, or refused with the project's own error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "FuzzTargets.h"

namespace fs = std::filesystem;

namespace {

std::string bytesOf(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(FuzzRegressions, EveryTargetHasInputsAndHandlesThemAll) {
    const fs::path root = QCI_FUZZ_REGRESSIONS_DIR;
    for (const qc::fuzz::FuzzTarget& target : qc::fuzz::fuzzTargets()) {
        const fs::path folder = root / target.name;
        ASSERT_TRUE(fs::is_directory(folder)) << folder;
        int replayed = 0;
        for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
            if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
            const std::string bytes = bytesOf(entry.path());
            try {
                target.run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
            } catch (const std::exception& e) {
                ADD_FAILURE() << entry.path() << ": " << e.what();
            }
            ++replayed;
        }
        EXPECT_GT(replayed, 0) << "no regression input for fuzz target " << target.name;
    }
}

}  // namespace
