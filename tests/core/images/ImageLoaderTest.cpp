// ImageLoader and ImageHeader tests. Every fixture is made here, with cv::imencode or raw bytes.
#include "images/ImageLoader.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Errors.h"
#include "PhotoFixtures.h"
#include "TestSupport.h"

namespace qc {
namespace {

using Bytes = std::vector<uint8_t>;
using test::TempDir;

void writeFile(const std::string& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

Bytes encode(const std::string& ext, const cv::Mat& img, const std::vector<int>& params = {}) {
    std::vector<uchar> buf;
    EXPECT_TRUE(cv::imencode(ext, img, buf, params)) << ext;
    return Bytes(buf.begin(), buf.end());
}

std::string save(const TempDir& dir, const std::string& name, const Bytes& bytes) {
    const std::string path = dir.file(name);
    writeFile(path, bytes);
    return path;
}

// The ImageError message of f(), or "<no error>".
bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

void appendBe16(Bytes& b, uint32_t v) {
    b.push_back(uint8_t(v >> 8));
    b.push_back(uint8_t(v));
}
void appendBe32(Bytes& b, uint32_t v) {
    appendBe16(b, v >> 16);
    appendBe16(b, v & 0xFFFF);
}
void appendLe32(Bytes& b, uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
}
void appendText(Bytes& b, const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }

// A big-endian TIFF structure with one IFD holding only Orientation: the EXIF payload.
Bytes exifOrientation(int orientation) {
    Bytes b = {'M', 'M', 0, 42};
    appendBe32(b, 8);                            // IFD0 offset
    appendBe16(b, 1);                            // one entry
    appendBe16(b, 0x0112);                       // Orientation
    appendBe16(b, 3);                            // SHORT
    appendBe32(b, 1);                            // count
    appendBe32(b, uint32_t(orientation) << 16);  // value in the first two bytes
    appendBe32(b, 0);                            // no next IFD
    return b;
}

Bytes jpegWithOrientation(const cv::Mat& bgr, int orientation) {
    Bytes jpeg = encode(".jpg", bgr);
    Bytes app1 = {0xFF, 0xE1};
    Bytes payload = {'E', 'x', 'i', 'f', 0, 0};
    const Bytes exif = exifOrientation(orientation);
    payload.insert(payload.end(), exif.begin(), exif.end());
    appendBe16(app1, uint32_t(payload.size() + 2));
    app1.insert(app1.end(), payload.begin(), payload.end());
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());  // right after SOI
    return jpeg;
}

uint32_t crc32(const Bytes& data) {
    uint32_t c = 0xFFFFFFFFu;
    for (uint8_t byte : data) {
        c ^= byte;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

Bytes pngChunk(const std::string& type, const Bytes& data) {
    Bytes body;
    appendText(body, type);
    body.insert(body.end(), data.begin(), data.end());
    Bytes chunk;
    appendBe32(chunk, uint32_t(data.size()));
    chunk.insert(chunk.end(), body.begin(), body.end());
    appendBe32(chunk, crc32(body));
    return chunk;
}

Bytes pngWithOrientation(const cv::Mat& img, int orientation) {
    Bytes png = encode(".png", img);
    const Bytes chunk = pngChunk("eXIf", exifOrientation(orientation));
    png.insert(png.begin() + 33, chunk.begin(), chunk.end());  // after signature + IHDR
    return png;
}

cv::Mat noise(int rows, int cols, int type, unsigned seed = 7) {
    cv::Mat m(rows, cols, type);
    cv::theRNG().state = seed;
    cv::randu(m, 0, 256);
    return m;
}

cv::Mat bgrToRgb(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

bool equalMats(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

// ---------------------------------------------------------------------------------------------
// Pixels

TEST(ImageLoader, Png8BitKeepsColoursInRgbOrder) {
    TempDir dir;
    cv::Mat bgr = noise(4, 5, CV_8UC3);
    bgr.at<cv::Vec3b>(0, 0) = {0, 0, 255};  // red, in OpenCV's B, G, R
    bgr.at<cv::Vec3b>(0, 1) = {0, 255, 0};
    bgr.at<cv::Vec3b>(0, 2) = {255, 0, 0};
    const DecodedImage img = loadImageRgb8(save(dir, "rgb.png", encode(".png", bgr)));
    ASSERT_EQ(img.rgb.type(), CV_8UC3);
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 0));  // red stays red
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(0, 1), cv::Vec3b(0, 255, 0));
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(0, 2), cv::Vec3b(0, 0, 255));
    EXPECT_TRUE(equalMats(img.rgb, bgrToRgb(bgr)));
    EXPECT_EQ(img.sourceBitDepth, 8);
    EXPECT_EQ(img.sourceChannels, 3);
}

TEST(ImageLoader, GreyPngBecomesThreeEqualChannels) {
    TempDir dir;
    const cv::Mat grey = noise(6, 7, CV_8UC1);
    const DecodedImage img = loadImageRgb8(save(dir, "grey.png", encode(".png", grey)));
    ASSERT_EQ(img.rgb.type(), CV_8UC3);
    std::vector<cv::Mat> planes;
    cv::split(img.rgb, planes);
    for (const cv::Mat& plane : planes) EXPECT_TRUE(equalMats(plane, grey));
    EXPECT_EQ(img.sourceChannels, 1);
}

TEST(ImageLoader, RgbaPngDropsAlphaWithoutCompositing) {
    TempDir dir;
    cv::Mat bgra = noise(3, 4, CV_8UC4);
    bgra.at<cv::Vec4b>(1, 1) = {10, 20, 30, 0};  // fully transparent: colour must survive
    const DecodedImage img = loadImageRgb8(save(dir, "rgba.png", encode(".png", bgra)));
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(1, 1), cv::Vec3b(30, 20, 10));
    cv::Mat expected;
    cv::cvtColor(bgra, expected, cv::COLOR_BGRA2RGB);
    EXPECT_TRUE(equalMats(img.rgb, expected));
    EXPECT_EQ(img.sourceChannels, 4);
}

TEST(ImageLoader, SixteenBitIsScaledWithRounding) {
    const std::vector<uint16_t> values = {0, 128, 129, 200, 257, 1000, 32896, 65407, 65535};
    // 200: rounding gives 1, truncation (v >> 8 or v * 255 / 65535) 0, clipping 200.
    ASSERT_EQ(std::lround(200 * 255.0 / 65535.0), 1);
    TempDir dir;
    cv::Mat grey(1, int(values.size()), CV_16UC1);
    for (size_t i = 0; i < values.size(); ++i) grey.at<uint16_t>(0, int(i)) = values[i];
    const DecodedImage img = loadImageRgb8(save(dir, "grey16.png", encode(".png", grey)));
    EXPECT_EQ(img.sourceBitDepth, 16);
    for (size_t i = 0; i < values.size(); ++i) {
        const long expected = std::lround(values[i] * 255.0 / 65535.0);
        const cv::Vec3b px = img.rgb.at<cv::Vec3b>(0, int(i));
        EXPECT_EQ(px[0], expected) << values[i];
        EXPECT_EQ(px[2], expected) << values[i];
    }
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(0, 8)[1], 255);
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(0, 6)[1], 128);
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(0, 4)[1], 1);
}

