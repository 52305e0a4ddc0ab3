#include "recount/mcmc/psis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "recount/core/error.hpp"
#include "recount/mcmc/diagnostics.hpp"

namespace recount::mcmc {

namespace {

double log_sum_exp(const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  if (!std::isfinite(m)) return m;
  double s = 0;
  for (double v : x)
    s += std::exp(v - m);
  return m + std::log(s);
}

}  // namespace

GeneralizedPareto fit_generalized_pareto(const std::vector<double>& sorted_excesses) {
  // Zhang & Stephens (2009), Technometrics 51:316, as loo's gpdfit(): a posterior mean of
  // theta = -k / sigma over a grid, then k from theta, shrunk towards 0.5 by a weak prior
  // (Vehtari et al. 2024, appendix C).
  const std::vector<double>& x = sorted_excesses;
  const std::size_t n = x.size();
  GeneralizedPareto fit;
  if (n < 2 || !(x.back() > 0)) {
    fit.k = std::numeric_limits<double>::infinity();
    return fit;
  }
  constexpr double kPrior = 3;
  const std::size_t m =
      30 + static_cast<std::size_t>(std::floor(std::sqrt(static_cast<double>(n))));
  const double x_star =
      x[static_cast<std::size_t>(std::floor(static_cast<double>(n) / 4 + 0.5)) - 1];
  std::vector<double> theta(m);
  std::vector<double> log_lik(m);
  for (std::size_t j = 0; j < m; ++j) {
    theta[j] =
        1 / x.back() +
        (1 - std::sqrt(static_cast<double>(m) / (static_cast<double>(j) + 0.5))) / kPrior / x_star;
    // Profile log-likelihood of theta: n (log(-theta / k) - k - 1), k = mean log1p(-theta x).
    double k = 0;
    for (double v : x)
      k += std::log1p(-theta[j] * v);
    k /= static_cast<double>(n);
    log_lik[j] = static_cast<double>(n) * (std::log(-theta[j] / k) - k - 1);
  }
  const double normaliser = log_sum_exp(log_lik);
  double theta_hat = 0;
  for (std::size_t j = 0; j < m; ++j)
    theta_hat += theta[j] * std::exp(log_lik[j] - normaliser);
  double k = 0;
  for (double v : x)
    k += std::log1p(-theta_hat * v);
  k /= static_cast<double>(n);
  fit.sigma = -k / theta_hat;
  // The weakly informative prior: k n / (n + 10) + 10 * 0.5 / (n + 10).
  constexpr double a = 10;
  const double dn = static_cast<double>(n);
  fit.k = k * dn / (dn + a) + a * 0.5 / (dn + a);
  if (std::isnan(fit.k)) fit.k = std::numeric_limits<double>::infinity();
  return fit;
}

PsisResult psis(const std::vector<double>& log_ratios, double r_eff) {
  const std::size_t s = log_ratios.size();
  if (s < 10) throw Error(ErrorKind::internal, "PSIS needs at least 10 draws");
  if (!(r_eff > 0) || !std::isfinite(r_eff)) r_eff = 1;
  PsisResult result;
  result.pareto_k = std::numeric_limits<double>::infinity();
  // A NaN ratio carries no weight; infinite ratios leave nothing to smooth (k-hat infinite):
  // the weight is shared by the infinite ratios, or by all draws when every ratio is zero.
  std::vector<double> lw(s);
  for (std::size_t i = 0; i < s; ++i) {
    lw[i] = std::isnan(log_ratios[i]) ? -std::numeric_limits<double>::infinity() : log_ratios[i];
  }
  const double max_ratio = *std::max_element(lw.begin(), lw.end());
  if (!std::isfinite(max_ratio)) {
    const auto top = static_cast<double>(std::count(lw.begin(), lw.end(), max_ratio));
    for (double& v : lw) {
      v = v == max_ratio ? -std::log(top) : -std::numeric_limits<double>::infinity();
    }
    result.log_weights = std::move(lw);
    return result;
  }
  for (double& v : lw)
    v -= max_ratio;
  const double log_mean_raw = log_sum_exp(lw) - std::log(static_cast<double>(s));

  // Tail length M = min(0.2 S, 3 sqrt(S / r_eff)) (Vehtari et al. 2024, section 3.1).
  const double ds = static_cast<double>(s);
  const auto tail =
      static_cast<std::size_t>(std::min(std::ceil(0.2 * ds), std::ceil(3 * std::sqrt(ds / r_eff))));
  if (tail >= 5 && tail < s) {
    std::vector<std::size_t> order(s);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return lw[a] < lw[b]; });
    const std::size_t first = s - tail;
    const double cutoff = lw[order[first - 1]];
    const double lowest = lw[order[first]];
    const double highest = lw[order[s - 1]];
    if (std::abs(highest - lowest) >= std::numeric_limits<double>::epsilon() / 100) {
      const double exp_cutoff = std::exp(cutoff);
      std::vector<double> excess(tail);
      for (std::size_t i = 0; i < tail; ++i)
        excess[i] = std::exp(lw[order[first + i]]) - exp_cutoff;
      const GeneralizedPareto fit = fit_generalized_pareto(excess);
      result.pareto_k = fit.k;
      if (std::isfinite(fit.k) && fit.sigma > 0) {
        // Replace the tail by the fitted distribution's expected order statistics.
        for (std::size_t i = 0; i < tail; ++i) {
          const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(tail);
          const double q = fit.sigma * std::expm1(-fit.k * std::log1p(-p)) / fit.k + exp_cutoff;
          lw[order[first + i]] = std::log(q);
        }
      }
    }
  }
  // Truncation: no smoothed weight above the largest raw weight (loo) nor above S^{3/4} times
  // the mean raw weight (Ionides 2008, as the original PSIS).
  const double cap = std::min(0.0, 0.75 * std::log(ds) + log_mean_raw);
  for (double& v : lw)
    v = std::min(v, cap);
  const double normaliser = log_sum_exp(lw);
  for (double& v : lw)
    v -= normaliser;
  result.log_weights = std::move(lw);
  return result;
}

double relative_efficiency(const std::vector<std::vector<double>>& likelihood) {
  std::size_t total = 0;
  for (const auto& chain : likelihood)
    total += chain.size();
  const double ess = ess_basic(likelihood, false);
  if (!std::isfinite(ess) || total == 0) return 1;
  return ess / static_cast<double>(total);
}

double pareto_k_threshold(std::size_t draws) {
  return std::min(1 - 1 / std::log10(static_cast<double>(draws)), 0.7);
}

}  // namespace recount::mcmc
