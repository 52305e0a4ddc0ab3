#include "recount/synthesis/model.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "recount/core/check.hpp"
#include "recount/core/text.hpp"
#include "recount/core/toml.hpp"

namespace recount::synthesis {

std::string Prior::str() const {
  switch (family) {
    case PriorFamily::normal:
      return fmt::format("normal({}, {})", a, b);
    case PriorFamily::lognormal:
      return fmt::format("lognormal({}, {})", a, b);
    case PriorFamily::halfnormal:
      return fmt::format("halfnormal({})", a);
    case PriorFamily::gamma:
      return fmt::format("gamma({}, {})", a, b);
    case PriorFamily::beta:
      return fmt::format("beta({}, {})", a, b);
    case PriorFamily::exponential:
      return fmt::format("exponential({})", a);
  }
  return {};
}

Prior parse_prior(std::string_view text, const Location& where) {
  const std::string_view t = trim(text);
  const auto open = t.find('(');
  if (open == std::string_view::npos || t.back() != ')')
    throw bad_input(where,
                    fmt::format("'{}' is not a prior: write e.g. lognormal(7, 1.5), beta(2, 30), "
                                "halfnormal(0.3), normal(0, 1), gamma(2, 0.5), exponential(1)",
                                t));
  const std::string family = to_lower_ascii(trim(t.substr(0, open)));
  std::vector<double> args;
  std::string_view rest = t.substr(open + 1, t.size() - open - 2);
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view piece = trim(rest.substr(0, comma));
    double value = 0;
    const auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), value);
    if (piece.empty() || ec != std::errc() || ptr != piece.data() + piece.size())
      throw bad_input(where, fmt::format("'{}' in prior '{}' is not a number", piece, t));
    args.push_back(value);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  struct Shape {
    PriorFamily family;
    std::size_t arity;
  };
  static const std::map<std::string, Shape> families{
      {"normal", {PriorFamily::normal, 2}},
      {"lognormal", {PriorFamily::lognormal, 2}},
      {"halfnormal", {PriorFamily::halfnormal, 1}},
      {"gamma", {PriorFamily::gamma, 2}},
      {"beta", {PriorFamily::beta, 2}},
      {"exponential", {PriorFamily::exponential, 1}}};
  const auto it = families.find(family);
  if (it == families.end())
    throw bad_input(where,
                    fmt::format("unknown prior family '{}' (known: normal, lognormal, halfnormal, "
                                "gamma, beta, exponential)",
                                family));
  if (args.size() != it->second.arity)
    throw bad_input(where, fmt::format("{} takes {} parameter{}, got {}", family, it->second.arity,
                                       it->second.arity == 1 ? "" : "s", args.size()));
  Prior prior{it->second.family, args[0], args.size() > 1 ? args[1] : 0.0};
  const std::string what = fmt::format("in {}, the", t);
  switch (prior.family) {
    case PriorFamily::normal:
    case PriorFamily::lognormal:
      check_finite(where, what + " location", prior.a);
      check_positive(where, what + " scale", prior.b);
      break;
    case PriorFamily::halfnormal:
      check_positive(where, what + " scale", prior.a);
      break;
    case PriorFamily::exponential:
      check_positive(where, what + " rate", prior.a);
      break;
    case PriorFamily::gamma:
      check_positive(where, what + " shape", prior.a);
      check_positive(where, what + " rate", prior.b);
      break;
    case PriorFamily::beta:
      check_positive(where, what + " first shape", prior.a);
      check_positive(where, what + " second shape", prior.b);
      break;
  }
  return prior;
}

double draw_prior(const Prior& prior, std::mt19937_64& rng) {
  switch (prior.family) {
    case PriorFamily::normal:
      return std::normal_distribution<double>(prior.a, prior.b)(rng);
    case PriorFamily::lognormal:
      return std::lognormal_distribution<double>(prior.a, prior.b)(rng);
    case PriorFamily::halfnormal:
      return std::abs(std::normal_distribution<double>(0, prior.a)(rng));
    case PriorFamily::exponential:
      return std::exponential_distribution<double>(prior.a)(rng);
    case PriorFamily::gamma:
      return std::gamma_distribution<double>(prior.a, 1.0 / prior.b)(rng);
    case PriorFamily::beta: {
      const double x = std::gamma_distribution<double>(prior.a, 1.0)(rng);
      const double y = std::gamma_distribution<double>(prior.b, 1.0)(rng);
      return x / (x + y);
    }
  }
  return 0;
}