TEST(ImageLoader, SixteenBitColourKeepsRgbOrder) {
    TempDir dir;
    cv::Mat bgr(1, 1, CV_16UC3, cv::Scalar(257, 32896, 65535));  // B, G, R
    const DecodedImage img = loadImageRgb8(save(dir, "rgb16.png", encode(".png", bgr)));
    EXPECT_EQ(img.rgb.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 128, 1));
    EXPECT_EQ(img.sourceBitDepth, 16);
    EXPECT_EQ(img.sourceChannels, 3);
}

// ---------------------------------------------------------------------------------------------
// Orientation

TEST(ImageLoader, JpegExifOrientationSixRotates) {
    TempDir dir;
    const cv::Mat bgr = noise(16, 32, CV_8UC3);
    const DecodedImage img = loadImageRgb8(save(dir, "o6.jpg", jpegWithOrientation(bgr, 6)));
    EXPECT_EQ(img.rgb.cols, 16);
    EXPECT_EQ(img.rgb.rows, 32);
    EXPECT_EQ(readImageHeader(dir.file("o6.jpg"))->width, 32);  // the header gives stored size
}

// OpenCV applies JPEG and PNG orientation itself unless asked for IMREAD_UNCHANGED (which we need
// for 16 bits and alpha): our own transform must give exactly its result, for all eight values.
TEST(ImageLoader, OrientationMatchesOpenCvForJpegAndPng) {
    TempDir dir;
    const cv::Mat bgr = noise(16, 24, CV_8UC3);
    for (int o = 1; o <= 8; ++o) {
        for (const Bytes& bytes : {jpegWithOrientation(bgr, o), pngWithOrientation(bgr, o)}) {
            const std::string path = save(dir, "oriented", bytes);
            const cv::Mat expected = bgrToRgb(cv::imread(path, cv::IMREAD_COLOR));
            EXPECT_TRUE(equalMats(loadImageRgb8(path).rgb, expected)) << "orientation " << o;
        }
    }
}

