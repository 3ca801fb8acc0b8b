#include "engine/ClipTokenizer.h"

#include <unicode/locid.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>
#include <zlib.h>

#include <cctype>
#include <climits>
#include <map>
#include <sstream>
#include <unordered_map>

#include "Errors.h"

namespace qc {
namespace {

// simple_tokenizer.py: merges = lines[1 : 49152 - 256 - 2 + 1].
constexpr int kMergeCount = 49152 - 256 - 2;
constexpr const char* kEndOfWord = "</w>";
// CLIP's pre-tokenising expression (simple_tokenizer.py), compiled case-insensitive as there.
constexpr const char* kPreTokenPattern =
    R"(<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+)";

std::string toUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

void appendCodePoint(std::string& out, UChar32 c) { icu::UnicodeString(c).toUTF8String(out); }

// bytes_to_unicode(): printable Latin-1 bytes map to themselves, the other 68 to U+0100.. in
// byte order, so that BPE never sees whitespace or control characters. Order = vocabulary order.
std::vector<std::pair<int, UChar32>> byteAlphabet() {
    std::vector<std::pair<int, UChar32>> pairs;
    std::vector<bool> printable(256, false);
    for (int b = '!'; b <= '~'; ++b) printable[b] = true;
    for (int b = 0xA1; b <= 0xAC; ++b) printable[b] = true;
    for (int b = 0xAE; b <= 0xFF; ++b) printable[b] = true;
    for (int b = 0; b < 256; ++b)
        if (printable[b]) pairs.push_back({b, b});
    int next = 0;
    for (int b = 0; b < 256; ++b)
        if (!printable[b]) pairs.push_back({b, 256 + next++});
    return pairs;
}

std::string readGzip(const std::string& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) throw PromptError("cannot open the CLIP vocabulary '" + path + "'");
    std::string text;
    char buffer[1 << 16];
    int n = 0;
    while ((n = gzread(file, buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<size_t>(n));
    int code = Z_OK;
    const char* message = gzerror(file, &code);
    const std::string problem = (n < 0 || (code != Z_OK && code != Z_STREAM_END)) ? message : "";
    gzclose(file);
    if (!problem.empty())
        throw PromptError("the CLIP vocabulary '" + path + "' is damaged (" + problem + ")");
    return text;
}

// The numeric-reference rules of Python's html.unescape (html/__init__.py, HTML5 spec 13.2.5.80).
std::string decodeCharacterReference(long long code) {
    static const std::map<long long, UChar32> windows1252 = {
        {0x80, 0x20AC}, {0x82, 0x201A}, {0x83, 0x0192}, {0x84, 0x201E}, {0x85, 0x2026},
        {0x86, 0x2020}, {0x87, 0x2021}, {0x88, 0x02C6}, {0x89, 0x2030}, {0x8A, 0x0160},
        {0x8B, 0x2039}, {0x8C, 0x0152}, {0x8E, 0x017D}, {0x91, 0x2018}, {0x92, 0x2019},
        {0x93, 0x201C}, {0x94, 0x201D}, {0x95, 0x2022}, {0x96, 0x2013}, {0x97, 0x2014},
        {0x98, 0x02DC}, {0x99, 0x2122}, {0x9A, 0x0161}, {0x9B, 0x203A}, {0x9C, 0x0153},
        {0x9E, 0x017E}, {0x9F, 0x0178}, {0x00, 0xFFFD}, {0x0D, 0x0D}};
    std::string out;
    if (auto it = windows1252.find(code); it != windows1252.end()) {
        appendCodePoint(out, it->second);
    } else if (code >= 0x80 && code <= 0x9F) {
        appendCodePoint(out, static_cast<UChar32>(code));  // undefined in 1252: kept as is
    } else if ((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
        appendCodePoint(out, 0xFFFD);
    } else {
        const bool invalid = (code >= 0x1 && code <= 0x8) || code == 0xB ||
                             (code >= 0xE && code <= 0x1F) || code == 0x7F ||
                             (code >= 0xFDD0 && code <= 0xFDEF) || (code & 0xFFFE) == 0xFFFE;
        if (!invalid) appendCodePoint(out, static_cast<UChar32>(code));
    }
    return out;
}

// Named references: the ones that occur in photo captions and prompts. "amp", "lt", "gt", "quot",
// "nbsp", "copy" and "reg" also match without the semicolon, as in HTML5's legacy list.
const std::map<std::string, std::string>& namedReferences() {
    static const std::map<std::string, std::string> table = {
        {"amp;", "&"},        {"amp", "&"},          {"lt;", "<"},         {"lt", "<"},
        {"gt;", ">"},         {"gt", ">"},           {"quot;", "\""},      {"quot", "\""},
        {"apos;", "'"},       {"nbsp;", "\xC2\xA0"}, {"nbsp", "\xC2\xA0"}, {"copy;", "\xC2\xA9"},
        {"copy", "\xC2\xA9"}, {"reg;", "\xC2\xAE"},  {"reg", "\xC2\xAE"}};
    return table;
}

std::string decodeNamedReference(const std::string& name) {
    const auto& table = namedReferences();
    if (auto it = table.find(name); it != table.end()) return it->second;
    for (size_t length = name.size() - 1; length > 1; --length)
        if (auto it = table.find(name.substr(0, length)); it != table.end())
            return it->second + name.substr(length);
    return "&" + name;
}

bool isHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
int digitValue(char c) {
    return isDigit(c) ? c - '0' : (std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
}

// One reference starting after '&' at text[i]; returns its replacement and sets end.
std::string decodeReferenceAt(const std::string& text, size_t i, size_t& end) {
    if (i < text.size() && text[i] == '#') {
        const bool hex = i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X');
        size_t j = i + (hex ? 2 : 1);
        const size_t digitsStart = j;
        while (j < text.size() && (hex ? isHex(text[j]) : isDigit(text[j]))) ++j;
        if (j == digitsStart) return end = i, "&";
        long long code = 0;
        for (size_t k = digitsStart; k < j; ++k) {
            code = code * (hex ? 16 : 10) + digitValue(text[k]);
            if (code > 0x10FFFF) code = 0x110000;  // saturate: any larger value decodes the same
        }
        end = (j < text.size() && text[j] == ';') ? j + 1 : j;
        return decodeCharacterReference(code);
    }
    size_t j = i;
    while (j < text.size() && j - i < 32 &&
           std::string("\t\n\f <&#;").find(text[j]) == std::string::npos)
        ++j;
    if (j == i) return end = i, "&";
    if (j < text.size() && text[j] == ';') ++j;
    end = j;
    return decodeNamedReference(text.substr(i, j - i));
}

}  // namespace

std::string unescapeHtml(const std::string& text) {
    if (text.find('&') == std::string::npos) return text;
    std::string out;
    for (size_t i = 0; i < text.size();) {
        if (text[i] != '&') {
            out += text[i++];
            continue;
        }
        size_t end = i + 1;
        out += decodeReferenceAt(text, i + 1, end);
        i = end;
    }
    return out;
}

std::string cleanPromptText(const std::string& utf8Text) {
    const std::string unescaped = unescapeHtml(unescapeHtml(utf8Text));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(unescaped);
    // re.sub(r'\s+', ' ', text).strip(): runs of Unicode white space become one space.
    static const std::unique_ptr<icu::RegexPattern> whitespace(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(R"(\s+)"), 0, status));
    if (U_FAILURE(status)) throw PromptError("cannot compile the white-space pattern");
    std::unique_ptr<icu::RegexMatcher> matcher(whitespace->matcher(text, status));
    icu::UnicodeString collapsed = matcher->replaceAll(" ", status);
    if (U_FAILURE(status)) throw PromptError("cannot clean prompt text");
    collapsed.trim();
    return toUtf8(collapsed.toLower(icu::Locale::getRoot()));
}

struct ClipTokenizer::Impl {
    std::vector<std::string> symbolOfByte = std::vector<std::string>(256);  // byte -> its symbol
    std::unordered_map<std::string, int> ids;         // vocabulary string -> id
    std::vector<std::string> strings;                 // id -> vocabulary string
    std::unordered_map<std::string, int> mergeRanks;  // "first second" -> rank
    std::unique_ptr<icu::RegexPattern> pattern;

    void addVocabulary(const std::string& symbol) {
        ids.emplace(symbol, static_cast<int>(strings.size()));
        strings.push_back(symbol);
    }
    std::vector<std::string> bpe(const std::string& token) const;
    void encodeToken(const std::string& token, std::vector<int>& out) const;
};

ClipTokenizer::ClipTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClipTokenizer::~ClipTokenizer() = default;

std::shared_ptr<const ClipTokenizer> ClipTokenizer::load(const std::string& vocabularyPath) {
    const std::string text = readGzip(vocabularyPath);
    auto impl = std::make_unique<Impl>();
    std::vector<std::string> alphabet;
    for (const auto& [byte, codePoint] : byteAlphabet()) {
        std::string symbol;
        appendCodePoint(symbol, codePoint);
        impl->symbolOfByte[static_cast<size_t>(byte)] = symbol;
        alphabet.push_back(symbol);
    }
    for (const std::string& s : alphabet) impl->addVocabulary(s);
    for (const std::string& s : alphabet) impl->addVocabulary(s + kEndOfWord);

    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);  // the version header
    for (int rank = 0; rank < kMergeCount; ++rank) {
        const size_t lineNumber = static_cast<size_t>(rank) + 2;
        if (!std::getline(lines, line))
            throw PromptError("the CLIP vocabulary '" + vocabularyPath + "' ends at line " +
                              std::to_string(lineNumber - 1) + "; CLIP's has " +
                              std::to_string(kMergeCount) + " merges");
        const size_t space = line.find(' ');
        if (space == std::string::npos || space == 0 || space + 1 >= line.size() ||
            line.find(' ', space + 1) != std::string::npos)
            throw PromptError("the CLIP vocabulary '" + vocabularyPath + "' line " +
                              std::to_string(lineNumber) + " is not a merge 'first second'");
        impl->mergeRanks.emplace(line, rank);
        impl->addVocabulary(line.substr(0, space) + line.substr(space + 1));
    }
    impl->addVocabulary("<|startoftext|>");
    impl->addVocabulary("<|endoftext|>");

    UErrorCode status = U_ZERO_ERROR;
    impl->pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(kPreTokenPattern),
                                                   UREGEX_CASE_INSENSITIVE, status));
    if (U_FAILURE(status))
        throw PromptError(std::string("cannot compile CLIP's token pattern: ") +
                          u_errorName(status));
    return std::shared_ptr<const ClipTokenizer>(new ClipTokenizer(std::move(impl)));
}