int Model::week_of(Date date) const {
  const int d = date - start;
  if (d < 0 || d >= 7 * weeks) return -1;
  return d / 7;
}

int Model::find_stock(std::string_view n) const {
  for (std::size_t k = 0; k < stocks.size(); ++k)
    if (stocks[k].name == n) return static_cast<int>(k);
  return -1;
}

int Model::find_flow(std::string_view n) const {
  for (std::size_t k = 0; k < flows.size(); ++k)
    if (flows[k].name == n) return static_cast<int>(k);
  return -1;
}

int Model::find_parameter(std::string_view n) const {
  for (std::size_t k = 0; k < parameters.size(); ++k)
    if (parameters[k].name == n) return static_cast<int>(k);
  return -1;
}

int Model::find_quantity(std::string_view population, const Measure& measure) const {
  for (std::size_t k = 0; k < quantities.size(); ++k)
    if (quantities[k].population == population && quantities[k].measure == measure)
      return static_cast<int>(k);
  return -1;
}

std::string vocabulary_problem(const Quantity& q, const Vocabulary& vocabulary) {
  if (std::string problem = vocabulary.problem(q.population, q.measure); !problem.empty())
    return problem;
  const MeasureTerm* declared = vocabulary.measure(q.measure);
  if (!declared) return {};
  const bool level = declared->kind == MeasureKind::level;
  if (level == q.is_stock) return {};
  return fmt::format(
      "the vocabulary declares `{}` a {}, but the model maps it to {}: map a level to stocks and "
      "a counter to flows, or change its kind in [vocabulary.measures.{}]",
      to_string(q.measure), level ? "level" : "counter", q.is_stock ? "stocks" : "flows",
      to_string(q.measure));
}

namespace {

// The model file's reader: TOML values plus the priors written as text.
class Reader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  [[nodiscard]] Prior prior(const toml::node& node, const std::string& key) const {
    return parse_prior(string(node, key), at(node, key));
  }
};

bool is_positive(const Prior& p) {
  return p.family != PriorFamily::normal && p.family != PriorFamily::beta;
}

