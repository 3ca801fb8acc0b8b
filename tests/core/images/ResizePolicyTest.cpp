#include "images/ResizePolicy.h"

#include <gtest/gtest.h>

namespace qc {
namespace {

TEST(ResizePolicy, ParsesNativeAndLongSide) {
    ASSERT_TRUE(ResizePolicy::parse("native"));
    EXPECT_TRUE(ResizePolicy::parse("native")->isNative());
    auto p = ResizePolicy::parse("long:1024");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->maxLongSide, 1024);
    EXPECT_EQ(p->toString(), "long:1024");
}

TEST(ResizePolicy, RejectsMalformedText) {
    for (const char* bad : {"", "long:", "long:abc", "long:-5", "long:16", "short:100", "Native",
                            "long:1024x", "long:99999999"})
        EXPECT_FALSE(ResizePolicy::parse(bad)) << bad;
}

TEST(ResizePolicy, ShrinksLongSideNeverEnlarges) {
    int w = 0, h = 0;
    ResizePolicy::longSide(1024).targetSize(4000, 3000, w, h);
    EXPECT_EQ(w, 1024);
    EXPECT_EQ(h, 768);
    ResizePolicy::longSide(1024).targetSize(3000, 4000, w, h);
    EXPECT_EQ(w, 768);
    EXPECT_EQ(h, 1024);
    ResizePolicy::longSide(1024).targetSize(800, 600, w, h);
    EXPECT_EQ(w, 800);
    EXPECT_EQ(h, 600);
    ResizePolicy::native().targetSize(6000, 4000, w, h);
    EXPECT_EQ(w, 6000);
    EXPECT_EQ(h, 4000);
}

}  // namespace
}  // namespace qc
