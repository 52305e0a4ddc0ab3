#pragma once
// The Bayesian non-parametric latent-class model for capture-recapture (Manrique-Vallier 2016,
// Biometrics 72:1246), as the LCMCR package: truncated stick-breaking, Gibbs sampler.

#include <cstdint>

#include "recount/mse/capture_table.hpp"
#include "recount/mse/estimate.hpp"

namespace recount::mse {

struct LcmcrOptions {
  int classes = 10;        // K*, the truncation
  double a_alpha = 0.25;   // Gamma(a, b) prior on the stick-breaking concentration
  double b_alpha = 0.25;
  int burnin = -1;         // < 0: the defaults documented in docs/mse.md
  int samples = -1;
  int thin = -1;
  int chains = 4;
  std::uint64_t seed = 1;
  double level = 0.95;
  bool progress = true;
};

// Posterior median and equal-tailed interval of N in MseResult form (method "lcmcr"), with
// R-hat and effective sample size of N in diagnostics; trusted = false when they fail.
[[nodiscard]] MseResult estimate_lcmcr(const CaptureTable& table, const LcmcrOptions& options);

}  // namespace recount::mse
