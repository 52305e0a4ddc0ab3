// The latent-class sampler against LCMCR on the published tables, within Monte Carlo error, and
// simulation-based calibration of the sampler (Talts, Betancourt, Simpson, Vehtari & Gelman
// 2018, arXiv:1804.06788). Release builds only (label statistical).

#include "recount/mse/lcmcr.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "mse/bayes/datasets.hpp"
#include "recount/mcmc/diagnostics.hpp"

namespace recount::mse {
namespace {

struct Reference {
  const char* name;
  CaptureTable table;
  double median, lower, upper;  // LCMCR 0.4.14, ../shared/data/mse/README.md
  double ess;                   // LCMCR's effective sample size of N in that run
  std::uint64_t seed;
};

// Monte Carlo standard error of the p-quantile of draws with effective size `ess`:
// sqrt(p (1 - p) / ess) / f(q_p) (the asymptotic variance of a sample quantile, with the
// effective size in place of the number of draws; Vehtari et al. 2021, section 4.3). The
// density f(q_p) is estimated from our pooled draws as 2h / (q_{p+h} - q_{p-h}).
// R's default quantile (type 7), as estimate_lcmcr.
double quantile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(h);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double quantile_mcse(const std::vector<double>& sorted, double p, double ess) {
  const double h = std::min(0.02, p / 2);
  const double density = 2 * h / (quantile(sorted, p + h) - quantile(sorted, p - h));
  return std::sqrt(p * (1 - p) / ess) / density;
}

TEST(LcmcrStatistical, MatchesLcmcrOnThePublishedTablesWithinMonteCarloError) {
  const Reference references[] = {
      {"kosovo", testing::kosovo(), 10418, 9000, 13571, 635, 7},
      {"hiv", testing::hiv(), 10936, 9345, 13098, 3738, 7},
      {"lesbian", testing::lesbian(), 5471, 4428, 7027, 1438, 7},
      {"artificial_3", testing::artificial_3(), 403, 240, 829, 4070, 7},
  };
  for (const auto& r : references) {
    SCOPED_TRACE(r.name);
    // The default run of estimate_lcmcr (4 chains, K* = 10, Gamma(0.25, 0.25)), chain by chain:
    // its draws are those of detail::lcmcr_chain on streams 0-3 (checked in lcmcr_test.cpp), and
    // the test needs them for the densities below.
    LcmcrOptions options;
    options.seed = r.seed;
    options.progress = false;
    options.burnin = lcmcr_default_burnin;
    options.samples = lcmcr_default_samples;
    options.thin = lcmcr_default_thin;
    std::vector<std::vector<double>> chains(static_cast<std::size_t>(options.chains));
    std::vector<std::thread> threads;
    for (std::size_t c = 0; c < chains.size(); ++c)
      threads.emplace_back(
          [&, c] { chains[c] = detail::lcmcr_chain(r.table, options, {}, c).population; });
    for (auto& t : threads)
      t.join();
    std::vector<double> pooled;
    for (const auto& chain : chains)
      pooled.insert(pooled.end(), chain.begin(), chain.end());
    std::sort(pooled.begin(), pooled.end());
    ASSERT_LE(mcmc::split_rhat(chains), lcmcr_max_rhat);
    const double ess = mcmc::ess_bulk(chains);
    ASSERT_GE(ess, lcmcr_min_ess);
    // Both runs carry Monte Carlo error: the tolerance is 4 standard errors of the difference,
    // sqrt(se_ours^2 + se_lcmcr^2), each from the quantile formula above with the run's ESS
    // (a false alarm about once in 16,000 comparisons under normality).
    const struct {
      double p, reference;
    } checks[] = {{0.5, r.median}, {0.025, r.lower}, {0.975, r.upper}};
    for (const auto& c : checks) {
      const double ours = quantile(pooled, c.p);
      const double se =
          std::hypot(quantile_mcse(pooled, c.p, ess), quantile_mcse(pooled, c.p, r.ess));
      std::printf("%s q%.3f: %.0f (LCMCR %.0f, standard error %.0f, ESS %.0f)\n", r.name, c.p, ours,
                  c.reference, se, ess);
      EXPECT_NEAR(ours, c.reference, 4 * se) << "quantile " << c.p << ", standard error " << se;
    }
  }
}

// SBC needs a proper prior: N ~ Poisson(mu), mu ~ Gamma(20, 0.1) (mean 200), with which the
// sampler's update of the number missing is negative binomial(n + 20, 1 - p0 / 1.1); LCMCR's
// 1/N prior is its limit at shape = rate = 0, the same code path. Each replicate draws every
// parameter from its prior, simulates a table, runs one chain and records the rank of the true
// value among L = 99 thinned draws, which is uniform on 0..99 when the sampler is right, for three
// quantities: N; the number of classes that hold anyone (observed or not), which is what the
// split-merge move changes; and the people in the first class, which is what the reallocation
// between two classes changes (labels are not exchangeable under stick-breaking, so the first
// class is the same class in the simulation and in the sampler). The moves are run every sweep
// here (the sampler runs them every tenth), so that the check bears on them as much as on the
// Gibbs steps; their settings' log_bias is a deliberate error (0 is the sampler).
struct CalibrationResult {
  double chi2_population;
  double chi2_occupied;
  double chi2_first_class;
  [[nodiscard]] double largest() const {
    return std::max({chi2_population, chi2_occupied, chi2_first_class});
  }
};

// Chi-square statistic of uniformity of ranks in 0..99 in 10 bins of 10.
double rank_chi_square(const std::vector<int>& bins, int replicates) {
  double chi2 = 0;
  const double expected = replicates / 10.0;
  for (int b : bins)
    chi2 += (b - expected) * (b - expected) / expected;
  return chi2;
}

CalibrationResult calibrate(detail::SplitMergeSettings split_merge,
                            detail::ReallocationSettings reallocation) {
  const detail::PopulationPrior prior{20, 0.1};
  constexpr int lists = 3;
  constexpr int classes = 3;
  constexpr int replicates = 400;
  constexpr int draws = 99;
  std::mt19937_64 rng(2018);
  std::vector<int> population_bins(10, 0);
  std::vector<int> occupied_bins(10, 0);
  std::vector<int> first_class_bins(10, 0);
  auto rank_of = [&](const std::vector<double>& posterior, double truth) {
    int below = 0;
    int ties = 0;
    for (double x : posterior) {
      below += x < truth ? 1 : 0;
      ties += x == truth ? 1 : 0;
    }
    return below + std::uniform_int_distribution<int>(0, ties)(rng);  // ties broken at random
  };
  for (int rep = 0; rep < replicates; ++rep) {
    std::gamma_distribution<double> gamma_mu(prior.shape, 1 / prior.rate);
    const auto n_true = std::poisson_distribution<int>(gamma_mu(rng))(rng);
    const double alpha = std::gamma_distribution<double>(0.25, 1 / 0.25)(rng);
    std::vector<double> pi(classes);
    double rest = 1;
    for (int k = 0; k + 1 < classes; ++k) {
      const double a = std::gamma_distribution<double>(1, 1)(rng);
      const double b = std::gamma_distribution<double>(std::max(alpha, 1e-300), 1)(rng);
      const double v = a + b > 0 ? a / (a + b) : 1;
      pi[static_cast<std::size_t>(k)] = rest * v;
      rest *= 1 - v;
    }
    pi[classes - 1] = rest;
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<double> lambda(lists * classes);
    for (double& l : lambda)
      l = unit(rng);
    std::discrete_distribution<int> pick(pi.begin(), pi.end());
    CaptureTable table;
    table.lists = {"A", "B", "C"};
    table.counts.assign(8, 0);
    std::vector<int> members(classes, 0);
    for (int i = 0; i < n_true; ++i) {
      const int k = pick(rng);
      ++members[static_cast<std::size_t>(k)];
      std::size_t pattern = 0;
      for (int j = 0; j < lists; ++j)
        if (unit(rng) < lambda[static_cast<std::size_t>(j * classes + k)])
          pattern |= std::size_t{1} << j;
      table.counts[pattern] += 1;
    }
    table.counts[0] = 0;
    if (table.observed() == 0) {
      // No one seen: the sampler needs data. Selecting replicates on the data alone keeps the
      // ranks uniform (N given the data still follows the posterior), so draw again.
      --rep;
      continue;
    }
    const auto occupied_true = static_cast<double>(
        std::count_if(members.begin(), members.end(), [](int m) { return m > 0; }));
    LcmcrOptions options;
    options.classes = classes;
    options.burnin = 500;
    options.samples = draws;
    options.thin = 40;
    options.seed = 1000 + static_cast<std::uint64_t>(rep);
    options.progress = false;
    const auto posterior = detail::lcmcr_chain(table, options, prior, 0, split_merge, reallocation);
    ++population_bins[static_cast<std::size_t>(rank_of(posterior.population, n_true) / 10)];
    ++occupied_bins[static_cast<std::size_t>(rank_of(posterior.occupied, occupied_true) / 10)];
    ++first_class_bins[static_cast<std::size_t>(
        rank_of(posterior.first_class, static_cast<double>(members[0])) / 10)];
  }
  const CalibrationResult result{rank_chi_square(population_bins, replicates),
                                 rank_chi_square(occupied_bins, replicates),
                                 rank_chi_square(first_class_bins, replicates)};
  std::printf(
      "SBC (split-merge every %lld, bias %g; reallocation every %lld, bias %g) ranks in 10 bins "
      "of N: %s, chi-square %.2f; of occupied classes: %s, chi-square %.2f; of the first "
      "class's people: %s, chi-square %.2f\n",
      static_cast<long long>(split_merge.interval), split_merge.log_bias,
      static_cast<long long>(reallocation.interval), reallocation.log_bias,
      ::testing::PrintToString(population_bins).c_str(), result.chi2_population,
      ::testing::PrintToString(occupied_bins).c_str(), result.chi2_occupied,
      ::testing::PrintToString(first_class_bins).c_str(), result.chi2_first_class);
  return result;
}

// 9 degrees of freedom: uniformity is rejected at the 0.1% level above 27.88 (for the three
// statistics together, a false alarm about once in 330 fixed-seed runs).
constexpr double chi_square_9_at_0_001 = 27.88;

TEST(LcmcrStatistical, SimulationBasedCalibrationOfNOccupiedClassesAndTheFirstClass) {
  const auto result = calibrate({.interval = 1}, {.interval = 1});
  EXPECT_LT(result.chi2_population, chi_square_9_at_0_001);
  EXPECT_LT(result.chi2_occupied, chi_square_9_at_0_001);
  EXPECT_LT(result.chi2_first_class, chi_square_9_at_0_001);
}

// The same check detects a split-merge move whose acceptance ratio is wrong by a factor of e^2
// in favour of splits: it is sensitive to the move, not only to the Gibbs steps around it.
// (Without the reallocation, which would mend part of the error between splits.)
TEST(LcmcrStatistical, SimulationBasedCalibrationDetectsAWrongSplitMergeRatio) {
  const auto result = calibrate({.interval = 1, .log_bias = 2}, {.interval = 0});
  EXPECT_GT(result.largest(), chi_square_9_at_0_001);
}

// And a reallocation whose conditionals are tilted by a factor of e^0.05 per person towards the
// later class of the pair (the split-merge at its interval of 10).
TEST(LcmcrStatistical, SimulationBasedCalibrationDetectsAWrongReallocation) {
  const auto result = calibrate({}, {.interval = 1, .log_bias = 0.05});
  EXPECT_GT(result.largest(), chi_square_9_at_0_001);
}

}  // namespace
}  // namespace recount::mse
