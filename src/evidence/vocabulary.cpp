#include "recount/evidence/vocabulary.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace recount {

namespace {

std::string words(std::string_view id) {
  std::string out(id);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string declared_list(const std::vector<PopulationTerm>& populations) {
  std::string out;
  for (const auto& p : populations) {
    if (!out.empty()) out += ", ";
    out += p.id;
  }
  return out;
}

}  // namespace

MeasureKind default_measure_kind(Measure measure) noexcept {
  return measure == Measure::in_service || measure == Measure::prison_population
             ? MeasureKind::level
             : MeasureKind::counter;
}

const PopulationTerm* Vocabulary::population(std::string_view id) const {
  for (const auto& p : populations)
    if (p.id == id) return &p;
  return nullptr;
}

const MeasureTerm* Vocabulary::measure(Measure m) const {
  for (const auto& t : measures)
    if (t.measure == m) return &t;
  return nullptr;
}

bool Vocabulary::contains(std::string_view wide, std::string_view narrow) const {
  if (wide == narrow) return true;
  const PopulationTerm* p = population(narrow);
  if (!p) return false;
  // read_vocabulary refuses cycles, so the walk up ends.
  return std::any_of(p->within.begin(), p->within.end(),
                     [&](const std::string& w) { return contains(wide, w); });
}

std::string Vocabulary::population_label(std::string_view id) const {
  const PopulationTerm* p = population(id);
  return p && !p->label.empty() ? p->label : words(id);
}

std::string Vocabulary::measure_label(Measure m) const {
  const MeasureTerm* t = measure(m);
  return t && !t->label.empty() ? t->label : words(to_string(m));
}

MeasureKind Vocabulary::kind(Measure m) const {
  const MeasureTerm* t = measure(m);
  return t ? t->kind : default_measure_kind(m);
}

std::string Vocabulary::population_problem(std::string_view population_id) const {
  if (population_id.empty() || populations.empty() || population(population_id)) return {};
  return fmt::format("population '{}' is not in the study's vocabulary (declared: {})",
                     population_id, declared_list(populations));
}

std::string Vocabulary::measure_problem(Measure m) const {
  if (measures.empty() || measure(m)) return {};
  std::string declared;
  for (const auto& t : measures) {
    if (!declared.empty()) declared += ", ";
    declared += to_string(t.measure);
  }
  return fmt::format("measure '{}' is not in the study's vocabulary (declared: {})", to_string(m),
                     declared);
}

std::string Vocabulary::problem(std::string_view population_id, Measure m) const {
  std::string out = population_problem(population_id);
  return out.empty() ? measure_problem(m) : out;
}

std::vector<std::string> Vocabulary::parts(std::string_view wide) const {
  std::vector<std::string> out;
  for (const auto& p : populations)
    if (p.id != wide && contains(wide, p.id)) out.push_back(p.id);
  return out;
}

Vocabulary read_vocabulary(const toml::table& table, const TomlReader& r) {
  r.only_keys(table, "vocabulary", {"populations", "measures"});
  Vocabulary v;
  if (const toml::node* node = table.get("populations")) {
    for (const auto& [key, entry] : r.table(*node, "vocabulary.populations")) {
      const std::string id(key.str());
      const std::string path = "vocabulary.populations." + id;
      if (id.empty() || id.find_first_of(". ,") != std::string::npos)
        throw bad_input(
            r.at(entry, path),
            fmt::format("population `{}` must be one word (no '.', ',' or spaces)", id));
      PopulationTerm p;
      p.id = id;
      p.where = r.at(entry, path);
      const toml::table& t = r.table(entry, path);
      r.only_keys(t, path, {"label", "within", "terms"});
      if (const toml::node* label = t.get("label")) p.label = r.string(*label, path + ".label");
      if (const toml::node* terms = t.get("terms"))
        for (const auto& term : r.array(*terms, path + ".terms"))
          p.terms.push_back(r.string(term, path + ".terms"));
      if (const toml::node* within = t.get("within")) {
        if (within->is_string()) {
          p.within.push_back(r.string(*within, path + ".within"));
        } else {
          for (const auto& w : r.array(*within, path + ".within"))
            p.within.push_back(r.string(w, path + ".within"));
        }
      }
      v.populations.push_back(std::move(p));
    }
  }
  // TOML tables iterate by key; the study's order is the order it wrote them in.
  const auto by_position = [](const auto& a, const auto& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  };
  std::stable_sort(v.populations.begin(), v.populations.end(), by_position);
  for (const auto& p : v.populations)
    for (const auto& w : p.within)
      if (!v.population(w))
        throw bad_input(
            p.where,
            fmt::format("population `{}` is within `{}`, which the vocabulary does not declare",
                        p.id, w));
  for (const auto& p : v.populations) {
    // A cycle would make a population part of itself: walk up from each, remembering the path.
    std::vector<std::string> frontier = p.within;
    std::set<std::string> seen;
    while (!frontier.empty()) {
      const std::string w = frontier.back();
      frontier.pop_back();
      if (w == p.id)
        throw bad_input(p.where,
                        fmt::format("population `{}` is, through `within`, part of itself", p.id));
      if (!seen.insert(w).second) continue;
      for (const auto& up : v.population(w)->within)
        frontier.push_back(up);
    }
  }
  if (const toml::node* node = table.get("measures")) {
    for (const auto& [key, entry] : r.table(*node, "vocabulary.measures")) {
      const std::string id(key.str());
      const std::string path = "vocabulary.measures." + id;
      const auto measure = parse_measure(id);
      if (!measure || *measure == Measure::other) {
        std::string known;
        for (const auto& name : measure_names())
          if (name != "other") known += (known.empty() ? "" : ", ") + std::string(name);
        throw bad_input(r.at(entry, path),
                        fmt::format("unknown measure `{}` (one of: {})", id, known));
      }
      MeasureTerm m;
      m.measure = *measure;
      m.kind = default_measure_kind(*measure);
      m.where = r.at(entry, path);
      const toml::table& t = r.table(entry, path);
      r.only_keys(t, path, {"label", "kind", "terms"});
      if (const toml::node* label = t.get("label")) m.label = r.string(*label, path + ".label");
      if (const toml::node* terms = t.get("terms"))
        for (const auto& term : r.array(*terms, path + ".terms"))
          m.terms.push_back(r.string(term, path + ".terms"));
      if (const toml::node* kind = t.get("kind")) {
        const std::string k = r.string(*kind, path + ".kind");
        if (k == "level")
          m.kind = MeasureKind::level;
        else if (k == "counter")
          m.kind = MeasureKind::counter;
        else
          throw bad_input(r.at(*kind, path + ".kind"),
                          fmt::format("kind `{}` must be `level` or `counter`", k));
      }
      v.measures.push_back(std::move(m));
    }
    std::stable_sort(v.measures.begin(), v.measures.end(), by_position);
  }
  return v;
}

}  // namespace recount
