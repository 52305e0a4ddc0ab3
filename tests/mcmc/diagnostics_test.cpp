#include "recount/mcmc/diagnostics.hpp"

#include <cmath>
#include <random>

#include <gtest/gtest.h>
#include <boost/random/normal_distribution.hpp>

namespace recount::mcmc {
namespace {

// Chains of an AR(1) process x_t = rho x_{t-1} + sqrt(1 - rho^2) e_t, started stationary.
ChainValues ar1_chains(int chains, int draws, double rho, std::uint64_t seed,
                       double shift_last = 0) {
  std::mt19937_64 rng(seed);
  boost::random::normal_distribution<double> normal;
  ChainValues out(static_cast<std::size_t>(chains));
  for (int c = 0; c < chains; ++c) {
    double x = normal(rng);
    for (int i = 0; i < draws; ++i) {
      x = rho * x + std::sqrt(1 - rho * rho) * normal(rng);
      out[static_cast<std::size_t>(c)].push_back(x + (c == chains - 1 ? shift_last : 0));
    }
  }
  return out;
}

TEST(Quantile, MatchesRType7) {
  // R: quantile(c(1, 2, 3, 4), c(0, 0.25, 0.5, 0.9, 1)) = 1, 1.75, 2.5, 3.7, 4.
  const std::vector<double> x{4, 2, 1, 3};
  EXPECT_DOUBLE_EQ(quantile(x, 0), 1);
  EXPECT_DOUBLE_EQ(quantile(x, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile(x, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile(x, 0.9), 3.7);
  EXPECT_DOUBLE_EQ(quantile(x, 1), 4);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(Ess, IndependentDrawsGiveAboutTheirNumber) {
  // For iid draws ESS ~ S; the estimator's relative sd at S = 4000 is a few percent.
  const ChainValues chains = ar1_chains(4, 1000, 0.0, 11);
  EXPECT_NEAR(ess_bulk(chains), 4000, 400);
  EXPECT_NEAR(ess_basic(chains), 4000, 400);
  EXPECT_NEAR(ess_tail(chains), 4000, 600);
}

TEST(Ess, Ar1ChainsGiveTheTheoreticalValue) {
  // ESS = S (1 - rho) / (1 + rho) for an AR(1) chain (Geyer 1992).
  for (double rho : {0.5, 0.9}) {
    const ChainValues chains = ar1_chains(4, 4000, rho, 23);
    const double expected = 16000 * (1 - rho) / (1 + rho);
    EXPECT_NEAR(ess_basic(chains), expected, 0.15 * expected) << rho;
    EXPECT_NEAR(ess_bulk(chains), expected, 0.15 * expected) << rho;
  }
}

TEST(Ess, AntitheticChainsAreCappedAtSLog10S) {
  ChainValues chains(1);
  for (int i = 0; i < 1000; ++i)
    chains[0].push_back(i % 2 == 0 ? 1.0 : -1.0);
  chains[0][10] = 0.5;  // not constant after splitting
  const double ess = ess_basic(chains);
  EXPECT_GT(ess, 1000);
  EXPECT_LE(ess, 1000 * std::log10(1000.0) + 1e-9);
}

TEST(Ess, ConstantChainsHaveNoEss) {
  const ChainValues chains(2, std::vector<double>(100, 3.0));
  EXPECT_TRUE(std::isnan(ess_bulk(chains)));
  EXPECT_TRUE(std::isnan(split_rhat(chains)));
}

TEST(EssArSpectrum, Ar1ChainsGiveTheTheoreticalValue) {
  // AR(1): S(0) = s2 / (1 - rho)^2 and var = s2 / (1 - rho^2), so n var / S(0) = n (1 - rho) /
  // (1 + rho). One chain of 4,000 draws, as LCMCR's reference runs; chains add up, as coda's.
  // Over 400 chains the estimate is unbiased with a relative sd of 5% (rho 0, 0.5) to 9% (0.9):
  // the bounds are 3 sd.
  for (double rho : {0.0, 0.5, 0.9}) {
    const ChainValues chains = ar1_chains(3, 4000, rho, 31);
    const double expected = 4000 * (1 - rho) / (1 + rho);
    EXPECT_NEAR(ess_ar_spectrum({chains[0]}), expected, 0.27 * expected) << rho;
    EXPECT_NEAR(ess_ar_spectrum(chains), 3 * expected, 0.16 * 3 * expected) << rho;
  }
}

TEST(EssArSpectrum, OrderZeroGivesTheNumberOfDraws) {
  // x = 1, 3, 3, 1 (by hand): deviations -1, 1, 1, -1, autocovariances r = 1, -1/4, -1/2, 1/4;
  // Levinson-Durbin gives innovations variances 1, 15/16, 3/5, 7/12 for orders 0-3 (at most
  // 10 log10 4), AIC 4 log v + 2p = 0, 1.74, 1.96, 3.84: order 0. Then S(0) = r0 4/3 = var(x)
  // and the ESS is n.
  EXPECT_NEAR(ess_ar_spectrum({{1, 3, 3, 1}}), 4, 1e-12);
}

TEST(EssArSpectrum, ConstantOrLinearChainsHaveNone) {
  EXPECT_EQ(ess_ar_spectrum({std::vector<double>(100, 3.0)}), 0);
  EXPECT_EQ(ess_ar_spectrum({{1, 2, 3, 4, 5, 6, 7, 8}}), 0);
}

TEST(Rhat, SameDistributionGivesAboutOne) {
  const ChainValues chains = ar1_chains(4, 1000, 0.3, 5);
  EXPECT_LT(split_rhat(chains), 1.01);
  EXPECT_GT(split_rhat(chains), 0.99);
}

TEST(Rhat, ShiftedChainIsFlagged) {
  const ChainValues chains = ar1_chains(4, 1000, 0.3, 5, 1.0);
  EXPECT_GT(split_rhat(chains), 1.1);
}

TEST(Rhat, DifferentScaleIsFlaggedByTheFoldedRhat) {
  // Same location, one chain four times wider: bulk R-hat barely moves, folded R-hat does.
  ChainValues chains = ar1_chains(4, 1000, 0.0, 8);
  for (double& x : chains[3])
    x *= 4;
  EXPECT_GT(split_rhat(chains), 1.1);
}

TEST(Rhat, TrendWithinAChainIsCaughtBySplitting) {
  ChainValues chains = ar1_chains(2, 1000, 0.0, 9);
  for (auto& chain : chains) {
    for (std::size_t i = 0; i < chain.size(); ++i)
      chain[i] += 3.0 * static_cast<double>(i) / 1000;
  }
  EXPECT_GT(split_rhat(chains), 1.1);
}

TEST(Diagnostics, MatchAnIndependentReference) {
  // A small deterministic data set (3 chains of 25: odd, so splitting drops middle draws); the
  // reference values come from a direct, FFT-free port of posterior's R code (rhat, ess_bulk,
  // ess_tail, ess_basic, mcse_mean): tests/mcmc/posterior_reference.py.
  ChainValues chains(3);
  for (int c = 0; c < 3; ++c) {
    double x = 0;
    for (int t = 0; t < 25; ++t) {
      x = 0.6 * x + std::sin(1.7 * t + 0.3 * c) + (c == 2 ? 0.5 : 0.0) * std::cos(t);
      chains[static_cast<std::size_t>(c)].push_back(x);
    }
  }
  EXPECT_NEAR(split_rhat(chains), 0.968720465370161, 1e-10);
  EXPECT_NEAR(ess_bulk(chains), 75.5821489925168, 1e-8);
  EXPECT_NEAR(ess_tail(chains), 53.9733333333333, 1e-8);
  EXPECT_NEAR(ess_basic(chains), 76.2673878262245, 1e-8);
  EXPECT_NEAR(summarize(chains).mcse, 0.0736902349314, 1e-10);
}

TEST(Ebfmi, MatchesTheDefinition) {
  // Squared differences 1 + 4 + 9 = 14 over squared deviations from the mean 1.5: 5.
  EXPECT_DOUBLE_EQ(ebfmi({1, 2, 0, 3}), 14.0 / 5.0);
  const ChainValues iid = ar1_chains(1, 4000, 0.0, 3);
  EXPECT_NEAR(ebfmi(iid[0]), 2.0, 0.15);  // independent energies: E-BFMI ~ 2
}

TEST(Summary, HasCmdStanColumns) {
  const ChainValues chains = ar1_chains(4, 1000, 0.0, 17);
  const Summary s = summarize(chains);
  EXPECT_NEAR(s.mean, 0, 4 * 1 / std::sqrt(4000.0));
  EXPECT_NEAR(s.sd, 1, 0.05);
  EXPECT_NEAR(s.q05, -1.645, 0.1);
  EXPECT_NEAR(s.q50, 0, 0.1);
  EXPECT_NEAR(s.q95, 1.645, 0.1);
  EXPECT_NEAR(s.mcse, s.sd / std::sqrt(4000.0), 0.002);
  EXPECT_GT(s.ess_bulk, 3000);
  EXPECT_GT(s.ess_tail, 3000);
  EXPECT_LT(s.rhat, 1.01);
}

}  // namespace
}  // namespace recount::mcmc
