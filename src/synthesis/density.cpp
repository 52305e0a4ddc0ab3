#include "density.hpp"

#include <fmt/format.h>

namespace recount::synthesis::detail {

namespace {
int week_bound(const Model& model, const std::optional<Date>& date, int fallback) {
  if (!date) return fallback;
  if (*date < model.start) return 0;
  const int w = model.week_of(*date);
  return w < 0 ? model.weeks : w;
}
}  // namespace

Layout make_layout(const Model& model, const PreparedEvidence& evidence) {
  Layout layout;
  int offset = 0;
  for (const Parameter& p : model.parameters) {
    Layout::Slot slot;
    slot.offset = offset;
    slot.wa = week_bound(model, p.active_from, 0);
    slot.wb = std::max(slot.wa, week_bound(model, p.active_until, model.weeks));
    switch (p.shape) {
      case ParameterShape::constant:
        slot.count = 1;
        layout.names.push_back(p.name);
        break;
      case ParameterShape::piecewise:
        slot.count = static_cast<int>(p.segment_priors.size());
        layout.names.push_back(fmt::format("{}[start]", p.name));
        for (const std::string& n : p.change_names)
          layout.names.push_back(fmt::format("{}[{}]", p.name, n));
        break;
      case ParameterShape::random_walk:
        slot.knots = slot.wb > slot.wa ? (slot.wb - 1 - slot.wa) / p.knot_weeks + 2 : 1;
        slot.count = slot.knots + 1;
        layout.names.push_back(p.name + ".first");
        layout.names.push_back(p.name + ".step");
        for (int j = 1; j < slot.knots; ++j)
          layout.names.push_back(fmt::format("{}.z[{}]", p.name, j));
        break;
    }
    offset += slot.count;
    layout.parameters.push_back(slot);
  }
  for (const EvidenceSource& s : evidence.sources)
    if (std::find(layout.types.begin(), layout.types.end(), s.type) == layout.types.end())
      layout.types.push_back(s.type);
  std::sort(layout.types.begin(), layout.types.end());
  layout.type_offset = offset;
  for (const SourceType t : layout.types) {
    layout.names.push_back(fmt::format("bias[{}]", to_string(t)));
    layout.names.push_back(fmt::format("noise[{}]", to_string(t)));
    offset += 2;
  }
  layout.source_offset = offset;
  for (const EvidenceSource& s : evidence.sources) {
    layout.names.push_back(fmt::format("bias_z[{}]", s.name));
    layout.names.push_back(fmt::format("noise_z[{}]", s.name));
    offset += 2;
  }
  const auto add = [&](int& slot, bool needed, const char* name) {
    if (!needed) return;
    slot = offset++;
    layout.names.emplace_back(name);
  };
  add(layout.outlier_share, !evidence.claims.empty(), "outlier_share");
  add(layout.hedge_sd, evidence.any_hedged(), "hedge_sd");
  add(layout.approximate_sd, evidence.any_approximate(), "approximate_sd");
  add(layout.magnitude_sd, evidence.any_magnitude(), "magnitude_sd");
  layout.dimension = offset;
  return layout;
}

PosteriorDensity::PosteriorDensity(const Model& model, const PreparedEvidence& evidence,
                                   bool with_claims)
    : model_(model),
      evidence_(evidence),
      with_claims_(with_claims),
      layout_(make_layout(model, evidence)) {}

double PosteriorDensity::log_density(const Eigen::VectorXd& theta,
                                     Eigen::VectorXd& gradient) const {
  thread_local Trajectory<ad::Var> tr;
  return ad::value_and_gradient(
      [&](std::span<const ad::Var> x) {
        return evaluate<ad::Var>(model_, layout_, evidence_, with_claims_, x, tr);
      },
      theta, gradient);
}

double PosteriorDensity::evaluate_double(const Eigen::VectorXd& theta, Trajectory<double>& tr,
                                         std::vector<ClaimValue>* claims) const {
  const std::span<const double> x(theta.data(), static_cast<std::size_t>(theta.size()));
  return evaluate<double>(model_, layout_, evidence_, with_claims_, x, tr, claims);
}

}  // namespace recount::synthesis::detail

