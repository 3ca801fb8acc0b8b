#include "research/AgreementStatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <string>

#include <Eigen/Core>
#include <unsupported/Eigen/NonLinearOptimization>

#include "research/RankCorrelation.h"

namespace qc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr size_t kMinPairs = 4;  // the logistic has four parameters

// Pairs i < j tied within runs of equal values of an already sorted sequence.
template <typename Equal>
int64_t tiedPairs(size_t n, Equal equal) {
    int64_t tied = 0;
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && equal(start, end)) ++end;
        const auto run = static_cast<int64_t>(end - start);
        tied += run * (run - 1) / 2;
        start = end;
    }
    return tied;
}

// Stable merge sort of `values` that counts the inversions (pairs i < j with values[i] >
// values[j]).
int64_t sortCountingInversions(std::vector<double>& values) {
    std::vector<double> buffer(values.size());
    int64_t inversions = 0;
    for (size_t width = 1; width < values.size(); width *= 2) {
        for (size_t lo = 0; lo < values.size(); lo += 2 * width) {
            const size_t mid = std::min(lo + width, values.size()),
                         hi = std::min(lo + 2 * width, values.size());
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (values[j] < values[i]) {
                    inversions += static_cast<int64_t>(mid - i);
                    buffer[k++] = values[j++];
                } else {
                    buffer[k++] = values[i++];
                }
            }
            while (i < mid) buffer[k++] = values[i++];
            while (j < hi) buffer[k++] = values[j++];
        }
        values.swap(buffer);
    }
    return inversions;
}

double logisticSigmoid(double z) {
    // Written so that exp never overflows for large |z|.
    if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

// Residuals f(score_i) - mos_i and their Jacobian, in the form Eigen's LevenbergMarquardt wants.
struct LogisticResiduals {
    const std::vector<double>& scores;
    const std::vector<double>& mos;

    Eigen::Index inputs() const { return 4; }
    Eigen::Index values() const { return static_cast<Eigen::Index>(scores.size()); }

    int operator()(const Eigen::VectorXd& b, Eigen::VectorXd& residual) const {
        const LogisticParameters p{b[0], b[1], b[2], b[3]};
        for (size_t i = 0; i < scores.size(); ++i)
            residual[static_cast<Eigen::Index>(i)] = evaluateLogistic(p, scores[i]) - mos[i];
        return 0;
    }

    int df(const Eigen::VectorXd& b, Eigen::MatrixXd& jacobian) const {
        const double spread = std::abs(b[3]);
        const double sign = b[3] < 0 ? -1.0 : 1.0;
        for (size_t i = 0; i < scores.size(); ++i) {
            const auto row = static_cast<Eigen::Index>(i);
            const double z = (scores[i] - b[2]) / spread;
            const double s = logisticSigmoid(z);
            const double slope = (b[0] - b[1]) * s * (1.0 - s);  // d f / d z
            jacobian(row, 0) = s;
            jacobian(row, 1) = 1.0 - s;
            jacobian(row, 2) = -slope / spread;
            jacobian(row, 3) = -slope * z / spread * sign;
        }
        return 0;
    }
};

bool allFinite(const std::vector<double>& values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

bool isConstant(const std::vector<double>& values) {
    return std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); });
}

size_t distinctCount(const std::vector<double>& values) {
    return std::set<double>(values.begin(), values.end()).size();
}

double rootMeanSquare(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum / static_cast<double>(a.size()));
}

struct PointFigures {
    double srcc = kNaN, krcc = kNaN, plcc = kNaN, rmse = kNaN;
    bool finite() const {
        return std::isfinite(srcc) && std::isfinite(krcc) && std::isfinite(plcc) &&
               std::isfinite(rmse);
    }
};

// Every figure of one sample, or non-finite ones when the sample cannot give them.
PointFigures figuresOf(const std::vector<double>& scores, const std::vector<double>& mos,
                       LogisticFit* fitOut) {
    PointFigures f;
    f.srcc = spearmanCorrelation(scores, mos);
    f.krcc = kendallTauB(scores, mos);
    try {
        LogisticFit fit = fitLogistic(scores, mos);
        f.plcc = pearsonCorrelation(fit.fitted, mos);
        f.rmse = rootMeanSquare(fit.fitted, mos);
        if (fitOut) *fitOut = std::move(fit);
    } catch (const StatisticsError&) {
        // Leaves PLCC and RMSE undefined for this sample.
    }
    return f;
}

