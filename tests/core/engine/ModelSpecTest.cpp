#include "engine/ModelSpec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "Errors.h"
#include "engine/Checkpoint.h"
#include "engine/RandomCheckpoint.h"
#include "TestSupport.h"

namespace qc {
namespace {

// Like the conformance model: two blocks in layer2 (the second without a downsample branch).
ModelSpec tinySpec() {
    ModelSpec s = smallModelSpec(7);
    s.blocks = {1, 2, 1, 1};
    return s;
}

std::string messageOf(const Checkpoint& checkpoint) {
    try {
        validateCheckpoint(checkpoint, inferModelSpec(checkpoint));
    } catch (const CheckpointError& e) {
        return e.what();
    }
    return {};
}

// The reference implementation's own list of the conformance checkpoint's keys
// (oracle/checkpoint_keys.txt: name, dtype, [shape]), written by PyTorch, not by this project.
std::map<std::string, TensorShape> referenceKeyList() {
    std::ifstream in(test::oracleDir() / "checkpoint_keys.txt");
    std::map<std::string, TensorShape> keys;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name, dtype, shapeText;
        std::getline(fields, name, '\t');
        std::getline(fields, dtype, '\t');
        std::getline(fields, shapeText);
        TensorShape shape;
        std::istringstream dims(shapeText.substr(1, shapeText.size() - 2));
        for (std::string dim; std::getline(dims, dim, ',');) shape.push_back(std::stoll(dim));
        keys[name] = shape;
    }
    return keys;
}

// The table of keys and shapes is checked against the reference's list of a real checkpoint, not
// against a checkpoint made from the table itself: every key the table asks for is in the
// reference's file with that shape, and the reference's file holds nothing the table forgets but
// the text encoder (read by engine/TextEncoder) and BatchNorm's step counters.
TEST(ModelSpec, TableMatchesTheReferenceCheckpointsKeyList) {
    QCI_REQUIRE_ORACLE();
    const std::map<std::string, TensorShape> reference = referenceKeyList();
    ASSERT_GT(reference.size(), 150u);
    const ModelSpec spec = inferModelSpec(readCheckpoint((test::oracleDir() / "tiny_qualiclip.pth").string()));
    std::map<std::string, TensorShape> table;
    for (const auto& [key, shape] : expectedTensors(spec)) table[key] = shape;
    for (const auto& [key, shape] : table) {
        const auto found = reference.find(key);
        ASSERT_NE(found, reference.end()) << key << " is not in the reference checkpoint";
        EXPECT_EQ(found->second, shape) << key;
    }
    for (const auto& [key, shape] : reference) {
        if (table.count(key)) continue;
        const bool textEncoder = key.rfind("clip_model.transformer.", 0) == 0 || key.rfind("clip_model.ln_final.", 0) == 0 ||
                                 key == "clip_model.token_embedding.weight" || key == "clip_model.positional_embedding" ||
                                 key == "clip_model.text_projection";
        const bool stepCounter = key.size() > 20 && key.substr(key.size() - 20) == ".num_batches_tracked";
        EXPECT_TRUE(textEncoder || stepCounter) << key << " " << shapeToString(shape) << " is missing from the table";
    }
}

TEST(ModelSpec, InfersEverySizeFromTheTensors) {
    const ModelSpec want = tinySpec();
    const ModelSpec got = inferModelSpec(makeRandomCheckpoint(want, 7));
    EXPECT_EQ(got.width, 8);
    EXPECT_EQ(got.blocks, want.blocks);
    EXPECT_EQ(got.poolChannels, 256);
    EXPECT_EQ(got.poolHeads, 4);
    EXPECT_EQ(got.outputDim, 32);
    EXPECT_EQ(got.pairCount, 7);
    EXPECT_EQ(got.textLayers, 1);
    EXPECT_EQ(got.vocabSize, 50);
}

// A width-0 model: every shape agrees with every other (all zero-sized), so only the structural
// minimums can refuse it, at load time instead of at every image.
TEST(ModelSpec, ZeroWidthModelCannotRun) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 3);
    for (auto& [key, t] : c.tensors) {
        if (key.rfind("clip_model.visual.", 0) != 0 || t.shape.empty()) continue;
        for (int64_t& d : t.shape)
            if (d == 4 || d == 8 || d == 16 || d == 32 || d == 64 || d == 128 || d == 256) d = 0;
        t.values.resize(0);
    }
    c.tensors["prompts_features"].shape[1] = 0;
    c.tensors["prompts_features"].values.resize(0);
    const std::string message = messageOf(c);
    EXPECT_NE(message.find("cannot run"), std::string::npos) << message;
}