void read_parameters(const Reader& r, const toml::table& root, Model& model) {
  const toml::node* section = root.get("parameters");
  if (section == nullptr) return;
  for (const auto& [k, v] : r.table(*section, "parameters")) {
    const std::string path = "parameters." + std::string(k.str());
    const toml::table& t = r.table(v, path);
    Parameter p;
    p.name = std::string(k.str());
    p.where = r.at(v, path);
    const std::string shape =
        t.get("shape") ? r.string(*t.get("shape"), path + ".shape") : "constant";
    if (const auto* n = t.get("from")) p.active_from = r.date(*n, path + ".from");
    if (const auto* n = t.get("until")) p.active_until = r.date(*n, path + ".until");
    if (shape == "constant") {
      r.only_keys(t, path, {"shape", "prior", "from", "until"});
      const auto* n = t.get("prior");
      if (n == nullptr) throw bad_input(p.where, "a constant needs a 'prior'");
      p.prior = r.prior(*n, path + ".prior");
    } else if (shape == "piecewise") {
      p.shape = ParameterShape::piecewise;
      r.only_keys(t, path, {"shape", "priors", "change_points", "from", "until"});
      const auto* cps = t.get("change_points");
      const auto* priors = t.get("priors");
      if (cps == nullptr || !cps->is_array() || priors == nullptr || !priors->is_array())
        throw bad_input(p.where,
                        "a piecewise parameter needs 'change_points' (an array of "
                        "{ name, date }) and 'priors' (one more than change points)");
      for (const toml::node& cp : *cps->as_array()) {
        const toml::table& ct = r.table(cp, path + ".change_points");
        r.only_keys(ct, path + ".change_points", {"name", "date"});
        if (ct.get("name") == nullptr || ct.get("date") == nullptr)
          throw bad_input(r.at(cp, path + ".change_points"),
                          "a change point needs a name and a date");
        p.change_names.push_back(r.string(*ct.get("name"), path + ".change_points.name"));
        const Date d = r.date(*ct.get("date"), path + ".change_points.date");
        if (!p.change_dates.empty() && d <= p.change_dates.back())
          throw bad_input(r.at(cp, path + ".change_points"), "change points must be in date order");
        p.change_dates.push_back(d);
      }
      for (const toml::node& pn : *priors->as_array())
        p.segment_priors.push_back(r.prior(pn, path + ".priors"));
      if (p.segment_priors.size() != p.change_dates.size() + 1)
        throw bad_input(
            r.at(*priors, path + ".priors"),
            fmt::format("{} change points make {} segments, but {} priors are given",
                        p.change_dates.size(), p.change_dates.size() + 1, p.segment_priors.size()));
    } else if (shape == "random_walk") {
      p.shape = ParameterShape::random_walk;
      r.only_keys(t, path, {"shape", "first", "step", "knot_weeks", "from", "until"});
      if (t.get("first") == nullptr || t.get("step") == nullptr)
        throw bad_input(p.where,
                        "a random walk needs 'first' (prior of its first level) and 'step' "
                        "(prior of the weekly log-scale step's standard deviation)");
      p.prior = r.prior(*t.get("first"), path + ".first");
      p.step = r.prior(*t.get("step"), path + ".step");
      if (!is_positive(p.prior))
        throw bad_input(
            r.at(*t.get("first"), path + ".first"),
            "a random walk moves on the log scale: its first level needs a positive prior "
            "(lognormal, gamma, halfnormal, exponential)");
      if (!is_positive(p.step))
        throw bad_input(r.at(*t.get("step"), path + ".step"),
                        "a step's standard deviation needs a positive prior");
      if (const auto* n = t.get("knot_weeks")) {
        const double w = r.number(*n, path + ".knot_weeks");
        if (!(w >= 1 && w <= 52 && w == std::floor(w)))
          throw bad_input(r.at(*n, path + ".knot_weeks"),
                          "knot_weeks must be a whole number from 1 to 52");
        p.knot_weeks = static_cast<int>(w);
      }
    } else {
      throw bad_input(r.at(*t.get("shape"), path + ".shape"),
                      fmt::format("unknown shape '{}' (constant, piecewise, random_walk)", shape));
    }
    if (p.active_from && p.active_until && *p.active_until <= *p.active_from)
      throw bad_input(p.where, "'until' must come after 'from'");
    model.parameters.push_back(std::move(p));
  }
}

void read_stocks(const Reader& r, const toml::table& root, Model& model) {
  const toml::node* section = root.get("stocks");
  if (section == nullptr)
    throw bad_input(Location{.file = r.at(root, "").file, .key = "stocks"}, "no [stocks]");
  for (const auto& [k, v] : r.table(*section, "stocks")) {
    const std::string path = "stocks." + std::string(k.str());
    const toml::table& t = r.table(v, path);
    r.only_keys(t, path, {"initial"});
    Stock s;
    s.name = std::string(k.str());
    s.where = r.at(v, path);
    if (const auto* n = t.get("initial")) {
      if (n->is_string()) {
        s.initial_parameter = r.string(*n, path + ".initial");
        const int p = model.find_parameter(s.initial_parameter);
        if (p < 0)
          throw bad_input(r.at(*n, path + ".initial"),
                          fmt::format("unknown parameter '{}'", s.initial_parameter));
        if (model.parameters[static_cast<std::size_t>(p)].shape != ParameterShape::constant)
          throw bad_input(r.at(*n, path + ".initial"),
                          "an initial value must be a constant parameter");
      } else {
        s.initial = r.number(*n, path + ".initial");
        check_nonnegative(r.at(*n, path + ".initial"), "an initial stock", s.initial);
      }
    }
    model.stocks.push_back(std::move(s));
  }
}

