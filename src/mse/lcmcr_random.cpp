// Random variates for the latent-class sampler: a fast generator and exact gamma, binomial and
// Poisson draws whose set-up is cheap enough to change parameters on every call.

#include <array>
#include <cmath>
#include <cstdint>

#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include "recount/mse/lcmcr.hpp"

namespace recount::mse::detail {

Xoshiro256::Xoshiro256(std::uint64_t seed) {
  for (auto& s : state_) {
    seed += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = seed;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    s = z ^ (z >> 31);
  }
}

void Xoshiro256::jump() {
  constexpr std::uint64_t polynomial[] = {0x180EC6D33CFD0ABAULL, 0xD5A61266F0C9392CULL,
                                          0xA9582618E03FC9AAULL, 0x39ABDC4529B1661CULL};
  std::uint64_t next[4] = {0, 0, 0, 0};
  for (std::uint64_t word : polynomial) {
    for (int b = 0; b < 64; ++b) {
      if ((word >> b) & 1U)
        for (int i = 0; i < 4; ++i)
          next[i] ^= state_[i];
      (*this)();
    }
  }
  for (int i = 0; i < 4; ++i)
    state_[i] = next[i];
}

namespace {

constexpr double log_sqrt_2pi = 0.91893853320467274178;

// Stirling's correction fc(k) = log k! - ((k + 1/2) log(k + 1) - (k + 1) + log sqrt(2 pi)):
// exact below 10 (from lgamma), the series beyond (Hörmann 1993, step 0 of BTRD).
double stirling_correction(std::int64_t k) {
  static const std::array<double, 10> table = [] {
    std::array<double, 10> t{};
    for (int i = 0; i < 10; ++i)
      t[static_cast<std::size_t>(i)] =
          boost::math::lgamma(i + 1.0) - ((i + 0.5) * std::log(i + 1.0) - (i + 1.0) + log_sqrt_2pi);
    return t;
  }();
  if (k < 10) return table[static_cast<std::size_t>(k)];
  const double r = 1.0 / (static_cast<double>(k) + 1);
  const double rr = r * r;
  return (1.0 / 12 - (1.0 / 360 - rr / 1260) * rr) * r;
}

// 1 / x for the first steps of the inversion's search: a multiplication instead of a division.
constexpr std::size_t inversion_reciprocals = 64;
const std::array<double, inversion_reciprocals> reciprocal_table = [] {
  std::array<double, inversion_reciprocals> t{};
  for (std::size_t x = 1; x < inversion_reciprocals; ++x)
    t[x] = 1.0 / static_cast<double>(x);
  return t;
}();

// P(X = 0) = q^n. Up to n = 4096 by repeated squaring (at most 24 products: a relative error
// below 4096 x 2^-52, 1e-12, where exp(n log1p(-p)) costs a logarithm and an exponential, the
// larger part of an inversion's time); beyond, by the logarithm.
double binomial_zero_probability(std::int64_t n, double p) {
  if (n > 4096) return std::exp(static_cast<double>(n) * std::log1p(-p));
  double power = 1;
  double base = 1 - p;
  for (auto e = static_cast<std::uint64_t>(n); e != 0; e >>= 1) {
    if ((e & 1U) != 0) power *= base;
    base *= base;
  }
  return power;
}

// Inversion by sequential search from 0 (Kachitvichyanukul & Schmeiser 1988, BINV): O(np).
std::int64_t binomial_inversion(Xoshiro256& rng, std::int64_t n, double p) {
  const double q = 1 - p;
  const double s = p / q;
  const double a = static_cast<double>(n + 1) * s;
  double start = 0;  // P(X = 0) = q^n, computed only when u needs it
  for (;;) {
    double u = rng.uniform_positive();
    // q^n >= 1 - n p (Bernoulli's inequality): below that u is in the first cell. The classes a
    // multinomial reaches last are tiny, and this spares them the power.
    if (u <= 1 - static_cast<double>(n) * p) return 0;
    if (start == 0) start = binomial_zero_probability(n, p);
    double r = start;
    std::int64_t x = 0;
    while (u > r) {
      u -= r;
      ++x;
      if (x > n) break;  // rounding left some u over: start again
      const auto ux = static_cast<std::size_t>(x);
      r *= a * (ux < inversion_reciprocals ? reciprocal_table[ux] : 1.0 / static_cast<double>(x)) -
           s;
    }
    if (x <= n) return x;
  }
}

// BTRD for p <= 1/2 and np >= 10 (Hörmann 1993, steps 0-3.3).
std::int64_t binomial_btrd(Xoshiro256& rng, std::int64_t n, double p) {
  const double nd = static_cast<double>(n);
  const double spq = std::sqrt(nd * p * (1 - p));
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double v_r = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double r = p / (1 - p);
  const double nr = (nd + 1) * r;
  const auto m = static_cast<std::int64_t>(std::floor((nd + 1) * p));
  for (;;) {
    double v = rng.uniform_positive();
    double u;
    if (v <= 0.86 * v_r) {
      u = v / v_r - 0.43;
      const double kd = std::floor((2 * a / (0.5 - std::abs(u)) + b) * u + c);
      if (kd >= 0 && kd <= nd) return static_cast<std::int64_t>(kd);
      continue;
    }
    if (v >= v_r) {
      u = rng.uniform_positive() - 0.5;
    } else {
      u = v / v_r - 0.93;
      u = (u < 0 ? -0.5 : 0.5) - u;
      v = rng.uniform_positive() * v_r;
    }
    const double us = 0.5 - std::abs(u);
    const double kd = std::floor((2 * a / us + b) * u + c);
    if (kd < 0 || kd > nd) continue;
    const auto k = static_cast<std::int64_t>(kd);
    v = v * alpha / (a / (us * us) + b);
    const std::int64_t km = k > m ? k - m : m - k;
    if (km <= 15) {
      // Recursive evaluation of f(k) / f(m).
      double f = 1;
      if (m < k) {
        for (std::int64_t i = m + 1; i <= k; ++i)
          f *= nr / static_cast<double>(i) - r;
      } else {
        for (std::int64_t i = k + 1; i <= m; ++i)
          v *= nr / static_cast<double>(i) - r;
      }
      if (v <= f) return k;
      continue;
    }
    // Squeeze on log f(k) / f(m), then the exact test with Stirling's corrections.
    v = std::log(v);
    const double npq = spq * spq;
    const double kmd = static_cast<double>(km);
    const double rho = (kmd / npq) * (((kmd / 3 + 0.625) * kmd + 1.0 / 6) / npq + 0.5);
    const double t = -kmd * kmd / (2 * npq);
    if (v < t - rho) return k;
    if (v > t + rho) continue;
    const double nm = static_cast<double>(n - m + 1);
    const double nk = static_cast<double>(n - k + 1);
    const double md = static_cast<double>(m);
    const double h = stirling_correction(m) + stirling_correction(n - m);
    const double bound = (md + 0.5) * std::log((md + 1) / (r * nm)) + h +
                         (nd + 1) * std::log(nm / nk) + (kd + 0.5) * std::log(nk * r / (kd + 1)) -
                         stirling_correction(k) - stirling_correction(n - k);
    if (v <= bound) return k;
  }
}

}  // namespace

double gamma(Xoshiro256& rng, double shape) {
  if (shape == 1) return boost::random::exponential_distribution<double>()(rng);
  // Below 1: G(shape) = G(shape + 1) U^(1 / shape) (Marsaglia & Tsang 2000, section 6).
  if (shape < 1) return gamma(rng, shape + 1) * std::pow(rng.uniform_positive(), 1 / shape);
  // Marsaglia & Tsang 2000, section 4: d (1 + c x)^3 for a normal x, accepted by the squeeze
  // 1 - 0.0331 x^4 (about 98% of draws at shape 1, more above) or else by the log test.
  const double d = shape - 1.0 / 3;
  const double c = 1 / std::sqrt(9 * d);
  boost::random::normal_distribution<double> normal;
  for (;;) {
    double x;
    double v;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng.uniform_positive();
    const double xx = x * x;
    if (u < 1 - 0.0331 * xx * xx) return d * v;
    if (std::log(u) < 0.5 * xx + d * (1 - v + std::log(v))) return d * v;
  }
}

std::int64_t binomial(Xoshiro256& rng, std::int64_t n, double p) {
  if (n <= 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  if (static_cast<double>(n) * p < 10) return binomial_inversion(rng, n, p);
  return binomial_btrd(rng, n, p);
}

std::int64_t poisson(Xoshiro256& rng, double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    const double limit = std::exp(-mean);
    std::int64_t x = 0;
    double product = rng.uniform_positive();
    while (product > limit) {
      ++x;
      product *= rng.uniform_positive();
    }
    return x;
  }
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = rng.uniform_positive() - 0.5;
    const double v = rng.uniform_positive();
    const double us = 0.5 - std::abs(u);
    const double kd = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return static_cast<std::int64_t>(kd);
    if (kd < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + kd * loglam - boost::math::lgamma(kd + 1))
      return static_cast<std::int64_t>(kd);
  }
}

}  // namespace recount::mse::detail
