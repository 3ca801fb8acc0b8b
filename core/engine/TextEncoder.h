// TextEncoder: CLIP's text transformer (Radford et al., 2021; openai/CLIP clip/model.py
// encode_text) with the weights of a QualiCLIP checkpoint, so that prompts other than the 14
// stored ones can be asked: token and positional embeddings, pre-LayerNorm residual blocks
// (causal multi-head attention, QuickGELU MLP), final LayerNorm, the end-of-text token's output
// times text_projection. Every size is read from the checkpoint (the released model: width 512,
// 8 heads, 12 layers, context 77); heads = width / 64 as CLIP's build_model infers them.
//
// Get one with TextEncoder::fromCheckpoint(checkpoint) or load(path). It is immutable: any thread
// may call encode(). LibTorch stays behind this header (engine/TextEncoderTorch.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/Checkpoint.h"

namespace qc {

struct TextEncoderShape {
    int width = 0, heads = 0, layers = 0, contextLength = 0, vocabularySize = 0, outputDim = 0;
};

class TextEncoder {
public:
    // Throws CheckpointError naming the key that is missing or of the wrong shape.
    static std::shared_ptr<const TextEncoder> fromCheckpoint(const Checkpoint& checkpoint);
    static std::shared_ptr<const TextEncoder> load(const std::string& checkpointPath);
    ~TextEncoder();
    TextEncoder(const TextEncoder&) = delete;
    TextEncoder& operator=(const TextEncoder&) = delete;

    const TextEncoderShape& shape() const;

    // tokens: one row of contextLength ids per text (ClipTokenizer::tokenize). Returns one row of
    // outputDim values per text: L2-normalised when normalise, else encode_text's raw output.
    // Throws PromptError for a row of the wrong length or an id outside the vocabulary.
    std::vector<std::vector<float>> encode(const std::vector<std::vector<int>>& tokens,
                                           bool normalise = true) const;
    // The same transformer from input embeddings instead of token ids (learned prompts,
    // engine/PromptLearner.h): embeddings holds count x contextLength x width values, row-major;
    // the output of text i is read at endPositions[i]. Throws PromptError for wrong sizes.
    std::vector<std::vector<float>> encodeEmbeddings(const std::vector<float>& embeddings, int count,
                                                     const std::vector<int>& endPositions,
                                                     bool normalise = true) const;

private:
    struct Impl;
    explicit TextEncoder(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace qc
