// ClipTokenizer: CLIP's byte-level BPE tokenizer (openai/CLIP clip/simple_tokenizer.py and
// clip.tokenize), so that text typed by a person reaches the text encoder as the same token ids
// the reference gives. Pipeline: HTML unescape twice, strip, collapse whitespace, lower case
// (Unicode, as Python's str.lower), CLIP's pre-tokenising regular expression with Unicode letter
// and number classes (ICU), bytes to CLIP's printable-unicode alphabet, BPE with the first
// 48,894 merges of bpe_simple_vocab_16e6.txt.gz, start/end tokens, context 77.
//
// ftfy.fix_text is not reproduced: it changes nothing on NFC text without mojibake, curly quotes,
// ligatures or full-width forms, which is what a person types into a prompt field.
//
// Get one with ClipTokenizer::load(vocabularyPath) (reads the gzip with zlib, ~0.2 s). A loaded
// tokenizer is immutable: any thread may call it.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace qc {

class ClipTokenizer {
public:
    static constexpr int kContextLength = 77;
    static constexpr int kStartId = 49406;  // <|startoftext|>
    static constexpr int kEndId = 49407;    // <|endoftext|>

    // Throws PromptError naming the file when it is missing, not gzip, or not CLIP's merges.
    static std::shared_ptr<const ClipTokenizer> load(const std::string& vocabularyPath);
    ~ClipTokenizer();
    ClipTokenizer(const ClipTokenizer&) = delete;
    ClipTokenizer& operator=(const ClipTokenizer&) = delete;

    // SimpleTokenizer.encode: BPE ids without start/end tokens, never truncated.
    std::vector<int> encode(const std::string& utf8Text) const;
    // Tokens the text takes in the context window, start and end included.
    int tokenCount(const std::string& utf8Text) const;
    // clip.tokenize: start, ids, end, zero padding to 77. Longer texts throw PromptError saying
    // how many tokens they take, unless truncate (then cut to 77, the last one the end token).
    std::vector<int> tokenize(const std::string& utf8Text, bool truncate = false) const;
    // The vocabulary string of a token id (byte-level unicode, "</w>" ending a word).
    std::string tokenString(int id) const;
    int vocabularySize() const;

private:
    struct Impl;
    explicit ClipTokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The reference's basic_clean + whitespace_clean + lower(), without ftfy (see above).
std::string cleanPromptText(const std::string& utf8Text);
// Python's html.unescape for numeric references and the common named ones (amp, lt, gt, quot,
// apos, nbsp and the Latin-1 letters); other names stay as written.
std::string unescapeHtml(const std::string& utf8Text);

}  // namespace qc