TEST(ModelSpec, ReleasedArchitectureHasTheRn50Layout) {
    const auto tensors = expectedTensors(releasedModelSpec());
    int64_t visual = 0;
    for (const auto& [key, shape] : tensors) {
        int64_t n = 1;
        for (int64_t d : shape) n *= d;
        const bool runningStat = key.find("running_") != std::string::npos;
        if (key.find("visual.") != std::string::npos && !runningStat) visual += n;
    }
    // CLIP RN50's image encoder has 38,316,896 learnable parameters (positional embedding
    // included, BatchNorm running statistics not); layer3 has 6 blocks with one downsample.
    EXPECT_EQ(visual, 38316896);
    int layer3Downsamples = 0;
    for (const auto& [key, shape] : tensors)
        if (key.find("layer3.") != std::string::npos && key.find("downsample.0.weight") != std::string::npos)
            ++layer3Downsamples;
    EXPECT_EQ(layer3Downsamples, 1);
}

TEST(ModelSpec, ValidCheckpointPasses) { EXPECT_EQ(messageOf(makeRandomCheckpoint(tinySpec(), 1)), ""); }

TEST(ModelSpec, MissingKeyIsNamed) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 1);
    c.path = "/models/broken.pth";
    c.tensors.erase("clip_model.visual.layer2.1.bn2.running_var");
    const std::string m = messageOf(c);
    EXPECT_NE(m.find("missing key 'clip_model.visual.layer2.1.bn2.running_var'"), std::string::npos) << m;
    EXPECT_NE(m.find("/models/broken.pth"), std::string::npos) << m;
}

TEST(ModelSpec, MissingStructuralKeyIsNamedWhileInferring) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 1);
    c.tensors.erase("prompts_features");
    EXPECT_NE(messageOf(c).find("missing key 'prompts_features'"), std::string::npos);
}

TEST(ModelSpec, WrongShapeIsNamedWithBothShapes) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 1);
    CheckpointTensor& t = c.tensors["clip_model.visual.layer1.0.conv2.weight"];
    t.shape = {8, 8, 5, 5};
    t.values.resize(8 * 8 * 25);
    const std::string m = messageOf(c);
    EXPECT_NE(m.find("clip_model.visual.layer1.0.conv2.weight"), std::string::npos) << m;
    EXPECT_NE(m.find("[8, 8, 5, 5]"), std::string::npos) << m;
    EXPECT_NE(m.find("[8, 8, 3, 3]"), std::string::npos) << m;
}

TEST(ModelSpec, NonFiniteWeightsAreRefused) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 1);
    c.tensors["clip_model.visual.attnpool.k_proj.weight"].values[17] = std::numeric_limits<float>::quiet_NaN();
    c.tensors["clip_model.visual.layer4.0.conv3.weight"].values[3] = std::numeric_limits<float>::infinity();
    const std::string m = messageOf(c);
    EXPECT_NE(m.find("'clip_model.visual.attnpool.k_proj.weight' holds NaN or infinite"), std::string::npos) << m;
    EXPECT_NE(m.find("'clip_model.visual.layer4.0.conv3.weight' holds NaN or infinite"), std::string::npos) << m;
}

TEST(ModelSpec, NegativeVarianceIsRefused) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 1);
    c.tensors["clip_model.visual.bn1.running_var"].values[0] = -1.0f;
    EXPECT_NE(messageOf(c).find("negative variances"), std::string::npos);
}

TEST(ModelSpec, OddPromptRowsAreRefused) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 1);
    CheckpointTensor& p = c.tensors["prompts_features"];
    p.shape = {13, 32};
    p.values.resize(13 * 32);
    EXPECT_NE(messageOf(c).find("even number"), std::string::npos);
}

TEST(ModelSpec, ManyProblemsAreSummarised) {
    Checkpoint c = makeRandomCheckpoint(tinySpec(), 1);
    for (int i = 0; i < 4; ++i) c.tensors.erase("clip_model.visual.layer" + std::to_string(i + 1) + ".0.bn1.bias");
    for (const char* k : {"clip_model.ln_final.bias", "clip_model.text_projection", "clip_model.logit_scale"})
        c.tensors.erase(k);
    EXPECT_NE(messageOf(c).find("and 2 more problems"), std::string::npos) << messageOf(c);
}

}  // namespace
}  // namespace qc
