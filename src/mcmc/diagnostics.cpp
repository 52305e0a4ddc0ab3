#include "recount/mcmc/diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numeric>

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>
#include <unsupported/Eigen/FFT>

#include "recount/core/error.hpp"

namespace recount::mcmc {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_shape(const ChainValues& chains) {
  if (chains.empty() || chains.front().size() < 4) {
    throw Error(ErrorKind::internal, "diagnostics need at least one chain of at least 4 draws");
  }
  for (const auto& chain : chains) {
    if (chain.size() != chains.front().size()) {
      throw Error(ErrorKind::internal, "diagnostics need chains of equal length");
    }
  }
}

bool all_finite(const ChainValues& chains) {
  for (const auto& chain : chains) {
    for (double x : chain) {
      if (!std::isfinite(x)) return false;
    }
  }
  return true;
}

bool is_constant(const ChainValues& chains) {
  const double first = chains.front().front();
  const double tolerance = 1e-12 * std::max(1.0, std::abs(first));
  for (const auto& chain : chains) {
    for (double x : chain) {
      if (std::abs(x - first) > tolerance) return false;
    }
  }
  return true;
}

// Each chain cut in two halves; an odd middle draw is dropped (posterior::split_chains).
ChainValues split_chains(const ChainValues& chains) {
  ChainValues out;
  const std::size_t n = chains.front().size();
  const std::size_t half = n / 2;
  for (const auto& chain : chains) {
    out.emplace_back(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(half));
    out.emplace_back(chain.begin() + static_cast<std::ptrdiff_t>(n - half), chain.end());
  }
  return out;
}

double mean_of(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double variance_of(const std::vector<double>& x) {  // denominator n - 1
  const double m = mean_of(x);
  double s = 0;
  for (double v : x)
    s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}

// Normal scores of the pooled ranks, ties averaged: Vehtari et al. (2021), equation 14 with
// Blom's offset 3/8.
ChainValues z_scale(const ChainValues& chains) {
  std::vector<std::pair<double, std::size_t>> all;
  const std::size_t n = chains.front().size();
  for (std::size_t c = 0; c < chains.size(); ++c) {
    for (std::size_t i = 0; i < n; ++i)
      all.emplace_back(chains[c][i], c * n + i);
  }
  std::sort(all.begin(), all.end());
  const auto total = static_cast<double>(all.size());
  boost::math::normal standard;
  ChainValues out(chains.size(), std::vector<double>(n));
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j + 1 < all.size() && all[j + 1].first == all[i].first)
      ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2;
    const double z = boost::math::quantile(standard, (rank - 0.375) / (total - 0.75 + 1));
    for (std::size_t k = i; k <= j; ++k)
      out[all[k].second / n][all[k].second % n] = z;
    i = j + 1;
  }
  return out;
}

// R-hat of already split chains (Gelman et al. 2013, BDA3 section 11.4).
// R-hat's between-chain variance (n times the variance of the chain means) and mean
// within-chain variance, for chains of n draws each.
struct RhatVariances {
  double between = 0;
  double within = 0;
};

RhatVariances rhat_variances(const ChainValues& chains) {
  const auto n = static_cast<double>(chains.front().size());
  std::vector<double> means;
  double within = 0;
  for (const auto& chain : chains) {
    means.push_back(mean_of(chain));
    within += variance_of(chain);
  }
  return {n * variance_of(means), within / static_cast<double>(chains.size())};
}

double rhat_from(const RhatVariances& v, double n) {
  return std::sqrt((v.between / v.within + n - 1) / n);
}

double rhat_of(const ChainValues& chains) {
  return rhat_from(rhat_variances(chains), static_cast<double>(chains.front().size()));
}

// Autocovariances for lags 0..n-1, normalised by n (biased, as Geyer 1992 recommends), by FFT
// with zero padding to at least 2n so the circular products equal the linear ones.
std::vector<double> autocovariance(const std::vector<double>& x) {
  const std::size_t n = x.size();
  std::size_t m = 1;
  while (m < 2 * n)
    m *= 2;
  const double mean = mean_of(x);
  std::vector<double> padded(m, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    padded[i] = x[i] - mean;
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, padded);
  for (auto& value : spectrum)
    value = std::norm(value);
  std::vector<double> correlation;
  fft.inv(correlation, spectrum);
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = correlation[i] / static_cast<double>(n);
  return out;
}

