#include "recount/mcmc/conflict_stats.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "recount/mcmc/diagnostics.hpp"

namespace recount::mcmc {
namespace {

TEST(BenjaminiHochberg, MatchesRsPAdjust) {
  // R: p.adjust(c(0.01, 0.04, 0.03, 0.20, 0.005), "BH") = 0.025 0.05 0.05 0.20 0.025.
  const std::vector<double> adjusted = benjamini_hochberg({0.01, 0.04, 0.03, 0.20, 0.005});
  const std::vector<double> expected{0.025, 0.05, 0.05, 0.20, 0.025};
  ASSERT_EQ(adjusted.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(adjusted[i], expected[i], 1e-15);
}

TEST(BenjaminiHochberg, CapsAtOneAndKeepsNaN) {
  const std::vector<double> adjusted = benjamini_hochberg({0.9, std::nan(""), 0.8});
  EXPECT_DOUBLE_EQ(adjusted[0], 0.9);
  EXPECT_TRUE(std::isnan(adjusted[1]));
  EXPECT_DOUBLE_EQ(adjusted[2], 0.9);
  EXPECT_TRUE(benjamini_hochberg({}).empty());
}

TEST(WeightedQuantile, EqualWeightsAreType7) {
  const std::vector<double> x{5, 1, 4, 2, 3, 10};
  for (double p : {0.0, 0.05, 0.25, 0.5, 0.8, 0.95, 1.0}) {
    EXPECT_NEAR(weighted_quantile(x, {}, p), quantile(x, p), 1e-12) << p;
    EXPECT_NEAR(weighted_quantile(x, std::vector<double>(6, -2.0), p), quantile(x, p), 1e-12) << p;
  }
}

TEST(WeightedQuantile, FollowsTheWeights) {
  // Almost all weight on 7: every central quantile is near 7.
  const std::vector<double> x{1, 7, 20};
  const std::vector<double> lw{std::log(0.001), std::log(0.998), std::log(0.001)};
  EXPECT_NEAR(weighted_quantile(x, lw, 0.5), 7, 1e-9);
  EXPECT_NEAR(weighted_quantile(x, lw, 0.2), 7, 0.1);
  EXPECT_NEAR(weighted_quantile(x, lw, 0.8), 7, 0.2);
  // Duplicating a draw is the same as doubling its weight.
  const std::vector<double> y{1, 2, 2, 3};
  const std::vector<double> z{1, 2, 3};
  const std::vector<double> lz{0, std::log(2.0), 0};
  EXPECT_NEAR(weighted_quantile(z, lz, 0.5), weighted_quantile(y, {}, 0.5), 1e-12);
}

TEST(PredictivePValue, TwoSided) {
  std::vector<double> draws;
  for (int i = 1; i <= 100; ++i)
    draws.push_back(i);
  EXPECT_NEAR(predictive_p_value(draws, 50.5), 1.0, 1e-12);
  EXPECT_NEAR(predictive_p_value(draws, 95.5), 0.10, 1e-12);
  EXPECT_NEAR(predictive_p_value(draws, 2.5), 0.04, 1e-12);
  EXPECT_NEAR(predictive_p_value(draws, 1000), 0.0, 1e-12);
  EXPECT_NEAR(predictive_p_value(draws, 100), 0.01, 1e-12);  // the tie counts half
}

TEST(PredictivePValue, UsesTheWeights) {
  const std::vector<double> draws{1, 2, 3, 4};
  const std::vector<double> lw{std::log(0.7), std::log(0.1), std::log(0.1), std::log(0.1)};
  // P(T > 1.5) = 0.3, P(T < 1.5) = 0.7.
  EXPECT_NEAR(predictive_p_value(draws, 1.5, lw), 0.6, 1e-12);
}

}  // namespace
}  // namespace recount::mcmc
