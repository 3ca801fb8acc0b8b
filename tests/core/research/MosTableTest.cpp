// MOS files written in a temporary folder: presets, chosen columns, unmatched names and rows
// that cannot be used, encodings and line endings.
#include <gtest/gtest.h>

#include <fstream>

#include "research/MosTable.h"
#include "TestSupport.h"

namespace qc {
namespace {

class MosTableTest : public testing::Test {
protected:
    void SetUp() override {
        std::filesystem::create_directories(dir.path() / "images" / "sub");
        for (const char* name : {"a.jpg", "b.jpg", "c, d.jpg", "sub/e.png", "na\xC3\xAFve.jpg"})
            std::ofstream(dir.path() / "images" / name) << "x";
    }
    std::string write(const std::string& text) {
        const std::string path = dir.file("mos.csv");
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    std::string images() const { return dir.file("images"); }
    test::TempDir dir;
};

TEST_F(MosTableTest, KoniqPresetWithBomAndCrlf) {
    const std::string csv = write(
        "\xEF\xBB\xBF\"image_name\",\"c1\",\"MOS\",\"SD\",\"MOS_zscore\"\r\n"
        "\"a.jpg\",0,3.5,0.6,70.1\r\n"
        "\"b.jpg\",1,2.25,0.7,40.0\r\n"
        "\"missing.jpg\",0,4.0,0.5,80.0\r\n");
    const MosTable t = loadMosTable(csv, images(), *mosPreset("koniq"));
    ASSERT_EQ(t.matched.size(), 2U);
    EXPECT_EQ(t.matched[0].name, "a.jpg");
    EXPECT_DOUBLE_EQ(t.matched[0].mos, 3.5);
    EXPECT_EQ(t.matched[0].path, (dir.path() / "images" / "a.jpg").string());
    EXPECT_EQ(t.matched[1].line, 3U);
    EXPECT_DOUBLE_EQ(t.matched[1].mos, 2.25);
    ASSERT_EQ(t.unmatched.size(), 1U);
    EXPECT_EQ(t.unmatched[0].name, "missing.jpg");
    EXPECT_EQ(t.unmatched[0].line, 4U);
    EXPECT_TRUE(t.problems.empty());
}

TEST_F(MosTableTest, GenericColumnsChooseAnotherScore) {
    const std::string csv = write("image_name,MOS,MOS_zscore\na.jpg,3.5,70.1\nb.jpg,2.25,40\n");
    const MosTable t = loadMosTable(csv, images(), {"image_name", "MOS_zscore"});
    ASSERT_EQ(t.matched.size(), 2U);
    EXPECT_DOUBLE_EQ(t.matched[0].mos, 70.1);
    EXPECT_DOUBLE_EQ(t.matched[1].mos, 40);
}

TEST_F(MosTableTest, FlivePresetWithFolderNames) {
    const std::string csv =
        write("name,mos,height,width\nsub/e.png,72.3,500,640\nAVA__1.jpg,61.0,500,500\n");
    const MosTable t = loadMosTable(csv, images(), *mosPreset("flive"));
    ASSERT_EQ(t.matched.size(), 1U);
    EXPECT_EQ(t.matched[0].name, "sub/e.png");
    EXPECT_DOUBLE_EQ(t.matched[0].mos, 72.3);
    ASSERT_EQ(t.unmatched.size(), 1U);
    EXPECT_EQ(t.unmatched[0].name, "AVA__1.jpg");
    EXPECT_FALSE(mosPreset("live").has_value());
}

TEST_F(MosTableTest, QuotedNamesWithCommasQuotesAndNewlines) {
    const std::string csv = write(
        "note,image_name,MOS\n"
        "\"first line\nsecond, with \"\"quotes\"\"\",\"c, d.jpg\",4\n"
        "plain,na\xC3\xAFve.jpg,1.5\n");
    const MosTable t = loadMosTable(csv, images(), *mosPreset("koniq"));
    ASSERT_EQ(t.matched.size(), 2U);
    EXPECT_EQ(t.matched[0].name, "c, d.jpg");
    EXPECT_EQ(t.matched[0].line, 2U);
    EXPECT_EQ(t.matched[1].name, "na\xC3\xAFve.jpg");
    EXPECT_EQ(t.matched[1].line, 4U);  // the quoted field above spans two lines
    EXPECT_TRUE(t.unmatched.empty());
}

TEST_F(MosTableTest, RowsThatCannotBeUsedAreListed) {
    const std::string csv = write(
        "image_name,MOS\n"
        "a.jpg,n/a\n"
        ",3\n"
        "b.jpg\n"
        "b.jpg,2,extra\n"
        "b.jpg,4\n"
        "sub/e.png, 3.25 \n");
    const MosTable t = loadMosTable(csv, images(), *mosPreset("koniq"));
    ASSERT_EQ(t.matched.size(), 2U);
    EXPECT_EQ(t.matched[0].name, "b.jpg");
    EXPECT_DOUBLE_EQ(t.matched[0].mos, 2);
    EXPECT_DOUBLE_EQ(t.matched[1].mos, 3.25);
    ASSERT_EQ(t.problems.size(), 4U);
    EXPECT_EQ(t.problems[0].line, 2U);
    EXPECT_NE(t.problems[0].reason.find("not a number"), std::string::npos);
    EXPECT_NE(t.problems[1].reason.find("no image name"), std::string::npos);
    EXPECT_NE(t.problems[2].reason.find("no 'MOS' field"), std::string::npos);
    EXPECT_NE(t.problems[3].reason.find("listed again (line 5"), std::string::npos);
}

TEST_F(MosTableTest, MissingColumnNamesTheColumnsThereAre) {
    const std::string csv = write("file,score\na.jpg,3\n");
    try {
        loadMosTable(csv, images(), *mosPreset("koniq"));
        FAIL() << "no error";
    } catch (const MosTableError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("no image-name column 'image_name'"), std::string::npos) << message;
        EXPECT_NE(message.find("file, score"), std::string::npos) << message;
    }
}

TEST_F(MosTableTest, UnusableFilesThrow) {
    EXPECT_THROW(loadMosTable(dir.file("nothing.csv"), images(), *mosPreset("koniq")),
                 MosTableError);
    EXPECT_THROW(loadMosTable(write(""), images(), *mosPreset("koniq")), MosTableError);
    EXPECT_THROW(loadMosTable(write("image_name,MOS\n\"a.jpg,3\n"), images(), *mosPreset("koniq")),
                 MosTableError);
    EXPECT_THROW(loadMosTable(write("image_name,MOS\na.jpg,3\n"), dir.file("no-folder"),
                              *mosPreset("koniq")),
                 MosTableError);
}

}  // namespace
}  // namespace qc
