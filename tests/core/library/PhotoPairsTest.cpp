// RAW+JPEG pairing by name: which paths become one photo, which stay single.
#include "library/PhotoPairs.h"

#include <gtest/gtest.h>

namespace qc {
namespace {

TEST(PhotoPairs, RawAndJpegOfOneNameAreOnePhotoShownByTheRaw) {
    const auto photos = pairRawAndJpeg({"/s/IMG_0001.CR3", "/s/IMG_0001.JPG", "/s/IMG_0002.jpg"});
    ASSERT_EQ(photos.size(), 2u);
    EXPECT_EQ(photos[0].path, "/s/IMG_0001.CR3");
    EXPECT_EQ(photos[0].companion, "/s/IMG_0001.JPG");
    EXPECT_EQ(photos[0].scoredPath, "/s/IMG_0001.JPG");  // the JPEG by default
    EXPECT_EQ(photos[0].jpegPath(), "/s/IMG_0001.JPG");
    EXPECT_EQ(photos[0].files(), (std::vector<std::string>{"/s/IMG_0001.CR3", "/s/IMG_0001.JPG"}));
    EXPECT_FALSE(photos[1].isPair());
    EXPECT_EQ(photos[1].scoredPath, "/s/IMG_0002.jpg");
}

TEST(PhotoPairs, TheRawIsScoredWhenAsked) {
    const auto photos = pairRawAndJpeg({"/s/a.jpeg", "/s/a.nef"}, PairScoring::Raw);
    ASSERT_EQ(photos.size(), 1u);
    EXPECT_EQ(photos[0].path, "/s/a.nef");  // at the RAW's place, whatever the order given
    EXPECT_EQ(photos[0].scoredPath, "/s/a.nef");
}

TEST(PhotoPairs, LoneFilesOtherFoldersAndAmbiguousNamesStaySingle) {
    const auto photos =
        pairRawAndJpeg({"/s/lone.CR3", "/s/lone2.JPG", "/s/x.dng", "/t/x.jpg", "/s/y.cr2",
                        "/s/y.nef", "/s/y.jpg", "/s/z.png", "/s/z.arw"});
    ASSERT_EQ(photos.size(), 9u);
    for (const Photo& p : photos) EXPECT_FALSE(p.isPair()) << p.path;
}

TEST(PhotoPairs, ScoringNamesParse) {
    EXPECT_EQ(parsePairScoring("raw"), PairScoring::Raw);
    EXPECT_EQ(parsePairScoring("jpeg"), PairScoring::Jpeg);
    EXPECT_FALSE(parsePairScoring("JPG"));
    EXPECT_EQ(pairScoringName(PairScoring::Raw), "raw");
}

}  // namespace
}  // namespace qc
