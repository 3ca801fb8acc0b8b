#include "FuzzTargets.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include "Errors.h"
#include "ZipBuilder.h"
#include "engine/Checkpoint.h"
#include "engine/CheckpointPickle.h"
#include "engine/ModelSpec.h"
#include "engine/PromptSet.h"
#include "images/ImageHeader.h"
#include "images/ImageLoader.h"
#include "library/XmpSidecar.h"
#include "research/CsvReader.h"
#include "research/MosTable.h"
#include "results/ResultMerge.h"
#include "results/ResultRows.h"

namespace fs = std::filesystem;

namespace qc::fuzz {
namespace {

// Most parsers read files: each input is written to one private folder (in memory where
// /dev/shm exists) and read back from there.
const fs::path& scratchFolder() {
    static const fs::path folder = [] {
        const fs::path base =
            fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        fs::path f = base / ("qci-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(f);
        return f;
    }();
    return folder;
}

std::string writeScratch(const std::string& name, const uint8_t* data, size_t size) {
    const fs::path path = scratchFolder() / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out.flush())
        throw std::runtime_error("fuzz scratch file cannot be written: " + path.string());
    return path.string();
}

std::string text(const uint8_t* data, size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// An input that is not a zip is taken as the pickle (data.pkl) of a torch.save archive and put in
// one with valid CRCs and a few storages: mutations of a whole archive almost all stop at a CRC,
// so the pickle reader behind it is reached this way.
std::string checkpointArchive(const uint8_t* data, size_t size) {
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') return text(data, size);
    test::ZipBuilder zip;
    zip.add("archive/data.pkl", text(data, size));
    for (int key = 0; key < 8; ++key)
        zip.add("archive/data/" + std::to_string(key), std::string(4096, '\x01'));
    zip.add("archive/version", "3\n");
    return zip.bytes();
}

void checkpoint(const uint8_t* data, size_t size) {
    const std::string archive = checkpointArchive(data, size);
    const std::string path =
        writeScratch("model.pth", reinterpret_cast<const uint8_t*>(archive.data()), archive.size());
    try {
        const Checkpoint c = readCheckpoint(path);
        validateCheckpoint(c, inferModelSpec(c));
    } catch (const CheckpointError&) {
    } catch (const detail::PickleError&) {
        throw std::logic_error("a PickleError escaped readCheckpoint instead of a CheckpointError");
    }
}

// The first byte picks the file name's extension: the loader chooses its decoder by content,
// but RAW and HEIF files are recognised by extension too.
void image(const uint8_t* data, size_t size) {
    static const char* const kExtensions[] = {"jpg",  "png",  "tif", "webp", "bmp",
                                              "heic", "avif", "dng", "nef"};
    if (size == 0) return;
    const char* ext = kExtensions[data[0] % (sizeof kExtensions / sizeof kExtensions[0])];
    detail::ByteReader bytes(data + 1, size - 1);
    (void)detail::sniffImageHeader(bytes);
    const std::string path = writeScratch(std::string("image.") + ext, data + 1, size - 1);
    ImageLoadOptions options;
    options.maxPixels = 4'000'000;  // the limit's check is under test, not the decoders' speed
    try {
        (void)readImageHeader(path);
        const DecodedImage decoded = loadImageRgb8(path, options);
        if (decoded.rgb.empty() || decoded.rgb.type() != CV_8UC3)
            throw std::logic_error("loadImageRgb8 returned no RGB pixels without an error");
        if (int64_t{decoded.rgb.cols} * decoded.rgb.rows > options.maxPixels)
            throw std::logic_error("loadImageRgb8 returned more pixels than the limit");
    } catch (const ImageError&) {
    }
}

void mosCsv(const uint8_t* data, size_t size) {
    const std::string csv = text(data, size);
    for (const MosColumns& columns : {MosColumns{}, MosColumns{"image_name", "MOS"}}) {
        try {
            (void)parseMosTable(csv, "fuzz.csv", "/nonexistent-images", columns);
        } catch (const QualiClipError&) {
        }
    }
}

void xmpSidecar(const uint8_t* data, size_t size) {
    const fs::path image = scratchFolder() / "photo.jpg";
    (void)writeScratch("photo.jpg.xmp", data, size);
    SidecarFields fields;
    fields.rating = 3;
    fields.label = "Green";
    fields.score = 0.5;
    try {
        (void)readSidecar(image.string(), SidecarNaming::AppendExtension);
    } catch (const XmpError&) {
    }
    try {
        writeSidecar(image.string(), SidecarNaming::AppendExtension, fields);
    } catch (const XmpError&) {
        return;  // a damaged sidecar is refused, not overwritten
    }
    const std::optional<SidecarFields> back =
        readSidecar(image.string(), SidecarNaming::AppendExtension);
    if (!back || back->rating != fields.rating || back->label != fields.label)
        throw std::logic_error("a merged sidecar does not read back the fields just written");
}

void promptFile(const uint8_t* data, size_t size) {
    PromptSet set;
    try {
        set = parsePromptSet(text(data, size), "fuzz.prompts");
    } catch (const PromptError&) {
        return;
    }
    // What is accepted must survive its own file format unchanged.
    const PromptSet again = parsePromptSet(formatPromptSet(set), "formatted.prompts");
    if (promptSetId(again) != promptSetId(set))
        throw std::logic_error("a prompt set changes when written and read back");
}

void shardOutput(const uint8_t* data, size_t size) {
    const std::string path = writeScratch("shard-0.jsonl", data, size);
    try {
        const ResultFile file = readResultFile(path);
        for (const ResultRow& row : file.rows) (void)toImageResult(row);
        (void)mergeResultFiles({path}, {});
    } catch (const ResultFileError&) {
    }
}

}  // namespace

const std::vector<FuzzTarget>& fuzzTargets() {
    static const std::vector<FuzzTarget> targets = {
        {"checkpoint", checkpoint},  {"image", image},
        {"mos_csv", mosCsv},         {"xmp_sidecar", xmpSidecar},
        {"prompt_file", promptFile}, {"shard_output", shardOutput},
    };
    return targets;
}

const FuzzTarget* findFuzzTarget(const std::string& name) {
    for (const FuzzTarget& t : fuzzTargets())
        if (t.name == name) return &t;
    return nullptr;
}

}  // namespace qc::fuzz
