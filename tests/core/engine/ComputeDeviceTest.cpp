// The device and precision choice (issue #21) and batched scoring, checked on the CPU: on a
// LibTorch without CUDA, "auto" is the CPU and every CUDA request is refused with a sentence
// that says why; batches of images of one size give the same results, in order, as one by one.
#include "engine/ComputeDevice.h"
#include "engine/CpuFeatures.h"
#include "engine/PrecisionChoice.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "Errors.h"
#include "engine/RandomCheckpoint.h"
#include "engine/ScoringEngine.h"
#include "TestSupport.h"

namespace qc {
namespace {

std::string messageOf(const std::string& request) {
    try {
        resolveDevice(request);
    } catch (const QualiClipError& e) {
        return e.what();
    }
    return {};
}

TEST(ComputeDevice, CpuIsAlwaysThere) {
    const ComputeDevice cpu = resolveDevice("cpu");
    EXPECT_EQ(cpu.kind, DeviceKind::Cpu);
    EXPECT_EQ(cpu.toString(), "cpu");
}

TEST(ComputeDevice, AutoTakesTheFirstGpuOnlyWhenThereIsOne) {
    const ComputeDevice chosen = resolveDevice("auto");
    if (cudaDeviceCount() > 0) {
        EXPECT_EQ(chosen.toString(), "cuda:0");
    } else {
        EXPECT_EQ(chosen.toString(), "cpu");
    }
}

TEST(ComputeDevice, CudaWithoutCudaIsAClearError) {
    if (libtorchHasCuda()) GTEST_SKIP() << "this LibTorch has CUDA";
    for (const std::string request : {"cuda", "cuda:0", "cuda:3"}) {
        const std::string message = messageOf(request);
        EXPECT_NE(message.find("needs a LibTorch built with CUDA"), std::string::npos) << message;
        EXPECT_NE(message.find("--device cpu"), std::string::npos) << message;
        EXPECT_NE(message.find("'" + request + "'"), std::string::npos) << message;
    }
    EXPECT_EQ(cudaDeviceCount(), 0);
}

TEST(ComputeDevice, UnknownNamesAreRefused) {
    for (const std::string request : {"gpu", "CPU", "cuda:", "cuda:x", "cuda:-1", "cuda:0:1", ""}) {
        EXPECT_NE(messageOf(request).find("unknown device"), std::string::npos) << "'" << request << "'";
    }
}

TEST(ComputeDevice, PrecisionNamesRoundTrip) {
    for (Precision p : {Precision::Float32, Precision::TF32, Precision::Float16, Precision::BFloat16})
        EXPECT_EQ(parsePrecision(precisionName(p)), p);
    EXPECT_FALSE(parsePrecision("half").has_value());
    EXPECT_FALSE(parsePrecision("FLOAT32").has_value());
}

TEST(ComputeDevice, ReducedPrecisionNeedsCuda) {
    const ComputeDevice cpu;
    EXPECT_NO_THROW(checkPrecision(cpu, Precision::Float32));
    for (Precision p : {Precision::TF32, Precision::Float16})
        EXPECT_THROW(checkPrecision(cpu, p), QualiClipError);
    // bfloat16 runs on a CPU with AVX512-BF16 or AMX (oneDNN), and is refused by name elsewhere.
    if (cpuHasBFloat16()) {
        EXPECT_NO_THROW(checkPrecision(cpu, Precision::BFloat16));
    } else {
        try {
            checkPrecision(cpu, Precision::BFloat16);
            ADD_FAILURE() << "bfloat16 accepted on a CPU without AVX512-BF16 or AMX";
        } catch (const QualiClipError& e) {
            EXPECT_NE(std::string(e.what()).find("AVX512-BF16 or AMX"), std::string::npos) << e.what();
        }
    }
    const Checkpoint checkpoint = makeRandomCheckpoint(smallModelSpec(2), 5);
    EXPECT_THROW(QualiClipModel::fromCheckpoint(checkpoint, {cpu, Precision::Float16}), QualiClipError);
    const auto model = QualiClipModel::fromCheckpoint(checkpoint, {cpu, Precision::Float32});
    EXPECT_EQ(model->info().device, cpu);
    EXPECT_EQ(model->info().precision, Precision::Float32);
}

// ONEDNN_MAX_CPU_ISA below AVX512_CORE_BF16 leaves oneDNN without its native bfloat16 kernels.
TEST(ComputeDevice, OneDnnIsaCapDecidesWhetherBFloat16IsNative) {
    for (const char* cap : {"", "ALL", "all", "DEFAULT", "AVX512_CORE_BF16", "avx512_core_amx",
                            "AVX512_CORE_FP16", "AVX10_1_512"})
        EXPECT_TRUE(oneDnnIsaCapAllowsBFloat16(cap)) << cap;
    for (const char* cap : {"SSE41", "AVX", "AVX2", "avx2_vnni", "AVX512_CORE", "AVX512_CORE_VNNI"})
        EXPECT_FALSE(oneDnnIsaCapAllowsBFloat16(cap)) << cap;
}

// The CLI and the window ask for a precision the same way: bfloat16 falls back on a CPU without
// it, with the reason; everything else is passed on (checkPrecision refuses what cannot run).
TEST(ComputeDevice, ChoosingBFloat16FallsBackOnlyWhereItCannotRun) {
    const ComputeDevice cpu;
    const PrecisionChoice f32 = choosePrecision(cpu, Precision::Float32);
    EXPECT_EQ(f32.precision, Precision::Float32);
    EXPECT_TRUE(f32.fallback.empty());
    const PrecisionChoice bf16 = choosePrecision(cpu, Precision::BFloat16);
    if (cpuHasBFloat16()) {
        EXPECT_EQ(bf16.precision, Precision::BFloat16);
        EXPECT_TRUE(bf16.fallback.empty()) << bf16.fallback;
    } else {
        EXPECT_EQ(bf16.precision, Precision::Float32);
        EXPECT_NE(bf16.fallback.find("AVX512-BF16 or AMX"), std::string::npos) << bf16.fallback;
        EXPECT_NE(bf16.fallback.find("running float32"), std::string::npos) << bf16.fallback;
    }
    EXPECT_EQ(choosePrecision({DeviceKind::Cuda, 0}, Precision::BFloat16).precision,
              Precision::BFloat16);
    EXPECT_EQ(choosePrecision(cpu, Precision::Float16).precision, Precision::Float16);
}

TEST(ComputeDevice, ScoreVariantNamesOnlyOtherPrecisions) {
    EXPECT_EQ(scoreVariant("long:1024", Precision::Float32), "long:1024");
    EXPECT_EQ(scoreVariant("long:1024", Precision::Float16), "long:1024+float16");
    EXPECT_EQ(scoreVariant("native", Precision::TF32), "native+tf32");
}

std::vector<ImageResult> scoreAll(const ScoringEngine& engine, const std::vector<std::string>& paths) {
    std::vector<ImageResult> results;
    engine.scoreFiles(paths, [&](size_t index, const ImageResult& r) {
        EXPECT_EQ(index, results.size());
        results.push_back(r);
    });
    return results;
}

// Runs of one size, a size change, an unreadable file and a too-small image in between: the
// batched engine must group only what may be grouped and keep every result in input order.
TEST(ComputeDevice, BatchesGiveTheSameResultsInOrder) {
    test::TempDir dir;
    std::vector<std::string> paths;
    for (int i = 0; i < 5; ++i) paths.push_back(test::writeNoiseImage(dir, "a" + std::to_string(i) + ".png", 96, 64, i));
    paths.push_back(dir.file("missing.png"));
    for (int i = 0; i < 3; ++i) paths.push_back(test::writeNoiseImage(dir, "b" + std::to_string(i) + ".png", 64, 96, 10 + i));
    paths.push_back(test::writeNoiseImage(dir, "tiny.png", 16, 16, 20));
    paths.push_back(test::writeNoiseImage(dir, "c.png", 96, 64, 30));
    const auto model = QualiClipModel::fromCheckpoint(makeRandomCheckpoint(smallModelSpec(3), 3));

    ScoringOptions one, batched;
    one.batch = 1;
    batched.batch = 3;
    ScoringEngine single(model, one), grouped(model, batched);
    EXPECT_EQ(single.effectiveBatch(), 1);
    EXPECT_EQ(grouped.effectiveBatch(), 3);
    const auto expected = scoreAll(single, paths), actual = scoreAll(grouped, paths);
    ASSERT_EQ(actual.size(), paths.size());
    ASSERT_EQ(expected.size(), paths.size());
    for (size_t i = 0; i < paths.size(); ++i) {
        SCOPED_TRACE(paths[i]);
        EXPECT_EQ(actual[i].path, paths[i]);
        EXPECT_EQ(actual[i].ok(), expected[i].ok());
        EXPECT_EQ(actual[i].error, expected[i].error);
        EXPECT_EQ(actual[i].device, "cpu");
        if (!expected[i].ok()) continue;
        EXPECT_NEAR(actual[i].score, expected[i].score, 1e-5);
        ASSERT_EQ(actual[i].pairProbabilities.size(), expected[i].pairProbabilities.size());
        for (size_t p = 0; p < expected[i].pairProbabilities.size(); ++p)
            EXPECT_NEAR(actual[i].pairProbabilities[p], expected[i].pairProbabilities[p], 2e-5);
    }
    EXPECT_FALSE(actual[5].ok());  // missing.png
    EXPECT_FALSE(actual[9].ok());  // tiny.png
}

TEST(ComputeDevice, AutomaticBatchOnTheCpuIsFourAtLongNAndOneAtNativeSizeOrWithMaps) {
    const auto model = QualiClipModel::fromCheckpoint(makeRandomCheckpoint(smallModelSpec(2), 4));
    EXPECT_EQ(ScoringEngine(model, {}).effectiveBatch(), 1);  // native
    ScoringOptions longSide;
    longSide.resize = ResizePolicy::longSide(1024);
    EXPECT_EQ(ScoringEngine(model, longSide).effectiveBatch(), 4);
    ScoringOptions withMap;
    withMap.batch = 8;
    withMap.map = MapRequest{};
    EXPECT_EQ(ScoringEngine(model, withMap).effectiveBatch(), 1);
}

}  // namespace
}  // namespace qc
