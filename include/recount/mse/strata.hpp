#pragma once
// Estimates by stratum and their total.

#include <vector>

#include "recount/mse/estimate.hpp"

namespace recount::mse {

// The total over strata: observed and estimates summed; the standard error from the strata's
// (independent) standard errors; the interval n + (N - n) / C ... n + (N - n) C with
// C = exp(z sqrt(log(1 + se^2 / (N - n)^2))), the log-normal interval on the unseen (Chao 1987,
// Biometrics 43:783; Rcapture's closedpCI for normal heterogeneity). A stratum without an
// estimate makes the total unavailable; a stratum without a standard error (Bayesian methods)
// contributes the one implied by its interval, (upper - lower) / (2 z). The result carries the
// method, lists and level of the strata, stratum "total", and trusted only if every stratum is.
[[nodiscard]] MseResult combine_strata(const std::vector<MseResult>& strata);

// The JSON of `recount mse --json` for one method: the result itself for one table, or the total
// with "strata": [...] for several.
[[nodiscard]] nlohmann::json strata_to_json(const std::vector<MseResult>& strata);

}  // namespace recount::mse
