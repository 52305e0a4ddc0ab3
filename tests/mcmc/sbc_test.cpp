// Simulation-based calibration of the sampler (Talts, Betancourt, Simpson, Vehtari & Gelman
// 2018, arXiv:1804.06788): draw parameters from the prior, data from the model, sample the
// posterior; the rank of the true value among L posterior draws is uniform on 0..L exactly when
// the sampler is right. Ranks are binned and tested by a chi-square test at fixed seeds.

#include <cmath>
#include <functional>
#include <memory>
#include <random>

#include <gtest/gtest.h>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/random/normal_distribution.hpp>

#include "mcmc/test_models.hpp"
#include "recount/mcmc/nuts.hpp"

namespace recount::mcmc {
namespace {

constexpr int kReplications = 1000;
constexpr int kDraws = 99;  // ranks 0..99
constexpr int kBins = 20;   // 5 ranks a bin, 50 expected per bin
constexpr double kMinPValue = 0.001;

// One simulated data set: the model to sample and the true values of the tracked quantities.
struct Simulation {
  std::unique_ptr<LogDensity> model;
  std::vector<double> truth;
};
using Simulator = std::function<Simulation(std::mt19937_64&)>;
// The tracked quantities of one unconstrained draw.
using Quantities = std::function<std::vector<double>(const Eigen::VectorXd&)>;

// The chi-square test's p-value for each tracked quantity's ranks.
std::vector<double> sbc_p_values(const Simulator& simulate, const Quantities& quantities,
                                 std::size_t tracked, int thin) {
  std::vector<std::vector<int>> counts(tracked, std::vector<int>(kBins, 0));
  for (int r = 0; r < kReplications; ++r) {
    std::seed_seq seq{2018, r};
    std::mt19937_64 rng(seq);
    const Simulation sim = simulate(rng);
    NutsOptions options;
    options.chains = 1;
    options.warmup = 200;
    options.draws = kDraws * thin;
    options.thin = thin;
    options.seed = static_cast<std::uint64_t>(r) + 1;
    options.parallel = false;
    options.progress = false;
    const SampleResult result = sample_nuts(*sim.model, options);
    const Eigen::MatrixXd& draws = result.chains[0].draws;
    EXPECT_EQ(draws.rows(), kDraws);
    std::vector<int> rank(tracked, 0);
    for (Eigen::Index i = 0; i < draws.rows(); ++i) {
      const std::vector<double> q = quantities(draws.row(i).transpose());
      for (std::size_t k = 0; k < tracked; ++k)
        rank[k] += q[k] < sim.truth[k] ? 1 : 0;
    }
    for (std::size_t k = 0; k < tracked; ++k)
      ++counts[k][rank[k] * kBins / (kDraws + 1)];
  }
  std::vector<double> p_values;
  const double expected = static_cast<double>(kReplications) / kBins;
  for (const std::vector<int>& bins : counts) {
    double chi2 = 0;
    for (int c : bins)
      chi2 += (c - expected) * (c - expected) / expected;
    const boost::math::chi_squared distribution(kBins - 1);
    p_values.push_back(boost::math::cdf(boost::math::complement(distribution, chi2)));
  }
  return p_values;
}

// Non-centred normal-normal hierarchical model: mu ~ N(0, 1), tau ~ half-N(0, 1),
// theta_j ~ N(mu, tau), y_j ~ N(theta_j, sigma_j), four groups.
Simulation simulate_hierarchical(std::mt19937_64& rng, double model_prior_sd) {
  boost::random::normal_distribution<double> normal;
  const std::vector<double> sigma{1, 2, 0.5, 1.5};
  const double mu = normal(rng);
  const double tau = std::abs(normal(rng));
  std::vector<double> y;
  double theta1 = 0;
  for (std::size_t j = 0; j < sigma.size(); ++j) {
    const double theta = mu + tau * normal(rng);
    if (j == 0) theta1 = theta;
    y.push_back(theta + sigma[j] * normal(rng));
  }
  return {std::make_unique<testing::Hierarchical>(y, sigma, false, false, model_prior_sd, 1.0),
          {mu, tau, theta1}};
}

std::vector<double> hierarchical_quantities(const Eigen::VectorXd& x) {
  const double tau = std::exp(x[1]);
  return {x[0], tau, x[0] + tau * x[2]};
}

TEST(Sbc, NonCentredHierarchicalModel) {
  const std::vector<double> p =
      sbc_p_values([](std::mt19937_64& rng) { return simulate_hierarchical(rng, 1.0); },
                   hierarchical_quantities, 3, 4);
  for (std::size_t k = 0; k < p.size(); ++k)
    EXPECT_GT(p[k], kMinPValue) << "quantity " << k;
}

TEST(Sbc, CorrelatedNormal) {
  // theta ~ N(0, I); three observations y_i ~ N(theta, Sigma), sds 1 and 0.5, correlation 0.8.
  const auto simulate = [](std::mt19937_64& rng) {
    boost::random::normal_distribution<double> normal;
    const Eigen::Vector2d theta(normal(rng), normal(rng));
    std::vector<Eigen::Vector2d> y;
    for (int i = 0; i < 3; ++i) {
      const double z1 = normal(rng);
      const double z2 = 0.8 * z1 + std::sqrt(1 - 0.8 * 0.8) * normal(rng);
      y.emplace_back(theta[0] + z1, theta[1] + 0.5 * z2);
    }
    return Simulation{std::make_unique<testing::CorrelatedNormal>(y, 1.0, 1.0, 0.5, 0.8),
                      {theta[0], theta[1], theta[0] - theta[1]}};
  };
  const std::vector<double> p = sbc_p_values(
      simulate,
      [](const Eigen::VectorXd& x) {
        return std::vector<double>{x[0], x[1], x[0] - x[1]};
      },
      3, 2);
  for (std::size_t k = 0; k < p.size(); ++k)
    EXPECT_GT(p[k], kMinPValue) << "quantity " << k;
}

TEST(Sbc, DetectsAWrongPosterior) {
  // The power check: fitting with a prior on mu three times too narrow must fail the test.
  const std::vector<double> p =
      sbc_p_values([](std::mt19937_64& rng) { return simulate_hierarchical(rng, 1.0 / 3); },
                   hierarchical_quantities, 3, 4);
  EXPECT_LT(p[0], kMinPValue);
}

}  // namespace
}  // namespace recount::mcmc