void read_flows(const Reader& r, const toml::table& root, Model& model) {
  const toml::node* section = root.get("flows");
  if (section == nullptr) return;
  struct Pending {
    std::string cohort;
    Location where;
  };
  std::vector<Pending> pending;
  auto stock_ref = [&](const toml::table& t, const char* key, const std::string& path) {
    const auto* n = t.get(key);
    if (n == nullptr) return -1;
    const std::string name = r.string(*n, path + "." + key);
    const int s = model.find_stock(name);
    if (s < 0) throw bad_input(r.at(*n, path + "." + key), fmt::format("unknown stock '{}'", name));
    return s;
  };
  for (const auto& [k, v] : r.table(*section, "flows")) {
    const std::string path = "flows." + std::string(k.str());
    const toml::table& t = r.table(v, path);
    r.only_keys(t, path, {"from", "to", "rate", "hazard", "delay"});
    Flow f;
    f.name = std::string(k.str());
    f.where = r.at(v, path);
    f.from = stock_ref(t, "from", path);
    f.to = stock_ref(t, "to", path);
    const int kinds =
        (t.get("rate") ? 1 : 0) + (t.get("hazard") ? 1 : 0) + (t.get("delay") ? 1 : 0);
    if (kinds != 1)
      throw bad_input(f.where, "a flow needs exactly one of 'rate', 'hazard' or 'delay'");
    Pending pend{{}, f.where};
    if (const auto* n = t.get("delay")) {
      f.kind = FlowKind::delay;
      const toml::table& d = r.table(*n, path + ".delay");
      r.only_keys(d, path + ".delay", {"after", "weeks", "until"});
      if (d.get("after") == nullptr || d.get("weeks") == nullptr)
        throw bad_input(r.at(*n, path + ".delay"),
                        "a delay needs 'after' (the flow whose cohorts leave) and 'weeks'");
      pend.cohort = r.string(*d.get("after"), path + ".delay.after");
      pend.where = r.at(*d.get("after"), path + ".delay.after");
      const double w = r.number(*d.get("weeks"), path + ".delay.weeks");
      if (!(w >= 1 && w == std::floor(w) && w < 10000))
        throw bad_input(r.at(*d.get("weeks"), path + ".delay.weeks"),
                        "weeks must be a whole number, 1 or more");
      f.weeks = static_cast<int>(w);
      if (const auto* u = d.get("until")) f.until = r.date(*u, path + ".delay.until");
      if (f.from < 0) throw bad_input(f.where, "a delay needs the stock it leaves ('from')");
    } else {
      const bool rate = t.get("rate") != nullptr;
      f.kind = rate ? FlowKind::rate : FlowKind::hazard;
      const char* key = rate ? "rate" : "hazard";
      const toml::node& pn = *t.get(key);
      const std::string pname = r.string(pn, path + "." + key);
      f.parameter = model.find_parameter(pname);
      if (f.parameter < 0)
        throw bad_input(r.at(pn, path + "." + key), fmt::format("unknown parameter '{}'", pname));
      const Parameter& p = model.parameters[static_cast<std::size_t>(f.parameter)];
      if (!rate) {
        if (f.from < 0) throw bad_input(f.where, "a hazard applies to a stock: it needs 'from'");
        const bool positive =
            p.shape == ParameterShape::random_walk ||
            (p.shape == ParameterShape::constant &&
             (is_positive(p.prior) || p.prior.family == PriorFamily::beta)) ||
            (p.shape == ParameterShape::piecewise &&
             std::all_of(p.segment_priors.begin(), p.segment_priors.end(), [](const Prior& q) {
               return is_positive(q) || q.family == PriorFamily::beta;
             }));
        if (!positive)
          throw bad_input(
              r.at(pn, path + ".hazard"),
              fmt::format("a hazard must be positive, but '{}' has a normal prior", pname));
      }
    }
    pending.push_back(pend);
    model.flows.push_back(std::move(f));
  }
  for (std::size_t k = 0; k < model.flows.size(); ++k) {
    Flow& f = model.flows[k];
    if (f.kind != FlowKind::delay) continue;
    f.cohort_flow = model.find_flow(pending[k].cohort);
    if (f.cohort_flow < 0)
      throw bad_input(pending[k].where, fmt::format("unknown flow '{}'", pending[k].cohort));
    const Flow& c = model.flows[static_cast<std::size_t>(f.cohort_flow)];
    if (c.to != f.from)
      throw bad_input(pending[k].where,
                      fmt::format("flow '{}' does not enter stock '{}', which the delay leaves",
                                  c.name, model.stocks[static_cast<std::size_t>(f.from)].name));
  }
  // Delays must not form a cycle: a cohort would be discharged into its own past.
  std::vector<int> state(model.stocks.size(), 0);
  std::function<void(int, std::vector<std::string>&)> visit = [&](int s,
                                                                  std::vector<std::string>& trail) {
    state[static_cast<std::size_t>(s)] = 1;
    trail.push_back(model.stocks[static_cast<std::size_t>(s)].name);
    for (const Flow& f : model.flows) {
      if (f.kind != FlowKind::delay || f.from != s || f.to < 0) continue;
      if (state[static_cast<std::size_t>(f.to)] == 1) {
        std::string cycle;
        for (const std::string& n : trail)
          cycle += n + " -> ";
        throw bad_input(f.where, fmt::format("a cycle of delays: {}{}", cycle,
                                             model.stocks[static_cast<std::size_t>(f.to)].name));
      }
      if (state[static_cast<std::size_t>(f.to)] == 0) visit(f.to, trail);
    }
    trail.pop_back();
    state[static_cast<std::size_t>(s)] = 2;
  };
  for (std::size_t s = 0; s < model.stocks.size(); ++s) {
    std::vector<std::string> trail;
    if (state[s] == 0) visit(static_cast<int>(s), trail);
  }
}

