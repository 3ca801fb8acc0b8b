#include "library/Exiv2Lock.h"

#include <exiv2/bmffimage.hpp>
#include <exiv2/error.hpp>
#include <exiv2/properties.hpp>
#include <exiv2/xmp_exiv2.hpp>

#include "library/XmpSidecar.h"

namespace qc {

std::unique_lock<std::mutex> lockExiv2() {
    static std::mutex mutex;
    static bool initialised = false;
    std::unique_lock lock(mutex);
    if (!initialised) {
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);  // problems reach callers as exceptions
        Exiv2::XmpParser::initialize();
        Exiv2::XmpProperties::registerNs(kQualiclipXmpNamespace, "qualiclip");
        Exiv2::enableBMFF(true);  // HEIF, AVIF and CR3 are ISO BMFF files, off by default in 0.27
        initialised = true;
    }
    return lock;
}

}  // namespace qc
