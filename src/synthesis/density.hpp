#pragma once
// The model's log density on unconstrained, prior-standardised coordinates, written once as a
// template over the scalar: double for posterior summaries, ad::Var for gradients.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "recount/ad/var.hpp"
#include "recount/mcmc/log_density.hpp"
#include "recount/synthesis/evidence.hpp"
#include "recount/synthesis/model.hpp"

namespace recount::synthesis::detail {

// Plain-double counterparts of the ad functions, so one template serves both scalars.
inline double log_inv_logit(double a) {
  return a >= 0 ? -std::log1p(std::exp(-a)) : a - std::log1p(std::exp(a));
}
inline double log_sum_exp(double a, double b) {
  const double m = std::max(a, b);
  return m == -INFINITY ? m : m + std::log(std::exp(a - m) + std::exp(b - m));
}
inline double square(double a) {
  return a * a;
}
inline double value_of(double a) {
  return a;
}
inline double value_of(const ad::Var& a) {
  return a.v;
}
inline double normal_lpdf(double y, double mu, double sigma) {
  const double z = (y - mu) / sigma;
  return -0.5 * z * z - 0.91893853320467274178 - std::log(sigma);
}
inline double normal_log_interval(double lo, double hi, double mu, double sigma) {
  return ad::log_normal_interval_value(lo, hi, mu, sigma);
}
inline double sum(std::span<const double> xs) {
  return std::accumulate(xs.begin(), xs.end(), 0.0);
}

template <class T>
T lift(double x);
template <>
inline double lift<double>(double x) {
  return x;
}
template <>
inline ad::Var lift<ad::Var>(double x) {
  return ad::constant(x);
}

// Where each model parameter and evidence parameter sits in the unconstrained vector.
struct Layout {
  struct Slot {
    int offset = 0;
    int count = 0;
    int wa = 0;  // active weeks [wa, wb)
    int wb = 0;
    int knots = 0;  // random walks
  };
  std::vector<Slot> parameters;
  std::vector<SourceType> types;  // source types present
  int type_offset = 0;            // per type: bias, noise
  int source_offset = 0;          // per source: bias z, noise w
  // The evidence model's own parameters (-1 when no claim needs them): the outlier share, the
  // widths added per hedge, for "about", and at an order of magnitude's edges.
  int outlier_share = -1;
  int hedge_sd = -1;
  int approximate_sd = -1;
  int magnitude_sd = -1;
  int dimension = 0;
  std::vector<std::string> names;
};

[[nodiscard]] Layout make_layout(const Model& model, const PreparedEvidence& evidence);

// The constrained value of a prior-standardised coordinate x, adding log prior + log Jacobian.
template <class T>
T constrain(const Prior& p, const T& x, T& lp) {
  using std::exp;
  using std::log;
  switch (p.family) {
    case PriorFamily::normal:
      lp += -0.5 * square(x);
      return p.a + p.b * x;
    case PriorFamily::lognormal:
      lp += -0.5 * square(x);
      return exp(p.a + p.b * x);
    case PriorFamily::halfnormal: {
      const T e = exp(x);
      lp += x - 0.5 * square(e);
      return p.a * e;
    }
    case PriorFamily::exponential: {
      const T e = exp(x);
      lp += x - e;
      return e / p.a;
    }
    case PriorFamily::gamma: {
      const T e = exp(x);
      lp += p.a * x - p.a * e;
      return (p.a / p.b) * e;
    }
    case PriorFamily::beta: {
      const T y = x + std::log(p.a / p.b);
      lp += p.a * log_inv_logit(y) + p.b * log_inv_logit(-y);
      return exp(log_inv_logit(y));
    }
  }
  return x;
}

template <class T>
struct Trajectory {
  std::vector<std::vector<T>> stock;      // [s][t], t = 0..weeks: level at the start of week t
  std::vector<std::vector<T>> flow;       // [f][t]: amount during week t
  std::vector<std::vector<T>> parameter;  // [p][t]: weekly value
  std::vector<T> type_bias, type_noise, source_bias, source_noise;
  T log_outlier_share{}, log_regular_share{}, hedge_sd{}, approximate_sd{}, magnitude_sd{};
};

// Per claim, for conflicts and credibility.
struct ClaimValue {
  double quantity = 0;  // the model quantity the claim is about
  double mu = 0;        // log(quantity + 1) + the source's bias
  double sd = 0;
  double log_lik = 0;      // the mixture
  double log_regular = 0;  // log(1 - outlier share) + the claim's own likelihood
};

template <class T>
T claim_log_lik(Bound bound, double lo, double hi, const T& mu, const T& sd) {
  switch (bound) {
    case Bound::value:
      return normal_lpdf(lo, mu, sd);
    case Bound::interval:
      return normal_log_interval(lo, hi, mu, sd);
    case Bound::at_least:
      return normal_log_interval(lo, INFINITY, mu, sd);
    case Bound::at_most:
      return normal_log_interval(-INFINITY, hi, mu, sd);
  }
  return mu;
}

template <class T>
T quantity_value(const Model& model, const Trajectory<T>& tr, int quantity, int week,
                 double rate_scale) {
  const Quantity& q = model.quantities[static_cast<std::size_t>(quantity)];
  thread_local std::vector<T> parts;
  parts.clear();
  for (int term : q.terms) {
    const auto k = static_cast<std::size_t>(term);
    if (q.is_stock) {
      parts.push_back(tr.stock[k][static_cast<std::size_t>(week) + 1]);
    } else if (rate_scale > 0) {
      parts.push_back(tr.flow[k][static_cast<std::size_t>(week)] * rate_scale);
    } else {
      for (int t = 0; t <= week; ++t)
        parts.push_back(tr.flow[k][static_cast<std::size_t>(t)]);
    }
  }
  return sum(std::span<const T>(parts));
}

// The log density at x; fills `tr` and, for doubles, `claims` when given.
template <class T>
T evaluate(const Model& model, const Layout& layout, const PreparedEvidence& evidence,
           bool with_claims, std::span<const T> x, Trajectory<T>& tr,
           std::vector<ClaimValue>* claims = nullptr) {
  using std::exp;
  using std::expm1;
  using std::log;
  using std::log1p;
  using std::sqrt;
  const auto W = static_cast<std::size_t>(model.weeks);
  const T zero = lift<T>(0.0);
  T lp = zero;
  // Parameters as weekly series.
  tr.parameter.assign(model.parameters.size(), {});
  for (std::size_t p = 0; p < model.parameters.size(); ++p) {
    const Parameter& par = model.parameters[p];
    const Layout::Slot& slot = layout.parameters[p];
    std::vector<T>& series = tr.parameter[p];
    series.assign(W, zero);
    const auto at = [&](int k) { return x[static_cast<std::size_t>(slot.offset + k)]; };
    if (par.shape == ParameterShape::constant) {
      const T v = constrain(par.prior, at(0), lp);
      for (int t = slot.wa; t < slot.wb; ++t)
        series[static_cast<std::size_t>(t)] = v;
    } else if (par.shape == ParameterShape::piecewise) {
      std::size_t segment = 0;
      T v = constrain(par.segment_priors[0], at(0), lp);
      for (int t = slot.wa; t < slot.wb; ++t) {
        while (segment < par.change_dates.size() && t >= model.week_of(par.change_dates[segment])) {
          ++segment;
          v = constrain(par.segment_priors[segment], at(static_cast<int>(segment)), lp);
        }
        series[static_cast<std::size_t>(t)] = v;
      }
      for (++segment; segment < par.segment_priors.size(); ++segment)
        (void)constrain(par.segment_priors[segment], at(static_cast<int>(segment)), lp);
    } else {
      // Non-centred log-scale random walk at knots: level_j = level_{j-1} + step sqrt(knot_weeks)
      // z_j.
      const T first = constrain(par.prior, at(0), lp);
      const T step = constrain(par.step, at(1), lp);
      const T scaled = step * std::sqrt(static_cast<double>(par.knot_weeks));
      std::vector<T> level{log(first)};
      for (int j = 1; j < slot.knots; ++j) {
        const T z = at(1 + j);
        lp += -0.5 * square(z);
        level.push_back(level.back() + scaled * z);
      }
      for (int t = slot.wa; t < slot.wb; ++t) {
        const int j = (t - slot.wa) / par.knot_weeks;
        const double frac = static_cast<double>((t - slot.wa) % par.knot_weeks) / par.knot_weeks;
        const auto ju = static_cast<std::size_t>(j);
        series[static_cast<std::size_t>(t)] =
            frac == 0 ? exp(level[ju]) : exp(level[ju] * (1.0 - frac) + level[ju + 1] * frac);
      }
    }
  }
  // Stocks and flows, week by week. Within a week: cohorts due leave first, then the stock's
  // competing hazards act on the rest (a fraction 1 - exp(-sum of hazards) leaves, shared in
  // proportion to the hazards), and inflows arrive at the week's end.
  const std::size_t S = model.stocks.size();
  tr.stock.assign(S, std::vector<T>(W + 1, zero));
  tr.flow.assign(model.flows.size(), std::vector<T>(W, zero));
  std::vector<std::vector<T>> cumulative_hazard(S, std::vector<T>(W + 1, zero));
  for (std::size_t s = 0; s < S; ++s) {
    const Stock& st = model.stocks[s];
    tr.stock[s][0] =
        st.initial_parameter.empty()
            ? lift<T>(st.initial)
            : tr.parameter[static_cast<std::size_t>(model.find_parameter(st.initial_parameter))][0];
  }
  std::vector<T> change(S, zero);
  std::vector<T> hazard(S, zero);
  std::vector<bool> has_hazard(S, false);
  for (std::size_t t = 0; t < W; ++t) {
    std::fill(change.begin(), change.end(), zero);
    std::fill(hazard.begin(), hazard.end(), zero);
    std::fill(has_hazard.begin(), has_hazard.end(), false);
    for (std::size_t f = 0; f < model.flows.size(); ++f) {
      const Flow& fl = model.flows[f];
      if (fl.kind != FlowKind::delay) continue;
      const auto from = static_cast<std::size_t>(fl.from);
      const long u = static_cast<long>(t) - fl.weeks - 1;
      if (u < 0 || (fl.until && model.week_end(static_cast<int>(u)) >= *fl.until)) continue;
      const auto uu = static_cast<std::size_t>(u);
      tr.flow[f][t] = tr.flow[static_cast<std::size_t>(fl.cohort_flow)][uu] *
                      exp(cumulative_hazard[from][uu + 1] - cumulative_hazard[from][t]);
      change[from] = change[from] - tr.flow[f][t];
    }
    for (const Flow& fl : model.flows) {
      if (fl.kind != FlowKind::hazard) continue;
      const auto from = static_cast<std::size_t>(fl.from);
      hazard[from] = has_hazard[from]
                         ? hazard[from] + tr.parameter[static_cast<std::size_t>(fl.parameter)][t]
                         : tr.parameter[static_cast<std::size_t>(fl.parameter)][t];
      has_hazard[from] = true;
    }
    // The rate outflows of a stock share one cap: together they take no more than it holds.
    std::vector<T> requested(S, zero);
    for (const Flow& fl : model.flows) {
      if (fl.kind != FlowKind::rate || fl.from < 0) continue;
      const T& value = tr.parameter[static_cast<std::size_t>(fl.parameter)][t];
      if (value_of(value) > 0)
        requested[static_cast<std::size_t>(fl.from)] =
            requested[static_cast<std::size_t>(fl.from)] + value;
    }
    std::vector<T> leaving(S, zero);
    for (std::size_t s = 0; s < S; ++s) {
      cumulative_hazard[s][t + 1] =
          has_hazard[s] ? cumulative_hazard[s][t] + hazard[s] : cumulative_hazard[s][t];
      if (has_hazard[s]) leaving[s] = -(tr.stock[s][t] + change[s]) * expm1(-hazard[s]) / hazard[s];
    }
    for (std::size_t f = 0; f < model.flows.size(); ++f) {
      const Flow& fl = model.flows[f];
      if (fl.kind == FlowKind::delay) {
        if (fl.to >= 0)
          change[static_cast<std::size_t>(fl.to)] =
              change[static_cast<std::size_t>(fl.to)] + tr.flow[f][t];
        continue;
      }
      const T& value = tr.parameter[static_cast<std::size_t>(fl.parameter)][t];
      if (fl.kind == FlowKind::hazard) {
        tr.flow[f][t] = leaving[static_cast<std::size_t>(fl.from)] * value;
      } else if (fl.from >= 0 && value_of(value) > 0 &&
                 value_of(tr.stock[static_cast<std::size_t>(fl.from)][t]) >
                     40 * value_of(requested[static_cast<std::size_t>(fl.from)])) {
        tr.flow[f][t] = value;  // exp(-40) vanishes next to 1: the cap is inactive
      } else if (fl.from >= 0 && value_of(value) > 0 &&
                 value_of(tr.stock[static_cast<std::size_t>(fl.from)][t]) > 0) {
        // Rates cannot take more than the stock holds: each rate times (1 - exp(-stock / total
        // rate)) is the rate while the stock is ample, and together they take the stock as it
        // runs out, smoothly, in proportion to their rates.
        tr.flow[f][t] = -(value * expm1(-tr.stock[static_cast<std::size_t>(fl.from)][t] /
                                        requested[static_cast<std::size_t>(fl.from)]));
      } else {
        tr.flow[f][t] = fl.from >= 0 && value_of(value) > 0 ? zero : value;
      }
      if (fl.from >= 0)
        change[static_cast<std::size_t>(fl.from)] =
            change[static_cast<std::size_t>(fl.from)] - tr.flow[f][t];
      if (fl.to >= 0)
        change[static_cast<std::size_t>(fl.to)] =
            change[static_cast<std::size_t>(fl.to)] + tr.flow[f][t];
    }
    for (std::size_t s = 0; s < S; ++s)
      tr.stock[s][t + 1] = tr.stock[s][t] + change[s];
  }
  // Evidence: type-level bias and noise, sources pooled around their type (non-centred).
  const EvidenceSettings& es = model.evidence;
  tr.type_bias.clear();
  tr.type_noise.clear();
  for (std::size_t k = 0; k < layout.types.size(); ++k) {
    Prior bias_prior = es.type_bias;
    for (const auto& [type, prior] : es.type_bias_overrides)
      if (type == layout.types[k]) bias_prior = prior;
    const auto o = static_cast<std::size_t>(layout.type_offset) + 2 * k;
    tr.type_bias.push_back(constrain(bias_prior, x[o], lp));
    tr.type_noise.push_back(constrain(es.type_noise, x[o + 1], lp));
  }
  tr.source_bias.clear();
  tr.source_noise.clear();
  for (std::size_t s = 0; s < evidence.sources.size(); ++s) {
    const auto type = static_cast<std::size_t>(
        std::find(layout.types.begin(), layout.types.end(), evidence.sources[s].type) -
        layout.types.begin());
    const auto o = static_cast<std::size_t>(layout.source_offset) + 2 * s;
    lp += -0.5 * (square(x[o]) + square(x[o + 1]));
    tr.source_bias.push_back(tr.type_bias[type] + es.source_bias_sd * x[o]);
    tr.source_noise.push_back(tr.type_noise[type] * exp(es.source_noise_spread * x[o + 1]));
  }
  // The evidence model's parameters. The outlier share's beta prior on the logit scale, as
  // constrain() does, keeping log(share) and log(1 - share) exact.
  tr.log_outlier_share = lift<T>(-INFINITY);
  tr.log_regular_share = zero;
  if (layout.outlier_share >= 0) {
    const Prior& p = es.outlier_share;
    const T y = x[static_cast<std::size_t>(layout.outlier_share)] + std::log(p.a / p.b);
    tr.log_outlier_share = log_inv_logit(y);
    tr.log_regular_share = log_inv_logit(-y);
    lp += p.a * tr.log_outlier_share + p.b * tr.log_regular_share;
  }
  const auto width = [&](int offset, const Prior& prior) {
    return offset < 0 ? zero : constrain(prior, x[static_cast<std::size_t>(offset)], lp);
  };
  tr.hedge_sd = width(layout.hedge_sd, es.hedge_sd);
  tr.approximate_sd = width(layout.approximate_sd, es.approximate_sd);
  tr.magnitude_sd = width(layout.magnitude_sd, es.magnitude_sd);
  if (!with_claims && claims == nullptr) return lp;
  const T hedge_var = square(tr.hedge_sd);
  const T approximate_var = square(tr.approximate_sd);
  const T magnitude_var = square(tr.magnitude_sd);
  if (claims != nullptr) claims->assign(evidence.claims.size(), {});
  for (std::size_t i = 0; i < evidence.claims.size(); ++i) {
    const EvidenceClaim& c = evidence.claims[i];
    const T q = quantity_value(model, tr, c.quantity, c.week, c.rate_scale);
    if (!(value_of(q) > -1)) throw std::domain_error("a claimed quantity is negative");
    const T lq = log1p(q);
    const auto src = static_cast<std::size_t>(c.source);
    const T mu = lq + tr.source_bias[src];
    T var = square(tr.source_noise[src]) + c.roundness_sd * c.roundness_sd;
    if (c.hedges > 0) var = var + static_cast<double>(c.hedges) * hedge_var;
    if (c.approximate) var = var + approximate_var;
    if (c.magnitude) var = var + magnitude_var;
    const T sd = sqrt(var);
    const T regular = claim_log_lik(c.bound, c.lo, c.hi, mu, sd) + tr.log_regular_share;
    // The outlier component does not depend on the truth (Hogg, Bovy & Lang 2010, eq. 17).
    const T lik = log_sum_exp(regular, tr.log_outlier_share + c.outlier_log_mass);
    if (with_claims && !c.held_out) lp += lik;
    if (claims != nullptr) {
      if constexpr (std::is_same_v<T, double>) (*claims)[i] = {q, mu, sd, lik, value_of(regular)};
    }
  }
  return lp;
}

// The evidence model's parameters present, by slot, with their names.
[[nodiscard]] std::vector<std::pair<int, std::string>> evidence_parameters(const Layout& layout);

// The constrained parameters of one draw, named as constrained_names() (reports and draws files).
[[nodiscard]] std::vector<std::string> constrained_names(const Model& model, const Layout& layout,
                                                         const PreparedEvidence& evidence);
[[nodiscard]] std::vector<double> constrained_values(const Model& model, const Layout& layout,
                                                     const PreparedEvidence& evidence,
                                                     const Eigen::VectorXd& theta);

// Every weekly series of one trajectory: named quantities (levels, or counters cumulative through
// each week), stocks' levels at each week's end, flows' cumulative counters, time-varying
// parameters.
struct SeriesValues {
  std::string name;
  std::string kind;
  std::vector<double> values;
};
[[nodiscard]] std::vector<SeriesValues> series_values(const Model& model,
                                                      const Trajectory<double>& tr);

// The posterior (or prior, without claims) as the sampler sees it.
class PosteriorDensity final : public mcmc::LogDensity {
 public:
  PosteriorDensity(const Model& model, const PreparedEvidence& evidence, bool with_claims);
  [[nodiscard]] std::size_t dimension() const override {
    return static_cast<std::size_t>(layout_.dimension);
  }
  double log_density(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override { return layout_.names; }
  [[nodiscard]] const Layout& layout() const { return layout_; }
  // A plain evaluation at theta: the trajectory and per-claim values.
  double evaluate_double(const Eigen::VectorXd& theta, Trajectory<double>& tr,
                         std::vector<ClaimValue>* claims) const;

 private:
  const Model& model_;
  const PreparedEvidence& evidence_;
  bool with_claims_;
  Layout layout_;
};

}  // namespace recount::synthesis::detail