// Effective sample size of (already split) chains with Geyer's initial monotone sequence:
// Vehtari et al. (2021), equations 10-13, as posterior's ess() and Stan's ess.
double ess_of(const ChainValues& chains) {
  const std::size_t m = chains.size();
  const std::size_t n = chains.front().size();
  if (n < 3 || !all_finite(chains) || is_constant(chains)) return kNaN;
  std::vector<double> acov_mean(n, 0.0);
  std::vector<double> means;
  for (const auto& chain : chains) {
    const std::vector<double> acov = autocovariance(chain);
    for (std::size_t t = 0; t < n; ++t)
      acov_mean[t] += acov[t] / static_cast<double>(m);
    means.push_back(mean_of(chain));
  }
  const auto dn = static_cast<double>(n);
  const double mean_var = acov_mean[0] * dn / (dn - 1);
  double var_plus = mean_var * (dn - 1) / dn;
  if (m > 1) var_plus += variance_of(means);

  std::vector<double> rho(n, 0.0);
  std::size_t t = 0;
  double rho_even = 1;
  double rho_odd = 1 - (mean_var - acov_mean[1]) / var_plus;
  rho[0] = rho_even;
  rho[1] = rho_odd;
  // Geyer's initial positive sequence: sums of adjacent pairs while positive.
  while (t + 5 < n && !std::isnan(rho_even + rho_odd) && rho_even + rho_odd > 0) {
    t += 2;
    rho_even = 1 - (mean_var - acov_mean[t]) / var_plus;
    rho_odd = 1 - (mean_var - acov_mean[t + 1]) / var_plus;
    if (rho_even + rho_odd >= 0) {
      rho[t] = rho_even;
      rho[t + 1] = rho_odd;
    }
  }
  const std::size_t max_t = t;
  if (rho_even > 0) rho[max_t] = rho_even;  // the improved estimate's last term
  // Geyer's initial monotone sequence.
  for (t = 2; t + 2 <= max_t; t += 2) {
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const double draws = static_cast<double>(m) * dn;
  double tau = -1 + rho[max_t];
  for (std::size_t i = 0; i < max_t; ++i)
    tau += 2 * rho[i];
  if (max_t == 0) tau += 2 * rho[0];  // posterior sums rho[1:max_t], which in R is rho[1] here
  tau = std::max(tau, 1 / std::log10(draws));  // antithetic chains: at most S log10(S)
  return draws / tau;
}

ChainValues fold(const ChainValues& chains) {
  std::vector<double> all;
  for (const auto& chain : chains)
    all.insert(all.end(), chain.begin(), chain.end());
  const double median = quantile(all, 0.5);
  ChainValues out = chains;
  for (auto& chain : out) {
    for (double& x : chain)
      x = std::abs(x - median);
  }
  return out;
}

double ess_quantile(const ChainValues& chains, double p) {
  std::vector<double> all;
  for (const auto& chain : chains)
    all.insert(all.end(), chain.begin(), chain.end());
  const double q = quantile(all, p);
  ChainValues indicator = chains;
  for (auto& chain : indicator) {
    for (double& x : chain)
      x = x <= q ? 1.0 : 0.0;
  }
  return ess_of(split_chains(indicator));
}

// coda's spectrum0.ar (Plummer, Best, Cowles & Vines 2006, R News 6:7) with stats::ar.yw:
// autocovariances with denominator n, the Yule-Walker equations of orders 0..10 log10 n solved by
// Levinson-Durbin (Brockwell & Davis 1991, section 8.2), the order of least AIC n log s2_p + 2p,
// its innovations variance scaled by n / (n - p - 1) as R does, S(0) = s2 / (1 - sum phi)^2.
double ess_ar_spectrum_of(const std::vector<double>& x) {
  const std::size_t n = x.size();
  const auto dn = static_cast<double>(n);
  // coda's test for a chain with no variation about a linear trend: sd of the least-squares
  // residuals all.equal to 0, i.e. at most R's tolerance 1.5e-8.
  const double t_mean = (dn + 1) / 2;
  const double x_mean = mean_of(x);
  double sxx = 0;
  double sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i + 1) - t_mean;
    sxx += t * t;
    sxy += t * (x[i] - x_mean);
  }
  const double slope = sxy / sxx;
  double rss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = x[i] - x_mean - slope * (static_cast<double>(i + 1) - t_mean);
    rss += r * r;
  }
  if (std::sqrt(rss / (dn - 1)) <= 1.5e-8) return 0;

  const std::size_t order_max =
      std::min(n - 1, static_cast<std::size_t>(std::floor(10 * std::log10(dn))));
  std::vector<double> r(order_max + 1, 0.0);
  for (std::size_t k = 0; k <= order_max; ++k) {
    for (std::size_t t = 0; t + k < n; ++t)
      r[k] += (x[t] - x_mean) * (x[t + k] - x_mean);
    r[k] /= dn;
  }
  std::vector<double> phi;  // the coefficients of the current order
  std::vector<double> best_phi;
  double innovations = r[0];
  double best_innovations = r[0];
  double best_aic = dn * std::log(r[0]);
  std::size_t best_order = 0;
  for (std::size_t m = 1; m <= order_max; ++m) {
    double numerator = r[m];
    for (std::size_t j = 1; j < m; ++j)
      numerator -= phi[j - 1] * r[m - j];
    const double reflection = numerator / innovations;
    std::vector<double> next(m);
    for (std::size_t j = 1; j < m; ++j)
      next[j - 1] = phi[j - 1] - reflection * phi[m - j - 1];
    next[m - 1] = reflection;
    phi = std::move(next);
    innovations *= 1 - reflection * reflection;
    const double aic = dn * std::log(innovations) + 2 * static_cast<double>(m);
    if (aic < best_aic) {
      best_aic = aic;
      best_order = m;
      best_phi = phi;
      best_innovations = innovations;
    }
  }
  const double var_pred = best_innovations * dn / (dn - static_cast<double>(best_order + 1));
  const double one_minus = 1 - std::accumulate(best_phi.begin(), best_phi.end(), 0.0);
  const double spectrum0 = var_pred / (one_minus * one_minus);
  return dn * variance_of(x) / spectrum0;
}

}  // namespace

