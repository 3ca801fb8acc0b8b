// Degradations: the synthetic distortions of the degradation lab, in the spirit of the
// KADID-10k set (Lin, Hosu and Saupe, QoMEX 2019) from which QualiCLIP's training builds its
// quality-ranked pairs. Every family has five levels of increasing strength; the parameter of
// each level is written once, in degradationTable(), and docs/degradations.md is generated
// from it (`qualiclip degrade --list --markdown`).
//
// Usage:
//   cv::Mat worse = degrade(rgb, *parseDegradationFamily("gaussian_blur"), 3, /*seed=*/1);
//
// Free functions of plain data, safe to call from any thread. The result is a new CV_8UC3
// image of the input's size; level 0 is the identity; the same (image, family, level, seed)
// always gives the same pixels. The codec families (jpeg, jpeg2000) really encode and decode
// with OpenCV's codec.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace qc {

enum class DegradationFamily {
    GaussianBlur,
    LensBlur,
    MotionBlur,
    WhiteNoise,
    ColorNoise,
    ImpulseNoise,
    MultiplicativeNoise,
    Jpeg,
    Jpeg2000,
    Brighten,
    Darken,
    ContrastChange,
    SaturationChange,
    ColorQuantization,
    Pixelate,
    Jitter,
    Oversharpen,
};

inline constexpr int kDegradationLevels = 5;

struct DegradationInfo {
    DegradationFamily family;
    const char* id;         // stable name used on the command line and in files: "gaussian_blur"
    const char* name;       // for people: "Gaussian blur"
    const char* parameter;  // what the level values mean: "sigma (px)"
    std::array<double, kDegradationLevels> levels;  // parameter of levels 1..5
    bool seeded;            // the output depends on the seed (random noise, jitter)
    const char* how;        // one line: how it is made
};

// One row per family, in display order.
const std::vector<DegradationInfo>& degradationTable();
const DegradationInfo& degradationInfo(DegradationFamily family);
std::optional<DegradationFamily> parseDegradationFamily(std::string_view id);

// The parameter of a level (0 for level 0, the identity).
double degradationParameter(DegradationFamily family, int level);

// False when this OpenCV build cannot write the family's codec (JPEG 2000 needs OpenJPEG or
// JasPer); degrade() throws for such a family.
bool degradationAvailable(DegradationFamily family);

// rgb: CV_8UC3 (R, G, B). level: 0..5. Throws std::invalid_argument for another type or
// level, and std::runtime_error when the codec is unavailable or fails.
cv::Mat degrade(const cv::Mat& rgb, DegradationFamily family, int level, uint32_t seed);

// The codec families' compressed bytes for a level (the file degrade() decodes), with the
// file extension (".jpg", ".jp2"); empty for other families and level 0.
struct EncodedImage {
    std::vector<unsigned char> bytes;
    std::string extension;
};
EncodedImage encodeWithCodec(const cv::Mat& rgb, DegradationFamily family, int level);

// docs/degradations.md: the table above as Markdown.
std::string degradationTableMarkdown();

}  // namespace qc
