#include "recount/synthesis/evidence.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "recount/core/text.hpp"
#include "recount/core/toml.hpp"

namespace recount::synthesis {

const SourceEntry* SourceTable::find(std::string_view name) const {
  const std::string key = to_lower_ascii(trim(name));
  if (key.empty()) return nullptr;
  for (const SourceEntry& s : sources) {
    if (to_lower_ascii(s.name) == key) return &s;
    for (const std::string& a : s.aliases)
      if (to_lower_ascii(a) == key) return &s;
  }
  return nullptr;
}

SourceTable parse_sources(const std::string& text, const std::string& file) {
  const toml::table root = parse_toml(text, file);
  const TomlReader reader(file);
  auto at = [&](const toml::node& n, const std::string& key) { return reader.at(n, key); };
  SourceTable table;
  const toml::array* list = root.get_as<toml::array>("source");
  if (list == nullptr)
    throw bad_input(Location{.file = file, .key = "source"}, "expected [[source]] entries");
  for (const toml::node& n : *list) {
    const toml::table* t = n.as_table();
    if (t == nullptr) throw bad_input(at(n, "source"), "expected a table");
    SourceEntry entry;
    const auto name = t->get_as<std::string>("name");
    if (name == nullptr) throw bad_input(at(n, "source.name"), "a source needs a name");
    entry.name = name->get();
    const auto type = t->get_as<std::string>("type");
    if (type == nullptr)
      throw bad_input(at(n, "source.type"), fmt::format("source '{}' needs a type", entry.name));
    const auto parsed = parse_source_type(type->get());
    if (!parsed)
      throw bad_input(at(*type, "source.type"),
                      fmt::format("unknown source type '{}' (known: {})", type->get(),
                                  fmt::join(source_type_names(), ", ")));
    entry.type = *parsed;
    if (const auto* aliases = t->get_as<toml::array>("aliases")) {
      for (const toml::node& a : *aliases) {
        const auto s = a.value<std::string>();
        if (!s) throw bad_input(at(a, "source.aliases"), "aliases are strings");
        entry.aliases.push_back(*s);
      }
    }
    for (const auto& [k, v] : *t)
      if (k.str() != "name" && k.str() != "type" && k.str() != "aliases")
        throw bad_input(at(v, "source." + std::string(k.str())),
                        fmt::format("unknown key '{}' (known here: name, aliases, type)", k.str()));
    for (const std::string& alias : entry.aliases)
      if (const SourceEntry* other = table.find(alias))
        throw bad_input(at(n, "source.aliases"),
                        fmt::format("'{}' already names source '{}'", alias, other->name));
    if (const SourceEntry* other = table.find(entry.name))
      throw bad_input(at(n, "source.name"),
                      fmt::format("'{}' already names source '{}'", entry.name, other->name));
    table.sources.push_back(std::move(entry));
  }
  return table;
}

SourceTable read_sources(const std::filesystem::path& path) {
  return parse_sources(read_file(path), path.string());
}

bool PreparedEvidence::any_hedged() const {
  return std::any_of(claims.begin(), claims.end(),
                     [](const EvidenceClaim& c) { return c.hedges > 0; });
}
bool PreparedEvidence::any_approximate() const {
  return std::any_of(claims.begin(), claims.end(),
                     [](const EvidenceClaim& c) { return c.approximate; });
}
bool PreparedEvidence::any_magnitude() const {
  return std::any_of(claims.begin(), claims.end(),
                     [](const EvidenceClaim& c) { return c.magnitude; });
}

double outlier_log_mass(Bound bound, double lo, double hi, double ceiling) {
  const double a = bound == Bound::at_most ? 0.0 : std::clamp(lo, 0.0, ceiling);
  const double b = bound == Bound::at_least ? ceiling : std::clamp(hi, 0.0, ceiling);
  if (bound == Bound::value) return -std::log(ceiling);
  // A bound of zero width (at most 0) has no outlier mass: floor it at one thousandth of the
  // range so that the mixture stays defined (the claim's own component then decides).
  return std::log(std::max(b - a, 1e-3 * ceiling) / ceiling);
}

double roundness_sd(double value) {
  const double v = std::abs(value);
  if (!(v >= 1) || v != std::floor(v) || v > 1e15) return 0;
  double unit = 1;
  for (double u = 10; u <= v; u *= 10) {
    if (std::fmod(v, u) == 0) unit = u;
    if (std::fmod(v, u * 5) == 0 && u * 5 <= v) unit = u * 5;
  }
  if (unit == 1) return 0;
  return std::min(0.3, 0.5 * unit / v / std::sqrt(3.0));
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The claim's stated lower and upper values (-inf/+inf where it states none).
std::pair<double, double> stated_bounds(const Claim& c) {
  const double lo = c.low.value_or(c.high.value_or(0));
  const double hi = c.high.value_or(c.low.value_or(0));
  switch (c.kind) {
    case ClaimKind::at_least:
      return {lo, kInf};
    case ClaimKind::at_most:
      return {-kInf, hi};
    default:
      return {lo, hi};
  }
}

std::string source_identity(const Claim& c, const SourceTable& table, SourceType& type,
                            bool& typed) {
  typed = false;
  for (const std::string* name : {&c.source_org, &c.source}) {
    if (const SourceEntry* e = table.find(*name)) {
      type = e->type;
      typed = true;
      return e->name;
    }
  }
  if (c.source_type) {
    type = *c.source_type;
    typed = true;
  }
  return !c.source_org.empty() ? c.source_org : c.source;
}

}  // namespace

PreparedEvidence prepare_evidence(const Model& model, const std::vector<Claim>& claims,
                                  const SourceTable& table, std::optional<Date> until) {
  PreparedEvidence out;
  // First pass: claims that cannot be evidence at all, and each usable claim's source.
  struct Candidate {
    const Claim* claim;
    std::string source;
    SourceType type;
  };
  std::vector<Candidate> candidates;
  for (const Claim& c : claims) {
    auto unused = [&](const std::string& reason) { out.unused.push_back({c.id, reason}); };
    if (const std::string problem = claim_problem(c); !problem.empty()) {
      out.flags.push_back({{c.id}, problem});
      unused(problem);
      continue;
    }
    const Date published = c.published.value_or(c.as_of.value_or(Date{}));
    if (until && published > *until) {
      unused(fmt::format("published {} after --until {}", published.iso(), until->iso()));
      continue;
    }
    if (!c.as_of) {
      unused("no date (as_of or published)");
      continue;
    }
    SourceType type = SourceType::media;
    bool typed = false;
    std::string source = source_identity(c, table, type, typed);
    if (source.empty()) {
      unused("no source: evidence needs someone who said it");
      continue;
    }
    if (!typed) {
      unused(fmt::format("source '{}' has no type (add it to the sources table)", source));
      continue;
    }
    candidates.push_back({&c, std::move(source), type});
  }
  // Copies: the same figure restated later, by its source or another, through any outlet, is one
  // piece of evidence. The first published stands for the group (ties: earliest as_of, then the
  // file's order).
  using Key = std::tuple<Measure, std::string, ClaimKind, std::optional<double>,
                         std::optional<double>, Rate>;
  std::map<Key, std::size_t> original;
  auto earlier = [](const Claim& a, const Claim& b) {
    const Date pa = a.published.value_or(*a.as_of), pb = b.published.value_or(*b.as_of);
    return pa != pb ? pa < pb : *a.as_of < *b.as_of;
  };
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Claim& c = *candidates[k].claim;
    const Key key{c.measure, c.population, c.kind, c.low, c.high, c.rate};
    const auto [it, inserted] = original.try_emplace(key, k);
    if (!inserted && earlier(c, *candidates[it->second].claim)) it->second = k;
  }
  std::vector<std::vector<std::string>> copies(candidates.size());
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Claim& c = *candidates[k].claim;
    const std::size_t o = original.at({c.measure, c.population, c.kind, c.low, c.high, c.rate});
    if (o != k) copies[o].push_back(c.id);
  }
  std::map<std::string, int> source_index;
  std::vector<const Claim*> kept;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Claim& c = *candidates[k].claim;
    if (original.at({c.measure, c.population, c.kind, c.low, c.high, c.rate}) != k) continue;
    auto unused = [&](const std::string& reason) {
      out.unused.push_back({c.id, reason});
      for (const std::string& id : copies[k])
        out.unused.push_back({id, fmt::format("a copy of {}: {}", c.id, reason)});
    };
    EvidenceClaim e;
    e.claim = c;
    e.repeats = copies[k];
    e.week = model.week_of(*c.as_of);
    if (e.week < 0) {
      unused(fmt::format("as_of {} is outside the model's grid ({} to {})", c.as_of->iso(),
                         model.start.iso(), model.week_end(model.weeks - 1).iso()));
      continue;
    }
    e.quantity = model.find_quantity(c.population, c.measure);
    if (e.quantity < 0) {
      for (const Nesting& n : model.nesting) {
        if (n.wide != c.population) continue;
        const int q = model.find_quantity(n.narrow, c.measure);
        if (q < 0) continue;
        e.quantity = q;
        e.from_wider = true;
        e.wider_population = c.population;
        break;
      }
    }
    if (e.quantity < 0) {
      unused(fmt::format("the model has no quantity for {} of {}", to_string(c.measure),
                         c.population.empty() ? "(no population)" : c.population));
      continue;
    }
    const Quantity& q = model.quantities[static_cast<std::size_t>(e.quantity)];
    if (c.rate != Rate::none) {
      if (q.is_stock) {
        unused(fmt::format("a rate per {} of {}, which the model holds as a level, not a flow",
                           to_string(c.rate), q.name));
        continue;
      }
      e.rate_scale = rate_days(c.rate) / 7.0;
    }
    const auto [lo, hi] = stated_bounds(c);
    if (c.kind == ClaimKind::magnitude) {
      e.bound = Bound::interval;
      e.lo = std::log(lo + 1);
      e.hi = std::log(hi + 2);  // 100-999 means up to the next power of ten
      e.magnitude = true;
    } else {
      e.bound = c.kind == ClaimKind::range      ? Bound::interval
                : c.kind == ClaimKind::at_least ? Bound::at_least
                : c.kind == ClaimKind::at_most  ? Bound::at_most
                                                : Bound::value;
      e.lo = lo == -kInf ? -kInf : std::log(lo + 1);
      e.hi = hi == kInf ? kInf : std::log(hi + 1);
      e.roundness_sd = std::max(std::isfinite(lo) ? roundness_sd(lo) : 0.0,
                                std::isfinite(hi) ? roundness_sd(hi) : 0.0);
      e.approximate = c.kind == ClaimKind::approximate;
    }
    e.hedges = static_cast<int>(c.hedges.size());
    if (e.from_wider) {
      // A figure for the whole bounds the part from above; a lower bound on the whole says nothing.
      if (e.bound == Bound::at_least) {
        unused(fmt::format("a lower bound on {} says nothing about its part {}", c.population,
                           q.population));
        continue;
      }
      e.bound = Bound::at_most;
      e.lo = -kInf;
    }
    const auto [it, inserted] =
        source_index.try_emplace(candidates[k].source, static_cast<int>(out.sources.size()));
    if (inserted) out.sources.push_back({candidates[k].source, candidates[k].type});
    e.source = it->second;
    out.claims.push_back(std::move(e));
    kept.push_back(&c);
  }
  // Unused claims in the order of the input, whichever pass found them.
  std::map<std::string, std::size_t> position;
  for (std::size_t k = 0; k < claims.size(); ++k)
    position.try_emplace(claims[k].id, k);
  std::stable_sort(
      out.unused.begin(), out.unused.end(),
      [&](const UnusedClaim& a, const UnusedClaim& b) { return position[a.id] < position[b.id]; });
  // The outlier component: log(value + 1) uniform from 0 to ten times the largest figure stated
  // (a background independent of the truth, as in Hogg, Bovy & Lang 2010, arXiv:1008.4686,
  // section 3, eq. 17).
  double largest = 0;
  for (const EvidenceClaim& e : out.claims)
    for (const double v : {e.lo, e.hi})
      if (std::isfinite(v)) largest = std::max(largest, v);
  out.outlier_log_ceiling = largest + std::log(10.0);
  for (EvidenceClaim& e : out.claims)
    e.outlier_log_mass = outlier_log_mass(e.bound, e.lo, e.hi, out.outlier_log_ceiling);
  // Deterministic checks: a part stated larger than its whole, whatever the parameters. Parts
  // and wholes come from the model, not from the words of the measures: a quantity is part of
  // another of its kind when its series are a strict subset of the other's (killed within
  // casualties, one unit within all), and a population nested in another is part of it for the
  // same measure. Counters (flows) only grow, so a part by one date bounds the whole at any later
  // one; levels (stocks) and rates compare at the same date only.
  auto own_quantity = [&](const Claim& c) { return model.find_quantity(c.population, c.measure); };
  auto is_part = [&](const Claim& a, const Claim& b) {
    if (a.measure == b.measure && a.population != b.population)
      for (const Nesting& n : model.nesting)
        if (n.narrow == a.population && n.wide == b.population) return true;
    const int qa = own_quantity(a);
    const int qb = own_quantity(b);
    if (qa < 0 || qb < 0 || qa == qb) return false;
    const Quantity& part = model.quantities[static_cast<std::size_t>(qa)];
    const Quantity& whole = model.quantities[static_cast<std::size_t>(qb)];
    return part.is_stock == whole.is_stock && part.terms.size() < whole.terms.size() &&
           std::all_of(part.terms.begin(), part.terms.end(), [&](int t) {
             return std::find(whole.terms.begin(), whole.terms.end(), t) != whole.terms.end();
           });
  };
  for (std::size_t i = 0; i < kept.size(); ++i) {
    for (std::size_t j = 0; j < kept.size(); ++j) {
      const Claim* a = kept[i];
      const Claim* b = kept[j];
      if (i == j || a->rate != b->rate || !is_part(*a, *b)) continue;
      const bool counter =
          !model.quantities[static_cast<std::size_t>(out.claims[i].quantity)].is_stock;
      const bool comparable =
          counter && a->rate == Rate::none ? *a->as_of <= *b->as_of : *a->as_of == *b->as_of;
      if (!comparable) continue;
      const double a_low = stated_bounds(*a).first;
      const double b_high = stated_bounds(*b).second;
      if (a_low > b_high)
        out.flags.push_back(
            {{a->id, b->id},
             fmt::format(
                 "part larger than its whole: {} of {} ({}, {}) is at least {}, but {} of {} "
                 "({}, {}) is at most {}",
                 to_string(a->measure), a->population, a->id, a->as_of->iso(), format_number(a_low),
                 to_string(b->measure), b->population, b->id, b->as_of->iso(),
                 format_number(b_high))});
    }
  }
  return out;
}

}  // namespace recount::synthesis
