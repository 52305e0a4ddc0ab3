// The hand-written gamma, binomial and Poisson draws against their exact distributions: a
// chi-square test of 200,000 draws at a fixed seed for each regime of the algorithms (gamma below
// 1, at 1 and above, where the squeeze or the log test decides; binomial inversion (its first
// probability by repeated squaring and, beyond n = 4096, by logarithms), BTRD with and without its
// squeeze, the p > 1/2 reflection; Poisson multiplication and PTRS).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <gtest/gtest.h>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/poisson.hpp>

#include "recount/mse/lcmcr.hpp"

namespace recount::mse {
namespace {

// Pools cells with expected counts below 5 into their neighbours, then returns the p-value of
// the chi-square statistic.
double chi_square_p(const std::map<std::int64_t, double>& observed,
                    const std::function<double(std::int64_t)>& pmf, std::int64_t lo,
                    std::int64_t hi, double draws) {
  double stat = 0;
  int cells = 0;
  double pool_expected = draws * [&] {
    double below = 0;
    for (std::int64_t k = 0; k < lo; ++k)
      below += pmf(k);
    return below;
  }();
  double pool_observed = 0;
  for (const auto& [k, count] : observed)
    if (k < lo) pool_observed += count;
  for (std::int64_t k = lo; k <= hi + 1; ++k) {
    const bool last = k == hi + 1;
    double e = 0;
    double o = 0;
    if (last) {
      e = draws;  // the upper tail: everything not yet counted
      o = draws;
      for (std::int64_t j = 0; j <= hi; ++j)
        e -= draws * pmf(j);
      for (const auto& [j, count] : observed)
        if (j <= hi) o -= count;
    } else {
      e = draws * pmf(k);
      const auto it = observed.find(k);
      o = it == observed.end() ? 0 : it->second;
    }
    pool_expected += e;
    pool_observed += o;
    if (pool_expected >= 5 || last) {
      if (pool_expected > 0) {
        stat += (pool_observed - pool_expected) * (pool_observed - pool_expected) / pool_expected;
        ++cells;
      }
      pool_expected = 0;
      pool_observed = 0;
    }
  }
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(cells - 1), stat));
}

// A continuous law: 40 cells of equal probability between its quantiles.
TEST(RandomVariates, GammaMatchesItsDistribution) {
  detail::Xoshiro256 rng(3);
  constexpr int cells = 40;
  constexpr double draws = 200000;
  for (double shape : {0.05, 0.3, 1.0, 1.5, 9.25, 1000.0}) {
    SCOPED_TRACE(shape);
    const boost::math::gamma_distribution<double> dist(shape);
    std::vector<double> bounds;
    for (int i = 1; i < cells; ++i)
      bounds.push_back(boost::math::quantile(dist, static_cast<double>(i) / cells));
    std::map<std::int64_t, double> counts;
    for (int i = 0; i < static_cast<int>(draws); ++i) {
      const double x = detail::gamma(rng, shape);
      ASSERT_TRUE(std::isfinite(x));
      ASSERT_GE(x, 0);
      counts[std::upper_bound(bounds.begin(), bounds.end(), x) - bounds.begin()] += 1;
    }
    const double p = chi_square_p(
        counts, [](std::int64_t) { return 1.0 / cells; }, 0, cells - 1, draws);
    EXPECT_GT(p, 1e-4);
  }
}

TEST(RandomVariates, BinomialMatchesItsDistribution) {
  detail::Xoshiro256 rng(99);
  const struct {
    std::int64_t n;
    double p;
  } cases[] = {{20, 0.3},        {7, 0.9},      {1000, 0.37},  {60, 0.5},     {3000, 0.002},
               {100000, 0.0004}, {5000, 0.999}, {200000, 0.2}, {6000, 0.0015}};
  constexpr double draws = 200000;
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << "n=" << c.n << " p=" << c.p);
    std::map<std::int64_t, double> counts;
    for (int i = 0; i < static_cast<int>(draws); ++i) {
      const auto x = detail::binomial(rng, c.n, c.p);
      ASSERT_GE(x, 0);
      ASSERT_LE(x, c.n);
      counts[x] += 1;
    }
    const boost::math::binomial_distribution<double> dist(static_cast<double>(c.n), c.p);
    const auto lo = static_cast<std::int64_t>(boost::math::quantile(dist, 1e-6));
    const auto hi = static_cast<std::int64_t>(boost::math::quantile(dist, 1 - 1e-6));
    const double p = chi_square_p(
        counts, [&](std::int64_t k) { return boost::math::pdf(dist, static_cast<double>(k)); }, lo,
        hi, draws);
    EXPECT_GT(p, 1e-4);
  }
}

TEST(RandomVariates, PoissonMatchesItsDistribution) {
  detail::Xoshiro256 rng(7);
  constexpr double draws = 200000;
  for (double mean : {0.3, 4.0, 10.0, 57.5, 6000.0}) {
    SCOPED_TRACE(mean);
    std::map<std::int64_t, double> counts;
    for (int i = 0; i < static_cast<int>(draws); ++i)
      counts[detail::poisson(rng, mean)] += 1;
    const boost::math::poisson_distribution<double> dist(mean);
    const auto lo = static_cast<std::int64_t>(boost::math::quantile(dist, 1e-6));
    const auto hi = static_cast<std::int64_t>(boost::math::quantile(dist, 1 - 1e-6));
    const double p = chi_square_p(
        counts, [&](std::int64_t k) { return boost::math::pdf(dist, static_cast<double>(k)); }, lo,
        hi, draws);
    EXPECT_GT(p, 1e-4);
  }
}

TEST(RandomVariates, StreamsDiffer) {
  detail::Xoshiro256 a(1);
  detail::Xoshiro256 b(1);
  b.jump();
  EXPECT_NE(a(), b());
  detail::Xoshiro256 c(1);
  EXPECT_EQ(detail::Xoshiro256(1)(), c());
}

}  // namespace
}  // namespace recount::mse