// SimpleTokenizer.bpe: split into byte symbols (the last one ending the word), then merge the
// adjacent pair of lowest rank, everywhere it occurs, until no pair has a rank.
std::vector<std::string> ClipTokenizer::Impl::bpe(const std::string& token) const {
    if (token == "<|startoftext|>" || token == "<|endoftext|>") return {token};
    std::vector<std::string> word;
    icu::UnicodeString chars = icu::UnicodeString::fromUTF8(token);
    for (int32_t i = 0; i < chars.length(); i = chars.moveIndex32(i, 1)) {
        std::string symbol;
        appendCodePoint(symbol, chars.char32At(i));
        word.push_back(symbol);
    }
    if (word.empty()) return word;
    word.back() += kEndOfWord;
    while (word.size() > 1) {
        int bestRank = INT_MAX;
        std::string first, second;
        for (size_t i = 0; i + 1 < word.size(); ++i) {
            auto it = mergeRanks.find(word[i] + ' ' + word[i + 1]);
            if (it != mergeRanks.end() && it->second < bestRank) {
                bestRank = it->second;
                first = word[i];
                second = word[i + 1];
            }
        }
        if (bestRank == INT_MAX) break;
        std::vector<std::string> merged;
        for (size_t i = 0; i < word.size();) {
            if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
                merged.push_back(first + second);
                i += 2;
            } else {
                merged.push_back(word[i++]);
            }
        }
        word = std::move(merged);
    }
    return word;
}