double split_rhat(const ChainValues& chains) {
  check_shape(chains);
  if (!all_finite(chains) || is_constant(chains)) return kNaN;
  const double bulk = rhat_of(z_scale(split_chains(chains)));
  const double tail = rhat_of(z_scale(split_chains(fold(chains))));
  return std::max(bulk, tail);
}

double within_group_rhat(const std::vector<ChainValues>& groups) {
  if (groups.empty()) throw Error(ErrorKind::internal, "within_group_rhat needs a group of chains");
  RhatVariances pooled[2];  // bulk and tail: the half-chains' variances summed over the groups
  std::size_t n = 0;
  for (const ChainValues& chains : groups) {
    check_shape(chains);
    if (!all_finite(chains)) return kNaN;
    if (is_constant(chains)) continue;  // no variation to compare: says nothing either way
    const ChainValues split[2] = {z_scale(split_chains(chains)),
                                  z_scale(split_chains(fold(chains)))};
    if (n != 0 && split[0].front().size() != n)
      throw Error(ErrorKind::internal, "within_group_rhat needs chains of equal length");
    n = split[0].front().size();
    for (int f = 0; f < 2; ++f) {
      const RhatVariances v = rhat_variances(split[f]);
      pooled[f].between += v.between;
      pooled[f].within += v.within;
    }
  }
  if (n == 0) return kNaN;
  const auto dn = static_cast<double>(n);
  return std::max(rhat_from(pooled[0], dn), rhat_from(pooled[1], dn));
}

double ess_bulk(const ChainValues& chains) {
  check_shape(chains);
  if (!all_finite(chains) || is_constant(chains)) return kNaN;
  return ess_of(z_scale(split_chains(chains)));
}

double ess_tail(const ChainValues& chains) {
  check_shape(chains);
  if (!all_finite(chains) || is_constant(chains)) return kNaN;
  return std::min(ess_quantile(chains, 0.05), ess_quantile(chains, 0.95));
}

double ess_basic(const ChainValues& chains, bool split) {
  check_shape(chains);
  return split ? ess_of(split_chains(chains)) : ess_of(chains);
}

double ess_ar_spectrum(const ChainValues& chains) {
  check_shape(chains);
  if (!all_finite(chains)) return kNaN;
  double total = 0;
  for (const auto& chain : chains)
    total += ess_ar_spectrum_of(chain);
  return total;
}

double quantile(std::vector<double> values, double p) {
  if (values.empty() || !(p >= 0 && p <= 1)) return kNaN;
  // Type 7 (Hyndman & Fan 1996): interpolate at h = (n - 1) p.
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double x_lo = values[lo];
  if (lo + 1 >= values.size()) return x_lo;
  const double x_hi =
      *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  return x_lo + (h - static_cast<double>(lo)) * (x_hi - x_lo);
}

double ebfmi(const std::vector<double>& energy) {
  if (energy.size() < 2) return kNaN;
  // Betancourt (2016), arXiv:1604.00695, equation 4.
  const double mean = mean_of(energy);
  double numerator = 0;
  double denominator = 0;
  for (std::size_t i = 0; i < energy.size(); ++i) {
    if (i > 0) numerator += (energy[i] - energy[i - 1]) * (energy[i] - energy[i - 1]);
    denominator += (energy[i] - mean) * (energy[i] - mean);
  }
  return numerator / denominator;
}

Summary summarize(const ChainValues& chains) {
  check_shape(chains);
  std::vector<double> all;
  for (const auto& chain : chains)
    all.insert(all.end(), chain.begin(), chain.end());
  Summary s;
  s.mean = mean_of(all);
  s.sd = std::sqrt(variance_of(all));
  s.q05 = quantile(all, 0.05);
  s.q50 = quantile(all, 0.5);
  s.q95 = quantile(all, 0.95);
  s.ess_bulk = ess_bulk(chains);
  s.ess_tail = ess_tail(chains);
  s.rhat = split_rhat(chains);
  s.mcse = s.sd / std::sqrt(ess_basic(chains));  // MCSE of the mean (posterior::mcse_mean)
  return s;
}

}  // namespace recount::mcmc
