#pragma once
// The No-U-Turn sampler as in Stan: multinomial sampling over the trajectory, the generalised
// U-turn criterion, step size by dual averaging, diagonal mass matrix adapted in windows.
// Hoffman & Gelman (2014), JMLR 15:1593; Betancourt (2017), arXiv:1701.02434.

#include <cstdint>
#include <optional>
#include <vector>

#include <Eigen/Dense>

#include "recount/mcmc/log_density.hpp"

namespace recount::mcmc {

struct NutsOptions {
  int chains = 4;
  int warmup = 1000;
  int draws = 1000;
  int thin = 1;
  int max_depth = 10;
  double target_accept = 0.8;
  double step_size = 1.0;    // initial step size, before the heuristic and adaptation
  double init_radius = 2.0;  // initial values uniform(-r, r) on the unconstrained scale
  std::uint64_t seed = 1;    // chain c uses a stream derived from (seed, c): reproducible
  bool parallel = true;      // chains on separate threads
  bool progress = true;      // a progress bar on stderr
  // Adaptation windows as CmdStan: initial fast, slow doubling windows, terminal fast.
  int adapt_init_buffer = 75;
  int adapt_term_buffer = 50;
  int adapt_window = 25;
};

// One chain's kept draws (after warm-up) and the sampler's own diagnostics per draw, with the
// names CmdStan uses (lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__,
// energy__).
struct ChainDraws {
  Eigen::MatrixXd draws;  // draws x dimension, unconstrained
  std::vector<double> lp;
  std::vector<double> accept_stat;
  std::vector<double> stepsize;
  std::vector<int> treedepth;
  std::vector<int> n_leapfrog;
  std::vector<bool> divergent;
  std::vector<double> energy;
  double step_size = 0;            // after adaptation
  Eigen::VectorXd inverse_metric;  // diagonal, after adaptation
  int warmup_divergences = 0;
};

struct SampleResult {
  std::vector<ChainDraws> chains;
  [[nodiscard]] int divergences() const;  // after warm-up, all chains
  [[nodiscard]] int max_depth_hits(int max_depth) const;
};

// Runs the chains. `init`, when given, starts every chain there (used to warm-start refits),
// otherwise from uniform(-init_radius, init_radius). Throws recount::Error(internal) when no
// finite starting point is found in 100 tries.
[[nodiscard]] SampleResult sample_nuts(const LogDensity& model, const NutsOptions& options,
                                       const std::optional<Eigen::VectorXd>& init = std::nullopt);

}  // namespace recount::mcmc