void ClipTokenizer::Impl::encodeToken(const std::string& token, std::vector<int>& out) const {
    std::string symbols;
    if (token == "<|startoftext|>" || token == "<|endoftext|>") {
        symbols = token;
    } else {
        for (unsigned char byte : token) symbols += symbolOfByte[byte];
    }
    for (const std::string& piece : bpe(symbols)) {
        auto it = ids.find(piece);
        if (it == ids.end()) throw PromptError("token '" + piece + "' is not in CLIP's vocabulary");
        out.push_back(it->second);
    }
}

std::vector<int> ClipTokenizer::encode(const std::string& utf8Text) const {
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(cleanPromptText(utf8Text));
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> matcher(impl_->pattern->matcher(text, status));
    std::vector<int> ids;
    while (U_SUCCESS(status) && matcher->find(status))
        impl_->encodeToken(toUtf8(matcher->group(status)), ids);
    if (U_FAILURE(status))
        throw PromptError(std::string("cannot split prompt text: ") + u_errorName(status));
    return ids;
}

int ClipTokenizer::tokenCount(const std::string& utf8Text) const {
    return static_cast<int>(encode(utf8Text).size()) + 2;
}

std::vector<int> ClipTokenizer::tokenize(const std::string& utf8Text, bool truncate) const {
    std::vector<int> tokens{kStartId};
    const std::vector<int> ids = encode(utf8Text);
    tokens.insert(tokens.end(), ids.begin(), ids.end());
    tokens.push_back(kEndId);
    if (static_cast<int>(tokens.size()) > kContextLength) {
        if (!truncate)
            throw PromptError("the prompt \"" + utf8Text + "\" takes " +
                              std::to_string(tokens.size()) +
                              " tokens; CLIP's text encoder reads at most " +
                              std::to_string(kContextLength) + " (start and end included)");
        tokens.resize(kContextLength);
        tokens.back() = kEndId;
    }
    tokens.resize(kContextLength, 0);
    return tokens;
}

std::string ClipTokenizer::tokenString(int id) const {
    return id >= 0 && id < vocabularySize() ? impl_->strings[static_cast<size_t>(id)]
                                            : std::string();
}

int ClipTokenizer::vocabularySize() const { return static_cast<int>(impl_->strings.size()); }

}  // namespace qc
