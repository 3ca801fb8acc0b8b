// Agreement figures against SciPy (tests/data/agreement/fixture.json, written by make_fixture.py
// next to it), the logistic fit on synthetic data with known parameters, bootstrap
// reproducibility and the errors of degenerate inputs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "research/AgreementStatistics.h"

namespace qc {
namespace {

nlohmann::json loadFixture() {
    std::ifstream in(std::string(QCI_TEST_DATA_DIR) + "/agreement/fixture.json");
    EXPECT_TRUE(in) << "missing tests/data/agreement/fixture.json";
    return nlohmann::json::parse(in);
}

std::vector<double> toVector(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

TEST(AgreementStatistics, RankCorrelationsMatchScipy) {
    const nlohmann::json fixture = loadFixture();
    ASSERT_GE(fixture["sets"].size(), 4U);
    for (const nlohmann::json& set : fixture["sets"]) {
        SCOPED_TRACE(set["name"].get<std::string>());
        const std::vector<double> scores = toVector(set["scores"]), mos = toVector(set["mos"]);
        EXPECT_NEAR(kendallTauB(scores, mos), set["krcc"].get<double>(), 1e-12);
        const AgreementReport r = computeAgreement(scores, mos, {0, 1, 0.95});
        EXPECT_EQ(r.n, scores.size());
        EXPECT_NEAR(r.srcc.value, set["srcc"].get<double>(), 1e-12);
        EXPECT_NEAR(r.krcc.value, set["krcc"].get<double>(), 1e-12);
    }
}

TEST(AgreementStatistics, LogisticFigures_MatchScipyCurveFit) {
    const nlohmann::json fixture = loadFixture();
    for (const nlohmann::json& set : fixture["sets"]) {
        const std::string name = set["name"].get<std::string>();
        SCOPED_TRACE(name);
        const std::vector<double> scores = toVector(set["scores"]), mos = toVector(set["mos"]);
        const LogisticParameters start = initialLogisticGuess(scores, mos);
        const std::vector<double> initial = toVector(set["initial"]);
        EXPECT_NEAR(start.b1, initial[0], 1e-12);
        EXPECT_NEAR(start.b2, initial[1], 1e-12);
        EXPECT_NEAR(start.b3, initial[2], 1e-12);
        EXPECT_NEAR(start.b4, initial[3], 1e-12);

        const AgreementReport r = computeAgreement(scores, mos, {0, 1, 0.95});
        const double plcc = set["plcc"].get<double>(), rmse = set["rmse"].get<double>();
        if (name == "n300_noisy_ties" || name == "n10_negative") {
            // The data show the S shape: one minimum, reached by both solvers (lmder here, lmdif
            // in SciPy) to within their tolerances.
            EXPECT_NEAR(r.plcc.value, plcc, 1e-9);
            EXPECT_NEAR(r.rmse.value, rmse, 1e-7 * rmse);
            const std::vector<double> b = toVector(set["logistic"]);
            const LogisticParameters& p = r.logistic.parameters;
            EXPECT_NEAR(p.b1, b[0], 1e-3 * std::abs(b[0]));
            EXPECT_NEAR(p.b2, b[1], 1e-3 * std::abs(b[1]));
            EXPECT_NEAR(p.b3, b[2], 1e-3 * std::abs(b[2]));
            EXPECT_NEAR(std::abs(p.b4), std::abs(b[3]), 1e-3 * std::abs(b[3]));
        } else {
            // Small, nearly linear samples: the least-squares optimum lies at infinity along a flat
            // valley (b2 -> -inf), and each solver stops somewhere on it. Ours must get at least as
            // close to the infimum as SciPy does, and the figures agree to 1e-5.
            EXPECT_LE(r.rmse.value, rmse * (1 + 1e-9));
            EXPECT_NEAR(r.rmse.value, rmse, 1e-4 * rmse);
            EXPECT_NEAR(r.plcc.value, plcc, 1e-5);
        }
    }
}

TEST(AgreementStatistics, KendallTauBHandChecked) {
    // No ties: 5 concordant, 1 discordant of 6 pairs.
    EXPECT_NEAR(kendallTauB({1, 2, 3, 4}, {1, 3, 2, 4}), 4.0 / 6.0, 1e-12);
    // One tie in x (pair 2-3), one in y (pair 3-4): C = 4, D = 0, n0 = 6, n1 = n2 = 1.
    EXPECT_NEAR(kendallTauB({1, 2, 2, 3}, {1, 2, 3, 3}), 4.0 / 5.0, 1e-12);
    EXPECT_NEAR(kendallTauB({4, 3, 2, 1}, {1, 2, 3, 4}), -1.0, 1e-12);
    EXPECT_TRUE(std::isnan(kendallTauB({1, 1, 1}, {1, 2, 3})));
    EXPECT_TRUE(std::isnan(kendallTauB({1}, {1})));
}

TEST(AgreementStatistics, LogisticFitRecoversKnownParameters) {
    const LogisticParameters truth{4.5, 1.2, 0.6, 0.07};
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> uniform(0.3, 0.9);
    std::normal_distribution<double> noise(0.0, 0.01);
    std::vector<double> scores, mos;
    for (int i = 0; i < 400; ++i) {
        scores.push_back(uniform(random));
        mos.push_back(evaluateLogistic(truth, scores.back()) + noise(random));
    }
    const LogisticFit fit = fitLogistic(scores, mos);
    EXPECT_TRUE(fit.converged);
    EXPECT_NEAR(fit.parameters.b1, truth.b1, 0.01);
    EXPECT_NEAR(fit.parameters.b2, truth.b2, 0.01);
    EXPECT_NEAR(fit.parameters.b3, truth.b3, 0.002);
    EXPECT_NEAR(std::abs(fit.parameters.b4), truth.b4, 0.002);

    // Exact data: recovered to the solver's tolerance.
    for (size_t i = 0; i < scores.size(); ++i) mos[i] = evaluateLogistic(truth, scores[i]);
    const LogisticFit exact = fitLogistic(scores, mos);
    EXPECT_NEAR(exact.parameters.b1, truth.b1, 1e-6);
    EXPECT_NEAR(exact.parameters.b2, truth.b2, 1e-6);
    EXPECT_NEAR(exact.parameters.b3, truth.b3, 1e-7);
    EXPECT_NEAR(std::abs(exact.parameters.b4), truth.b4, 1e-7);
}

TEST(AgreementStatistics, ReportCarriesResidualsPerImage) {
    const nlohmann::json set = loadFixture()["sets"][2];
    const std::vector<double> scores = toVector(set["scores"]), mos = toVector(set["mos"]);
    const AgreementReport r = computeAgreement(scores, mos, {0, 1, 0.95});
    ASSERT_EQ(r.residuals.size(), scores.size());
    ASSERT_EQ(r.logistic.fitted.size(), scores.size());
    double squares = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
        EXPECT_DOUBLE_EQ(r.residuals[i], mos[i] - r.logistic.fitted[i]);
        squares += r.residuals[i] * r.residuals[i];
    }
    EXPECT_NEAR(r.rmse.value, std::sqrt(squares / static_cast<double>(scores.size())), 1e-12);
}

TEST(AgreementStatistics, BootstrapIsReproducibleAndContainsTheEstimate) {
    const nlohmann::json set = loadFixture()["sets"][3];
    const std::vector<double> scores = toVector(set["scores"]), mos = toVector(set["mos"]);
    AgreementOptions options;
    options.bootstrapResamples = 1000;
    options.seed = 42;
    int lastProgress = 0;
    const AgreementReport a = computeAgreement(scores, mos, options, [&](int done, int total) {
        EXPECT_EQ(done, lastProgress + 1);
        EXPECT_EQ(total, 1000);
        lastProgress = done;
    });
    EXPECT_EQ(lastProgress, 1000);
    EXPECT_EQ(a.bootstrapResamples, 1000);
    const AgreementReport b = computeAgreement(scores, mos, options);
    for (auto [x, y] :
         {std::pair{a.srcc, b.srcc}, {a.krcc, b.krcc}, {a.plcc, b.plcc}, {a.rmse, b.rmse}}) {
        EXPECT_EQ(x.low, y.low);
        EXPECT_EQ(x.high, y.high);
        EXPECT_LT(x.low, x.value);
        EXPECT_GT(x.high, x.value);
    }
    EXPECT_LE(a.plcc.high, 1.0);
    options.seed = 43;
    const AgreementReport c = computeAgreement(scores, mos, options);
    EXPECT_NE(a.srcc.low, c.srcc.low);
}

TEST(AgreementStatistics, BootstrapOnSmallSamplesStaysFinite) {
    const nlohmann::json set = loadFixture()["sets"][0];  // n = 5
    AgreementOptions options;
    options.bootstrapResamples = 200;
    const AgreementReport r =
        computeAgreement(toVector(set["scores"]), toVector(set["mos"]), options);
    EXPECT_EQ(r.bootstrapResamples, 200);
    EXPECT_GT(r.bootstrapRedrawn,
              0);  // resamples with fewer than 4 distinct scores were drawn again
    for (const EstimateWithInterval& e : {r.srcc, r.krcc, r.plcc, r.rmse}) {
        EXPECT_TRUE(std::isfinite(e.low) && std::isfinite(e.high));
        EXPECT_LE(e.low, e.high);
    }
}

TEST(AgreementStatistics, CancelStopsTheBootstrap) {
    const nlohmann::json set = loadFixture()["sets"][3];
    std::atomic<bool> cancel{false};
    EXPECT_THROW(computeAgreement(
                     toVector(set["scores"]), toVector(set["mos"]), {},
                     [&](int done, int) { cancel.store(done >= 5); }, &cancel),
                 Cancelled);
}

struct DegenerateCase {
    const char* name;
    std::vector<double> scores, mos;
    const char* messagePart;
};

class AgreementDegenerate : public testing::TestWithParam<DegenerateCase> {};

TEST_P(AgreementDegenerate, ThrowsAClearError) {
    const DegenerateCase& c = GetParam();
    try {
        computeAgreement(c.scores, c.mos);
        FAIL() << "no error";
    } catch (const StatisticsError& e) {
        EXPECT_NE(std::string(e.what()).find(c.messagePart), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, AgreementDegenerate,
    testing::Values(
        DegenerateCase{"empty", {}, {}, "at least 4"},
        DegenerateCase{"three", {0.1, 0.2, 0.3}, {1, 2, 3}, "at least 4"},
        DegenerateCase{"constant_scores", {0.5, 0.5, 0.5, 0.5, 0.5}, {1, 2, 3, 4, 5}, "same score"},
        DegenerateCase{"constant_mos", {0.1, 0.2, 0.3, 0.4, 0.5}, {3, 3, 3, 3, 3}, "same MOS"},
        DegenerateCase{"nan", {0.1, NAN, 0.3, 0.4, 0.5}, {1, 2, 3, 4, 5}, "finite"},
        DegenerateCase{"sizes", {0.1, 0.2, 0.3, 0.4, 0.5}, {1, 2, 3, 4}, "differ in length"}),
    [](const testing::TestParamInfo<DegenerateCase>& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace qc
