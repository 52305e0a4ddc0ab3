#include <cmath>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "density.hpp"
#include "recount/core/csv.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/synthesis/fit.hpp"

namespace recount::synthesis {

namespace {

// The prior-standardised coordinate of a value (the inverse of detail::constrain).
double standardise(const Prior& p, double v) {
  switch (p.family) {
    case PriorFamily::normal:
      return (v - p.a) / p.b;
    case PriorFamily::lognormal:
      return (std::log(v) - p.a) / p.b;
    case PriorFamily::halfnormal:
      return std::log(v / p.a);
    case PriorFamily::exponential:
      return std::log(v * p.a);
    case PriorFamily::gamma:
      return std::log(v * p.b / p.a);
    case PriorFamily::beta:
      return std::log(v / (1 - v)) - std::log(p.a / p.b);
  }
  return 0;
}

}  // namespace

Simulation simulate(const Model& model, std::uint64_t seed, int claims_per_quantity, double noise) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  const PreparedEvidence none;
  const detail::PosteriorDensity density(model, none, false);
  const detail::Layout& layout = density.layout();
  Eigen::VectorXd x = Eigen::VectorXd::Zero(layout.dimension);
  Simulation sim;
  for (std::size_t p = 0; p < model.parameters.size(); ++p) {
    const Parameter& par = model.parameters[p];
    const detail::Layout::Slot& slot = layout.parameters[p];
    auto draw = [&](const Prior& prior, int k, const std::string& name) {
      const double v = draw_prior(prior, rng);
      x[slot.offset + k] = standardise(prior, v);
      sim.parameters.emplace_back(name, v);
    };
    switch (par.shape) {
      case ParameterShape::constant:
        draw(par.prior, 0, par.name);
        break;
      case ParameterShape::piecewise:
        for (std::size_t k = 0; k < par.segment_priors.size(); ++k)
          draw(par.segment_priors[k], static_cast<int>(k),
               fmt::format("{}[{}]", par.name,
                           k == 0 ? std::string("start") : par.change_names[k - 1]));
        break;
      case ParameterShape::random_walk:
        draw(par.prior, 0, par.name + ".first");
        draw(par.step, 1, par.name + ".step");
        for (int k = 2; k < slot.count; ++k)
          x[slot.offset + k] = normal(rng);
        break;
    }
  }
  detail::Trajectory<double> tr;
  density.evaluate_double(x, tr, nullptr);
  const std::vector<detail::SeriesValues> series = detail::series_values(model, tr);
  for (const detail::SeriesValues& s : series) {
    Series out{s.name, s.kind, {}};
    for (std::size_t t = 0; t < s.values.size(); ++t) {
      const double v = s.values[t];
      out.points.push_back({model.week_end(static_cast<int>(t)), v, v, v, v, v});
    }
    sim.truth.push_back(std::move(out));
  }
  // Point claims at equally spaced weeks, with log-normal error, from a few simulated sources.
  const SourceType types[] = {SourceType::ngo, SourceType::data_journalism, SourceType::media};
  int id = 0;
  for (std::size_t q = 0; q < model.quantities.size(); ++q) {
    const Quantity& quantity = model.quantities[q];
    for (int k = 1; k <= claims_per_quantity; ++k) {
      const int week = model.weeks * k / (claims_per_quantity + 1);
      const double truth = series[q].values[static_cast<std::size_t>(week)];
      if (!(truth >= 10)) continue;
      Claim c;
      c.id = fmt::format("s{:03}", ++id);
      c.measure = quantity.measure;
      c.population = quantity.population;
      c.kind = ClaimKind::point;
      c.low = c.high = std::round(truth * std::exp(noise * normal(rng)));
      const auto source = static_cast<std::size_t>(id % 3);
      c.source_org = fmt::format("simulated source {}", source + 1);
      c.source_type = types[source];
      c.as_of = c.published = model.week_end(week);
      c.note = "simulated";
      sim.claims.push_back(std::move(c));
    }
  }
  return sim;
}

void write_simulation(const Simulation& sim, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::string history = csv_line({"series", "kind", "date", "value"}) + "\n";
  for (const Series& s : sim.truth)
    for (const SeriesPoint& p : s.points)
      history += csv_line({s.name, s.kind, p.date.iso(), fmt::format("{:.6g}", p.median)}) + "\n";
  write_file(dir / "history.csv", history);
  write_file(dir / "claims.csv", write_claims_csv(sim.claims, false));
  nlohmann::json truth = nlohmann::json::object();
  for (const auto& [name, value] : sim.parameters)
    truth[name] = value;
  write_file(dir / "parameters.json", truth.dump(2) + "\n");
}

}  // namespace recount::synthesis
