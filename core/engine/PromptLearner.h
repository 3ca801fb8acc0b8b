// PromptLearner: the learned prompt context of pyiqa's QualiCLIP+ models (pyiqa/archs/
// qualiclip_arch.py, PromptLearner with prompt_specific_ctx; CoOp-style context vectors as in
// CLIP-IQA+), read from pyiqa's file format: torch.save of {'params': OrderedDict} holding
// `prompt_learner.ctx` [P, n, W] (or [n, W], shared), `token_prefix` [P, 1, W] (the start token's
// embedding) and `token_suffix` [P, context - 1 - n, W] (the prompt's own token embeddings, the
// end token, padding). Each of the P = 14 prompts (QualiCLIP's 7 antonym pairs, positive first)
// enters the text encoder as
//   start, ctx[i][:n/2], prompt tokens, ctx[i][n/2:], end token, padding
// and its feature is read at the end token (position 1 + n + the prompt's BPE token count).
//
// Get one with PromptLearner::load(path); features() runs the base model's text encoder once.
// modelWithLearnedPrompts() gives the QualiCLIP+ scoring model: the base network, pyiqa's recipe,
// these features. Immutable after load: any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/Checkpoint.h"
#include "engine/ClipTokenizer.h"
#include "engine/QualiClipModel.h"
#include "engine/TextEncoder.h"

namespace qc {

inline constexpr const char* kLearnedPromptSetPrefix = "learned:";

class PromptLearner {
public:
    // Throws CheckpointError naming the file and the key that is missing, extra, of the wrong
    // shape or not finite.
    static PromptLearner load(const std::string& path);
    static PromptLearner fromCheckpoint(const Checkpoint& checkpoint);

    int promptCount() const { return prompts_; }
    int contextTokens() const { return contextTokens_; }  // n (16 in pyiqa's models)
    int width() const { return width_; }                  // the text transformer's width
    const std::string& sha256() const { return sha256_; }
    // The identity of the learned prompts in rows and catalog keys: "learned:<file SHA-256>".
    std::string promptSetId() const { return kLearnedPromptSetPrefix + sha256_; }

    // The 2P normalised features (one per prompt, in prompt order). prompts are the texts the
    // file was trained with; the tokenizer gives their token counts. Throws PromptError or
    // CheckpointError when the file does not fit this encoder or these prompts.
    std::vector<std::vector<float>> features(const TextEncoder& encoder,
                                             const ClipTokenizer& tokenizer,
                                             const std::vector<std::string>& prompts) const;

private:
    std::vector<float> sequence(int prompt, int nameLength) const;  // contextLength x width values

    std::string path_, sha256_;
    int prompts_ = 0, contextTokens_ = 0, suffixLength_ = 0, width_ = 0;
    bool sharedContext_ = false;
    std::vector<float> context_, prefix_, suffix_;
};

// The 2P prompt texts of a model's pairs: positive, negative, positive, ...
std::vector<std::string> promptTexts(const std::vector<PromptPair>& pairs);

// QualiCLIP+: base (the QualiCLIP weights the learner was trained on, loaded from a file, with
// its stored prompts and the official recipe) scoring by pyiqa's recipe with the learned
// prompts' features, computed once here with the base file's text encoder. Throws PromptError or
// CheckpointError.
std::shared_ptr<const QualiClipModel> modelWithLearnedPrompts(
    const std::shared_ptr<const QualiClipModel>& base, const PromptLearner& learner,
    const std::string& vocabularyPath);

}  // namespace qc
