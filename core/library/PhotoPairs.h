// PhotoPairs: a RAW and a JPEG of the same name in one folder (IMG_0001.CR3 + IMG_0001.JPG, what
// cameras write in RAW+JPEG mode) are one photo with two files, as Lightroom and Photo Mechanic
// treat them. pairRawAndJpeg groups a list of paths into photos: the window shows one row per
// photo and applies decisions, sidecars, copies and moves to every file of it; `qualiclip score
// --pairs` scores one file per photo.
//
// Free functions, safe from any thread; they look only at the names, never at the files.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace qc {

// Which file of a pair is scored: the JPEG by default (what the camera rendered, and the fastest).
enum class PairScoring { Jpeg, Raw };

std::string pairScoringName(PairScoring which);  // "jpeg", "raw"
std::optional<PairScoring> parsePairScoring(const std::string& text);

struct Photo {
    std::string path;        // the name it is shown by: the RAW's for a pair
    std::string scoredPath;  // the file that is scored
    std::string
        companion;  // the pair's other file (the JPEG of a RAW, or the RAW); empty if single

    bool isPair() const { return !companion.empty(); }
    std::string jpegPath() const;            // the pair's JPEG (empty when single)
    std::vector<std::string> files() const;  // path, then companion when paired
};

// Paths in the same folder with the same stem (case-sensitive, as file systems compare), one
// with a RAW extension and one with .jpg/.jpeg (any case), become one photo at the RAW's place
// in the order; everything else stays single and in order. A stem with two RAWs or two JPEGs
// stays unpaired (it is not a camera's RAW+JPEG).
std::vector<Photo> pairRawAndJpeg(const std::vector<std::string>& paths,
                                  PairScoring which = PairScoring::Jpeg);

}  // namespace qc
