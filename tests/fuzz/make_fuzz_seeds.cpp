// qci_fuzz_seeds OUT: writes the seed inputs of every fuzz target (tests/fuzz/FuzzTargets.h)
// into OUT/<target>/, made with the project's own writers so they are valid inputs to start
// mutating from. The checkpoint seeds come from tests/fuzz/make_seeds.sh (the oracle's files).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "PhotoFixtures.h"
#include "engine/PromptSet.h"
#include "library/XmpSidecar.h"

namespace fs = std::filesystem;

namespace {

void writeSeed(const fs::path& folder, const std::string& name, const std::string& bytes) {
    fs::create_directories(folder);
    std::ofstream out(folder / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw std::runtime_error("cannot write seed " + (folder / name).string());
}

std::string fileBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The image target's first byte picks the extension (FuzzTargets.cpp: jpg png tif webp bmp heic
// avif dng nef); the encoded file follows.
void imageSeeds(const fs::path& out) {
    const cv::Mat rgb = qc::fixtures::brightDarkScene(24, 16);
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    const std::vector<std::pair<int, std::string>> encoded = {
        {0, ".jpg"}, {1, ".png"}, {2, ".tif"}, {3, ".webp"}, {4, ".bmp"}};
    for (const auto& [selector, ext] : encoded) {
        std::vector<uchar> bytes;
        cv::imencode(ext, bgr, bytes);
        writeSeed(
            out, "seed" + ext,
            std::string(1, static_cast<char>(selector)) + std::string(bytes.begin(), bytes.end()));
    }
    const fs::path scratch = out / "tmp";
    fs::create_directories(scratch);
    qc::fixtures::HeifSpec heif;
    heif.rgb = rgb;
    qc::fixtures::writeHeif((scratch / "a.heic").string(), heif);
    writeSeed(out, "seed.heic", std::string(1, '\x05') + fileBytes(scratch / "a.heic"));
    qc::fixtures::DngSpec dng;
    dng.rgb = rgb;
    dng.previewLongSide = 12;
    qc::fixtures::writeDng((scratch / "a.dng").string(), dng);
    writeSeed(out, "seed.dng", std::string(1, '\x07') + fileBytes(scratch / "a.dng"));
    fs::remove_all(scratch);
}

void sidecarSeeds(const fs::path& out) {
    const fs::path scratch = out / "tmp";
    fs::create_directories(scratch);
    const std::string image = (scratch / "photo.jpg").string();
    qc::SidecarFields fields;
    fields.rating = -1;
    fields.label = "Red";
    fields.score = 0.25;
    fields.modelSha256 = std::string(64, 'a');
    fields.resizePolicy = "long:1024";
    qc::writeSidecar(image, qc::SidecarNaming::AppendExtension, fields);
    writeSeed(out, "written.xmp",
              fileBytes(qc::sidecarPath(image, qc::SidecarNaming::AppendExtension)));
    fs::remove_all(scratch);
    writeSeed(out, "lightroom.xmp",
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
              "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
              "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmp:Rating=\"4\" xmp:Label=\"Blue\">"
              "<dc:subject><rdf:Bag><rdf:li>wedding</rdf:li></rdf:Bag></dc:subject>"
              "</rdf:Description></rdf:RDF></x:xmpmeta>\n");
}

void textSeeds(const fs::path& out) {
    writeSeed(out / "mos_csv", "koniq.csv",
              "image_name,c1,MOS,SD\n\"a.jpg\",1,3.5,0.2\nb.jpg,2,\"4.25\",0.1\n");
    writeSeed(out / "mos_csv", "flive.csv",
              "\xef\xbb\xbfname,mos,x\r\nvoc/1.jpg,71.2,a\r\nvoc/2.jpg,\"63,5\",b\r\n");
    int i = 0;
    for (const qc::PromptSet& set : qc::starterPromptSets())
        writeSeed(out / "prompt_file", "starter" + std::to_string(i++) + ".prompts",
                  qc::formatPromptSet(set));
    writeSeed(out / "shard_output", "rows.jsonl",
              "{\"path\":\"/p/"
              "a.jpg\",\"score\":0.5,\"model\":\"m\",\"resize\":\"native\",\"prompt_set\":\"\","
              "\"recipe\":\"official\",\"width\":24,\"height\":16,\"pairs\":{\"good\":0.5}}\n"
              "{\"path\":\"/p/b.jpg\",\"error\":\"cannot "
              "decode\",\"model\":\"m\",\"resize\":\"native\"}\n"
              "{\"path\":\"/p/c.jpg\",\"score\":0.25,\"mod");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: qci_fuzz_seeds OUT\n");
        return 2;
    }
    try {
        const fs::path out = argv[1];
        imageSeeds(out / "image");
        sidecarSeeds(out / "xmp_sidecar");
        textSeeds(out);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "qci_fuzz_seeds: %s\n", e.what());
        return 1;
    }
    return 0;
}
