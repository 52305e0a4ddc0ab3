#include <algorithm>
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

// A figure rounded to two significant digits, down, to nearest or up (direction -1, 0, 1).
double round2(double v, int direction) {
  if (!(v >= 10))
    return direction < 0 ? std::floor(v) : direction > 0 ? std::ceil(v) : std::round(v);
  const double unit = std::pow(10.0, std::floor(std::log10(v)) - 1);
  const double u = v / unit;
  return unit * (direction < 0 ? std::floor(u) : direction > 0 ? std::ceil(u) : std::round(u));
}

// One planned claim: what it is about, who says it, how, and the source's figure y* on the
// log(value + 1) scale.
struct Plan {
  std::size_t quantity = 0;
  int week = 0;
  Rate rate = Rate::none;
  std::size_t source = 0;
  ClaimKind kind = ClaimKind::point;
  std::vector<Hedge> hedges;
  bool outlier = false;
  double y = 0;
};

}  // namespace

// The generative story the fit assumes (docs/synthesis.md, "Likelihoods"): parameters from their
// priors; per source type a log bias and noise, per source a bias and noise around its type's; the
// evidence model's widths and outlier share from theirs. A regular claim's figure is
// y* ~ normal(log(q + 1) + b_s, sigma) with sigma^2 = n_s^2 + hedges * hedge_sd^2 (+
// approximate_sd^2 for "about", + magnitude_sd^2 for an order of magnitude); an outlier's y* is
// uniform on [0, log(1 + 10 * the largest regular figure stated)], whatever the truth. The figure
// is then stated as its kind says (rounded, bracketed, bounded or put in its power of ten).
Simulation simulate(const Model& model, std::uint64_t seed, const SimulationOptions& options) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> uniform(0, 1);
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

  // The evidence model.
  const EvidenceSettings& es = model.evidence;
  struct Source {
    std::string name;
    SourceType type;
    double bias, noise;
  };
  std::vector<Source> sources;
  for (const SourceType type : options.types) {
    Prior bias_prior = es.type_bias;
    for (const auto& [t, prior] : es.type_bias_overrides)
      if (t == type) bias_prior = prior;
    const double type_bias = draw_prior(bias_prior, rng);
    const double type_noise = draw_prior(es.type_noise, rng);
    sim.parameters.emplace_back(fmt::format("bias[{}]", to_string(type)), type_bias);
    sim.parameters.emplace_back(fmt::format("noise[{}]", to_string(type)), type_noise);
    for (int k = 1; k <= options.sources_per_type; ++k) {
      Source s{fmt::format("simulated {} {}", to_string(type), k), type,
               type_bias + es.source_bias_sd * normal(rng),
               type_noise * std::exp(es.source_noise_spread * normal(rng))};
      sim.parameters.emplace_back(fmt::format("bias[{}]", s.name), s.bias);
      sim.parameters.emplace_back(fmt::format("noise[{}]", s.name), s.noise);
      sources.push_back(std::move(s));
    }
  }
  if (sources.empty() || options.claims_per_quantity <= 0) return sim;
  const double outlier_share = options.outlier_share.value_or(draw_prior(es.outlier_share, rng));
  const double hedge_sd = draw_prior(es.hedge_sd, rng);
  const double approximate_sd = draw_prior(es.approximate_sd, rng);
  const double magnitude_sd = draw_prior(es.magnitude_sd, rng);
  sim.parameters.emplace_back("outlier_share", outlier_share);
  sim.parameters.emplace_back("hedge_sd", hedge_sd);
  sim.parameters.emplace_back("approximate_sd", approximate_sd);
  sim.parameters.emplace_back("magnitude_sd", magnitude_sd);

  // Plans: per quantity, claims at equally spaced weeks (jittered by up to a fortnight); on a
  // counter, one in five is a rate (that week's flow per day, week or month).
  const ClaimKind kinds[] = {ClaimKind::point,    ClaimKind::approximate, ClaimKind::range,
                             ClaimKind::at_least, ClaimKind::at_most,     ClaimKind::magnitude};
  const double kind_weights[] = {0.25, 0.2, 0.15, 0.15, 0.1, 0.15};
  std::discrete_distribution<int> kind_of(std::begin(kind_weights), std::end(kind_weights));
  std::uniform_int_distribution<std::size_t> source_of(0, sources.size() - 1);
  const Hedge hedge_words[] = {Hedge::reportedly, Hedge::estimate,   Hedge::might,
                               Hedge::likely,     Hedge::unverified, Hedge::claimed};
  std::vector<Plan> plans;
  for (std::size_t q = 0; q < model.quantities.size(); ++q) {
    for (int k = 1; k <= options.claims_per_quantity; ++k) {
      Plan plan;
      plan.quantity = q;
      plan.week = std::clamp(model.weeks * k / (options.claims_per_quantity + 1) +
                                 static_cast<int>(uniform(rng) * 5) - 2,
                             1, model.weeks - 1);
      const auto t = static_cast<std::size_t>(plan.week);
      double truth = series[q].values[t];
      if (options.every_kind && !model.quantities[q].is_stock && uniform(rng) < 0.2) {
        const double weekly = series[q].values[t] - series[q].values[t - 1];
        for (const Rate r : {Rate::day, Rate::week, Rate::month})
          if (weekly * rate_days(r) / 7 >= 10) {
            plan.rate = r;
            truth = weekly * rate_days(r) / 7;
            break;
          }
      }
      if (!(truth >= 10)) continue;
      plan.source = source_of(rng);
      plan.kind = options.every_kind ? kinds[kind_of(rng)] : ClaimKind::point;
      if (options.every_kind) {
        const double h = uniform(rng);
        const int n = h < 0.6 ? 0 : h < 0.9 ? 1 : 2;
        std::vector<Hedge> words(std::begin(hedge_words), std::end(hedge_words));
        std::shuffle(words.begin(), words.end(), rng);
        plan.hedges.assign(words.begin(), words.begin() + n);
      }
      plan.outlier = uniform(rng) < outlier_share;
      const Source& s = sources[plan.source];
      double var =
          s.noise * s.noise + static_cast<double>(plan.hedges.size()) * hedge_sd * hedge_sd;
      if (plan.kind == ClaimKind::approximate) var += approximate_sd * approximate_sd;
      if (plan.kind == ClaimKind::magnitude) var += magnitude_sd * magnitude_sd;
      plan.y = std::log1p(truth) + s.bias + std::sqrt(var) * normal(rng);
      plans.push_back(std::move(plan));
    }
  }
  // How a figure y* is stated, by kind: bounds and ranges round outwards, so they hold y*.
  const auto state = [&](const Plan& plan, Claim& c) {
    const double v = std::expm1(plan.y);
    switch (plan.kind) {
      case ClaimKind::point:
        c.low = c.high = std::round(v);
        break;
      case ClaimKind::approximate:
        c.low = c.high = round2(v, 0);
        break;
      case ClaimKind::range: {
        const double width = std::log(1.2) + uniform(rng) * std::log(2.0 / 1.2);
        const double below = uniform(rng) * width;
        c.low = round2(std::expm1(plan.y - below), -1);
        c.high = round2(std::expm1(plan.y + width - below), 1);
        break;
      }
      case ClaimKind::at_least:
        c.low = round2(std::expm1(plan.y - uniform(rng) * std::log(10.0)), -1);
        break;
      case ClaimKind::at_most:
        c.high = round2(std::expm1(plan.y + uniform(rng) * std::log(10.0)), 1);
        break;
      case ClaimKind::magnitude: {
        const double power = std::pow(10.0, std::floor(std::log10(std::max(v, 1.0))));
        c.low = power;
        c.high = power * 10 - 1;
        break;
      }
    }
  };
  double largest = 0;
  std::vector<Claim> stated(plans.size());
  for (std::size_t k = 0; k < plans.size(); ++k) {
    if (plans[k].outlier) continue;
    state(plans[k], stated[k]);
    for (const auto& v : {stated[k].low, stated[k].high})
      if (v) largest = std::max(largest, *v);
  }
  const double ceiling = std::log1p(10 * std::max(largest, 10.0));
  int id = 0;
  for (std::size_t k = 0; k < plans.size(); ++k) {
    Plan& plan = plans[k];
    if (plan.outlier) {
      plan.y = uniform(rng) * ceiling;
      state(plan, stated[k]);
    }
    Claim& c = stated[k];
    const Quantity& quantity = model.quantities[plan.quantity];
    const Source& s = sources[plan.source];
    c.id = fmt::format("s{:03}", ++id);
    c.measure = quantity.measure;
    c.population = quantity.population;
    c.kind = plan.kind;
    c.rate = plan.rate;
    c.hedges = plan.hedges;
    c.source_org = s.name;
    c.source_type = s.type;
    c.as_of = model.week_end(plan.week);
    c.published = c.as_of->plus_days(static_cast<int>(uniform(rng) * 15));
    c.note = plan.outlier ? "simulated outlier" : "simulated";
    if (plan.outlier) sim.outliers.push_back(c.id);
    sim.claims.push_back(c);
    // A copy: the source restating its figure later, or another source quoting it.
    if (!(uniform(rng) < options.repeat_share)) continue;
    Claim copy = c;
    copy.id = fmt::format("s{:03}", ++id);
    copy.note = "simulated copy of " + c.id;
    copy.via = "a later outlet";
    const int later = static_cast<int>(uniform(rng) * 120) + 1;
    copy.published = c.published->plus_days(later);
    if (uniform(rng) < 0.5) {
      copy.as_of = c.as_of->plus_days(std::min(later, model.week_end(model.weeks - 1) - *c.as_of));
    } else {
      const Source& quoting = sources[source_of(rng)];
      copy.source_org = quoting.name;
      copy.source_type = quoting.type;
    }
    sim.claims.push_back(std::move(copy));
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
