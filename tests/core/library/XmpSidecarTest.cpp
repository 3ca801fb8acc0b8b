// XmpSidecar: what we write, Exiv2 reads back; foreign tags survive; the image is untouched.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <exiv2/xmp_exiv2.hpp>

#include "TestSupport.h"
#include "library/XmpSidecar.h"

namespace qc {
namespace {

namespace fs = std::filesystem;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Parses a sidecar with Exiv2 directly, not through our reader.
Exiv2::XmpData parseWithExiv2(const std::string& path) {
    Exiv2::XmpData data;
    EXPECT_EQ(Exiv2::XmpParser::decode(data, readFile(path)), 0) << path;
    return data;
}

std::string value(const Exiv2::XmpData& data, const char* key) {
    const auto it = data.findKey(Exiv2::XmpKey(key));
    return it == data.end() ? std::string("<missing>") : it->toString();
}

class XmpSidecarTest : public ::testing::TestWithParam<SidecarNaming> {
protected:
    test::TempDir dir;
    std::string image = dir.file("IMG_1.CR2");
    void SetUp() override { std::ofstream(image, std::ios::binary) << "raw image bytes \x01\x02"; }
};

TEST(XmpSidecarNaming, BothConventions) {
    EXPECT_EQ(sidecarPath("/s/IMG_1.CR2", SidecarNaming::ReplaceExtension), "/s/IMG_1.xmp");
    EXPECT_EQ(sidecarPath("/s/IMG_1.CR2", SidecarNaming::AppendExtension), "/s/IMG_1.CR2.xmp");
    EXPECT_EQ(parseSidecarNaming("lightroom"), SidecarNaming::ReplaceExtension);
    EXPECT_EQ(parseSidecarNaming("darktable"), SidecarNaming::AppendExtension);
    EXPECT_FALSE(parseSidecarNaming("bridge"));
}

TEST_P(XmpSidecarTest, Exiv2ReadsBackWhatWeWrote) {
    const std::string before = readFile(image);
    SidecarFields fields;
    fields.rating = 4;
    fields.label = "Red";
    fields.score = 0.712345;
    fields.modelSha256 = std::string(64, 'a');
    fields.resizePolicy = "long:1024";
    writeSidecar(image, GetParam(), fields);

    const std::string path = sidecarPath(image, GetParam());
    ASSERT_TRUE(fs::exists(path));
    EXPECT_EQ(readFile(image), before);  // the original is never touched
    const Exiv2::XmpData data = parseWithExiv2(path);
    EXPECT_EQ(value(data, "Xmp.xmp.Rating"), "4");
    EXPECT_EQ(value(data, "Xmp.xmp.Label"), "Red");
    EXPECT_EQ(value(data, "Xmp.qualiclip.Score"), "0.712345");
    EXPECT_EQ(value(data, "Xmp.qualiclip.ModelSha256"), std::string(64, 'a'));
    EXPECT_NE(readFile(path).find(kQualiclipXmpNamespace), std::string::npos);

    const auto back = readSidecar(image, GetParam());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->rating, 4);
    EXPECT_EQ(back->label, "Red");
    EXPECT_NEAR(*back->score, 0.712345, 1e-9);
    EXPECT_EQ(back->resizePolicy, "long:1024");
    // No temporary files left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 2);
}

TEST_P(XmpSidecarTest, RejectIsMinusOne) {
    SidecarFields fields;
    fields.rating = -1;
    writeSidecar(image, GetParam(), fields);
    EXPECT_EQ(value(parseWithExiv2(sidecarPath(image, GetParam())), "Xmp.xmp.Rating"), "-1");
}

TEST_P(XmpSidecarTest, MergeKeepsForeignTags) {
    const std::string path = sidecarPath(image, GetParam());
    std::ofstream(path) << R"(<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:darktable="http://darktable.sf.net/"
    xmp:Rating="1"
    xmp:CreatorTool="darktable 4.2"
    darktable:xmp_version="4">
   <dc:subject><rdf:Bag><rdf:li>wedding</rdf:li><rdf:li>ceremony</rdf:li></rdf:Bag></dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
)";
    SidecarFields fields;
    fields.rating = 5;
    fields.score = 0.5;
    writeSidecar(image, GetParam(), fields);

    const Exiv2::XmpData data = parseWithExiv2(path);
    EXPECT_EQ(value(data, "Xmp.xmp.Rating"), "5");
    EXPECT_EQ(value(data, "Xmp.xmp.CreatorTool"), "darktable 4.2");
    EXPECT_EQ(value(data, "Xmp.darktable.xmp_version"), "4");
    EXPECT_EQ(value(data, "Xmp.dc.subject"), "wedding, ceremony");
    EXPECT_EQ(value(data, "Xmp.qualiclip.Score"), "0.500000");

    // A second write changes only what it names.
    SidecarFields label;
    label.label = "Green";
    writeSidecar(image, GetParam(), label);
    const auto back = readSidecar(image, GetParam());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->rating, 5);
    EXPECT_EQ(back->label, "Green");
}

TEST_P(XmpSidecarTest, DamagedSidecarIsLeftAloneAndReported) {
    const std::string path = sidecarPath(image, GetParam());
    std::ofstream(path) << "<x:xmpmeta this is not xml";
    SidecarFields fields;
    fields.rating = 3;
    EXPECT_THROW(writeSidecar(image, GetParam(), fields), XmpError);
    EXPECT_EQ(readFile(path), "<x:xmpmeta this is not xml");
}

TEST_P(XmpSidecarTest, NoSidecarReadsAsNothing) { EXPECT_FALSE(readSidecar(image, GetParam())); }

INSTANTIATE_TEST_SUITE_P(Conventions, XmpSidecarTest,
                         ::testing::Values(SidecarNaming::ReplaceExtension, SidecarNaming::AppendExtension),
                         [](const ::testing::TestParamInfo<SidecarNaming>& param) {
                             return std::string(sidecarNamingName(param.param));
                         });

}  // namespace
}  // namespace qc
