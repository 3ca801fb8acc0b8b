// ResultWriter: one output row per scored image, as JSON Lines or CSV (RFC 4180 quoting),
// written and flushed as soon as the image is done. Field names are part of the command-line
// interface (README, "qualiclip score"): path, width, height, input_width, input_height, resize,
// score, pairs (pair name -> probability, checkpoint or prompt-set order), model_sha256, prompt_set
// ("default" or the custom set's SHA-256, engine/PromptSet.h), seconds, error, cached
// (true when the score came from the catalog), and
// with dense maps map_h, map_w, dense_map. CSV has the scalar fields, one column per pair.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/Prompts.h"
#include "engine/ScoringEngine.h"

namespace qc {

enum class OutputFormat { Jsonl, Csv };

class ResultWriter {
public:
    ResultWriter(std::ostream& out, OutputFormat format, std::vector<PromptPair> pairs, bool dense);
    void write(const ImageResult& result);

private:
    void writeCsvHeader();
    std::ostream& out_;
    OutputFormat format_;
    std::vector<PromptPair> pairs_;
    bool dense_;
    bool headerWritten_ = false;
};

std::string toJsonLine(const ImageResult& result, const std::vector<PromptPair>& pairs, bool dense);
std::string csvEscape(const std::string& field);

}  // namespace qc
