#include "lab/DegradationStudy.h"

#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "Errors.h"
#include "research/RankCorrelation.h"
#include "results/ResultWriter.h"

namespace qc {
namespace {

std::string formatNumber(double value, int precision) {
    std::ostringstream out;
    out.precision(precision);
    out << value;
    return out.str();
}

// The resize policy applied in memory, as ScoringEngine::prepare does for files.
PreparedImage prepareInMemory(const cv::Mat& rgb, const std::string& name, const ScoringOptions& options) {
    PreparedImage prepared;
    prepared.path = name;
    prepared.width = rgb.cols;
    prepared.height = rgb.rows;
    int w = 0, h = 0;
    options.resize.targetSize(rgb.cols, rgb.rows, w, h);
    if (w == rgb.cols && h == rgb.rows) prepared.input = rgb;
    else cv::resize(rgb, prepared.input, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    return prepared;
}

}  // namespace

std::string StudyCell::id() const {
    if (!family) return "original";
    return std::string(degradationInfo(*family).id) + "_L" + std::to_string(level);
}

size_t studyCellCount(const DegradationStudyRequest& request) {
    return 1 + request.families.size() * static_cast<size_t>(std::max(0, request.levels));
}

size_t runDegradationStudy(const DegradationStudyRequest& request, const ScoringEngine* engine,
                           const StudyCellCallback& onCell, const std::atomic<bool>* cancel) {
    if (request.rgb.type() != CV_8UC3 || request.rgb.empty())
        throw std::invalid_argument("the degradation study needs an 8-bit RGB image");
    if (request.levels < 1 || request.levels > kDegradationLevels)
        throw std::invalid_argument("levels must be 1.." + std::to_string(kDegradationLevels));
    const size_t total = studyCellCount(request);
    size_t done = 0;
    auto cancelled = [&] { return cancel != nullptr && cancel->load(); };

    auto finish = [&](StudyCell& cell) {
        if (cell.ok() && engine != nullptr) {
            const std::string name = request.name + " [" + cell.id() + "]";
            cell.result = engine->score(prepareInMemory(cell.image, name, engine->options()), cancel);
            cell.scored = true;
            if (!cell.result.ok()) cell.error = cell.result.error;
        }
        onCell(cell, ++done, total);
    };

    try {
        std::vector<std::optional<DegradationFamily>> order{std::nullopt};
        for (DegradationFamily f : request.families) order.emplace_back(f);
        for (const auto& family : order) {
            const int first = family ? 1 : 0, last = family ? request.levels : 0;
            for (int level = first; level <= last; ++level) {
                if (cancelled()) return done;
                StudyCell cell;
                cell.family = family;
                cell.level = level;
                if (!family) {
                    cell.image = request.rgb;
                } else {
                    cell.parameter = degradationParameter(*family, level);
                    try {
                        cell.image = degrade(request.rgb, *family, level, request.seed);
                    } catch (const std::exception& e) {
                        cell.error = request.name + ": " + degradationInfo(*family).name + " level " +
                                     std::to_string(level) + " failed: " + e.what();
                    }
                }
                finish(cell);
            }
        }
    } catch (const Cancelled&) {
    }
    return done;
}

double scoreLevelSpearman(const std::vector<double>& scoresByLevel) {
    std::vector<double> levels(scoresByLevel.size());
    std::iota(levels.begin(), levels.end(), 0.0);
    return spearmanCorrelation(levels, scoresByLevel);
}

std::string studyCsvHeader(const std::vector<PromptPair>& pairs) {
    std::string header = "family,level,parameter,value,file,score";
    for (const PromptPair& p : pairs) header += "," + csvEscape(p.key);
    return header + ",error\n";
}

std::string studyCsvRow(const StudyCell& cell, const std::vector<PromptPair>& pairs, const std::string& file) {
    std::string row;
    if (cell.family) {
        const DegradationInfo& info = degradationInfo(*cell.family);
        row = std::string(info.id) + "," + std::to_string(cell.level) + "," + csvEscape(info.parameter) + "," +
              formatNumber(cell.parameter, 6);
    } else {
        row = "original,0,,";
    }
    row += "," + csvEscape(file) + ",";
    const bool scored = cell.scored && cell.result.ok();
    if (scored) row += formatNumber(cell.result.score, 9);
    for (size_t i = 0; i < pairs.size(); ++i) {
        row += ",";
        if (scored && i < cell.result.pairProbabilities.size())
            row += formatNumber(cell.result.pairProbabilities[i], 9);
    }
    return row + "," + csvEscape(cell.error) + "\n";
}

}  // namespace qc
