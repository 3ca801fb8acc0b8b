// ShootBursts: grouping results through the catalog: bursts stored with stable ids, replaced
// by a re-grouping with other settings, and read back as grouping inputs.
#include <gtest/gtest.h>

#include "ShootFixtures.h"
#include "TestSupport.h"
#include "library/Catalog.h"
#include "library/ShootBursts.h"

namespace qc {
namespace {

class ShootBurstsTest : public ::testing::Test {
protected:
    void SetUp() override {
        fixtures::BurstShootSpec spec;
        spec.scenes = 3;
        spec.minFrames = 2;
        spec.maxFrames = 3;
        spec.width = 64;
        spec.height = 48;
        frames = fixtures::writeBurstShoot(dir.file("shoot"), spec);
        // Scene s's frames share an embedding; scenes are orthogonal. Scores rise with the frame.
        for (const fixtures::ShootFrame& f : frames) {
            ImageResult r;
            r.path = f.path;
            r.modelSha256 = "m";
            r.resize = "native";
            r.score = 0.5 + 0.1 * f.frame;
            r.pairProbabilities = {0.5, 0.5};
            r.embedding = {0, 0, 0};
            r.embedding[size_t(f.scene)] = 1;
            results.push_back(r);
        }
    }
    test::TempDir dir;
    std::vector<fixtures::ShootFrame> frames;
    std::vector<ImageResult> results;
};

TEST_F(ShootBurstsTest, StoresBurstsWithTheFirstFramesIdAndReplacesThemOnRegrouping) {
    Catalog catalog(dir.file("catalog.sqlite"));
    const ShootGrouping g = groupShoot(catalog, results, {}, 1);
    EXPECT_EQ(g.burstCount, 3u);
    ASSERT_EQ(g.photos.size(), frames.size());
    for (size_t i = 0; i < frames.size(); ++i) {
        const ShootPhoto& p = g.photos[i];
        EXPECT_EQ(p.path, frames[i].path);  // capture order is the file order here
        EXPECT_EQ(p.position, frames[i].frame);
        const int64_t firstId = catalog.resolve(frames[i - size_t(frames[i].frame)].path).id;
        EXPECT_EQ(p.burstId, firstId);
        ASSERT_TRUE(p.captureTime);
        EXPECT_EQ(p.captureTime->source, CaptureTimeSource::Exif);
        const auto stored = catalog.burst(p.catalogId);
        ASSERT_TRUE(stored);
        EXPECT_EQ(stored->burstId, firstId);
        EXPECT_EQ(stored->best, p.best);
        // The best frame is the last of each scene (highest score).
        const bool last = i + 1 == frames.size() || frames[i + 1].scene != frames[i].scene;
        EXPECT_EQ(p.best, last) << p.path;
    }
    // The same grouping again: the same ids.
    EXPECT_EQ(groupShoot(catalog, results, {}, 1).photos[1].burstId, g.photos[1].burstId);
    // A gap too small for any two frames: every photo its own burst, replacing the stored ones.
    const ShootGrouping apart = groupShoot(catalog, results, {0.01, 0.9}, 1);
    EXPECT_EQ(apart.burstCount, frames.size());
    for (const ShootPhoto& p : apart.photos) {
        EXPECT_EQ(catalog.burst(p.catalogId)->burstId, p.catalogId);
        EXPECT_EQ(catalog.burst(p.catalogId)->size, 1);
    }
}

TEST_F(ShootBurstsTest, AFailedResultIsABurstOfItsOwnWithItsError) {
    Catalog catalog(dir.file("catalog.sqlite"));
    results[1].error = "'" + results[1].path + "': broken";
    const ShootGrouping g = groupShoot(catalog, results, {}, 1);
    EXPECT_EQ(g.burstCount, 4u);
    const auto failed = std::find_if(g.photos.begin(), g.photos.end(), [&](const ShootPhoto& p) {
        return p.path == results[1].path;
    });
    ASSERT_NE(failed, g.photos.end());
    EXPECT_EQ(failed->burstSize, 1);
    EXPECT_FALSE(failed->score);
    EXPECT_NE(failed->error.find("broken"), std::string::npos);
}

TEST_F(ShootBurstsTest, GroupingInputsComeBackFromTheCatalog) {
    Catalog catalog(dir.file("catalog.sqlite"));
    std::vector<std::pair<int64_t, const ImageResult*>> store;
    for (const ImageResult& r : results) store.emplace_back(catalog.resolve(r.path).id, &r);
    catalog.storeScores(store);
    groupShoot(catalog, results, {}, 1);  // stores the capture times
    const auto inputs = catalog.groupingInputs(dir.file("shoot"), "m", "native");
    ASSERT_EQ(inputs.size(), frames.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
        ASSERT_TRUE(inputs[i].captureTime) << inputs[i].path;
        EXPECT_EQ(inputs[i].embedding, results[i].embedding);
        EXPECT_DOUBLE_EQ(*inputs[i].score, results[i].score);
    }
}

}  // namespace
}  // namespace qc