// OpenCV 4.6 ignores EXIF in WebP; we apply it like for JPEG (VP8X container with an EXIF chunk).
TEST(ImageLoader, WebpExifOrientationIsApplied) {
    if (!cv::haveImageWriter(".webp")) GTEST_SKIP() << "no WebP writer in this OpenCV";
    TempDir dir;
    const cv::Mat bgr = noise(8, 12, CV_8UC3);
    const Bytes plain = encode(".webp", bgr, {cv::IMWRITE_WEBP_QUALITY, 101});  // lossless
    const Bytes image(plain.begin() + 12, plain.end());                         // the VP8L chunk
    Bytes vp8x = {0x08, 0, 0, 0, 11, 0, 0, 7, 0, 0};  // EXIF flag, (width-1, height-1)
    const Bytes exif = exifOrientation(6);
    Bytes body;
    appendText(body, "WEBPVP8X");
    appendLe32(body, uint32_t(vp8x.size()));
    body.insert(body.end(), vp8x.begin(), vp8x.end());
    body.insert(body.end(), image.begin(), image.end());
    appendText(body, "EXIF");
    appendLe32(body, uint32_t(exif.size()));
    body.insert(body.end(), exif.begin(), exif.end());
    Bytes webp;
    appendText(webp, "RIFF");
    appendLe32(webp, uint32_t(body.size()));
    webp.insert(webp.end(), body.begin(), body.end());
    const DecodedImage img = loadImageRgb8(save(dir, "o6.webp", webp));
    cv::Mat expected;
    cv::rotate(bgrToRgb(bgr), expected, cv::ROTATE_90_CLOCKWISE);
    EXPECT_TRUE(equalMats(img.rgb, expected));
}

// ---------------------------------------------------------------------------------------------
// Damaged and hostile files

TEST(ImageLoader, TruncatedJpegIsAnError) {
    TempDir dir;
    const Bytes jpeg = encode(".jpg", noise(150, 200, CV_8UC3));
    const Bytes cut(jpeg.begin(), jpeg.begin() + long(jpeg.size() / 2));
    const std::string path = save(dir, "cut.jpg", cut);
    ASSERT_FALSE(cv::imread(path).empty()) << "OpenCV alone accepts it: this is why we check";
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(path); });
    EXPECT_TRUE(contains(error, path)) << error;
    EXPECT_TRUE(contains(error, "truncated JPEG (no end-of-image marker)")) << error;
    // Even only the EOI missing.
    const Bytes noEoi(jpeg.begin(), jpeg.end() - 2);
    EXPECT_TRUE(
        contains(test::imageErrorOf([&] { loadImageRgb8(save(dir, "noeoi.jpg", noEoi)); }), "truncated"));
}

