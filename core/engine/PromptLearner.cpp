#include "engine/PromptLearner.h"

#include <cmath>
#include <set>

#include "Errors.h"
#include "engine/ModelSpec.h"

namespace qc {
namespace {

constexpr const char* kContextKey = "prompt_learner.ctx";
constexpr const char* kPrefixKey = "prompt_learner.token_prefix";
constexpr const char* kSuffixKey = "prompt_learner.token_suffix";

[[noreturn]] void refuse(const std::string& path, const std::string& problem) {
    throw CheckpointError("prompt-learner file '" + path + "': " + problem);
}

const CheckpointTensor& required(const Checkpoint& ck, const std::string& key) {
    auto it = ck.tensors.find(key);
    if (it == ck.tensors.end())
        refuse(ck.path, "missing key '" + key + "' (a QualiCLIP+ file from pyiqa holds " +
                            kContextKey + ", " + kPrefixKey + " and " + kSuffixKey + ")");
    for (float v : it->second.values)
        if (!std::isfinite(v)) refuse(ck.path, "'" + key + "' holds a value that is not finite");
    return it->second;
}

void expectShape(const Checkpoint& ck, const std::string& key, const CheckpointTensor& t,
                 const TensorShape& shape) {
    if (t.shape != shape)
        refuse(ck.path, "'" + key + "' has shape " + shapeToString(t.shape) + ", expected " +
                            shapeToString(shape));
}

}  // namespace

PromptLearner PromptLearner::load(const std::string& path) {
    return fromCheckpoint(readCheckpoint(path));
}

PromptLearner PromptLearner::fromCheckpoint(const Checkpoint& ck) {
    const std::set<std::string> known = {kContextKey, kPrefixKey, kSuffixKey};
    for (const auto& [key, tensor] : ck.tensors)
        if (!known.count(key))
            refuse(ck.path, "unexpected key '" + key + "': not a QualiCLIP+ prompt-learner file");
    const CheckpointTensor& prefix = required(ck, kPrefixKey);
    const CheckpointTensor& suffix = required(ck, kSuffixKey);
    const CheckpointTensor& context = required(ck, kContextKey);
    if (prefix.shape.size() != 3 || prefix.shape[0] < 1 || prefix.shape[1] != 1 ||
        prefix.shape[2] < 1)
        refuse(ck.path, "'" + std::string(kPrefixKey) + "' has shape " +
                            shapeToString(prefix.shape) + ", expected [prompts, 1, width]");
    PromptLearner p;
    p.path_ = ck.path;
    p.sha256_ = ck.sha256;
    p.prompts_ = static_cast<int>(prefix.shape[0]);
    p.width_ = static_cast<int>(prefix.shape[2]);
    if (suffix.shape.size() != 3 || suffix.shape[1] < 1)
        refuse(ck.path, "'" + std::string(kSuffixKey) + "' has shape " +
                            shapeToString(suffix.shape) + ", expected [prompts, positions, width]");
    p.suffixLength_ = static_cast<int>(suffix.shape[1]);
    expectShape(ck, kSuffixKey, suffix, {p.prompts_, p.suffixLength_, p.width_});
    // pyiqa's prompt_specific_ctx=True gives [P, n, W]; False gives one context [n, W] for all.
    p.sharedContext_ = context.shape.size() == 2;
    if (context.shape.empty() || context.shape.size() > 3 ||
        context.shape[context.shape.size() - 2] < 1)
        refuse(ck.path, "'" + std::string(kContextKey) + "' has shape " +
                            shapeToString(context.shape) +
                            ", expected [prompts, tokens, width] or [tokens, width]");
    p.contextTokens_ = static_cast<int>(context.shape[context.shape.size() - 2]);
    expectShape(ck, kContextKey, context,
                p.sharedContext_ ? TensorShape{p.contextTokens_, p.width_}
                                 : TensorShape{p.prompts_, p.contextTokens_, p.width_});
    p.context_ = context.values.toVector();
    p.prefix_ = prefix.values.toVector();
    p.suffix_ = suffix.values.toVector();
    return p;
}

// pyiqa's get_prompts_with_middle_class: start, first half of the context, the prompt's tokens,
// second half, then the rest of the suffix (end token, padding).
std::vector<float> PromptLearner::sequence(int prompt, int nameLength) const {
    const size_t w = static_cast<size_t>(width_);
    const int half = contextTokens_ / 2;
    const float* prefix = prefix_.data() + static_cast<size_t>(prompt) * w;
    const float* suffix = suffix_.data() + static_cast<size_t>(prompt) * suffixLength_ * w;
    const float* context =
        context_.data() + (sharedContext_ ? 0 : static_cast<size_t>(prompt) * contextTokens_ * w);
    std::vector<float> out;
    out.reserve((1 + contextTokens_ + suffixLength_) * w);
    auto append = [&](const float* rows, int count) {
        out.insert(out.end(), rows, rows + count * w);
    };
    append(prefix, 1);
    append(context, half);
    append(suffix, nameLength);
    append(context + half * w, contextTokens_ - half);
    append(suffix + nameLength * w, suffixLength_ - nameLength);
    return out;
}

std::vector<std::vector<float>> PromptLearner::features(
    const TextEncoder& encoder, const ClipTokenizer& tokenizer,
    const std::vector<std::string>& prompts) const {
    const TextEncoderShape& shape = encoder.shape();
    if (width_ != shape.width)
        refuse(path_, "its embeddings have width " + std::to_string(width_) +
                          ", the model's text encoder " + std::to_string(shape.width) +
                          ": it belongs to another base model");
    if (1 + contextTokens_ + suffixLength_ != shape.contextLength)
        refuse(path_, "its prompts take " + std::to_string(1 + contextTokens_ + suffixLength_) +
                          " positions, the text encoder's context is " +
                          std::to_string(shape.contextLength));
    if (static_cast<int>(prompts.size()) != prompts_)
        throw PromptError("prompt-learner file '" + path_ + "' has " + std::to_string(prompts_) +
                          " prompts, the model " + std::to_string(prompts.size()));
    std::vector<float> embeddings;
    std::vector<int> ends;
    for (int i = 0; i < prompts_; ++i) {
        // SimpleTokenizer.encode, as pyiqa's name_lens: the prompt's tokens in the suffix.
        const int nameLength = static_cast<int>(tokenizer.encode(prompts[size_t(i)]).size());
        if (nameLength + 1 > suffixLength_)
            throw PromptError(
                "prompt '" + prompts[size_t(i)] + "' takes " + std::to_string(nameLength) +
                " tokens; the learned prompts leave room for " + std::to_string(suffixLength_ - 1));
        const std::vector<float> s = sequence(i, nameLength);
        embeddings.insert(embeddings.end(), s.begin(), s.end());
        ends.push_back(1 + contextTokens_ + nameLength);
    }
    return encoder.encodeEmbeddings(embeddings, prompts_, ends);
}

std::vector<std::string> promptTexts(const std::vector<PromptPair>& pairs) {
    std::vector<std::string> texts;
    for (const PromptPair& p : pairs) {
        texts.push_back(p.positive);
        texts.push_back(p.negative);
    }
    return texts;
}

std::shared_ptr<const QualiClipModel> modelWithLearnedPrompts(
    const std::shared_ptr<const QualiClipModel>& base, const PromptLearner& learner,
    const std::string& vocabularyPath) {
    const ModelInfo& info = base->info();
    if (info.path.empty()) throw PromptError("QualiCLIP+ needs its base model loaded from a file");
    if (info.promptSet != kDefaultPromptSetId || info.recipe != ScoringRecipe::Official)
        throw PromptError("QualiCLIP+ starts from the base model's own prompts");
    for (const PromptPair& p : info.pairs)
        if (p.positive.empty())
            throw PromptError(
                "QualiCLIP+ needs a base model with QualiCLIP's 7 named antonym pairs");
    const auto tokenizer = ClipTokenizer::load(vocabularyPath);
    const auto encoder = TextEncoder::load(info.path);
    const auto features = learner.features(*encoder, *tokenizer, promptTexts(info.pairs));
    return base->withRecipe(ScoringRecipe::Pyiqa)
        ->withPrompts(features, info.pairs, learner.promptSetId());
}

}  // namespace qc
