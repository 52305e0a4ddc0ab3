#pragma once
// The Bayesian non-parametric latent-class model for capture-recapture (Manrique-Vallier 2016,
// Biometrics 72:1246), as the LCMCR package: truncated stick-breaking, Gibbs sampler.

#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "recount/mse/capture_table.hpp"
#include "recount/mse/estimate.hpp"

namespace recount::mse {

struct LcmcrOptions {
  int classes = 10;       // K*, the truncation
  double a_alpha = 0.25;  // Gamma(a, b) prior on the stick-breaking concentration
  double b_alpha = 0.25;
  int burnin = -1;  // < 0: the defaults documented in docs/mse.md
  int samples = -1;
  int thin = -1;
  int chains = 4;
  std::uint64_t seed = 1;
  double level = 0.95;
  bool progress = true;
};

// The defaults used when burnin, samples or thin are < 0: per chain, 50,000 burn-in sweeps,
// then 3,000 draws kept one in 100 (an effective sample size of N of 1,000 or more over four
// chains on the published datasets of the tests; with 2,000, R-hat of N on lesbian was above
// 1.01 for two seeds in ten, from its noise alone).
inline constexpr int lcmcr_default_burnin = 50000;
inline constexpr int lcmcr_default_samples = 3000;
inline constexpr int lcmcr_default_thin = 100;

// Diagnostics thresholds: a run is not trusted when R-hat of N exceeds this or its bulk
// effective sample size is below lcmcr_min_ess (Vehtari et al. 2021 recommend 1.01 and 100 per
// chain).
inline constexpr double lcmcr_max_rhat = 1.01;
inline constexpr double lcmcr_min_ess = 400;
// The data say little about N when the posterior's 90% interval of log(N - n + 1), n the number
// observed, is at least this fraction of the width of the prior's (N given only n); a warning
// says so. Measured ratios: 0.06-0.14 on hiv, kosovo, lesbian and a simulated 8-list table,
// 0.33 on artificial_3 (a list that overlaps no other), 0.43 on three lists that never overlap.
inline constexpr double lcmcr_max_prior_width_ratio = 0.3;

// Posterior median and equal-tailed interval of N in MseResult form (method "lcmcr"), with
// R-hat and effective sample size of N in diagnostics; trusted = false when they fail.
[[nodiscard]] MseResult estimate_lcmcr(const CaptureTable& table, const LcmcrOptions& options);

namespace detail {

// xoshiro256++ (Blackman & Vigna 2021, ACM TOMS 47:36): hand-written because it is several
// times faster than std::mt19937_64, with a 32-byte state and a jump() for independent streams.
class Xoshiro256 {
 public:
  using result_type = std::uint64_t;
  explicit Xoshiro256(std::uint64_t seed);  // the state filled by splitmix64, as the authors advise
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    const std::uint64_t result = std::rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }
  // Advances 2^128 steps: streams 0, 1, 2, ... of one seed never overlap.
  void jump();
  // Uniform on (0, 1]: never 0, so its logarithm is finite.
  double uniform_positive() { return (static_cast<double>((*this)() >> 11) + 1.0) * 0x1.0p-53; }

 private:
  std::uint64_t state_[4];
};

// Gamma(shape, 1) by Marsaglia & Tsang (2000, ACM TOMS 26:363), its normal draws by Boost's
// ziggurat. Hand-written: libstdc++'s std::gamma_distribution draws its normals by the polar
// method, a logarithm and a square root per pair, which made it a fifth of a sweep's time.
[[nodiscard]] double gamma(Xoshiro256& rng, double shape);
// Binomial(n, p) by inversion when n min(p, 1 - p) < 10, else BTRD (Hörmann 1993, J. Statist.
// Comput. Simul. 46:101). Hand-written: libstdc++'s rebuilds its tables on every call with
// std::lgamma, which is slow here (p changes every draw) and not reentrant.
[[nodiscard]] std::int64_t binomial(Xoshiro256& rng, std::int64_t n, double p);
// Poisson(mean) by multiplication below mean 10, else PTRS (Hörmann 1993, Insurance Math.
// Econom. 12:39); hand-written for the same reason.
[[nodiscard]] std::int64_t poisson(Xoshiro256& rng, double mean);

// A proper prior on N for calibration checks: N ~ Poisson(mu), mu ~ Gamma(shape, rate). Its
// limit shape = rate = 0 is the improper prior p(N) ∝ 1/N of LCMCR, the one used by
// estimate_lcmcr.
struct PopulationPrior {
  double shape = 0;
  double rate = 0;
};

// How often the split-merge move (docs/mse.md) proposed and was accepted in a chain.
struct SplitMergeCounts {
  std::int64_t splits_proposed = 0;
  std::int64_t splits_accepted = 0;
  std::int64_t merges_proposed = 0;
  std::int64_t merges_accepted = 0;
};

// What one chain keeps: at each kept draw N, the number of classes that hold anyone and the
// people (observed or not) in the first class (labels are not exchangeable under stick-breaking,
// so its size has a calibrated posterior); the class weights averaged over the kept draws, each
// draw's sorted largest first; the move counts.
struct ChainDraws {
  std::vector<double> population;
  std::vector<double> occupied;
  std::vector<double> first_class;
  std::vector<double> class_weights;
  SplitMergeCounts moves;
};

// The split-merge move's schedule and, for tests only, a deliberate error. interval: proposed
// every `interval` sweeps (see docs/mse.md for why 10). log_bias is added to the log acceptance
// ratio of every split (and taken from every merge's): 0 is the sampler; anything else breaks it
// on purpose, so that tests can show that calibration checks detect a wrong ratio.
struct SplitMergeSettings {
  std::int64_t interval = 10;
  double log_bias = 0;
};

// The collapsed reallocation of people between two classes (docs/mse.md): run every `interval`
// sweeps (0: never; see docs/mse.md for why 30). log_bias, for tests only, tilts each cell's
// conditional by e^log_bias per person in the later-labelled class of the pair: 0 is the sampler,
// anything else a deliberate error for calibration checks to detect.
struct ReallocationSettings {
  std::int64_t interval = 30;
  double log_bias = 0;
};

// One chain of the sampler (options.burnin/samples/thin must be set, >= 0). `stream` selects an
// independent random stream of options.seed.
[[nodiscard]] ChainDraws lcmcr_chain(const CaptureTable& table, const LcmcrOptions& options,
                                     PopulationPrior prior, std::uint64_t stream,
                                     SplitMergeSettings split_merge = {},
                                     ReallocationSettings reallocation = {});

}  // namespace detail
}  // namespace recount::mse
