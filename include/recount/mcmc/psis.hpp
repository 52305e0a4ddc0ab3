#pragma once
// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao & Gabry 2024, JMLR 25:72)
// and PSIS-LOO (Vehtari, Gelman & Gabry 2017, Statistics and Computing 27:1413).

#include <cstddef>
#include <vector>

namespace recount::mcmc {

struct PsisResult {
  std::vector<double> log_weights;  // smoothed and normalised: log-sum-exp is 0
  double pareto_k = 0;              // > 0.7: the estimate is not reliable
};

// Smooths the largest importance ratios by the fitted generalised Pareto distribution.
// `log_ratios` of S draws, S >= 10; `r_eff` the relative efficiency of the draws (ESS / S).
// NaN ratios get weight 0; when some ratios are +inf (or all are -inf) nothing can be smoothed:
// the weight is shared equally by the largest ratios and pareto_k is infinite.
[[nodiscard]] PsisResult psis(const std::vector<double>& log_ratios, double r_eff = 1.0);

// The relative efficiency r_eff = ESS / S of importance sampling from MCMC draws, as loo's
// relative_eff(): `likelihood[c][i]` is the likelihood (not its log) of the left-out evidence at
// draw i of chain c. 1 when it cannot be estimated (constant values).
[[nodiscard]] double relative_efficiency(const std::vector<std::vector<double>>& likelihood);

// A generalised Pareto distribution (location 0) in loo's parameterisation: k > 0 heavy tail.
struct GeneralizedPareto {
  double k = 0;
  double sigma = 0;
};

// Fits the generalised Pareto by Zhang & Stephens (2009) with loo's weak prior on k;
// `sorted_excesses` ascending, positive. k is infinite when no fit is possible.
[[nodiscard]] GeneralizedPareto fit_generalized_pareto(const std::vector<double>& sorted_excesses);

// The k-hat threshold above which PSIS is not reliable for S draws: min(1 - 1/log10(S), 0.7).
[[nodiscard]] double pareto_k_threshold(std::size_t draws);

}  // namespace recount::mcmc
