#include "recount/mcmc/psis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>
#include <boost/random/uniform_01.hpp>

namespace recount::mcmc {
namespace {

double log_sum_exp(const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  double s = 0;
  for (double v : x)
    s += std::exp(v - m);
  return m + std::log(s);
}

// Log ratios of a Pareto distribution with tail shape k: r = U^(-k).
std::vector<double> pareto_log_ratios(std::size_t n, double k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  boost::random::uniform_01<double> uniform;
  std::vector<double> out(n);
  for (double& v : out)
    v = -k * std::log(1 - uniform(rng));
  return out;
}

TEST(Psis, RecoversAKnownTailShape) {
  // With S = 10000 the tail has 300 draws; k-hat's sd is 0.08 (k = 0.2) to 0.14 (k = 0.9), as
  // 50 replications showed. The mean of 5 fits has sd < 0.065: tolerance 0.2 is 3 sd.
  for (double k : {0.2, 0.5, 0.9}) {
    double mean = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      mean += psis(pareto_log_ratios(10000, k, seed), 1.0).pareto_k / 5;
    }
    EXPECT_NEAR(mean, k, 0.2) << k;
  }
}

TEST(Psis, WeightsAreNormalised) {
  const PsisResult r = psis(pareto_log_ratios(2000, 0.6, 7), 0.8);
  ASSERT_EQ(r.log_weights.size(), 2000U);
  EXPECT_NEAR(log_sum_exp(r.log_weights), 0, 1e-12);
}

TEST(Psis, SmoothsOnlyTheTail) {
  const std::vector<double> raw = pareto_log_ratios(1000, 0.6, 8);
  const PsisResult r = psis(raw, 1.0);
  // The body (all but the largest M = 95 draws) keeps its relative weights.
  std::vector<double> sorted = raw;
  std::sort(sorted.begin(), sorted.end());
  const double cutoff = sorted[1000 - 95 - 1];
  double offset = std::nan("");
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] > cutoff) continue;
    if (std::isnan(offset)) offset = r.log_weights[i] - raw[i];
    EXPECT_NEAR(r.log_weights[i] - raw[i], offset, 1e-9);
  }
  // On the raw scale, no smoothed weight exceeds the largest raw weight.
  for (double w : r.log_weights)
    EXPECT_LE(w - offset, sorted.back() + 1e-9);
}

TEST(Psis, BoundedRatiosAreBarelyChanged) {
  // Uniform ratios have a light (bounded) tail: k-hat is negative and smoothing changes the
  // normalised weights by far less than their size.
  std::mt19937_64 rng(3);
  boost::random::uniform_01<double> uniform;
  std::vector<double> raw(4000);
  for (double& v : raw)
    v = std::log(0.5 + uniform(rng));
  const PsisResult r = psis(raw, 1.0);
  EXPECT_LT(r.pareto_k, 0);
  const double normaliser = log_sum_exp(raw);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    EXPECT_NEAR(std::exp(r.log_weights[i]), std::exp(raw[i] - normaliser), 0.02 / 4000);
  }
}

TEST(Psis, EqualRatiosGiveEqualWeights) {
  const PsisResult r = psis(std::vector<double>(100, -3.0), 1.0);
  for (double w : r.log_weights)
    EXPECT_NEAR(w, -std::log(100.0), 1e-12);
}

TEST(Psis, RelativeEfficiency) {
  // Independent draws: r_eff near 1; each value repeated 4 times: near 1/4.
  std::mt19937_64 rng(5);
  boost::random::uniform_01<double> uniform;
  std::vector<std::vector<double>> iid(2);
  std::vector<std::vector<double>> sticky(2);
  for (std::size_t c = 0; c < 2; ++c) {
    for (int i = 0; i < 2000; ++i)
      iid[c].push_back(uniform(rng));
    for (int i = 0; i < 500; ++i)
      sticky[c].insert(sticky[c].end(), 4, uniform(rng));
  }
  EXPECT_NEAR(relative_efficiency(iid), 1, 0.15);
  EXPECT_NEAR(relative_efficiency(sticky), 0.25, 0.05);
  EXPECT_EQ(relative_efficiency({std::vector<double>(10, 1.0)}), 1);
}

TEST(Psis, InfiniteRatiosAreFlaggedNotFatal) {
  std::vector<double> raw(100, 0.0);
  raw[3] = std::numeric_limits<double>::infinity();
  raw[7] = std::numeric_limits<double>::infinity();
  raw[9] = std::nan("");
  PsisResult r = psis(raw, 1.0);
  EXPECT_TRUE(std::isinf(r.pareto_k));
  EXPECT_DOUBLE_EQ(r.log_weights[3], std::log(0.5));
  EXPECT_DOUBLE_EQ(r.log_weights[7], std::log(0.5));
  EXPECT_EQ(r.log_weights[0], -std::numeric_limits<double>::infinity());
  r = psis(std::vector<double>(20, -std::numeric_limits<double>::infinity()), 1.0);
  EXPECT_TRUE(std::isinf(r.pareto_k));
  EXPECT_NEAR(log_sum_exp(r.log_weights), 0, 1e-12);
}

TEST(Psis, Threshold) {
  EXPECT_DOUBLE_EQ(pareto_k_threshold(100), 0.5);
  EXPECT_DOUBLE_EQ(pareto_k_threshold(1000), 1 - 1 / 3.0);
  EXPECT_DOUBLE_EQ(pareto_k_threshold(100000), 0.7);
}

TEST(GeneralizedPareto, FitsExactQuantiles) {
  // The expected order statistics of a GPD(k = 0.4, sigma = 2): k-hat near 0.4 (the prior pulls
  // it towards 0.5 by 10 / (n + 10)).
  const double k = 0.4;
  const double sigma = 2;
  std::vector<double> x;
  for (int i = 0; i < 500; ++i) {
    const double p = (i + 0.5) / 500;
    x.push_back(sigma * std::expm1(-k * std::log1p(-p)) / k);
  }
  const GeneralizedPareto fit = fit_generalized_pareto(x);
  EXPECT_NEAR(fit.k, k, 0.05);
  EXPECT_NEAR(fit.sigma, sigma, 0.2);
}

}  // namespace
}  // namespace recount::mcmc
