#include "images/TiffHeader.h"

#include <tiffio.h>

#include <algorithm>
#include <cstring>

namespace qc::detail {
namespace {

// libtiff reads through these callbacks from a buffer the caller keeps alive.
struct MemoryFile {
    const std::vector<uint8_t>* bytes;
    uint64_t position = 0;
};

tsize_t readBytes(thandle_t handle, tdata_t out, tsize_t size) {
    auto* f = static_cast<MemoryFile*>(handle);
    const uint64_t available = f->position < f->bytes->size() ? f->bytes->size() - f->position : 0;
    const uint64_t n = std::min<uint64_t>(available, static_cast<uint64_t>(size));
    if (n > 0) std::memcpy(out, f->bytes->data() + f->position, n);
    f->position += n;
    return static_cast<tsize_t>(n);
}

tsize_t refuseWrite(thandle_t, tdata_t, tsize_t) { return 0; }

toff_t seekTo(thandle_t handle, toff_t offset, int whence) {
    auto* f = static_cast<MemoryFile*>(handle);
    const uint64_t base = whence == SEEK_CUR   ? f->position
                          : whence == SEEK_END ? f->bytes->size()
                                               : 0;
    f->position = base + offset;
    return f->position;
}

int closeNothing(thandle_t) { return 0; }
toff_t sizeOf(thandle_t handle) { return static_cast<MemoryFile*>(handle)->bytes->size(); }
int mapNothing(thandle_t, tdata_t*, toff_t*) { return 0; }
void unmapNothing(thandle_t, tdata_t, toff_t) {}

// Damage is reported through this handle's own handlers (the global ones are shared with
// OpenCV and other threads): the caller turns "no size" into its own message.
int quiet(TIFF*, void*, const char*, const char*, va_list) { return 1; }

}  // namespace

std::optional<TiffSize> tiffSizeByLibtiff(const std::vector<uint8_t>& bytes) {
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(options, quiet, nullptr);
    TIFFOpenOptionsSetWarningHandlerExtR(options, quiet, nullptr);
    MemoryFile file{&bytes};
    // "rm": read only, and no memory mapping (the callbacks serve the bytes).
    TIFF* tiff = TIFFClientOpenExt("image", "rm", &file, readBytes, refuseWrite, seekTo,
                                   closeNothing, sizeOf, mapNothing, unmapNothing, options);
    TIFFOpenOptionsFree(options);
    std::optional<TiffSize> size;
    if (tiff) {
        uint32_t width = 0, height = 0;
        if (TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width) == 1 &&
            TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height) == 1)
            size = TiffSize{width, height};
        TIFFClose(tiff);
    }
    return size;
}

}  // namespace qc::detail
