// `--device`, `--precision` and `--batch` (issue #21) through the real binary, on the CPU: every
// row says where it ran; CUDA on a LibTorch without it, reduced precision on the CPU and unknown
// names are usage errors (exit 2, one sentence, no rows).
#include "CliTestSupport.h"
#include "engine/ComputeDevice.h"
#include "engine/CpuFeatures.h"

namespace qc::test {
namespace {

RunResult score(const QStringList& extra, const QStringList& images = {oracleImage("gradient_224x224")}) {
    return runQualiclip(QStringList{"score", "--no-catalog", "--model", oracleModel()} + extra + images);
}

TEST(DeviceCli, RowsSayWhereAndInWhatPrecisionTheyRan) {
    QCI_REQUIRE_ORACLE();
    for (const QString device : {"cpu", "auto"}) {
        const RunResult r = score({"--device", device});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        const auto rows = jsonLines(r.out);
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0]["device"], "cpu");
        EXPECT_EQ(rows[0]["precision"], "float32");
    }
    const RunResult csv = score({"--format", "csv"});
    ASSERT_EQ(csv.exitCode, 0) << csv.err;
    EXPECT_NE(csv.out.find(",prompt_set,recipe,device,precision,seconds,"), std::string::npos) << csv.out;
    EXPECT_NE(csv.out.find(",cpu,float32,"), std::string::npos) << csv.out;
}

TEST(DeviceCli, BatchedScoresEqualSingleOnes) {
    QCI_REQUIRE_ORACLE();
    const QStringList images{oracleImage("noise_96x320"), oracleImage("noiseblur_96x320"),
                             oracleImage("gradient_224x224")};
    const RunResult one = score({"--batch", "1"}, images), batched = score({"--batch", "4"}, images);
    ASSERT_EQ(one.exitCode, 0) << one.err;
    ASSERT_EQ(batched.exitCode, 0) << batched.err;
    const auto a = jsonLines(one.out), b = jsonLines(batched.out);
    ASSERT_EQ(a.size(), 3u);
    ASSERT_EQ(b.size(), 3u);
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i]["path"], b[i]["path"]);
        EXPECT_NEAR(a[i]["score"].get<double>(), b[i]["score"].get<double>(), 1e-5);
    }
}

TEST(DeviceCli, RequestsThisMachineCannotMeetAreUsageErrors) {
    QCI_REQUIRE_ORACLE();
    struct Case {
        QStringList args;
        std::string expected;
    };
    std::vector<Case> cases = {
        {{"--device", "gpu"}, "unknown device 'gpu'"},
        {{"--precision", "half"}, "invalid --precision 'half'"},
        {{"--device", "cpu", "--precision", "float16"}, "precision float16 runs on a CUDA device only"},
        {{"--batch", "-1"}, "invalid --batch '-1'"},
    };
    if (cudaDeviceCount() == 0) cases.push_back({{"--device", "cuda"}, "needs a LibTorch built with CUDA"});
    for (const Case& c : cases) {
        const RunResult r = score(c.args);
        EXPECT_EQ(r.exitCode, 2) << c.args.join(' ').toStdString();
        EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
}

// bfloat16 on the CPU (issue #15): where the processor has AVX512-BF16 or AMX the rows say
// bfloat16 and the scores stay near float32's; elsewhere the run says so and float32 runs.
TEST(DeviceCli, BFloat16RunsWhereTheProcessorHasItElseFloat32) {
    QCI_REQUIRE_ORACLE();
    const QStringList images{oracleImage("scene_512x384"), oracleImage("checker_250x187")};
    const RunResult f32 = score({"--device", "cpu"}, images), bf16 = score({"--precision", "bfloat16"}, images);
    ASSERT_EQ(f32.exitCode, 0) << f32.err;
    ASSERT_EQ(bf16.exitCode, 0) << bf16.err;
    const auto a = jsonLines(f32.out), b = jsonLines(bf16.out);
    ASSERT_EQ(b.size(), 2u);
    if (cpuHasBFloat16()) {
        EXPECT_EQ(b[0]["precision"], "bfloat16");
        EXPECT_TRUE(bf16.err.empty()) << bf16.err;
    } else {
        EXPECT_EQ(b[0]["precision"], "float32");
        EXPECT_NE(bf16.err.find("needs a processor with AVX512-BF16 or AMX"), std::string::npos) << bf16.err;
    }
    for (size_t i = 0; i < b.size(); ++i) EXPECT_NEAR(a[i]["score"].get<double>(), b[i]["score"].get<double>(), 0.01);
}

TEST(DeviceCli, VersionNamesTheDevice) {
    const RunResult r = runQualiclip({"--version"});
    ASSERT_EQ(r.exitCode, 0);
    EXPECT_NE(r.out.find("Device: " + resolveDevice("auto").toString()), std::string::npos) << r.out;
}

}  // namespace
}  // namespace qc::test