// Linear interpolation between order statistics (numpy.percentile's default, Hyndman & Fan type 7).
double percentile(std::vector<double> values, double fraction) {
    std::sort(values.begin(), values.end());
    const double position = fraction * static_cast<double>(values.size() - 1);
    const auto below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, values.size() - 1);
    const double weight = position - static_cast<double>(below);
    return values[below] + weight * (values[above] - values[below]);
}

EstimateWithInterval interval(double value, const std::vector<double>& resampled,
                              double confidence) {
    if (resampled.empty()) return {value, value, value};
    const double tail = (1.0 - confidence) / 2.0;
    return {value, percentile(resampled, tail), percentile(resampled, 1.0 - tail)};
}

}  // namespace

double kendallTauB(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size() || x.size() < 2) return kNaN;
    const size_t n = x.size();
    // Order by x, then y: tied x then never count as swapped pairs below.
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return x[a] < x[b] || (x[a] == x[b] && y[a] < y[b]); });
    const int64_t tiedX =
        tiedPairs(n, [&](size_t a, size_t b) { return x[order[a]] == x[order[b]]; });
    const int64_t tiedBoth = tiedPairs(n, [&](size_t a, size_t b) {
        return x[order[a]] == x[order[b]] && y[order[a]] == y[order[b]];
    });
    std::vector<double> ySorted(n);
    for (size_t i = 0; i < n; ++i) ySorted[i] = y[order[i]];
    const int64_t discordant = sortCountingInversions(ySorted);
    const int64_t tiedY =
        tiedPairs(n, [&](size_t a, size_t b) { return ySorted[a] == ySorted[b]; });
    const auto total = static_cast<int64_t>(n) * static_cast<int64_t>(n - 1) / 2;
    if (tiedX == total || tiedY == total) return kNaN;
    // Concordant - discordant = pairs untied in both - 2 * discordant.
    const int64_t untiedBoth = total - tiedX - tiedY + tiedBoth;
    const double numerator = static_cast<double>(untiedBoth - 2 * discordant);
    const double tau = numerator / std::sqrt(static_cast<double>(total - tiedX) *
                                             static_cast<double>(total - tiedY));
    return std::clamp(tau, -1.0, 1.0);
}

double evaluateLogistic(const LogisticParameters& p, double score) {
    return p.b2 + (p.b1 - p.b2) * logisticSigmoid((score - p.b3) / std::abs(p.b4));
}

LogisticParameters initialLogisticGuess(const std::vector<double>& scores,
                                        const std::vector<double>& mos) {
    const double n = static_cast<double>(scores.size());
    const double mean = std::accumulate(scores.begin(), scores.end(), 0.0) / n;
    double variance = 0;
    for (double s : scores) variance += (s - mean) * (s - mean);
    variance /= n;
    const auto [minMos, maxMos] = std::minmax_element(mos.begin(), mos.end());
    return {*maxMos, *minMos, mean, std::sqrt(variance) / 2.0};
}

LogisticFit fitLogistic(const std::vector<double>& scores, const std::vector<double>& mos) {
    if (scores.size() != mos.size())
        throw StatisticsError("scores and MOS differ in length (" + std::to_string(scores.size()) +
                              " and " + std::to_string(mos.size()) + ")");
    if (scores.size() < kMinPairs)
        throw StatisticsError("the logistic fit needs at least 4 images, got " +
                              std::to_string(scores.size()));
    if (!allFinite(scores) || !allFinite(mos))
        throw StatisticsError("scores and MOS must be finite numbers");
    if (isConstant(scores))
        throw StatisticsError("every image has the same score; the logistic cannot be fitted");

    const LogisticParameters start = initialLogisticGuess(scores, mos);
    Eigen::VectorXd b(4);
    b << start.b1, start.b2, start.b3, start.b4;
    LogisticResiduals residuals{scores, mos};
    Eigen::LevenbergMarquardt<LogisticResiduals> solver(residuals);
    // Tighter than MINPACK's default sqrt(epsilon): the fitted figures must not depend on where
    // the solver happens to stop on a flat valley (small, nearly linear samples).
    solver.parameters.ftol = 1e-12;
    solver.parameters.xtol = 1e-12;
    solver.parameters.maxfev = 2000;
    const Eigen::LevenbergMarquardtSpace::Status status = solver.minimize(b);

    LogisticFit fit;
    fit.parameters = {b[0], b[1], b[2], b[3]};
    fit.functionEvaluations = static_cast<int>(solver.nfev);
    fit.converged = status == Eigen::LevenbergMarquardtSpace::RelativeReductionTooSmall ||
                    status == Eigen::LevenbergMarquardtSpace::RelativeErrorTooSmall ||
                    status == Eigen::LevenbergMarquardtSpace::RelativeErrorAndReductionTooSmall ||
                    status == Eigen::LevenbergMarquardtSpace::CosinusTooSmall;
    fit.fitted.reserve(scores.size());
    for (double s : scores) fit.fitted.push_back(evaluateLogistic(fit.parameters, s));
    if (!std::isfinite(b[0]) || !std::isfinite(b[1]) || !std::isfinite(b[2]) ||
        !std::isfinite(b[3]) || b[3] == 0 || !allFinite(fit.fitted))
        throw StatisticsError("the logistic fit did not give finite parameters");
    return fit;
}