void read_quantities(const Reader& r, const toml::table& root, Model& model,
                     const Vocabulary* vocabulary) {
  const toml::node* section = root.get("quantities");
  if (section == nullptr) return;
  for (const auto& [k, v] : r.table(*section, "quantities")) {
    const std::string name(k.str());
    const std::string path = "quantities." + name;
    Quantity q;
    q.name = name;
    q.where = r.at(v, path);
    const auto dot = name.find('.');
    const std::string measure_id = dot == std::string::npos ? std::string() : name.substr(dot + 1);
    const auto measure = dot == std::string::npos ? std::nullopt
                         : vocabulary             ? vocabulary->parse_measure(measure_id)
                                                  : parse_measure(measure_id);
    if (!measure)
      throw bad_input(
          q.where, fmt::format("a quantity is named POPULATION.MEASURE with a measure among: {}",
                               vocabulary ? vocabulary->measure_list()
                                          : fmt::format("{}", fmt::join(measure_names(), ", "))));
    q.population = name.substr(0, dot);
    q.measure = *measure;
    std::vector<std::string> terms;
    if (v.is_string()) {
      terms.push_back(r.string(v, path));
    } else if (const auto* a = v.as_array()) {
      for (const toml::node& n : *a)
        terms.push_back(r.string(n, path));
    } else {
      throw bad_input(q.where, "expected a stock or flow name, or an array of them");
    }
    if (terms.empty()) throw bad_input(q.where, "a quantity needs at least one stock or flow");
    int stocks = 0;
    for (const std::string& t : terms) {
      const int s = model.find_stock(t);
      const int f = model.find_flow(t);
      if (s < 0 && f < 0) throw bad_input(q.where, fmt::format("unknown stock or flow '{}'", t));
      stocks += s >= 0 ? 1 : 0;
      q.terms.push_back(s >= 0 ? s : f);
    }
    if (stocks != 0 && stocks != static_cast<int>(terms.size()))
      throw bad_input(q.where,
                      "a quantity sums either stocks (a level) or flows (a count), not both");
    q.is_stock = stocks != 0;
    model.quantities.push_back(std::move(q));
  }
}

void read_nesting(const Reader& r, const toml::table& root, Model& model) {
  const toml::node* section = root.get("nest");
  if (section == nullptr) return;
  const toml::array* a = section->as_array();
  if (a == nullptr)
    throw bad_input(r.at(*section, "nest"), "expected [[nest]] entries with 'narrow' and 'wide'");
  for (const toml::node& n : *a) {
    const toml::table& t = r.table(n, "nest");
    r.only_keys(t, "nest", {"narrow", "wide"});
    if (t.get("narrow") == nullptr || t.get("wide") == nullptr)
      throw bad_input(r.at(n, "nest"), "a nesting needs 'narrow' and 'wide' populations");
    model.nesting.push_back(
        {r.string(*t.get("narrow"), "nest.narrow"), r.string(*t.get("wide"), "nest.wide")});
  }
}

