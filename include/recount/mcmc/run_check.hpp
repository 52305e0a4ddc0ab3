#pragma once
// The checks a run must pass before its draws are trusted, with Stan's thresholds: R-hat above
// 1.01, bulk or tail ESS below 100 per chain, any divergence after warm-up, E-BFMI below 0.3 in
// any chain (Vehtari et al. 2021; Betancourt 2016). Hitting the maximum tree depth is reported
// as a note on efficiency, not a failure.

#include <string>
#include <vector>

#include "recount/mcmc/diagnostics.hpp"
#include "recount/mcmc/nuts.hpp"

namespace recount::mcmc {

struct RunThresholds {
  double max_rhat = 1.01;
  double min_ess_per_chain = 100;
  double min_ebfmi = 0.3;
};

struct RunCheck {
  double max_rhat = 0;      // over the parameters (NaN ones, constants, left out)
  std::string worst_rhat;   // the parameter with the largest R-hat
  double min_ess_bulk = 0;  // over the parameters
  double min_ess_tail = 0;
  double min_ebfmi = 0;  // over the chains
  int divergences = 0;   // after warm-up
  int max_depth_hits = 0;
  std::vector<std::string> failures;  // one readable sentence each; empty when the run passes
  std::vector<std::string> notes;     // efficiency notes (tree depth)
  [[nodiscard]] bool ok() const { return failures.empty(); }
};

// Checks every parameter column of the draws; `names` name them in the messages.
[[nodiscard]] RunCheck check_run(const SampleResult& result, const std::vector<std::string>& names,
                                 int max_depth, const RunThresholds& thresholds = {});

}  // namespace recount::mcmc
