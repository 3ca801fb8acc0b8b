#include "engine/PromptSet.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "Errors.h"

namespace qc {
namespace {

std::string trim(const std::string& s) {
    const char* space = " \t\r\n\f\v";
    const size_t first = s.find_first_not_of(space);
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(space) - first + 1);
}

// Runs of blanks inside a prompt become one space: "Sharp   image." and "Sharp image." are one
// question to CLIP's tokenizer, so they are one set.
std::string collapseBlanks(const std::string& s) {
    std::string out;
    bool blank = false;
    for (char c : trim(s)) {
        const bool isBlank = c == ' ' || c == '\t';
        if (isBlank && !blank) out += ' ';
        if (!isBlank) out += c;
        blank = isBlank;
    }
    return out;
}

std::string lineProblem(const std::string& line, PromptPair& pair) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) return "expected \"name: positive | negative\", found no ':'";
    const size_t bar = line.find('|', colon);
    if (bar == std::string::npos) return "expected \"name: positive | negative\", found no '|'";
    if (line.find('|', bar + 1) != std::string::npos) return "more than one '|'";
    pair.key = trim(line.substr(0, colon));
    pair.positive = collapseBlanks(line.substr(colon + 1, bar - colon - 1));
    pair.negative = collapseBlanks(line.substr(bar + 1));
    if (const std::string problem = pairNameProblem(pair.key); !problem.empty()) return problem;
    if (pair.positive.empty()) return "the positive prompt of '" + pair.key + "' is empty";
    if (pair.negative.empty()) return "the negative prompt of '" + pair.key + "' is empty";
    return {};
}

}  // namespace

std::string pairNameProblem(const std::string& name) {
    if (name.empty()) return "the pair has no name";
    if (name == "mean" || name == "score")
        return "'" + name + "' is reserved (it means the mean over pairs)";
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok)
            return "the pair name '" + name + "' may hold only letters, digits, '_', '-' and '.'";
    }
    return {};
}

PromptSet parsePromptSet(const std::string& text, const std::string& source) {
    PromptSet set;
    std::istringstream lines(text);
    std::string line;
    std::set<std::string> names;
    for (int number = 1; std::getline(lines, line); ++number) {
        const std::string content = trim(line);
        if (content.empty() || content[0] == '#') continue;
        PromptPair pair;
        if (const std::string problem = lineProblem(content, pair); !problem.empty())
            throw PromptError(source + " line " + std::to_string(number) + ": " + problem);
        if (!names.insert(pair.key).second)
            throw PromptError(source + " line " + std::to_string(number) + ": the pair name '" +
                              pair.key + "' is used twice");
        set.pairs.push_back(std::move(pair));
    }
    if (set.pairs.empty())
        throw PromptError(source + ": no prompt pairs (lines \"name: positive | negative\")");
    return set;
}

PromptSet readPromptSetFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw PromptError("cannot read the prompt set '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    PromptSet set = parsePromptSet(text.str(), "'" + path + "'");
    set.name = std::filesystem::path(path).stem().string();
    return set;
}

std::string formatPromptSet(const PromptSet& set) {
    std::string text = "# QualiCLIP prompt set" +
                       (set.name.empty() ? std::string() : ": " + set.name) +
                       "\n# one pair per line: name: positive | negative\n";
    return text + normalisedPromptSetText(set);
}

void writePromptSetFile(const std::string& path, const PromptSet& set) {
    if (const std::string problem = promptSetProblem(set); !problem.empty())
        throw PromptError("cannot save the prompt set '" + path + "': " + problem);
    const std::string part = path + ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out << formatPromptSet(set);
        out.close();
        if (!out) throw PromptError("cannot write the prompt set '" + part + "'");
    }
    std::error_code ec;
    std::filesystem::rename(part, path, ec);
    if (ec) throw PromptError("cannot save the prompt set '" + path + "': " + ec.message());
}

std::string normalisedPromptSetText(const PromptSet& set) {
    std::string text;
    for (const PromptPair& p : set.pairs)
        text += trim(p.key) + ": " + collapseBlanks(p.positive) + " | " +
                collapseBlanks(p.negative) + "\n";
    return text;
}

std::string promptSetId(const PromptSet& set) {
    const std::string text = normalisedPromptSetText(set);
    return QCryptographicHash::hash(QByteArray::fromStdString(text), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

std::string promptSetProblem(const PromptSet& set) {
    if (set.pairs.empty()) return "the set has no pairs";
    std::set<std::string> names;
    for (const PromptPair& p : set.pairs) {
        if (const std::string problem = pairNameProblem(p.key); !problem.empty()) return problem;
        if (!names.insert(p.key).second) return "the pair name '" + p.key + "' is used twice";
        for (const std::string* prompt : {&p.positive, &p.negative}) {
            if (collapseBlanks(*prompt).empty()) return "a prompt of '" + p.key + "' is empty";
            if (prompt->find_first_of("|\n\r") != std::string::npos)
                return "a prompt of '" + p.key + "' holds '|' or a line break";
        }
    }
    return {};
}

std::vector<PromptSet> starterPromptSets() {
    return {
        {"exposure",
         {{"well_exposed", "Well-exposed photo.", "Overexposed photo."},
          {"not_dark", "Bright photo.", "Underexposed, dark photo."},
          {"balanced_light", "Photo with balanced lighting.", "Photo with blown-out highlights."}}},
        {"colour",
         {{"natural_colours", "Natural colours.", "Strong colour cast."},
          {"vivid", "Vivid, saturated colours.", "Dull, washed-out colours."}}},
        {"noise",
         {{"clean", "Clean photo.", "Grainy, noisy photo."},
          {"smooth_sky", "Smooth sky.", "Noisy sky."}}},
        {"compression",
         {{"no_artifacts", "Clean image without artifacts.",
           "Image with JPEG compression artifacts."},
          {"no_blocks", "Smooth gradients.", "Blocky gradients."}}},
        {"sharpness",
         {{"sharp_face", "A sharp face.", "A blurry face."},
          {"in_focus", "A sharp, detailed photograph.", "A blurry, out-of-focus photograph."}}},
    };
}

std::string scoringKey(const std::string& modelSha256, const std::string& promptSetId, ScoringRecipe recipe) {
    std::string key = modelSha256;
    if (!promptSetId.empty() && promptSetId != kDefaultPromptSetId) key += "+prompts:" + promptSetId;
    if (recipe != ScoringRecipe::Official) key += "+recipe:" + recipeName(recipe);
    return key;
}

}  // namespace qc
