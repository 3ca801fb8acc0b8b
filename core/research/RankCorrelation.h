// RankCorrelation: Pearson's and Spearman's correlation, used by the degradation lab to say whether a
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

// Pearson's r. NaN when the sizes differ, fewer than two values are given, or a side is constant.
double pearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y);

// Pearson's r of the average ranks. NaN in the same cases.
double spearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace qc
