// CaptureTime: when a photo was taken, for grouping bursts (library/BurstGrouping.h).
//
// Read through Exiv2 from the EXIF of JPEG, TIFF, RAW (CR2, NEF, ARW, DNG, ...) and ISO BMFF
// files (HEIF, AVIF, CR3): Exif.Photo.DateTimeOriginal (or the TIFF/EP Exif.Image.DateTimeOriginal
// some RAW files carry) with Exif.Photo.SubSecTimeOriginal for the fraction and
// Exif.Photo.OffsetTimeOriginal for the zone when present (EXIF 2.31). A file without them falls
// back to its modification time, and the result says so (`source`), so a row can show it.
//
// Usage:
//   CaptureTime t = readCaptureTime("/shoot/IMG_1.CR2");  // throws CaptureTimeError if unreadable
//   if (t.source == CaptureTimeSource::FileModified) warn("no EXIF time");
//
// Threads: any thread (Exiv2 is used under library/Exiv2Lock.h's lock).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace qc {

class CaptureTimeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class CaptureTimeSource {
    Exif,         // DateTimeOriginal (+ sub-seconds, + offset when the camera wrote one)
    FileModified  // no EXIF capture time: the file's modification time
};

struct CaptureTime {
    // Seconds since 1970. An EXIF time without an offset is the camera's clock read as if it
    // were UTC: differences between the frames of one shoot are right, the absolute instant
    // may be off by the camera's time zone.
    double seconds = 0;
    std::string text;  // ISO 8601 as the file says it: "2024-06-01T14:03:05.120+02:00"
    CaptureTimeSource source = CaptureTimeSource::FileModified;
};

const char* captureTimeSourceName(CaptureTimeSource source);  // "exif" or "mtime"
std::optional<CaptureTimeSource> parseCaptureTimeSource(const std::string& name);

// EXIF's "YYYY:MM:DD HH:MM:SS", its sub-second digits ("12" = 0.12 s) and its offset ("+02:00");
// nullopt when dateTime is not a valid time (cameras write "0000:00:00 00:00:00" when unset).
std::optional<CaptureTime> parseExifCaptureTime(const std::string& dateTime,
                                                const std::string& subSeconds = {},
                                                const std::string& offset = {});

// The EXIF capture time, or nullopt when the file has none or Exiv2 cannot parse it (a format it
// does not know, a damaged header): the caller falls back to the modification time.
std::optional<CaptureTime> readExifCaptureTime(const std::string& path);

// The EXIF capture time, else the modification time. Throws CaptureTimeError (naming the file)
// only when the file cannot be read at all.
CaptureTime readCaptureTime(const std::string& path);

// The modification time as a CaptureTime (source FileModified, text in UTC).
CaptureTime fileModifiedTime(int64_t mtimeNs);

}  // namespace qc