void read_evidence(const Reader& r, const toml::table& root, Model& model) {
  const toml::node* section = root.get("evidence");
  if (section == nullptr) return;
  const toml::table& t = r.table(*section, "evidence");
  r.only_keys(
      t, "evidence",
      {"sources", "outlier_share", "approximate_sd", "hedge_sd", "magnitude_sd", "source_bias_sd",
       "source_noise_spread", "type_bias", "type_noise", "type_bias_by_type"});
  EvidenceSettings& e = model.evidence;
  if (const auto* n = t.get("sources")) e.sources_file = r.string(*n, "evidence.sources");
  const std::pair<const char*, double*> numbers[] = {
      {"source_bias_sd", &e.source_bias_sd}, {"source_noise_spread", &e.source_noise_spread}};
  for (const auto& [key, target] : numbers) {
    if (const auto* n = t.get(key)) {
      *target = r.number(*n, std::string("evidence.") + key);
      check_nonnegative(r.at(*n, std::string("evidence.") + key), key, *target);
    }
  }
  if (const auto* n = t.get("outlier_share")) {
    e.outlier_share = r.prior(*n, "evidence.outlier_share");
    if (e.outlier_share.family != PriorFamily::beta)
      throw bad_input(r.at(*n, "evidence.outlier_share"),
                      "the outlier share needs a beta prior, e.g. beta(1, 19)");
  }
  const std::pair<const char*, Prior*> widths[] = {{"approximate_sd", &e.approximate_sd},
                                                   {"hedge_sd", &e.hedge_sd},
                                                   {"magnitude_sd", &e.magnitude_sd}};
  for (const auto& [key, target] : widths) {
    if (const auto* n = t.get(key)) {
      *target = r.prior(*n, std::string("evidence.") + key);
      if (!is_positive(*target))
        throw bad_input(r.at(*n, std::string("evidence.") + key),
                        fmt::format("{} needs a positive prior, e.g. lognormal(-2.3, 0.5)", key));
    }
  }
  if (const auto* n = t.get("type_bias")) e.type_bias = r.prior(*n, "evidence.type_bias");
  if (const auto* n = t.get("type_noise")) {
    e.type_noise = r.prior(*n, "evidence.type_noise");
    if (!is_positive(e.type_noise))
      throw bad_input(r.at(*n, "evidence.type_noise"), "noise needs a positive prior");
  }
  if (const auto* n = t.get("type_bias_by_type")) {
    for (const auto& [k, v] : r.table(*n, "evidence.type_bias_by_type")) {
      const std::string key = "evidence.type_bias_by_type." + std::string(k.str());
      const auto type = parse_source_type(k.str());
      if (!type)
        throw bad_input(r.at(v, key), fmt::format("unknown source type '{}' (known: {})", k.str(),
                                                  fmt::join(source_type_names(), ", ")));
      e.type_bias_overrides.emplace_back(*type, r.prior(v, key));
    }
  }
}

}  // namespace

Model parse_model(const std::string& text, const std::string& file, const Vocabulary* vocabulary) {
  const toml::table root = parse_toml(text, file);
  const Reader r(file);
  r.only_keys(root, "",
              {"name", "grid", "parameters", "stocks", "flows", "quantities", "nest", "evidence"});
  Model model;
  model.file = file;
  if (const auto* n = root.get("name")) model.name = r.string(*n, "name");
  const toml::node* grid = root.get("grid");
  if (grid == nullptr)
    throw bad_input(Location{.file = file, .key = "grid"},
                    "no [grid] with 'start' and 'end' dates");
  const toml::table& g = r.table(*grid, "grid");
  r.only_keys(g, "grid", {"start", "end"});
  if (g.get("start") == nullptr || g.get("end") == nullptr)
    throw bad_input(r.at(*grid, "grid"), "the grid needs 'start' and 'end' dates");
  model.start = r.date(*g.get("start"), "grid.start");
  const Date end = r.date(*g.get("end"), "grid.end");
  if (end <= model.start)
    throw bad_input(r.at(*g.get("end"), "grid.end"), "the grid's end must come after its start");
  model.weeks = (end - model.start) / 7 + 1;
  if (model.weeks > 5200)
    throw bad_input(r.at(*g.get("end"), "grid.end"), "the grid is longer than a century");
  read_parameters(r, root, model);
  read_stocks(r, root, model);
  read_flows(r, root, model);
  read_quantities(r, root, model, vocabulary);
  read_nesting(r, root, model);
  read_evidence(r, root, model);
  for (const Parameter& p : model.parameters) {
    for (const Date d : p.change_dates)
      if (model.week_of(d) < 0)
        throw bad_input(p.where, fmt::format("change point {} is outside the grid", d.iso()));
  }
  return model;
}

Model read_model(const std::filesystem::path& path, const Vocabulary* vocabulary) {
  return parse_model(read_file(path), path.string(), vocabulary);
}

}  // namespace recount::synthesis
