#include "library/CaptureTime.h"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <exiv2/error.hpp>
#include <exiv2/exif.hpp>
#include <exiv2/image.hpp>

#include "library/Exiv2Lock.h"

namespace qc {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), so
// no time-zone database or TZ variable takes part.
int64_t daysFromCivil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool allDigits(const std::string& s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// "+02:00" / "-05:30" -> seconds east of UTC; nullopt for anything else (cameras may write
// blanks or "   :  " when the zone is unknown).
std::optional<int> parseOffset(const std::string& text) {
    int hours = 0, minutes = 0;
    char sign = 0;
    if (text.size() != 6 || std::sscanf(text.c_str(), "%c%2d:%2d", &sign, &hours, &minutes) != 3)
        return std::nullopt;
    if ((sign != '+' && sign != '-') || hours > 14 || minutes > 59) return std::nullopt;
    return (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    return s;
}

std::string exifText(const Exiv2::ExifData& exif, const char* key) {
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    return it == exif.end() ? std::string() : trimmed(it->toString());
}

}  // namespace

const char* captureTimeSourceName(CaptureTimeSource source) {
    return source == CaptureTimeSource::Exif ? "exif" : "mtime";
}

std::optional<CaptureTimeSource> parseCaptureTimeSource(const std::string& name) {
    if (name == "exif") return CaptureTimeSource::Exif;
    if (name == "mtime") return CaptureTimeSource::FileModified;
    return std::nullopt;
}

std::optional<CaptureTime> parseExifCaptureTime(const std::string& dateTime,
                                                const std::string& subSeconds,
                                                const std::string& offset) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    char tail = 0;
    if (std::sscanf(dateTime.c_str(), "%4d:%2d:%2d %2d:%2d:%2d%c", &year, &month, &day, &hour,
                    &minute, &second, &tail) != 6)
        return std::nullopt;
    if (year < 1900 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
        second > 60)
        return std::nullopt;
    CaptureTime t;
    t.source = CaptureTimeSource::Exif;
    t.seconds =
        double(daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour,
                  minute, second);
    t.text = text;
    // SubSecTime is the digits of a decimal fraction: "5" is 0.5 s, "050" 0.05 s.
    const std::string sub = trimmed(subSeconds);
    if (!sub.empty() && sub.size() <= 9 && allDigits(sub)) {
        t.seconds += std::stod(sub) / std::pow(10.0, double(sub.size()));
        t.text += "." + sub;
    }
    if (const auto east = parseOffset(trimmed(offset))) {
        t.seconds -= *east;
        t.text += trimmed(offset);
    }
    return t;
}

std::optional<CaptureTime> readExifCaptureTime(const std::string& path) {
    const auto lock = lockExiv2();
    try {
        auto image = Exiv2::ImageFactory::open(path);
        if (!image.get()) throw CaptureTimeError("cannot read '" + path + "' for its capture time");
        image->readMetadata();
        const Exiv2::ExifData& exif = image->exifData();
        std::string dateTime = exifText(exif, "Exif.Photo.DateTimeOriginal");
        if (dateTime.empty()) dateTime = exifText(exif, "Exif.Image.DateTimeOriginal");
        if (dateTime.empty()) return std::nullopt;
        return parseExifCaptureTime(dateTime, exifText(exif, "Exif.Photo.SubSecTimeOriginal"),
                                    exifText(exif, "Exif.Photo.OffsetTimeOriginal"));
    } catch (const Exiv2::AnyError& e) {
        // Exiv2 knows no such format (e.g. a PNG without EXIF is fine, a truncated file is not):
        // either way there is no capture time to read, which the fallback says.
        return std::nullopt;
    }
}

CaptureTime fileModifiedTime(int64_t mtimeNs) {
    CaptureTime t;
    t.source = CaptureTimeSource::FileModified;
    t.seconds = double(mtimeNs) / 1e9;
    const std::time_t whole = std::time_t(mtimeNs / 1000000000);
    std::tm utc{};
    gmtime_r(&whole, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  int((mtimeNs / 1000000) % 1000));
    t.text = text;
    return t;
}

CaptureTime readCaptureTime(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw CaptureTimeError("cannot read '" + path +
                               "' for its capture time: " + std::strerror(errno));
    if (auto exif = readExifCaptureTime(path)) return *exif;
    return fileModifiedTime(int64_t(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec);
}

}  // namespace qc
