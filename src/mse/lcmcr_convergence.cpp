// Rank-normalised split R-hat and effective sample sizes (Vehtari, Gelman, Simpson, Carpenter &
// Bürkner 2021, Bayesian Analysis 16:667-718), as Stan and the posterior R package compute them.
// A small private copy for the latent-class sampler: mse may not depend on mcmc.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include <boost/math/special_functions/erf.hpp>

#include "recount/mse/lcmcr.hpp"

namespace recount::mse::detail {
namespace {

using Chains = std::vector<std::vector<double>>;

// Each chain cut in two halves (the middle draw dropped when odd), so that a trend within a
// chain shows as disagreement between chains.
Chains split(std::span<const std::vector<double>> chains) {
  std::size_t length = chains.empty() ? 0 : chains[0].size();
  for (const auto& c : chains)
    length = std::min(length, c.size());
  const std::size_t half = length / 2;
  Chains out;
  for (const auto& c : chains) {
    out.emplace_back(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(half));
    out.emplace_back(c.end() - static_cast<std::ptrdiff_t>(half), c.end());
  }
  return out;
}

// Normal scores of the pooled ranks, ties given their average rank: z = Phi^-1((r - 3/8) /
// (S + 1/4)) (Blom 1958), as in the paper's equation 14.
Chains rank_normalise(const Chains& chains) {
  std::vector<std::pair<double, std::size_t>> all;
  for (std::size_t c = 0; c < chains.size(); ++c)
    for (std::size_t i = 0; i < chains[c].size(); ++i)
      all.emplace_back(chains[c][i], c * chains[c].size() + i);
  std::sort(all.begin(), all.end());
  const auto total = static_cast<double>(all.size());
  std::vector<double> z(all.size());
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].first == all[i].first)
      ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    const double p = (rank - 0.375) / (total + 0.25);
    const double score = std::sqrt(2.0) * boost::math::erf_inv(2 * p - 1);
    for (std::size_t k = i; k < j; ++k)
      z[all[k].second] = score;
    i = j;
  }
  Chains out = chains;
  for (std::size_t c = 0; c < out.size(); ++c)
    for (std::size_t i = 0; i < out[c].size(); ++i)
      out[c][i] = z[c * out[c].size() + i];
  return out;
}

double mean(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// Classic R-hat (Gelman et al., BDA3 eq. 11.4) of the given (already split) chains.
double rhat(const Chains& chains) {
  const auto n = static_cast<double>(chains[0].size());
  const auto m = static_cast<double>(chains.size());
  std::vector<double> means;
  double within = 0;
  for (const auto& c : chains) {
    const double mu = mean(c);
    means.push_back(mu);
    double v = 0;
    for (double x : c)
      v += (x - mu) * (x - mu);
    within += v / (n - 1);
  }
  within /= m;
  const double grand = mean(means);
  double between = 0;
  for (double mu : means)
    between += (mu - grand) * (mu - grand);
  between *= n / (m - 1);
  if (!(within > 0)) return between > 0 ? INFINITY : 1.0;
  return std::sqrt(((n - 1) / n * within + between / n) / within);
}

// ESS of (already split) chains: autocorrelations combined across chains and summed by Geyer's
// initial monotone sequence (paper, equations 10-11; Stan's ess_bulk without the FFT).
double ess(const Chains& chains) {
  const std::size_t n = chains[0].size();
  const auto m = static_cast<double>(chains.size());
  std::vector<double> means;
  std::vector<double> variances;
  for (const auto& c : chains) {
    const double mu = mean(c);
    means.push_back(mu);
    double v = 0;
    for (double x : c)
      v += (x - mu) * (x - mu);
    variances.push_back(v / static_cast<double>(n - 1));
  }
  const double within = mean(variances);
  double var_plus = within * static_cast<double>(n - 1) / static_cast<double>(n);
  if (chains.size() > 1) {
    const double grand = mean(means);
    double between = 0;
    for (double mu : means)
      between += (mu - grand) * (mu - grand);
    var_plus += between / (m - 1);
  }
  if (!(var_plus > 0)) return m * static_cast<double>(n);
  auto rho = [&](std::size_t lag) {
    double acov = 0;
    for (std::size_t c = 0; c < chains.size(); ++c) {
      double s = 0;
      for (std::size_t i = 0; i + lag < n; ++i)
        s += (chains[c][i] - means[c]) * (chains[c][i + lag] - means[c]);
      acov += s / static_cast<double>(n);
    }
    acov /= m;
    return 1 - (within - acov) / var_plus;
  };
  double sum = 0;
  double previous = INFINITY;
  std::size_t t = 0;
  while (t + 1 < n) {
    const double even = t == 0 ? 1.0 : rho(t);
    const double pair = even + rho(t + 1);
    if (!(pair > 0)) break;
    const double monotone = std::min(pair, previous);
    sum += monotone;
    previous = monotone;
    t += 2;
  }
  const double tau = std::max(-1 + 2 * sum, 1.0 / std::log10(m * static_cast<double>(n)));
  return m * static_cast<double>(n) / tau;
}

}  // namespace

ConvergenceSummary convergence(std::span<const std::vector<double>> chains) {
  const Chains halves = split(chains);
  ConvergenceSummary out;
  if (halves.empty() || halves[0].size() < 2) return out;
  const Chains z = rank_normalise(halves);
  // Folded draws |x - median| catch chains that agree in location but not in spread.
  std::vector<double> pooled;
  for (const auto& c : halves)
    pooled.insert(pooled.end(), c.begin(), c.end());
  std::sort(pooled.begin(), pooled.end());
  const double median = pooled.size() % 2 == 1
                            ? pooled[pooled.size() / 2]
                            : (pooled[pooled.size() / 2 - 1] + pooled[pooled.size() / 2]) / 2;
  Chains folded = halves;
  for (auto& c : folded)
    for (double& x : c)
      x = std::abs(x - median);
  out.rhat = std::max(rhat(z), rhat(rank_normalise(folded)));
  out.ess_bulk = ess(z);
  // Tail ESS: the smaller ESS of the indicators of the 5% and 95% quantiles (paper, section 4.3).
  auto quantile_ess = [&](double p) {
    const double q =
        pooled[static_cast<std::size_t>(std::floor(p * static_cast<double>(pooled.size() - 1)))];
    Chains indicator = halves;
    for (auto& c : indicator)
      for (double& x : c)
        x = x <= q ? 1.0 : 0.0;
    return ess(indicator);
  };
  out.ess_tail = std::min(quantile_ess(0.05), quantile_ess(0.95));
  return out;
}

}  // namespace recount::mse::detail
