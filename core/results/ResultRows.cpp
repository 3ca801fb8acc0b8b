#include "results/ResultRows.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace qc {
namespace {

using Json = nlohmann::ordered_json;

std::string lineError(const std::string& file, size_t line, const std::string& problem) {
    return "'" + file + "' line " + std::to_string(line) + ": " + problem;
}

int intField(const Json& row, const char* name) {
    const auto it = row.find(name);
    return it != row.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::string stringField(const Json& row, const char* name) {
    const auto it = row.find(name);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Throws the problem as a plain string; the caller adds file and line.
ResultRow parseRow(const std::string& line) {
    const Json row = Json::parse(line);  // throws Json::parse_error
    if (!row.is_object()) throw std::string("not a JSON object");
    const auto path = row.find("path");
    if (path == row.end() || !path->is_string() || path->get<std::string>().empty())
        throw std::string("no \"path\" (is this a file written by qualiclip score?)");
    ResultRow r;
    r.line = line;
    r.path = path->get<std::string>();
    if (const auto score = row.find("score"); score != row.end() && score->is_number())
        r.score = score->get<double>();
    if (const auto pairs = row.find("pairs"); pairs != row.end() && pairs->is_object())
        for (const auto& [name, value] : pairs->items())
            if (value.is_number()) r.pairs.emplace_back(name, value.get<double>());
    if (const auto embedding = row.find("embedding");
        embedding != row.end() && embedding->is_array())
        for (const Json& v : *embedding)
            if (v.is_number()) r.embedding.push_back(v.get<float>());
    r.width = intField(row, "width");
    r.height = intField(row, "height");
    r.inputWidth = intField(row, "input_width");
    r.inputHeight = intField(row, "input_height");
    r.modelSha256 = stringField(row, "model_sha256");
    r.resize = stringField(row, "resize");
    r.source = stringField(row, "source");
    r.error = stringField(row, "error");
    if (const auto seconds = row.find("seconds"); seconds != row.end() && seconds->is_number())
        r.seconds = seconds->get<double>();
    for (const std::string& name : resultIdentityFields()) {
        const auto it = row.find(name);
        if (it == row.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()))
            continue;
        r.identity[name] = it->dump();
    }
    return r;
}

}  // namespace

const std::vector<std::string>& resultIdentityFields() {
    // Not `device`: float32 on a GPU gives the CPU's numbers, so a set may mix CPU and GPU nodes.
    // Not `source` either: it is per image (a folder of JPEGs and RAWs has "file" and
    // "raw-preview" rows in one run); the catalog keys each score by it instead.
    static const std::vector<std::string> fields = {"model_sha256", "resize", "precision",
                                                    "prompt_set", "recipe"};
    return fields;
}

ResultFile readResultFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ResultFileError("cannot read '" + path + "'");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    if (in.bad()) throw ResultFileError("reading '" + path + "' failed");

    ResultFile file;
    file.path = path;
    size_t start = 0, lineNumber = 0;
    while (start < text.size()) {
        ++lineNumber;
        const size_t newline = text.find('\n', start);
        const bool lastWithoutNewline = newline == std::string::npos;
        const size_t end = lastWithoutNewline ? text.size() : newline;
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) {
            try {
                ResultRow row = parseRow(line);
                row.lineNumber = lineNumber;
                file.rows.push_back(std::move(row));
                file.missingFinalNewline = lastWithoutNewline;
            } catch (const Json::exception& e) {
                if (lastWithoutNewline) {
                    file.truncatedTail = true;
                    break;
                }
                throw ResultFileError(
                    lineError(path, lineNumber, std::string("not a JSON row (") + e.what() + ")"));
            } catch (const std::string& problem) {
                throw ResultFileError(lineError(path, lineNumber, problem));
            }
        }
        file.completeBytes = lastWithoutNewline ? text.size() : newline + 1;
        start = end + 1;
    }
    return file;
}

ImageResult toImageResult(const ResultRow& row) {
    ImageResult r;
    r.path = row.path;
    r.width = row.width;
    r.height = row.height;
    r.inputWidth = row.inputWidth;
    r.inputHeight = row.inputHeight;
    r.resize = row.resize;
    // Rows from before RAW support have no source: their pixels were the file's own.
    if (!row.source.empty()) r.source = row.source;
    r.modelSha256 = row.modelSha256;
    r.seconds = row.seconds;
    // What scored the row is part of the catalog's key: a pyiqa or custom-prompt score must not
    // be imported as the default one.
    const auto identity = [&row](const char* name) -> std::string {
        const auto it = row.identity.find(name);
        if (it == row.identity.end()) return {};
        const nlohmann::json value = nlohmann::json::parse(it->second, nullptr, false);
        return value.is_string() ? value.get<std::string>() : std::string();
    };
    if (const std::string promptSet = identity("prompt_set"); !promptSet.empty()) r.promptSet = promptSet;
    if (const auto recipe = parseRecipe(identity("recipe"))) r.recipe = *recipe;
    if (const auto precision = parsePrecision(identity("precision"))) r.precision = *precision;
    if (row.score) {
        r.score = *row.score;
        for (const auto& pair : row.pairs) r.pairProbabilities.push_back(pair.second);
        r.embedding = row.embedding;
    } else {
        r.error = row.error.empty() ? "'" + row.path + "': the row has no score" : row.error;
    }
    return r;
}

std::string normalRowPath(const std::string& path) {
    return fs::path(path).lexically_normal().generic_string();
}

