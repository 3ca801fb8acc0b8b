#include "library/XmpSidecar.h"

#include "library/Exiv2Lock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <exiv2/error.hpp>
#include <exiv2/xmp_exiv2.hpp>

namespace qc {
namespace {

std::optional<std::string> readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void decodeLocked(const std::string& path, const std::string& packet, Exiv2::XmpData& data) {
    if (Exiv2::XmpParser::decode(data, packet) != 0)
        throw XmpError("sidecar '" + path + "' is not valid XMP; left unchanged");
}

// Writes text to a temporary file next to path, flushes it to disk and renames it over path.
void writeAtomically(const std::string& path, const std::string& text) {
    std::string temp = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) throw XmpError("cannot create a temporary file next to '" + path + "': " + std::strerror(errno));
    size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        written += static_cast<size_t>(n);
    }
    const bool ok = written == text.size() && ::fsync(fd) == 0;
    ::fchmod(fd, 0644);
    ::close(fd);
    if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw XmpError("cannot write sidecar '" + path + "': " + reason);
    }
}

std::string formatScore(double score) {
    std::ostringstream s;
    s.precision(6);
    s << std::fixed << score;
    return s.str();
}

}  // namespace

std::optional<SidecarNaming> parseSidecarNaming(const std::string& text) {
    if (text == "lightroom" || text == "replace") return SidecarNaming::ReplaceExtension;
    if (text == "darktable" || text == "append") return SidecarNaming::AppendExtension;
    return std::nullopt;
}

const char* sidecarNamingName(SidecarNaming naming) {
    return naming == SidecarNaming::ReplaceExtension ? "lightroom" : "darktable";
}

std::string sidecarPath(const std::string& imagePath, SidecarNaming naming) {
    if (naming == SidecarNaming::AppendExtension) return imagePath + ".xmp";
    return std::filesystem::path(imagePath).replace_extension(".xmp").string();
}

void writeSidecar(const std::string& imagePath, SidecarNaming naming, const SidecarFields& fields) {
    const std::string path = sidecarPath(imagePath, naming);
    const std::optional<std::string> existing = readWholeFile(path);
    const auto lock = lockExiv2();
    try {
        Exiv2::XmpData data;
        if (existing) decodeLocked(path, *existing, data);
        if (fields.rating) data["Xmp.xmp.Rating"] = std::to_string(*fields.rating);
        if (fields.label) data["Xmp.xmp.Label"] = *fields.label;
        if (fields.score) data["Xmp.qualiclip.Score"] = formatScore(*fields.score);
        if (fields.modelSha256) data["Xmp.qualiclip.ModelSha256"] = *fields.modelSha256;
        if (fields.resizePolicy) data["Xmp.qualiclip.ResizePolicy"] = *fields.resizePolicy;
        std::string packet;
        if (Exiv2::XmpParser::encode(packet, data, Exiv2::XmpParser::omitPacketWrapper) != 0)
            throw XmpError("cannot encode XMP for '" + path + "'");
        // Sidecars carry an XML declaration and no packet wrapper, as Exiv2's own sidecars do.
        if (packet.rfind("<?xml", 0) != 0) packet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + packet;
        writeAtomically(path, packet);
    } catch (const Exiv2::AnyError& e) {
        throw XmpError("sidecar '" + path + "': " + e.what());
    }
}

std::optional<SidecarFields> readSidecar(const std::string& imagePath, SidecarNaming naming) {
    const std::string path = sidecarPath(imagePath, naming);
    const std::optional<std::string> text = readWholeFile(path);
    if (!text) return std::nullopt;
    const auto lock = lockExiv2();
    try {
        Exiv2::XmpData data;
        decodeLocked(path, *text, data);
        SidecarFields fields;
        auto find = [&](const char* key) -> std::optional<std::string> {
            const auto it = data.findKey(Exiv2::XmpKey(key));
            if (it == data.end()) return std::nullopt;
            return it->toString();
        };
        if (auto rating = find("Xmp.xmp.Rating")) {
            try {
                fields.rating = std::stoi(*rating);
            } catch (const std::exception&) {
                // a rating we cannot read is no rating
            }
        }
        fields.label = find("Xmp.xmp.Label");
        if (auto score = find("Xmp.qualiclip.Score")) {
            try {
                fields.score = std::stod(*score);
            } catch (const std::exception&) {
            }
        }
        fields.modelSha256 = find("Xmp.qualiclip.ModelSha256");
        fields.resizePolicy = find("Xmp.qualiclip.ResizePolicy");
        return fields;
    } catch (const Exiv2::AnyError& e) {
        throw XmpError("sidecar '" + path + "': " + e.what());
    }
}

}  // namespace qc
