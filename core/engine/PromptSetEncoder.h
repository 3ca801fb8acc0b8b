// PromptSetEncoder: a model's own text side (ClipTokenizer + TextEncoder) turning prompt sets
// into prompt features, each set computed once and kept (per model, keyed by promptSetId), and
// a scoring model for a set (QualiClipModel::withPrompts). The CLI's `score --prompts` and the
// window's prompt switch both go through it.
//
// Usage:
//   PromptSetEncoder encoder(ClipTokenizer::load(vocab), TextEncoder::fromCheckpoint(ck),
//   ck.sha256); auto custom = encoder.modelFor(model, readPromptSetFile("exposure.prompts"));
//
// Thread-safe: the cache is guarded; encoding runs outside the lock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/ClipTokenizer.h"
#include "engine/PromptSet.h"
#include "engine/QualiClipModel.h"
#include "engine/TextEncoder.h"

namespace qc {

class PromptSetEncoder {
public:
    PromptSetEncoder(std::shared_ptr<const ClipTokenizer> tokenizer,
                     std::shared_ptr<const TextEncoder> encoder, std::string modelSha256);
    // The text side of model's checkpoint file (read again: the scoring model keeps only the
    // image side) with the vocabulary at vocabularyPath. Throws PromptError or CheckpointError.
    static std::shared_ptr<const PromptSetEncoder> forModel(const QualiClipModel& model,
                                                            const std::string& vocabularyPath);

    const std::string& modelSha256() const { return modelSha256_; }
    const ClipTokenizer& tokenizer() const { return *tokenizer_; }

    // 2P normalised rows (positive, negative per pair). Throws PromptError for an invalid set or
    // a prompt longer than the context (the message says which prompt and how many tokens).
    std::vector<std::vector<float>> features(const PromptSet& set) const;
    // base scoring with the set; base itself when the set is empty (the stored prompts).
    std::shared_ptr<const QualiClipModel> modelFor(
        const std::shared_ptr<const QualiClipModel>& base, const PromptSet& set) const;

    size_t cachedSets() const;  // sets whose features are kept

private:
    std::shared_ptr<const ClipTokenizer> tokenizer_;
    std::shared_ptr<const TextEncoder> encoder_;
    std::string modelSha256_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::vector<std::vector<float>>> cache_;  // set id -> features
};

}  // namespace qc