TEST(ImageLoader, ProgressiveJpegLoadsAndItsTruncationIsCaught) {
    TempDir dir;
    const Bytes jpeg = encode(".jpg", noise(64, 80, CV_8UC3), {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
    const std::string path = save(dir, "prog.jpg", jpeg);
    EXPECT_TRUE(equalMats(loadImageRgb8(path).rgb, bgrToRgb(cv::imread(path))));
    const Bytes cut(jpeg.begin(), jpeg.begin() + long(jpeg.size() * 3 / 4));
    EXPECT_TRUE(
        contains(test::imageErrorOf([&] { loadImageRgb8(save(dir, "cut.jpg", cut)); }), "truncated"));
}

// Segments between scans are skipped whole: an "FF D9" inside one (here a comment) is no EOI.
TEST(ImageLoader, EndMarkerInsideSegmentBetweenScansDoesNotCount) {
    TempDir dir;
    Bytes jpeg = encode(".jpg", noise(64, 80, CV_8UC3), {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
    const Bytes sos = {0xFF, 0xDA};
    const auto first = std::search(jpeg.begin(), jpeg.end(), sos.begin(), sos.end());
    const auto second = std::search(first + 2, jpeg.end(), sos.begin(), sos.end());
    ASSERT_NE(second, jpeg.end());
    Bytes cut(jpeg.begin(), second);  // everything up to the second scan
    cut.insert(cut.end(), {0xFF, 0xFE, 0x00, 0x04, 0xFF, 0xD9});  // COM segment holding FF D9
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(save(dir, "cut.jpg", cut)); });
    EXPECT_TRUE(contains(error, "truncated JPEG")) << error;
}

TEST(ImageLoader, JpegWithTrailingDataAfterEndLoads) {
    TempDir dir;
    Bytes jpeg = encode(".jpg", noise(20, 30, CV_8UC3));
    appendText(jpeg, "trailing bytes some cameras append");
    EXPECT_EQ(loadImageRgb8(save(dir, "tail.jpg", jpeg)).rgb.cols, 30);
}

TEST(ImageLoader, TruncatedPngIsAnError) {
    TempDir dir;
    const Bytes png = encode(".png", noise(60, 80, CV_8UC3));
    const Bytes cut(png.begin(), png.begin() + long(png.size() / 2));
    const std::string path = save(dir, "cut.png", cut);
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(path); });
    EXPECT_TRUE(contains(error, path + ": truncated or damaged png")) << error;
}

TEST(ImageLoader, EmptyFile) {
    TempDir dir;
    const std::string path = save(dir, "empty.jpg", {});
    EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(path); }), path + ": file is empty");
}

TEST(ImageLoader, TextFileNamedJpg) {
    TempDir dir;
    Bytes text;
    appendText(text, "this is not a picture\n");
    const std::string path = save(dir, "notes.jpg", text);
    EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(path); }),
              path + ": not an image (or a format we cannot decode)");
    EXPECT_FALSE(readImageHeader(path).has_value());
}

TEST(ImageLoader, MissingFileAndFolder) {
    TempDir dir;
    const std::string missing = dir.file("nope.png");
    EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(missing); }),
              missing + ": cannot open (no such file)");
    EXPECT_EQ(test::imageErrorOf([&] { readImageHeader(missing); }),
              missing + ": cannot open (no such file)");
    EXPECT_TRUE(contains(test::imageErrorOf([&] { loadImageRgb8(dir.path().string()); }), "folder"));
}

TEST(ImageLoader, UnreadableFile) {
    TempDir dir;
    const std::string path = save(dir, "locked.png", encode(".png", noise(2, 2, CV_8UC3)));
    std::filesystem::permissions(path, std::filesystem::perms::none);
    std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
    const std::string expected = path + ": cannot open (permission denied)";
    if (::geteuid() != 0) {
        EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(path); }), expected);
        return;
    }
    // Root reads files whatever their permissions: check as the unprivileged user "nobody".
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
        ::_exit(test::imageErrorOf([&] { loadImageRgb8(path); }) == expected ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "as user nobody, the error was not '" << expected << "'";
}

// A PNG whose IHDR claims 100000 x 100000 (30 GB as RGB): refused from the header, at once.
TEST(ImageLoader, HugeHeaderIsRefusedBeforeDecoding) {
    Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    Bytes ihdr;
    appendBe32(ihdr, 100000);
    appendBe32(ihdr, 100000);
    ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});
    Bytes chunk = pngChunk("IHDR", ihdr);
    chunk.resize(chunk.size() - 4);
    appendBe32(chunk, 0);  // wrong CRC: we must not get as far as a decoder
    png.insert(png.end(), chunk.begin(), chunk.end());
    const Bytes idat = pngChunk("IDAT", Bytes(64, 0));
    png.insert(png.end(), idat.begin(), idat.end());
    TempDir dir;
    const std::string path = save(dir, "huge.png", png);
    const std::string error = test::imageErrorOf([&] { loadImageRgb8(path); });
    EXPECT_EQ(error, path + ": 100000 x 100000 = 10000 MP exceeds the limit of 250 MP");
    // Refused before the file is read: a 3 GiB (sparse) file would otherwise be read first, or
    // refused as too large to decode.
    std::filesystem::resize_file(path, uint64_t(3) << 30);
    EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(path); }), error);
}