ImageScorer resultRowScorer(std::vector<ResultRow> rows, std::string sourceName) {
    struct Index {
        std::vector<ResultRow> rows;
        std::unordered_map<std::string, size_t> byPath;
        std::unordered_multimap<std::string, size_t> byFileName;
    };
    auto index = std::make_shared<Index>();
    index->rows = std::move(rows);
    for (size_t i = 0; i < index->rows.size(); ++i) {
        const std::string normal = normalRowPath(index->rows[i].path);
        index->byPath.emplace(normal, i);
        std::error_code ec;
        const fs::path absolute = fs::absolute(index->rows[i].path, ec);
        if (!ec) index->byPath.emplace(absolute.lexically_normal().generic_string(), i);
        index->byFileName.emplace(fs::path(normal).filename().string(), i);
    }
    // The rows may come from a cluster that mounts the data set elsewhere: then, among the rows
    // of the same file name, the one whose path shares the most trailing components is the image.
    const auto bySuffix = [index](const std::string& wanted) -> const ResultRow* {
        const ResultRow* best = nullptr;
        size_t bestComponents = 0;
        const fs::path wantedPath(wanted);
        const auto [first, last] = index->byFileName.equal_range(wantedPath.filename().string());
        for (auto it = first; it != last; ++it) {
            const fs::path rowPath(normalRowPath(index->rows[it->second].path));
            size_t components = 0;
            for (auto a = wantedPath.end(), b = rowPath.end();
                 a != wantedPath.begin() && b != rowPath.begin();) {
                --a, --b;
                if (*a != *b || *a == ".." || a->empty()) break;
                ++components;
            }
            if (components > bestComponents) {
                bestComponents = components;
                best = &index->rows[it->second];
            }
        }
        return best;
    };
    return [index, bySuffix, sourceName](const std::vector<std::string>& paths,
                                         const ScoringEngine::ResultCallback& onResult,
                                         const std::atomic<bool>* cancel) -> size_t {
        size_t delivered = 0;
        for (const std::string& path : paths) {
            if (cancel && cancel->load()) break;
            const std::string normal = normalRowPath(path);
            std::error_code ec;
            const std::string absolute = fs::absolute(path, ec).lexically_normal().generic_string();
            const ResultRow* row = nullptr;
            if (auto it = index->byPath.find(normal); it != index->byPath.end())
                row = &index->rows[it->second];
            else if (auto abs = index->byPath.find(absolute); abs != index->byPath.end())
                row = &index->rows[abs->second];
            else
                row = bySuffix(normal);
            ImageResult r;
            if (row) {
                r = toImageResult(*row);
                r.path = path;
                r.cached = true;
            } else {
                r.path = path;
                r.error = "'" + path + "': no row in '" + sourceName + "'";
            }
            onResult(delivered++, r);
        }
        return delivered;
    };
}

std::vector<std::string> prepareResume(const std::string& outputPath, const std::string& partPath,
                                       const std::string& modelSha256, const std::string& resize,
                                       const std::map<std::string, std::string>& fields) {
    std::error_code ec;
    const bool haveOutput = fs::exists(outputPath, ec), havePart = fs::exists(partPath, ec);
    if (haveOutput && havePart)
        throw ResultFileError("both '" + outputPath + "' and '" + partPath +
                              "' exist; keep the one to resume (rename it to '" + outputPath +
                              "', delete the other) and run again");
    if (!haveOutput && !havePart) return {};
    // Checked before anything is renamed or cut, so a refused resume leaves the files as they were.
    const ResultFile file = readResultFile(haveOutput ? outputPath : partPath);
    for (const ResultRow& row : file.rows) {
        const bool otherModel = !row.modelSha256.empty() && row.modelSha256 != modelSha256;
        const bool otherPolicy = !row.resize.empty() && row.resize != resize;
        if (otherModel || otherPolicy)
            throw ResultFileError(lineError(
                file.path, row.lineNumber,
                "made with " +
                    (otherModel ? "model " + row.modelSha256 : "--resize " + row.resize) +
                    ", this run uses " +
                    (otherModel ? "model " + modelSha256 : "--resize " + resize) +
                    "; resume with the same model and policy, or write to another --output"));
        for (const auto& [name, value] : fields) {
            const auto it = row.identity.find(name);
            if (it != row.identity.end() && it->second != nlohmann::json(value).dump())
                throw ResultFileError(lineError(file.path, row.lineNumber,
                                                "made with " + name + " " + it->second + ", this run uses " +
                                                    value + "; resume with the same " + name +
                                                    ", or write to another --output"));
        }
    }
    if (haveOutput) {
        fs::rename(outputPath, partPath, ec);
        if (ec)
            throw ResultFileError("cannot rename '" + outputPath + "' to '" + partPath +
                                  "': " + ec.message());
    }
    if (file.truncatedTail) {
        fs::resize_file(partPath, file.completeBytes, ec);
        if (ec)
            throw ResultFileError("cannot cut the half-written last line of '" + partPath +
                                  "': " + ec.message());
    } else if (file.missingFinalNewline) {
        std::ofstream out(partPath, std::ios::binary | std::ios::app);
        out << '\n';
        if (!out.flush()) throw ResultFileError("cannot append to '" + partPath + "'");
    }
    std::vector<std::string> done;
    for (const ResultRow& row : file.rows) done.push_back(row.path);
    return done;
}

std::vector<std::string> pathsWithoutRows(const std::vector<std::string>& images,
                                          const std::vector<std::string>& done) {
    std::unordered_set<std::string> skip;
    for (const std::string& path : done) skip.insert(normalRowPath(path));
    std::vector<std::string> left;
    for (const std::string& image : images)
        if (skip.count(normalRowPath(image)) == 0) left.push_back(image);
    return left;
}

}  // namespace qc
