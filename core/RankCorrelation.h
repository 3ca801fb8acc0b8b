// RankCorrelation: Spearman's rank correlation, used by the degradation lab to say whether a
// score falls monotonically with the distortion level. Ties get the average of the ranks they
// span (the usual "fractional ranking"), and rho is Pearson's correlation of those ranks, so
// tied data are handled exactly as scipy.stats.spearmanr does.
//
// Free functions of plain data, safe to call from any thread.
#pragma once

#include <vector>

namespace qc {

// 1-based ranks, ties averaged: {10, 20, 20, 30} -> {1, 2.5, 2.5, 4}.
std::vector<double> averageRanks(const std::vector<double>& values);

// NaN when the sizes differ, fewer than two values are given, or either side is constant.
double spearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace qc