TEST(ImageLoader, MaxPixelsOptionIsRespected) {
    TempDir dir;
    const std::string path = save(dir, "small.png", encode(".png", noise(30, 40, CV_8UC3)));
    ImageLoadOptions options;
    options.maxPixels = 1199;
    EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(path, options); }),
              path + ": 40 x 30 = 0.0012 MP exceeds the limit of 0.001199 MP");
    options.maxPixels = 1200;
    EXPECT_EQ(loadImageRgb8(path, options).rgb.total(), 1200u);
}

// Every prefix of a valid file, and random bytes behind every signature we sniff: an ImageError
// or a picture, never a crash or another exception. A JPEG prefix is never accepted.
TEST(ImageLoader, GarbageAndPrefixesNeverCrash) {
    TempDir dir;
    const std::string path = dir.file("fuzz");
    const auto loadOrImageError = [&](const Bytes& bytes) {
        writeFile(path, bytes);
        try {
            (void)readImageHeader(path);
            return !loadImageRgb8(path).rgb.empty();
        } catch (const ImageError&) {
            return false;
        }
    };
    const cv::Mat img = noise(9, 11, CV_8UC3);
    for (const char* ext : {".png", ".jpg", ".bmp", ".tif", ".webp", ".ppm"}) {
        if (!cv::haveImageWriter(ext)) continue;
        const Bytes whole = encode(ext, img);
        for (size_t n = 0; n < whole.size(); n += 1 + whole.size() / 97) {
            const bool loaded = loadOrImageError(Bytes(whole.begin(), whole.begin() + long(n)));
            if (std::string(ext) == ".jpg") {
                EXPECT_FALSE(loaded) << n;
            }
        }
    }
    std::mt19937 rng(1234);
    using namespace std::string_view_literals;
    for (const std::string_view magic :
         {"\x89PNG\r\n\x1A\n"sv, "\xFF\xD8\xFF"sv, "II*\0"sv, "MM\0*"sv, "RIFF\x10\0\0\0WEBPVP8X"sv,
          "BM"sv, "P6 "sv, "\xFF\x4F\xFF\x51"sv, "\0\0\0\x0CjP  \r\n\x87\n"sv}) {
        for (int i = 0; i < 200; ++i) {
            Bytes bytes(magic.begin(), magic.end());
            const size_t n = rng() % 300;
            for (size_t k = 0; k < n; ++k) bytes.push_back(uint8_t(rng()));
            loadOrImageError(bytes);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Headers

TEST(ImageHeader, ReadsSizeAndFormatOfEveryWriter) {
    TempDir dir;
    const cv::Mat img =
        noise(45, 67, CV_8UC3);  // odd, unequal, >= 32 (OpenJPEG): a swap would show
    const cv::Mat grey = noise(45, 67, CV_8UC1);
    const struct {
        const char* ext;
        const char* format;
        std::vector<int> params;
    } cases[] = {{".png", "png", {}},
                 {".jpg", "jpeg", {}},
                 {".bmp", "bmp", {}},
                 {".tif", "tiff", {}},
                 {".webp", "webp", {cv::IMWRITE_WEBP_QUALITY, 80}},   // VP8
                 {".webp", "webp", {cv::IMWRITE_WEBP_QUALITY, 101}},  // VP8L
                 {".ppm", "pnm", {}},
                 {".pgm", "pnm", {}},
                 {".jp2", "jp2", {}}};
    for (const auto& c : cases) {
        if (!cv::haveImageWriter(c.ext)) continue;
        const cv::Mat source = std::string(c.ext) == ".pgm" ? grey : img;  // PGM must be grey
        const std::string path =
            save(dir, std::string("img") + c.ext, encode(c.ext, source, c.params));
        const auto header = readImageHeader(path);
        ASSERT_TRUE(header.has_value()) << c.ext;
        EXPECT_EQ(header->width, 67) << c.ext;
        EXPECT_EQ(header->height, 45) << c.ext;
        EXPECT_EQ(header->format, c.format) << c.ext;
        EXPECT_EQ(loadImageRgb8(path).rgb.size(), cv::Size(67, 45)) << c.ext;
    }
}

TEST(ImageHeader, WebpWithAlphaUsesTheExtendedHeader) {
    if (!cv::haveImageWriter(".webp")) GTEST_SKIP() << "no WebP writer in this OpenCV";
    TempDir dir;
    const Bytes webp = encode(".webp", noise(23, 37, CV_8UC4), {cv::IMWRITE_WEBP_QUALITY, 80});
    ASSERT_EQ(std::string(webp.begin() + 12, webp.begin() + 16), "VP8X");
    const auto header = readImageHeader(save(dir, "alpha.webp", webp));
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 37);
    EXPECT_EQ(header->height, 23);
}

// OpenCV writes little-endian TIFF; a big-endian one is made by hand: 3 x 2 grey, 8 bit.
// The stated bound: decoding an image costs at most its pixels x 4 bytes + 256 MB, whichever
// decoder reads it. At 12 MP (304 MB) for OpenCV's JPEG, PNG and TIFF and LibRaw's demosaic.
TEST(ImageLoader, DecodingStaysWithinPixelsTimesFourPlus256MB) {
    const int width = 4000, height = 3000;
    const uint64_t bound = uint64_t{width} * height * 4 + (uint64_t{256} << 20);
    const cv::Mat rgb = fixtures::brightDarkScene(width, height);
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    TempDir dir;
    std::vector<std::pair<std::string, ImageLoadOptions>> files;
    for (const char* ext : {".jpg", ".png", ".tif"}) {
        ASSERT_TRUE(cv::imwrite(dir.file(std::string("scene") + ext), bgr));
        files.emplace_back(dir.file(std::string("scene") + ext), ImageLoadOptions{});
    }
    fixtures::DngSpec dng;
    dng.rgb = rgb;
    dng.previewLongSide = 1024;
    fixtures::writeDng(dir.file("scene.dng"), dng);
    for (RawMode mode : {RawMode::Full, RawMode::Half}) {
        ImageLoadOptions options;
        options.raw = mode;
        files.emplace_back(dir.file("scene.dng"), options);
    }
    for (const auto& file : files) {
        const std::string& path = file.first;  // named, not bound: lambdas cannot capture bindings
        const ImageLoadOptions& options = file.second;
        DecodedImage decoded;
        const uint64_t growth = test::peakResidentGrowthWhile([&] { decoded = loadImageRgb8(path, options); });
        EXPECT_GE(decoded.rgb.cols, width / 2) << path;
        QCI_EXPECT_MEMORY_BELOW(growth, bound) << path << " (" << rawModeName(options.raw) << ")";
    }
}

// A grey big-endian TIFF whose IFD holds `tags` ({tag, type, value}) and then 6 pixel bytes.
Bytes greyTiff(const std::vector<std::array<uint32_t, 3>>& tags) {
    Bytes tiff = {'M', 'M', 0, 42};
    appendBe32(tiff, 8);
    appendBe16(tiff, static_cast<uint32_t>(tags.size()));
    for (const auto& t : tags) {
        appendBe16(tiff, t[0]);
        appendBe16(tiff, t[1]);
        appendBe32(tiff, 1);
        appendBe32(tiff, t[1] == 3 ? t[2] << 16 : t[2]);
    }
    appendBe32(tiff, 0);
    tiff.insert(tiff.end(), {10, 20, 30, 40, 50, 60});
    return tiff;
}

// ImageWidth/ImageLength written twice: libtiff (the decoder) takes the first pair, so the limit
// is checked on it, whatever a later pair says (a review's 389 KB file cost 2.13 GB this way).
TEST(ImageLoader, TiffSizeIsCheckedAsItsDecoderReadsIt) {
    const uint32_t dataAt = 8 + 2 + 10 * 12 + 4;
    const std::vector<std::array<uint32_t, 3>> rest = {{258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, dataAt},
                                                       {277, 3, 1}, {278, 4, 2}, {279, 4, 6}};
    auto withSizes = [&](uint32_t w1, uint32_t h1, uint32_t w2, uint32_t h2) {
        std::vector<std::array<uint32_t, 3>> tags = {{256, 4, w1}, {257, 4, h1}, {256, 4, w2}, {257, 4, h2}};
        tags.insert(tags.end(), rest.begin(), rest.end());
        return greyTiff(tags);
    };
    TempDir dir;
    const std::string huge = save(dir, "huge.tif", withSizes(20000, 20000, 3, 2));
    EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(huge); }),
              huge + ": 20000 x 20000 = 400 MP exceeds the limit of 250 MP");
    const std::string twice = save(dir, "twice.tif", withSizes(4, 3, 3, 2));
    EXPECT_EQ(test::imageErrorOf([&] { loadImageRgb8(twice); }),
              twice + ": damaged TIFF: its size is given twice (4x3 and 3x2)");
    const std::string once = save(dir, "once.tif", withSizes(3, 2, 3, 2));
    EXPECT_EQ(loadImageRgb8(once).rgb.size(), cv::Size(3, 2));
}

