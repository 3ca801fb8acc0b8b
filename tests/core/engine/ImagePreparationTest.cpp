// prepareImage: the engine's decode and resize without a model (what the shoot benchmark times).
#include "engine/ImagePreparation.h"

#include <gtest/gtest.h>

#include "TestSupport.h"

using namespace qc;
using qc::test::oracleDir;

TEST(ImagePreparation, ResizesAsThePolicySaysAndKeepsTheFullSize) {
    QCI_REQUIRE_ORACLE();
    ScoringOptions options;
    options.resize = *ResizePolicy::parse("long:128");
    const PreparedImage prepared =
        prepareImage((oracleDir() / "images" / "scene_512x384.png").string(), options);
    ASSERT_TRUE(prepared.error.empty()) << prepared.error;
    EXPECT_EQ(prepared.width, 512);
    EXPECT_EQ(prepared.height, 384);
    EXPECT_EQ(prepared.input.cols, 128);
    EXPECT_EQ(prepared.input.rows, 96);
    EXPECT_EQ(prepared.input.type(), CV_8UC3);
}

TEST(ImagePreparation, AMissingFileIsAnErrorNamingIt) {
    const PreparedImage prepared = prepareImage("/nonexistent/IMG_0001.jpg", ScoringOptions{});
    EXPECT_TRUE(prepared.input.empty());
    EXPECT_NE(prepared.error.find("/nonexistent/IMG_0001.jpg"), std::string::npos)
        << prepared.error;
}
