#pragma once
// Bayesian model averaging over decomposable graphical models with hyper-Dirichlet priors
// (Madigan & York 1997, Biometrika 84:19), as the dga package: 3 to 5 lists.

#include "recount/mse/capture_table.hpp"
#include "recount/mse/estimate.hpp"

namespace recount::mse {

struct DgaOptions {
  double delta = -1;         // hyper-Dirichlet prior parameter; < 0 means 2^-lists, as dga
  double max_factor = 20;    // N_missing ranges over 0 ... max_factor * observed
  double level = 0.95;
  int top_graphs = 5;        // how many graphs to report
};

// Posterior of N (median, equal-tailed interval) and the top graphs with their posterior
// probabilities, in MseResult form (method "dga"). Bad input (wrong number of lists) throws.
[[nodiscard]] MseResult estimate_dga(const CaptureTable& table, const DgaOptions& options);

}  // namespace recount::mse