TEST(ImageHeader, BigEndianTiff) {
    const Bytes tiff = greyTiff({{256, 3, 3}, {257, 3, 2}, {258, 3, 8}, {259, 3, 1},
                                 {262, 3, 1}, {273, 4, 8 + 2 + 8 * 12 + 4}, {277, 3, 1}, {279, 4, 6}});
    TempDir dir;
    const std::string path = save(dir, "be.tif", tiff);
    const auto header = readImageHeader(path);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 3);
    EXPECT_EQ(header->height, 2);
    EXPECT_EQ(header->format, "tiff");
    const cv::Mat rgb = loadImageRgb8(path).rgb;
    EXPECT_EQ(rgb.at<cv::Vec3b>(1, 2), cv::Vec3b(60, 60, 60));
}

TEST(ImageHeader, TopDownBmpHasPositiveHeight) {
    Bytes bmp = encode(".bmp", noise(5, 6, CV_8UC3));
    bmp[22] = uint8_t(-5);  // biHeight = -5 (little-endian int32)
    bmp[23] = bmp[24] = bmp[25] = 0xFF;
    TempDir dir;
    const auto header = readImageHeader(save(dir, "topdown.bmp", bmp));
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 6);
    EXPECT_EQ(header->height, 5);
}

// libjpeg skips stray bytes before a marker (with a warning); so does the header reader.
TEST(ImageHeader, JpegWithGarbageBetweenSegments) {
    Bytes jpeg = encode(".jpg", noise(23, 37, CV_8UC3));
    const size_t app0End = 4 + (size_t(jpeg[4]) << 8 | jpeg[5]);  // SOI, then APP0
    ASSERT_EQ(jpeg[2], 0xFF);
    ASSERT_EQ(jpeg[3], 0xE0);
    jpeg.insert(jpeg.begin() + long(app0End), {0x00, 0x12, 0xD9, 0x41});
    TempDir dir;
    const std::string path = save(dir, "junk.jpg", jpeg);
    const auto header = readImageHeader(path);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 37);
    EXPECT_EQ(header->height, 23);
    EXPECT_EQ(loadImageRgb8(path).rgb.size(), cv::Size(37, 23));
}

// ---------------------------------------------------------------------------------------------

TEST(ImageLoader, HasImageExtension) {
    for (const char* yes : {"a.jpg", "b.JPEG", "c.Jpe", "d.png", "e.tif", "f.TIFF", "/x/y.webp",
                            "g.bmp", "h.pbm", "i.pgm", "j.ppm", "k.pnm", "l.jp2"})
        EXPECT_TRUE(hasImageExtension(yes)) << yes;
    for (const char* no : {"a.txt", "noext", "b.jpg.txt", "dir.png/file", "c.gif", "d.", "e.pngx"})
        EXPECT_FALSE(hasImageExtension(no)) << no;
}

TEST(ImageLoader, OracleSceneImage) {
    QCI_REQUIRE_ORACLE();
    const DecodedImage img =
        loadImageRgb8((test::oracleDir() / "images/scene_512x384.png").string());
    EXPECT_EQ(img.rgb.rows, 384);
    EXPECT_EQ(img.rgb.cols, 512);
    EXPECT_EQ(img.rgb.type(), CV_8UC3);
}

}  // namespace
}  // namespace qc
