#pragma once
// Heterogeneous catchability: the Mth log-linear models of Rivest & Baillargeon (2007, Biometrics
// 63:999) as Rcapture's closedp.t: list main effects plus a term in the number of lists a person
// is on, with Chao's lower bound (Chao 1987), Darroch's (k^2/2), Poisson with theta = 2
// (2^k - 1) or Gamma with theta = 3.5 (log theta - log(theta + k)).

#include <optional>
#include <string>
#include <string_view>

#include "recount/mse/capture_table.hpp"
#include "recount/mse/estimate.hpp"

namespace recount::mse {

enum class Heterogeneity { chao, darroch, poisson2, gamma };

// "chao", "darroch", "poisson2", "gamma"; anything else gives nullopt.
[[nodiscard]] std::optional<Heterogeneity> parse_heterogeneity(std::string_view text);
// The model's name as Rcapture prints it: "Mth Chao (LB)", "Mth Darroch", "Mth Poisson2",
// "Mth Gamma3.5".
[[nodiscard]] std::string heterogeneity_name(Heterogeneity kind);

// N = n + exp(intercept) with its standard error and a profile-likelihood interval (method
// "loglinear", model the name above). For Chao, negative eta parameters are set to zero and the
// model refitted, as closedp.t (neg = TRUE). Three lists at least (with two the heterogeneity term
// is not identifiable: no estimate, trusted = false); fits on the boundary are flagged.
[[nodiscard]] MseResult estimate_heterogeneity(const CaptureTable& table, Heterogeneity kind,
                                               double level);

}  // namespace recount::mse
