#include "recount/mse/heterogeneity.hpp"

#include <bit>
#include <cmath>

#include <fmt/format.h>

#include "poisson_fit.hpp"
#include "recount/core/text.hpp"

namespace recount::mse {

std::optional<Heterogeneity> parse_heterogeneity(std::string_view text) {
  if (text == "chao") return Heterogeneity::chao;
  if (text == "darroch") return Heterogeneity::darroch;
  if (text == "poisson2") return Heterogeneity::poisson2;
  if (text == "gamma") return Heterogeneity::gamma;
  return std::nullopt;
}

std::string heterogeneity_name(Heterogeneity kind) {
  switch (kind) {
    case Heterogeneity::chao:
      return "Mth Chao (LB)";
    case Heterogeneity::darroch:
      return "Mth Darroch";
    case Heterogeneity::poisson2:
      return "Mth Poisson2";
    case Heterogeneity::gamma:
      return "Mth Gamma3.5";
  }
  return "Mth";
}

MseResult estimate_heterogeneity(const CaptureTable& table, Heterogeneity kind, double level) {
  MseResult result;
  result.method = "loglinear";
  result.stratum = table.stratum;
  result.lists = table.lists;
  result.observed = table.observed();
  result.level = level;
  result.model = heterogeneity_name(kind);
  const std::size_t t = table.list_count();
  if (t < 3) {
    result.trusted = false;
    result.warnings.push_back(fmt::format(
        "{}: with two lists the heterogeneity term is not identifiable; no estimate is reported",
        result.model));
    return result;
  }
  const auto cells = static_cast<Eigen::Index>((std::size_t{1} << t) - 1);
  // Design of Rcapture's Xclosedp: intercept, one column per list, then the heterogeneity
  // column(s) as functions of k, the number of lists a cell's people are on.
  const Eigen::Index extra = kind == Heterogeneity::chao ? static_cast<Eigen::Index>(t) - 2 : 1;
  Eigen::MatrixXd x(cells, 1 + static_cast<Eigen::Index>(t) + extra);
  Eigen::VectorXd y(cells);
  for (Eigen::Index r = 0; r < cells; ++r) {
    const auto c = static_cast<Pattern>(r + 1);
    const double k = std::popcount(c);
    x(r, 0) = 1;
    for (std::size_t i = 0; i < t; ++i)
      x(r, 1 + static_cast<Eigen::Index>(i)) = (c >> i) & 1U;
    const Eigen::Index h = 1 + static_cast<Eigen::Index>(t);
    switch (kind) {
      case Heterogeneity::chao:
        // eta_j for j = 3..t multiplies max(k - j + 1, 0) (Rivest & Baillargeon 2007, LB model).
        for (Eigen::Index j = 3; j <= static_cast<Eigen::Index>(t); ++j)
          x(r, h + j - 3) = std::max(k - static_cast<double>(j) + 1, 0.0);
        break;
      case Heterogeneity::darroch:
        x(r, h) = k * k / 2;
        break;
      case Heterogeneity::poisson2:
        x(r, h) = std::pow(2.0, k) - 1;
        break;
      case Heterogeneity::gamma:
        x(r, h) = std::log(3.5) - std::log(3.5 + k);
        break;
    }
    y[r] = table.counts[c];
  }
  detail::PoissonFit fit = detail::fit_poisson(x, y);
  if (kind == Heterogeneity::chao) {
    // closedp.t's Chao.neg: drop the first negative eta, refit, until none is negative.
    for (;;) {
      Eigen::Index negative = -1;
      for (Eigen::Index j = 1 + static_cast<Eigen::Index>(t); j < x.cols(); ++j)
        if (fit.beta[j] < 0) {
          negative = j;
          break;
        }
      if (negative < 0) break;
      Eigen::MatrixXd smaller(x.rows(), x.cols() - 1);
      smaller.leftCols(negative) = x.leftCols(negative);
      smaller.rightCols(x.cols() - negative - 1) = x.rightCols(x.cols() - negative - 1);
      x = std::move(smaller);
      fit = detail::fit_poisson(x, y);
    }
  }
  if (!fit.beta.allFinite() || detail::column_rank(x) < x.cols()) {
    result.trusted = false;
    result.warnings.push_back(
        fmt::format("{}: the model could not be fitted; no estimate is reported", result.model));
    return result;
  }
  const double n = result.observed;
  const double e = std::exp(fit.beta[0]);
  result.estimate = n + e;
  result.se = std::sqrt(e + e * e * fit.covariance(0, 0));
  const auto p = static_cast<double>(x.cols());
  result.diagnostics["parameters"] = x.cols();
  result.diagnostics["deviance"] = fit.deviance;
  result.diagnostics["df"] = static_cast<double>(cells) - p;
  result.diagnostics["aic"] = -2 * fit.log_likelihood + 2 * p;
  result.diagnostics["bic"] = -2 * fit.log_likelihood + std::log(n) * p;
  // Existence of the maximum-likelihood estimate (Fienberg & Rinaldo 2012): with empty cells the
  // fit runs off to the boundary and the last iterate (what Rcapture prints) means nothing.
  const bool exists = (y.array() > 0).all() || detail::mle_exists(x, y);
  const bool boundary = !exists || (e < 5e-3 && *result.se < 5e-3);
  result.diagnostics["boundary"] = boundary;
  result.diagnostics["mle_exists"] = exists;
  if (!exists) {
    // Not identified: no number is reported; where the iterations stopped (what Rcapture prints)
    // is kept in the diagnostics for comparison only.
    result.trusted = false;
    result.diagnostics["stopped_at"] = {{"estimate", *result.estimate}, {"se", *result.se}};
    result.estimate.reset();
    result.se.reset();
    result.warnings.push_back(fmt::format(
        "{}: no maximum-likelihood estimate (Fienberg & Rinaldo 2012 linear-programming test): the "
        "empty cells push the fit to the boundary; no estimate is reported",
        result.model));
    return result;
  }
  if (!fit.converged)
    result.warnings.push_back(fmt::format("{}: the fit did not converge", result.model));
  if (boundary && exists) {
    result.warnings.push_back(fmt::format(
        "{}: the fit is on the boundary (estimate equal to the {} people observed, standard error "
        "zero): it says nothing about the people no list saw",
        result.model, format_number(n)));
  }
  if (boundary) return result;  // no interval: the profile likelihood has no interior maximum
  const detail::ProfileInterval ci =
      detail::profile_interval(x, y, fit.beta, *result.estimate, level);
  result.lower = ci.lower;
  result.upper = ci.upper;
  if (ci.failed)
    result.warnings.push_back(
        fmt::format("{}: the profile-likelihood interval could not be computed", result.model));
  if (!ci.failed && !ci.upper)
    result.warnings.push_back(fmt::format(
        "{}: the upper end of the interval is unbounded: the data do not bound N from above",
        result.model));
  return result;
}

}  // namespace recount::mse