AgreementReport computeAgreement(const std::vector<double>& scores, const std::vector<double>& mos,
                                 const AgreementOptions& options, const AgreementProgress& progress,
                                 const std::atomic<bool>* cancel) {
    if (scores.size() != mos.size())
        throw StatisticsError("scores and MOS differ in length (" + std::to_string(scores.size()) +
                              " and " + std::to_string(mos.size()) + ")");
    if (scores.size() < kMinPairs)
        throw StatisticsError("agreement needs at least 4 scored images with a MOS, got " +
                              std::to_string(scores.size()));
    if (!allFinite(scores) || !allFinite(mos))
        throw StatisticsError("scores and MOS must be finite numbers");
    if (isConstant(scores))
        throw StatisticsError("every image has the same score; no correlation can be computed");
    if (isConstant(mos))
        throw StatisticsError("every image has the same MOS; no correlation can be computed");
    if (options.bootstrapResamples < 0)
        throw StatisticsError("the number of bootstrap resamples cannot be negative");
    if (!(options.confidence > 0 && options.confidence < 1))
        throw StatisticsError("the confidence level must lie between 0 and 1");

    AgreementReport report;
    report.n = scores.size();
    report.seed = options.seed;
    report.confidence = options.confidence;
    const PointFigures point = figuresOf(scores, mos, &report.logistic);
    if (!point.finite()) throw StatisticsError("the logistic fit failed on these scores");
    report.residuals.resize(scores.size());
    for (size_t i = 0; i < scores.size(); ++i)
        report.residuals[i] = mos[i] - report.logistic.fitted[i];

    // A resample on which a figure is undefined (fewer than 4 distinct scores, constant MOS, a fit
    // that fails) is drawn again: the intervals are those of the resamples that can be evaluated.
    // Tiny samples could make that endless, hence the limit.
    std::vector<double> srcc, krcc, plcc, rmse;
    std::mt19937_64 random(options.seed);
    std::uniform_int_distribution<size_t> pick(0, scores.size() - 1);
    std::vector<double> s(scores.size()), m(scores.size());
    const int64_t maxDraws = 100 * static_cast<int64_t>(options.bootstrapResamples) + 100;
    int64_t draws = 0;
    while (static_cast<int>(srcc.size()) < options.bootstrapResamples) {
        if (cancel && cancel->load()) throw Cancelled();
        if (++draws > maxDraws)
            throw StatisticsError("too few distinct images (" +
                                  std::to_string(distinctCount(scores)) +
                                  " distinct scores) for bootstrap intervals");
        for (size_t i = 0; i < scores.size(); ++i) {
            const size_t j = pick(random);
            s[i] = scores[j];
            m[i] = mos[j];
        }
        if (distinctCount(s) < kMinPairs || isConstant(m)) {
            ++report.bootstrapRedrawn;
            continue;
        }
        const PointFigures f = figuresOf(s, m, nullptr);
        if (!f.finite()) {
            ++report.bootstrapRedrawn;
            continue;
        }
        srcc.push_back(f.srcc);
        krcc.push_back(f.krcc);
        plcc.push_back(f.plcc);
        rmse.push_back(f.rmse);
        if (progress) progress(static_cast<int>(srcc.size()), options.bootstrapResamples);
    }
    report.bootstrapResamples = static_cast<int>(srcc.size());
    report.srcc = interval(point.srcc, srcc, options.confidence);
    report.krcc = interval(point.krcc, krcc, options.confidence);
    report.plcc = interval(point.plcc, plcc, options.confidence);
    report.rmse = interval(point.rmse, rmse, options.confidence);
    return report;
}

}  // namespace qc