namespace recount::synthesis::detail {

std::vector<std::pair<int, std::string>> evidence_parameters(const Layout& layout) {
  std::vector<std::pair<int, std::string>> out;
  for (const auto& [slot, name] : {std::pair{layout.outlier_share, "outlier_share"},
                                   {layout.hedge_sd, "hedge_sd"},
                                   {layout.approximate_sd, "approximate_sd"},
                                   {layout.magnitude_sd, "magnitude_sd"}})
    if (slot >= 0) out.emplace_back(slot, name);
  return out;
}

std::vector<std::string> constrained_names(const Model& model, const Layout& layout,
                                           const PreparedEvidence& evidence) {
  std::vector<std::string> names;
  for (const Parameter& p : model.parameters) {
    switch (p.shape) {
      case ParameterShape::constant:
        names.push_back(p.name);
        break;
      case ParameterShape::piecewise:
        names.push_back(fmt::format("{}[start]", p.name));
        for (const std::string& n : p.change_names)
          names.push_back(fmt::format("{}[{}]", p.name, n));
        break;
      case ParameterShape::random_walk:
        names.push_back(p.name + ".first");
        names.push_back(p.name + ".step");
        break;
    }
  }
  for (const SourceType t : layout.types) {
    names.push_back(fmt::format("bias[{}]", to_string(t)));
    names.push_back(fmt::format("noise[{}]", to_string(t)));
  }
  for (const EvidenceSource& s : evidence.sources) {
    names.push_back(fmt::format("bias[{}]", s.name));
    names.push_back(fmt::format("noise[{}]", s.name));
  }
  for (const auto& [slot, name] : evidence_parameters(layout))
    names.emplace_back(name);
  return names;
}

std::vector<double> constrained_values(const Model& model, const Layout& layout,
                                       const PreparedEvidence& evidence,
                                       const Eigen::VectorXd& theta) {
  std::vector<double> values;
  double lp = 0;
  for (std::size_t p = 0; p < model.parameters.size(); ++p) {
    const Parameter& par = model.parameters[p];
    const int o = layout.parameters[p].offset;
    switch (par.shape) {
      case ParameterShape::constant:
        values.push_back(constrain(par.prior, theta[o], lp));
        break;
      case ParameterShape::piecewise:
        for (std::size_t k = 0; k < par.segment_priors.size(); ++k)
          values.push_back(constrain(par.segment_priors[k], theta[o + static_cast<int>(k)], lp));
        break;
      case ParameterShape::random_walk:
        values.push_back(constrain(par.prior, theta[o], lp));
        values.push_back(constrain(par.step, theta[o + 1], lp));
        break;
    }
  }
  Trajectory<double> tr;
  const std::span<const double> x(theta.data(), static_cast<std::size_t>(theta.size()));
  (void)evaluate<double>(model, layout, evidence, false, x, tr);
  for (std::size_t k = 0; k < tr.type_bias.size(); ++k) {
    values.push_back(tr.type_bias[k]);
    values.push_back(tr.type_noise[k]);
  }
  for (std::size_t k = 0; k < tr.source_bias.size(); ++k) {
    values.push_back(tr.source_bias[k]);
    values.push_back(tr.source_noise[k]);
  }
  for (const auto& [slot, name] : evidence_parameters(layout)) {
    if (slot == layout.outlier_share) values.push_back(std::exp(tr.log_outlier_share));
    if (slot == layout.hedge_sd) values.push_back(tr.hedge_sd);
    if (slot == layout.approximate_sd) values.push_back(tr.approximate_sd);
    if (slot == layout.magnitude_sd) values.push_back(tr.magnitude_sd);
  }
  return values;
}

}  // namespace recount::synthesis::detail

namespace recount::synthesis::detail {

std::vector<SeriesValues> series_values(const Model& model, const Trajectory<double>& tr) {
  const auto W = static_cast<std::size_t>(model.weeks);
  std::vector<std::vector<double>> counters(model.flows.size(), std::vector<double>(W));
  for (std::size_t f = 0; f < model.flows.size(); ++f) {
    double c = 0;
    for (std::size_t t = 0; t < W; ++t)
      counters[f][t] = c += tr.flow[f][t];
  }
  std::vector<SeriesValues> out;
  for (const Quantity& q : model.quantities) {
    SeriesValues s{q.name, "quantity", std::vector<double>(W, 0.0)};
    for (int term : q.terms) {
      const auto k = static_cast<std::size_t>(term);
      for (std::size_t t = 0; t < W; ++t)
        s.values[t] += q.is_stock ? tr.stock[k][t + 1] : counters[k][t];
    }
    out.push_back(std::move(s));
  }
  for (std::size_t k = 0; k < model.stocks.size(); ++k)
    out.push_back(
        {"stock." + model.stocks[k].name, "stock", {tr.stock[k].begin() + 1, tr.stock[k].end()}});
  for (std::size_t f = 0; f < model.flows.size(); ++f)
    out.push_back({"counter." + model.flows[f].name, "counter", counters[f]});
  for (std::size_t p = 0; p < model.parameters.size(); ++p)
    if (model.parameters[p].shape != ParameterShape::constant)
      out.push_back({"parameter." + model.parameters[p].name, "parameter", tr.parameter[p]});
  return out;
}

}  // namespace recount::synthesis::detail
