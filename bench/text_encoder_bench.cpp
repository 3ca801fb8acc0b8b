// qualiclip-text-bench: the cost of custom prompts. Encodes the 14 prompts of QualiCLIP's 7 pairs
// (a 7-pair set) with CLIP's text encoder at the released size (width 512, 8 heads, 12 layers,
// context 77, random weights), and reports the time (first call and best of N) and the memory the
// text encoder adds (resident memory after building it minus before; the checkpoint's own copy is
// read first and not counted) and what one encoding adds on top (peak). Then QualiCLIP+'s learned
// prompts (engine/PromptLearner.h: 16 random context vectors per prompt, pyiqa's layout), which run
// through more positions: first call and best of N.
//
//   qualiclip-text-bench --vocab bpe_simple_vocab_16e6.txt.gz [--threads 2] [--repeats 20]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "engine/ClipTokenizer.h"
#include "engine/ComputeEnvironment.h"
#include "engine/PromptLearner.h"
#include "engine/Prompts.h"
#include "engine/QualiClipModel.h"
#include "engine/RandomCheckpoint.h"
#include "engine/TextEncoder.h"
#include "engine/TorchBenchmark.h"

namespace {

// Current resident set (VmRSS) in MiB: what is held now, not the peak.
double residentMiB() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return -1;
}

double secondsOf(const std::chrono::steady_clock::time_point& start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A prompt learner of pyiqa's shapes ([14, 16, W] context, [14, 1, W] prefix, [14, 60, W]
// suffix) with random values: the cost of computing QualiCLIP+'s features once at load.
void benchLearnedPrompts(const qc::TextEncoder& encoder, const qc::ClipTokenizer& tokenizer, int repeats) {
    const int prompts = 14, context = 16, width = encoder.shape().width;
    const int suffix = encoder.shape().contextLength - 1 - context;
    qc::Checkpoint ck;
    ck.path = "random prompt learner";
    ck.sha256 = std::string(64, '0');
    uint32_t state = 1;
    const auto tensor = [&](std::vector<int64_t> shape) {
        qc::CheckpointTensor t;
        t.shape = shape;
        t.values.resize(size_t(shape[0] * shape[1] * shape[2]));
        for (float& v : t.values) v = float((state = state * 1664525u + 1013904223u) >> 8) / float(1 << 24) - 0.5f;
        return t;
    };
    ck.tensors["prompt_learner.ctx"] = tensor({prompts, context, width});
    ck.tensors["prompt_learner.token_prefix"] = tensor({prompts, 1, width});
    ck.tensors["prompt_learner.token_suffix"] = tensor({prompts, suffix, width});
    const qc::PromptLearner learner = qc::PromptLearner::fromCheckpoint(ck);
    std::vector<std::string> texts = qc::promptTexts(qc::promptPairsFor(7));
    auto start = std::chrono::steady_clock::now();
    learner.features(encoder, tokenizer, texts);
    const double first = secondsOf(start);
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        start = std::chrono::steady_clock::now();
        learner.features(encoder, tokenizer, texts);
        best = std::min(best, secondsOf(start));
    }
    int positions = 0;  // the batch runs up to the longest prompt's end token
    for (const std::string& t : texts)
        positions = std::max(positions, 1 + context + int(tokenizer.encode(t).size()) + 1);
    std::printf("QualiCLIP+ learned prompts (%d prompts, %d context tokens each):\n", prompts, context);
    std::printf("| prompts | positions | first (ms) | best of %d (ms) |\n", repeats);
    std::printf("| %d | %d | %.1f | %.1f |\n", prompts, positions, first * 1e3, best * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
    qc::prepareComputeEnvironment(argv);
    std::string vocabulary;
    int threads = 2, repeats = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--vocab"))
            vocabulary = argv[i + 1];
        else if (!std::strcmp(argv[i], "--threads"))
            threads = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--repeats"))
            repeats = std::atoi(argv[i + 1]);
    }
    if (vocabulary.empty()) {
        std::fprintf(stderr,
                     "usage: qualiclip-text-bench --vocab bpe_simple_vocab_16e6.txt.gz [--threads "
                     "N] [--repeats N]\n");
        return 2;
    }
    qc::setComputeThreads(threads);
    const auto tokenizer = qc::ClipTokenizer::load(vocabulary);
    std::vector<std::vector<int>> tokens;
    for (const qc::PromptPair& p : qc::promptPairsFor(7)) {
        tokens.push_back(tokenizer->tokenize(p.positive));
        tokens.push_back(tokenizer->tokenize(p.negative));
    }
    const qc::Checkpoint checkpoint = qc::makeRandomCheckpoint(qc::releasedModelSpec(), 1);
    const double beforeEncoder = residentMiB();
    auto start = std::chrono::steady_clock::now();
    const auto encoder = qc::TextEncoder::fromCheckpoint(checkpoint);
    const double buildSeconds = secondsOf(start);
    const double withEncoder = residentMiB();
    const double peakBefore = qc::peakResidentMiB();

    start = std::chrono::steady_clock::now();
    encoder->encode(tokens);
    const double firstSeconds = secondsOf(start);
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        start = std::chrono::steady_clock::now();
        encoder->encode(tokens);
        best = std::min(best, secondsOf(start));
    }
    const double peakAfter = qc::peakResidentMiB();  // before the sgemm check allocates its matrices
    const qc::TextEncoderShape& s = encoder->shape();
    // Multiply-adds actually run: every prompt through the positions up to the batch's last end
    // token (TextEncoderTorch.cpp cuts there): 12 W^2 per position and layer (q, k, v, out and the
    // 4W MLP) + 2 L W for attention, then W x D at the end token.
    size_t length = 0;
    for (const auto& row : tokens)
        for (size_t i = 0; i < row.size(); ++i)
            if (row[i] == qc::ClipTokenizer::kEndId) length = std::max(length, i + 1);
    const double w = s.width, positions = double(tokens.size()) * double(length);
    const double gmacs = (s.layers * positions * (12 * w * w + 2 * double(length) * w) +
                          double(tokens.size()) * w * s.outputDim) /
                         1e9;
    const double sgemm = qc::measureMatmulGflops();
    std::printf(
        "text encoder: width %d, %d heads, %d layers, context %d, vocabulary %d, output %d; %d "
        "threads\n",
        s.width, s.heads, s.layers, s.contextLength, s.vocabularySize, s.outputDim, threads);
    std::printf("matrix multiply (2048^3 sgemm) in this run: %.1f GFLOP/s\n", sgemm);
    std::printf(
        "| prompts | positions | G multiply-adds | first encode (ms) | best of %d (ms) | GFLOP/s | "
        "encoder weights added (MiB) | peak added by encoding (MiB) | building the encoder (s) |\n",
        repeats);
    std::printf("| %zu | %zu | %.2f | %.1f | %.1f | %.1f | %.0f | %.0f | %.2f |\n", tokens.size(),
                length, gmacs, firstSeconds * 1e3, best * 1e3, 2 * gmacs / best,
                withEncoder - beforeEncoder, std::max(0.0, peakAfter - peakBefore),
                buildSeconds);
    benchLearnedPrompts(*encoder, *tokenizer, repeats);
    return 0;
}
