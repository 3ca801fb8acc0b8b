// Exiv2Lock: one lock for every use of Exiv2 in core. Exiv2's XMP toolkit keeps global state
// (the namespace registry) and is not thread-safe without a lock, and reading a photo's EXIF
// also parses the XMP packet inside it; XmpSidecar and CaptureTime therefore share this lock,
// which also makes the one-time initialisation (XMP parser, our namespace, BMFF for HEIF/CR3)
// safe.
//
// Usage: { auto lock = lockExiv2(); Exiv2::ImageFactory::open(path) ... }
#pragma once

#include <mutex>

namespace qc {

// Takes the lock and initialises Exiv2 on the first call.
std::unique_lock<std::mutex> lockExiv2();

}  // namespace qc
