#pragma once
// Small statistics the conflict analysis needs: multiplicity-adjusted p-values, weighted
// quantiles of (importance-weighted) draws, and posterior predictive p-values.

#include <vector>

namespace recount::mcmc {

// Benjamini & Hochberg (1995) adjusted p-values, in the input's order, as R's
// p.adjust(p, "BH"): p_(i) n / i made monotone from the largest down, capped at 1.
// NaN entries stay NaN and do not count in n.
[[nodiscard]] std::vector<double> benjamini_hochberg(const std::vector<double>& p_values);

// Quantile p of `values` weighted by exp(log_weights) (need not be normalised), by Akinshin's
// (2023) weighted type 7 estimator: equal weights give R's default quantile exactly, and the
// estimate stays smooth as the weights concentrate. Empty `log_weights` means equal weights.
[[nodiscard]] double weighted_quantile(const std::vector<double>& values,
                                       const std::vector<double>& log_weights, double p);

// Two-sided posterior predictive p-value of `observed` among draws of the predictive quantity
// (Gelman, Meng & Stern 1996): 2 min(P(T >= obs), P(T <= obs)) with ties counted half, capped
// at 1. `log_weights` (optional, e.g. PSIS-LOO weights) weight the draws.
[[nodiscard]] double predictive_p_value(const std::vector<double>& predictive, double observed,
                                        const std::vector<double>& log_weights = {});

}  // namespace recount::mcmc
