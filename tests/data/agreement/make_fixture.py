#!/usr/bin/python3
"""Writes fixture.json: reference agreement figures for tests/core/AgreementStatisticsTest.cpp,
computed independently of our C++ code with SciPy (Debian 12's python3-scipy, 1.10).

    /usr/bin/python3 tests/data/agreement/make_fixture.py > tests/data/agreement/fixture.json

For each data set: SRCC (scipy.stats.spearmanr), KRCC (scipy.stats.kendalltau, tau-b),
and the 4-parameter VQEG logistic fitted with scipy.optimize.curve_fit (MINPACK's lmdif) from
the same starting point as core/AgreementStatistics.cpp (b1 = max MOS, b2 = min MOS,
b3 = mean score, b4 = population std of the scores / 2), then PLCC (scipy.stats.pearsonr of
fitted and MOS) and RMSE. The data sets are written out literally, so the C++ test needs no RNG
of its own.
"""
import json

import numpy as np
import scipy
from scipy import optimize, stats


def logistic(x, b1, b2, b3, b4):
    return b2 + (b1 - b2) / (1.0 + np.exp(-(x - b3) / np.abs(b4)))


def reference(name, scores, mos):
    scores = np.asarray(scores, dtype=float)
    mos = np.asarray(mos, dtype=float)
    p0 = [mos.max(), mos.min(), scores.mean(), scores.std() / 2.0]
    # Tolerances far below curve_fit's defaults, so that the reference is the minimum itself and
    # not wherever a solver's stopping rule happened to end on a flat valley.
    params, _ = optimize.curve_fit(logistic, scores, mos, p0=p0, maxfev=100000, ftol=1e-14, xtol=1e-14)
    fitted = logistic(scores, *params)
    return {
        "name": name,
        "scores": scores.tolist(),
        "mos": mos.tolist(),
        "srcc": float(stats.spearmanr(scores, mos).correlation),
        "krcc": float(stats.kendalltau(scores, mos).correlation),
        "plcc": float(stats.pearsonr(fitted, mos)[0]),
        "rmse": float(np.sqrt(np.mean((fitted - mos) ** 2))),
        "initial": [float(v) for v in p0],
        "logistic": [float(v) for v in params],
    }


def main():
    rng = np.random.default_rng(20240518)
    sets = []
    # n = 5, no ties.
    sets.append(reference("n5", [0.31, 0.52, 0.47, 0.68, 0.75], [22.0, 41.0, 48.0, 60.0, 71.0]))
    # n = 10 with ties in both scores and MOS.
    sets.append(reference(
        "n10_ties",
        [0.40, 0.55, 0.55, 0.61, 0.38, 0.70, 0.61, 0.45, 0.80, 0.52],
        [2.1, 3.0, 3.4, 3.4, 1.9, 4.2, 3.0, 2.5, 4.4, 3.4]))
    # n = 10, negatively related (a DMOS-like scale), one tie in the scores.
    sets.append(reference(
        "n10_negative",
        [0.12, 0.25, 0.33, 0.33, 0.47, 0.51, 0.64, 0.72, 0.85, 0.91],
        [78.0, 70.5, 66.0, 61.0, 52.5, 55.0, 38.0, 30.5, 21.0, 19.5]))
    # A larger synthetic set: a logistic relationship with noise, KonIQ-like MOS scale (1..5),
    # scores rounded to 2 decimals so that there are many ties.
    x = np.round(rng.uniform(0.2, 0.9, 300), 2)
    y = logistic(x, 4.3, 1.4, 0.55, 0.08) + rng.normal(0.0, 0.25, x.size)
    sets.append(reference("n300_noisy_ties", x, np.round(y, 3)))
    print(json.dumps({"generator": "tests/data/agreement/make_fixture.py",
                      "scipy": scipy.__version__,
                      "sets": sets}, indent=1))


if __name__ == "__main__":
    main()
