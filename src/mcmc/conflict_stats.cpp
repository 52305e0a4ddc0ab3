#include "recount/mcmc/conflict_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "recount/core/error.hpp"

namespace recount::mcmc {

namespace {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// exp(log_weights) normalised to sum 1; equal weights when `log_weights` is empty.
std::vector<double> normalised_weights(std::size_t n, const std::vector<double>& log_weights) {
  if (log_weights.empty()) return std::vector<double>(n, 1.0 / static_cast<double>(n));
  if (log_weights.size() != n) {
    throw Error(ErrorKind::internal, "weights and draws of different lengths");
  }
  const double m = *std::max_element(log_weights.begin(), log_weights.end());
  std::vector<double> w(n);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = std::exp(log_weights[i] - m);
    total += w[i];
  }
  for (double& v : w)
    v /= total;
  return w;
}

}  // namespace

std::vector<double> benjamini_hochberg(const std::vector<double>& p_values) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (!std::isnan(p_values[i])) order.push_back(i);
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return p_values[a] > p_values[b]; });
  std::vector<double> adjusted(p_values.size(), kNoValue);
  const auto n = static_cast<double>(order.size());
  double running = 1;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const double rank = n - static_cast<double>(r);  // rank in ascending order
    running = std::min(running, n / rank * p_values[order[r]]);
    adjusted[order[r]] = running;
  }
  return adjusted;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& log_weights,
                         double p) {
  const std::size_t n = values.size();
  if (n == 0 || !(p >= 0 && p <= 1)) return kNoValue;
  const std::vector<double> w = normalised_weights(n, log_weights);
  if (n == 1) return values[0];
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  // Akinshin (2023), "Weighted quantile estimators", arXiv:2304.07265, as posterior's weighted
  // quantiles: type 7 applied with Kish's effective sample size n* = 1 / sum(w^2), as a
  // weighted sum of the sorted draws whose weights are increments of a linear window on the
  // cumulative weights. Equal weights give type 7 exactly.
  double sum_sq = 0;
  for (double wi : w)
    sum_sq += wi * wi;
  const double n_eff = 1 / sum_sq;
  const double h = (n_eff - 1) * p + 1;
  const double u = std::max((h - 1) / n_eff, 0.0);
  const double v = std::min(h / n_eff, 1.0);
  auto window = [&](double t) {
    if (t <= u) return 0.0;
    if (t >= v) return 1.0;
    return (t - u) / (v - u);
  };
  double result = 0;
  double cumulative = 0;
  double previous = 0;
  for (std::size_t r = 0; r < n; ++r) {
    cumulative += w[order[r]];
    const double current = window(cumulative);
    if (current > previous) result += (current - previous) * values[order[r]];
    previous = current;
  }
  return result;
}

double predictive_p_value(const std::vector<double>& predictive, double observed,
                          const std::vector<double>& log_weights) {
  if (predictive.empty() || std::isnan(observed)) return kNoValue;
  const std::vector<double> w = normalised_weights(predictive.size(), log_weights);
  double above = 0;
  double below = 0;
  for (std::size_t i = 0; i < predictive.size(); ++i) {
    if (predictive[i] > observed) {
      above += w[i];
    } else if (predictive[i] < observed) {
      below += w[i];
    } else {
      above += w[i] / 2;
      below += w[i] / 2;
    }
  }
  return std::min(1.0, 2 * std::min(above, below));
}

}  // namespace recount::mcmc
