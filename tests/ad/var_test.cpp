#include "recount/ad/var.hpp"

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ad/expect_gradient.hpp"

namespace recount::ad {
namespace {

using testing::expect_gradient;

Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd x(static_cast<Eigen::Index>(values.size()));
  Eigen::Index k = 0;
  for (double v : values)
    x[k++] = v;
  return x;
}

TEST(Ad, Arithmetic) {
  expect_gradient([](std::span<const Var> x) { return x[0] * x[1] + x[0] / x[1] - 3.0 * x[1]; },
                  vec({1.3, -0.7}));
  expect_gradient(
      [](std::span<const Var> x) {
        return (2.0 - x[0]) / (x[1] + 4.0) - 1.5 / x[0] + (-x[1]) * 2.0;
      },
      vec({0.4, 2.5}));
  expect_gradient(
      [](std::span<const Var> x) { return x[0] - 1.0 + (5.0 + x[1]) + x[0] * x[0] / 2.0; },
      vec({0.4, 2.5}));
}

TEST(Ad, ElementaryFunctions) {
  expect_gradient(
      [](std::span<const Var> x) { return exp(x[0]) + log(x[1]) + log1p(x[1]) + expm1(x[0]); },
      vec({0.3, 2.0}));
  expect_gradient([](std::span<const Var> x) { return sqrt(x[1]) + square(x[0]) + pow(x[1], 2.5); },
                  vec({-0.3, 2.0}));
  for (double a : {-40.0, -2.0, 0.0, 3.0, 40.0}) {
    expect_gradient(
        [](std::span<const Var> x) {
          return inv_logit(x[0]) + log_inv_logit(x[0]) + softplus(x[0]);
        },
        vec({a}));
  }
  for (double a : {-30.0, -1.0, -0.5, -1e-3})
    expect_gradient([](std::span<const Var> x) { return log1m_exp(x[0]); }, vec({a}));
  expect_gradient([](std::span<const Var> x) { return log_sum_exp(x[0], x[1]); },
                  vec({-700.0, -701.0}));
  expect_gradient([](std::span<const Var> x) { return log_sum_exp(x[0], x[1]); }, vec({2.0, -1.0}));
}

TEST(Ad, Reductions) {
  expect_gradient([](std::span<const Var> x) { return sum(x) * x[2]; }, vec({1, 2, 3}));
  expect_gradient(
      [](std::span<const Var> x) {
        const std::vector<double> w{0.5, -2, 3};
        return dot(x, w) * x[0];
      },
      vec({1, 2, 3}));
}

TEST(Ad, Densities) {
  expect_gradient([](std::span<const Var> x) { return normal_lpdf(x[0], 1.0, 2.0); }, vec({0.3}));
  expect_gradient([](std::span<const Var> x) { return normal_lpdf(0.7, x[0], exp(x[1])); },
                  vec({0.3, -0.4}));
  expect_gradient([](std::span<const Var> x) { return lognormal_lpdf(exp(x[0]), 7.0, 1.5); },
                  vec({6.0}));
  expect_gradient([](std::span<const Var> x) { return gamma_lpdf(exp(x[0]), 2.0, 3.0); },
                  vec({-0.2}));
  expect_gradient([](std::span<const Var> x) { return beta_lpdf(inv_logit(x[0]), 2.0, 30.0); },
                  vec({-3.0}));
  expect_gradient([](std::span<const Var> x) { return exponential_lpdf(exp(x[0]), 3.0); },
                  vec({-1.0}));
}

TEST(Ad, DensityValuesMatchClosedForms) {
  tape().clear();
  EXPECT_NEAR(normal_lpdf(constant(1.0), 0.0, 1.0).v, -0.5 - 0.91893853320467274, 1e-12);
  EXPECT_NEAR(beta_lpdf(constant(0.5), 2.0, 2.0).v, std::log(1.5), 1e-12);
  EXPECT_NEAR(gamma_lpdf(constant(1.0), 1.0, 2.0).v, std::log(2.0) - 2.0, 1e-12);
}

TEST(Ad, NormalIntervalInAllRegimes) {
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    double lo, hi, mu, log_sigma;
  };
  for (const Case& c : std::vector<Case>{{-1, 1, 0.2, 0},
                                         {3, 4, 0, -0.5},
                                         {-inf, 2, 0.5, 0.1},
                                         {-inf, -20, 5, 0},
                                         {2, inf, -30, 0.5},
                                         {-5, -4, 0, 0},
                                         {10, 11, 0, -1}}) {
    expect_gradient(
        [&](std::span<const Var> x) { return normal_log_interval(c.lo, c.hi, x[0], exp(x[1])); },
        vec({c.mu, c.log_sigma}), 1e-5);
  }
  EXPECT_NEAR(log_normal_interval_value(-1.959963984540054, 1.959963984540054, 0, 1),
              std::log(0.95), 1e-9);
  EXPECT_NEAR(log_normal_cdf(-40), -804.608442013754, 1e-6);
}

TEST(Ad, TapesAreThreadLocal) {
  std::vector<double> results(4);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < 4; ++k) {
    threads.emplace_back([&results, k] {
      Eigen::VectorXd g;
      double total = 0;
      for (int rep = 0; rep < 200; ++rep)
        total += value_and_gradient([](std::span<const Var> x) { return square(x[0]) * 0.5; },
                                    vec({static_cast<double>(k)}), g) +
                 g[0];
      results[k] = total;
    });
  }
  for (auto& t : threads)
    t.join();
  for (std::size_t k = 0; k < 4; ++k) {
    const double x = static_cast<double>(k);
    EXPECT_DOUBLE_EQ(results[k], 200 * (0.5 * x * x + x));
  }
}

}  // namespace
}  // namespace recount::ad
