// CaptureTime: EXIF parsing (sub-seconds, offsets, unset times), reading JPEG, DNG and HEIF
// files written with the tags, and the fallback to the modification time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "PhotoFixtures.h"
#include "ShootFixtures.h"
#include "TestSupport.h"
#include "library/CaptureTime.h"
#include "library/Catalog.h"
#include "library/ShootBursts.h"

namespace qc {
namespace {

// 2024-06-01 14:03:05 read as UTC: 1717250585 s after 1970 (date -u -d '2024-06-01 14:03:05' +%s).
constexpr double kJune1st = 1717250585;

TEST(CaptureTimeTest, ParsesDateSubSecondsAndOffset) {
    const auto plain = parseExifCaptureTime("2024:06:01 14:03:05");
    ASSERT_TRUE(plain);
    EXPECT_DOUBLE_EQ(plain->seconds, kJune1st);
    EXPECT_EQ(plain->text, "2024-06-01T14:03:05");
    EXPECT_EQ(plain->source, CaptureTimeSource::Exif);
    // "05" is 0.05 s, "5" is 0.5 s: sub-seconds are the digits of a fraction.
    EXPECT_DOUBLE_EQ(parseExifCaptureTime("2024:06:01 14:03:05", "05")->seconds, kJune1st + 0.05);
    EXPECT_DOUBLE_EQ(parseExifCaptureTime("2024:06:01 14:03:05", "5")->seconds, kJune1st + 0.5);
    const auto zoned = parseExifCaptureTime("2024:06:01 14:03:05", "120", "+02:00");
    EXPECT_DOUBLE_EQ(zoned->seconds, kJune1st + 0.12 - 7200);
    EXPECT_EQ(zoned->text, "2024-06-01T14:03:05.120+02:00");
    EXPECT_DOUBLE_EQ(parseExifCaptureTime("2024:06:01 14:03:05", "", "-05:30")->seconds,
                     kJune1st + 5.5 * 3600);
    // A blank offset is no offset.
    EXPECT_DOUBLE_EQ(parseExifCaptureTime("2024:06:01 14:03:05", "", "   :  ")->seconds, kJune1st);
}

TEST(CaptureTimeTest, RefusesUnsetAndMalformedTimes) {
    EXPECT_FALSE(parseExifCaptureTime("0000:00:00 00:00:00"));
    EXPECT_FALSE(parseExifCaptureTime("    :  :     :  :  "));
    EXPECT_FALSE(parseExifCaptureTime("2024-06-01"));
    EXPECT_FALSE(parseExifCaptureTime("2024:13:01 14:03:05"));
}

class CaptureTimeFileTest : public ::testing::Test {
protected:
    test::TempDir dir;
    cv::Mat scene = fixtures::randomScene(96, 64, 7);
};

TEST_F(CaptureTimeFileTest, ReadsAJpeg) {
    const std::string path = dir.file("IMG_1.jpg");
    cv::imwrite(path, scene);
    fixtures::writeExifCaptureTime(path, "2024:06:01 14:03:05", "250", "+02:00");
    const CaptureTime t = readCaptureTime(path);
    EXPECT_EQ(t.source, CaptureTimeSource::Exif);
    EXPECT_DOUBLE_EQ(t.seconds, kJune1st + 0.25 - 7200);
}

TEST_F(CaptureTimeFileTest, ReadsARawDng) {
    const std::string path = dir.file("IMG_2.dng");
    fixtures::DngSpec spec;
    spec.rgb = scene;
    fixtures::writeDng(path, spec);
    fixtures::writeExifCaptureTime(path, "2024:06:01 14:03:05", "7", "");
    const CaptureTime t = readCaptureTime(path);
    EXPECT_EQ(t.source, CaptureTimeSource::Exif);
    EXPECT_DOUBLE_EQ(t.seconds, kJune1st + 0.7);
}

TEST_F(CaptureTimeFileTest, ReadsAHeif) {
    const std::string path = dir.file("IMG_3.heic");
    fixtures::HeifSpec spec;
    spec.rgb = scene;
    spec.exif = fixtures::exifCaptureTimeBlock("2024:06:01 14:03:05", "500", "+00:00");
    try {
        fixtures::writeHeif(path, spec);
    } catch (const std::exception& e) {
        GTEST_SKIP() << "no HEIF encoder in this libheif: " << e.what();
    }
    const CaptureTime t = readCaptureTime(path);
    EXPECT_EQ(t.source, CaptureTimeSource::Exif);
    EXPECT_DOUBLE_EQ(t.seconds, kJune1st + 0.5);
}

TEST_F(CaptureTimeFileTest, FallsBackToTheModificationTimeAndSaysSo) {
    const std::string png = dir.file("scan.png");
    cv::imwrite(png, scene);
    std::filesystem::last_write_time(
        png, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
    const CaptureTime t = readCaptureTime(png);
    EXPECT_EQ(t.source, CaptureTimeSource::FileModified);
    EXPECT_STREQ(captureTimeSourceName(t.source), "mtime");
    const double mtime = double(statFile(png)->mtimeNs) / 1e9;
    EXPECT_NEAR(t.seconds, mtime, 1e-6);
    // Not an image at all (Exiv2 cannot read it): still the modification time.
    const std::string text = dir.file("notes.jpg");
    std::ofstream(text) << "not a jpeg";
    EXPECT_EQ(readCaptureTime(text).source, CaptureTimeSource::FileModified);
}

TEST_F(CaptureTimeFileTest, AMissingFileIsAnErrorNamingIt) {
    try {
        readCaptureTime(dir.file("gone.jpg"));
        FAIL() << "no error";
    } catch (const CaptureTimeError& e) {
        EXPECT_NE(std::string(e.what()).find("gone.jpg"), std::string::npos) << e.what();
    }
}

TEST_F(CaptureTimeFileTest, TheCatalogKeepsTheTimeUntilTheFileChanges) {
    const std::string path = dir.file("IMG_4.jpg");
    cv::imwrite(path, scene);
    fixtures::writeExifCaptureTime(path, "2024:06:01 14:03:05", "", "");
    Catalog catalog(dir.file("catalog.sqlite"));
    const int64_t id = catalog.resolve(path).id;
    EXPECT_FALSE(catalog.captureTime(id));
    EXPECT_DOUBLE_EQ(catalogCaptureTime(catalog, id, path).seconds, kJune1st);
    ASSERT_TRUE(catalog.captureTime(id));
    EXPECT_EQ(catalog.captureTime(id)->text, "2024-06-01T14:03:05");
    // Rewritten with another time: the stored one no longer applies once the catalog sees the edit.
    fixtures::writeExifCaptureTime(path, "2024:06:01 14:03:09", "", "");
    std::filesystem::last_write_time(
        path, std::filesystem::last_write_time(path) + std::chrono::seconds(5));
    catalog.resolve(path);
    EXPECT_FALSE(catalog.captureTime(id));
    EXPECT_DOUBLE_EQ(catalogCaptureTime(catalog, id, path).seconds, kJune1st + 4);
}

}  // namespace
}  // namespace qc
