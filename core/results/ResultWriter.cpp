#include "results/ResultWriter.h"

#include <iomanip>
#include <sstream>

// nlohmann's ordered_json keeps keys in insertion order, so "pairs" stays in checkpoint order.
#include <nlohmann/json.hpp>

namespace qc {
namespace {

using Json = nlohmann::ordered_json;

std::string formatNumber(double value) {
    std::ostringstream s;
    s << std::setprecision(9) << value;
    return s.str();
}

}  // namespace

std::string toJsonLine(const ImageResult& r, const std::vector<PromptPair>& pairs, bool dense) {
    Json row;
    row["path"] = r.path;
    row["width"] = r.width;
    row["height"] = r.height;
    row["input_width"] = r.inputWidth;
    row["input_height"] = r.inputHeight;
    row["resize"] = r.resize;
    row["source"] = r.source;
    if (r.ok()) {
        row["score"] = r.score;
        Json pairObject = Json::object();
        for (size_t i = 0; i < pairs.size() && i < r.pairProbabilities.size(); ++i)
            pairObject[pairs[i].key] = r.pairProbabilities[i];
        row["pairs"] = pairObject;
    } else {
        row["score"] = nullptr;
        row["pairs"] = nullptr;
    }
    row["model_sha256"] = r.modelSha256;
    row["prompt_set"] = r.promptSet;
    row["recipe"] = recipeName(r.recipe);
    row["device"] = r.device;
    row["precision"] = precisionName(r.precision);
    row["seconds"] = r.seconds;
    row["error"] = r.ok() ? Json(nullptr) : Json(r.error);
    row["cached"] = r.cached;
    if (dense) {
        row["map_h"] = r.mapHeight;
        row["map_w"] = r.mapWidth;
        Json rows = Json::array();
        if (r.ok()) {
            for (int y = 0; y < r.mapHeight; ++y) {
                auto begin = r.denseMean.begin() + static_cast<std::ptrdiff_t>(y) * r.mapWidth;
                rows.push_back(std::vector<float>(begin, begin + r.mapWidth));
            }
        }
        row["dense_map"] = rows;
    }
    return row.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string csvEscape(const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string quoted = "\"";
    for (char c : field) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

ResultWriter::ResultWriter(std::ostream& out, OutputFormat format, std::vector<PromptPair> pairs,
                           bool dense)
    : out_(out), format_(format), pairs_(std::move(pairs)), dense_(dense) {}

void ResultWriter::writeCsvHeader() {
    out_ << "path,width,height,input_width,input_height,resize,source,score";
    for (const PromptPair& p : pairs_) out_ << ',' << csvEscape(p.key);
    out_ << ",model_sha256,prompt_set,recipe,device,precision,seconds,error,cached";
    if (dense_) out_ << ",map_h,map_w";
    out_ << "\r\n";
    headerWritten_ = true;
}

void ResultWriter::write(const ImageResult& r) {
    if (format_ == OutputFormat::Jsonl) {
        out_ << toJsonLine(r, pairs_, dense_) << '\n';
    } else {
        if (!headerWritten_) writeCsvHeader();
        out_ << csvEscape(r.path) << ',' << r.width << ',' << r.height << ',' << r.inputWidth << ','
             << r.inputHeight << ',' << r.resize << ',' << r.source << ',' << (r.ok() ? formatNumber(r.score) : "");
        for (size_t i = 0; i < pairs_.size(); ++i)
            out_ << ',' << (r.ok() && i < r.pairProbabilities.size() ? formatNumber(r.pairProbabilities[i]) : "");
        out_ << ',' << r.modelSha256 << ',' << r.promptSet << ',' << recipeName(r.recipe) << ',' << r.device << ',' << precisionName(r.precision) << ','
             << formatNumber(r.seconds) << ',' << csvEscape(r.error) << ','
             << (r.cached ? "true" : "false");
        if (dense_) out_ << ',' << r.mapHeight << ',' << r.mapWidth;
        out_ << "\r\n";
    }
    out_.flush();
}

}  // namespace qc
