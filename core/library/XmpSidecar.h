// XmpSidecar: culling decisions and scores written where Lightroom, darktable and digiKam read
// them, an XMP file next to the image (never the image itself), through Exiv2.
//
// Usage:
//   SidecarFields f; f.rating = 4; f.label = "Red"; f.score = 0.71; f.modelSha256 = sha;
//   writeSidecar("/shoot/IMG_1.CR2", SidecarNaming::AppendExtension, f);  // IMG_1.CR2.xmp
//   std::optional<SidecarFields> back = readSidecar("/shoot/IMG_1.CR2", SidecarNaming::AppendExtension);
//
// Fields written: xmp:Rating (stars 0..5, a reject is -1 as Lightroom writes it), xmp:Label
// (the colour label's name) and, in our own namespace (kQualiclipXmpNamespace, prefix
// `qualiclip`), qualiclip:Score, qualiclip:ModelSha256 and qualiclip:ResizePolicy. An existing
// sidecar is merged: every other property in it is kept. The file is replaced atomically (a
// temporary file in the same folder, fsync, rename), so a reader or a crash never sees half
// of one.
//
// Threads: any thread; Exiv2's XMP toolkit is initialised once, behind a lock.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace qc {

inline constexpr const char* kQualiclipXmpNamespace = "http://qualiclip.org/ns/1.0/";

class XmpError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class SidecarNaming {
    ReplaceExtension,  // IMG_1.xmp (Lightroom, Capture One)
    AppendExtension    // IMG_1.CR2.xmp (darktable, digiKam)
};

// "lightroom"/"replace" or "darktable"/"append"; nullopt otherwise.
std::optional<SidecarNaming> parseSidecarNaming(const std::string& text);
const char* sidecarNamingName(SidecarNaming naming);  // "lightroom" or "darktable"

std::string sidecarPath(const std::string& imagePath, SidecarNaming naming);

// Only the fields that are set are written (or read back, when the sidecar has them).
struct SidecarFields {
    std::optional<int> rating;  // -1 reject, 0..5 stars
    std::optional<std::string> label;
    std::optional<double> score;
    std::optional<std::string> modelSha256;
    std::optional<std::string> resizePolicy;
};

// Merges fields into the image's sidecar (creating it). Throws XmpError naming the file.
void writeSidecar(const std::string& imagePath, SidecarNaming naming, const SidecarFields& fields);
// Reads the fields back; nullopt when there is no sidecar. Throws XmpError on a damaged one.
std::optional<SidecarFields> readSidecar(const std::string& imagePath, SidecarNaming naming);

}  // namespace qc
