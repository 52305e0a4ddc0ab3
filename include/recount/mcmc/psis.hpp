#pragma once
// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao & Gabry 2024, JMLR 25:72)
// and PSIS-LOO (Vehtari, Gelman & Gabry 2017, Statistics and Computing 27:1413).

#include <vector>

namespace recount::mcmc {

struct PsisResult {
  std::vector<double> log_weights;  // smoothed and normalised: log-sum-exp is 0
  double pareto_k = 0;              // > 0.7: the estimate is not reliable
};

// Smooths the largest importance ratios by the fitted generalised Pareto distribution.
// `log_ratios` of S draws, S >= 10; `r_eff` the relative efficiency of the draws (ESS / S).
[[nodiscard]] PsisResult psis(const std::vector<double>& log_ratios, double r_eff = 1.0);

// The k-hat threshold above which PSIS is not reliable for S draws: min(1 - 1/log10(S), 0.7).
[[nodiscard]] double pareto_k_threshold(std::size_t draws);

}  // namespace recount::mcmc
