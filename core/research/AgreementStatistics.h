// AgreementStatistics: how well predicted quality scores agree with human mean opinion scores
// (MOS), computed the way IQA papers compute it (VQEG, "Final report from the Video Quality
// Experts Group on the validation of objective models of video quality assessment", 2000/2003):
//   - SRCC: Spearman's rho, ties given average ranks (RankCorrelation.h);
//   - KRCC: Kendall's tau-b, ties corrected (as scipy.stats.kendalltau's default);
//   - PLCC and RMSE between the MOS and the score mapped through the 4-parameter logistic
//     f(x) = b2 + (b1 - b2) / (1 + exp(-(x - b3) / |b4|)), fitted by least squares with Eigen's
//     Levenberg-Marquardt (a port of MINPACK's lmder, the solver behind scipy's curve_fit);
//   - 95% percentile bootstrap intervals: resample the (score, MOS) pairs with replacement,
//     recompute every figure (the logistic is refitted on each resample), take the 2.5 and 97.5
//     percentiles (linear interpolation between order statistics, numpy's default).
//
// Usage:
//   AgreementReport r = computeAgreement(scores, mos, AgreementOptions{});  // throws
//   StatisticsError std::cout << r.srcc.value << " [" << r.srcc.low << ", " << r.srcc.high <<
//   "]\n";
//
// Free functions of plain data, safe to call from any thread. computeAgreement() is long work on
// large sets (1,000 refits): it takes a progress callback and a cancel flag, checked between
// resamples. Degenerate inputs throw StatisticsError with a message for the user; a report never
// holds NaN.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "Errors.h"
#include "research/RankCorrelation.h"  // pearsonCorrelation, spearmanCorrelation

namespace qc {

// The inputs cannot give the figures asked for (too few pairs, constant scores or MOS, NaN).
class StatisticsError : public QualiClipError {
public:
    using QualiClipError::QualiClipError;
};

// Kendall's tau-b with ties (Knight's O(n log n) algorithm). NaN when the sizes differ, fewer
// than two values are given, or either side is constant.
double kendallTauB(const std::vector<double>& x, const std::vector<double>& y);

// b1, b2: upper and lower asymptotes (MOS units); b3: the score at the midpoint; b4: the
// spread in score units (its sign does not matter: the function uses |b4|).
struct LogisticParameters {
    double b1 = 0, b2 = 0, b3 = 0, b4 = 1;
};

double evaluateLogistic(const LogisticParameters& p, double score);

struct LogisticFit {
    LogisticParameters parameters;
    std::vector<double> fitted;  // f(score_i), in MOS units
    int functionEvaluations = 0;
    bool converged = false;  // the solver met its tolerance (not the evaluation limit)
};

// The starting point, as in VQEG practice: b1 = max(MOS), b2 = min(MOS), b3 = mean(score),
// b4 = std(score) / 2 (population std). With that spread a logistic centred on the mean covers
// about +-2 standard deviations of the scores between 2% and 98% of its range; it is a scale
// that follows the scores' units, where the fixed 0.5 of some scripts fails for scores in 0..1.
LogisticParameters initialLogisticGuess(const std::vector<double>& scores,
                                        const std::vector<double>& mos);

// Least-squares fit of the logistic from initialLogisticGuess(). Throws StatisticsError for
// fewer than 4 pairs (4 parameters), constant scores, or a fit that leaves non-finite values.
LogisticFit fitLogistic(const std::vector<double>& scores, const std::vector<double>& mos);

struct AgreementOptions {
    int bootstrapResamples = 1000;  // 0: no intervals (low == high == value)
    uint64_t seed = 1;              // std::mt19937_64; the same seed gives the same intervals
    double confidence = 0.95;
};

struct EstimateWithInterval {
    double value = 0;
    double low = 0, high = 0;  // percentile bootstrap interval
};

struct AgreementReport {
    size_t n = 0;
    EstimateWithInterval srcc, krcc, plcc, rmse;
    LogisticFit logistic;           // fitted on all pairs
    std::vector<double> residuals;  // MOS_i - f(score_i): positive when the model under-estimates
    int bootstrapResamples = 0;     // resamples the intervals come from
    int bootstrapRedrawn = 0;       // resamples drawn again because a figure was undefined on them
    uint64_t seed = 0;
    double confidence = 0.95;
};

// done, total resamples. Called on the calling thread.
using AgreementProgress = std::function<void(int done, int total)>;

// Throws StatisticsError for mismatched sizes, fewer than 4 pairs, non-finite values, constant
// scores or constant MOS; Cancelled when *cancel becomes true.
AgreementReport computeAgreement(const std::vector<double>& scores, const std::vector<double>& mos,
                                 const AgreementOptions& options = {},
                                 const AgreementProgress& progress = {},
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace qc
