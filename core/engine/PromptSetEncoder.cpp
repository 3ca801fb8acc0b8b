#include "engine/PromptSetEncoder.h"

#include "Errors.h"

namespace qc {

PromptSetEncoder::PromptSetEncoder(std::shared_ptr<const ClipTokenizer> tokenizer,
                                   std::shared_ptr<const TextEncoder> encoder,
                                   std::string modelSha256)
    : tokenizer_(std::move(tokenizer)),
      encoder_(std::move(encoder)),
      modelSha256_(std::move(modelSha256)) {}

std::shared_ptr<const PromptSetEncoder> PromptSetEncoder::forModel(
    const QualiClipModel& model, const std::string& vocabularyPath) {
    if (model.info().path.empty())
        throw PromptError("custom prompts need a model loaded from a file");
    auto tokenizer = ClipTokenizer::load(vocabularyPath);
    return std::make_shared<const PromptSetEncoder>(
        std::move(tokenizer), TextEncoder::load(model.info().path), model.info().sha256);
}

std::vector<std::vector<float>> PromptSetEncoder::features(const PromptSet& set) const {
    if (const std::string problem = promptSetProblem(set); !problem.empty())
        throw PromptError("prompt set '" + set.name + "': " + problem);
    const std::string id = promptSetId(set);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (auto it = cache_.find(id); it != cache_.end()) return it->second;
    }
    // The reference's order: positive, negative of pair 0, then pair 1, ... (softmax within pairs).
    std::vector<std::vector<int>> tokens;
    for (const PromptPair& p : set.pairs) {
        tokens.push_back(tokenizer_->tokenize(p.positive));
        tokens.push_back(tokenizer_->tokenize(p.negative));
    }
    std::vector<std::vector<float>> rows = encoder_->encode(tokens);
    std::lock_guard<std::mutex> lock(mutex_);
    cache_.emplace(id, rows);
    return rows;
}

size_t PromptSetEncoder::cachedSets() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cache_.size();
}

std::shared_ptr<const QualiClipModel> PromptSetEncoder::modelFor(
    const std::shared_ptr<const QualiClipModel>& base, const PromptSet& set) const {
    if (set.pairs.empty()) return base;
    if (base->info().sha256 != modelSha256_)
        throw PromptError("the prompt encoder belongs to another model (" +
                          modelSha256_.substr(0, 12) + ")");
    return base->withPrompts(features(set), set.pairs, promptSetId(set));
}

}  // namespace qc
