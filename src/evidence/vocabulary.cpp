#include "recount/evidence/vocabulary.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "builtin_vocabulary.hpp"

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

std::optional<MeasureKind> parse_measure_kind(std::string_view k) {
  if (k == "level") return MeasureKind::level;
  if (k == "counter") return MeasureKind::counter;
  return std::nullopt;
}

// data/vocabulary/measures.tsv: `id <TAB> kind <TAB> label` a line, '#' comments.
std::vector<MeasureTerm> parse_builtin_measures(std::string_view text) {
  std::vector<MeasureTerm> out;
  std::size_t line = 0;
  for (std::size_t at = 0; at < text.size();) {
    ++line;
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view row = text.substr(at, end - at);
    at = end + 1;
    if (row.empty() || row.front() == '#') continue;
    const Location where{"data/vocabulary/measures.tsv", line};
    const std::size_t a = row.find('\t');
    const std::size_t b = a == std::string_view::npos ? a : row.find('\t', a + 1);
    if (b == std::string_view::npos)
      throw internal_error(
          fmt::format("{}:{}: a line is `id <TAB> kind <TAB> label`", where.file, line));
    const std::string_view id = row.substr(0, a);
    const auto kind = parse_measure_kind(row.substr(a + 1, b - a - 1));
    if (!valid_measure_id(id) || id == "other" || !kind)
      throw internal_error(fmt::format("{}:{}: a bad measure line", where.file, line));
    out.push_back({Measure(std::string(id)), std::string(row.substr(b + 1)), *kind, where});
  }
  return out;
}

}  // namespace

bool valid_measure_id(std::string_view id) noexcept {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

const std::vector<MeasureTerm>& builtin_measures() {
  static const std::vector<MeasureTerm> measures =
      parse_builtin_measures(detail::builtin_vocabulary_text("measures"));
  return measures;
}

const MeasureTerm* builtin_measure(const Measure& m) {
  for (const auto& t : builtin_measures())
    if (t.measure == m) return &t;
  return nullptr;
}

const PopulationTerm* Vocabulary::population(std::string_view id) const {
  for (const auto& p : populations)
    if (p.id == id) return &p;
  return nullptr;
}

const MeasureTerm* Vocabulary::measure(const Measure& m) const {
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

std::string Vocabulary::measure_label(const Measure& m) const {
  const MeasureTerm* t = measure(m);
  if (!t || t->label.empty()) t = builtin_measure(m);
  return t && !t->label.empty() ? t->label : words(to_string(m));
}

MeasureKind Vocabulary::kind(const Measure& m) const {
  const MeasureTerm* t = measure(m);
  if (!t) t = builtin_measure(m);
  return t ? t->kind : MeasureKind::counter;
}

std::optional<Measure> Vocabulary::parse_measure(std::string_view id) const {
  if (auto m = recount::parse_measure(id)) return m;
  for (const auto& t : measures)
    if (t.measure.id() == id) return t.measure;
  return std::nullopt;
}

std::string Vocabulary::measure_list() const {
  std::vector<std::string_view> ids;
  const auto add = [&](std::string_view id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  for (const auto& t : builtin_measures())
    add(t.measure.id());
  for (const auto& t : measures)
    add(t.measure.id());
  add("other");
  return fmt::format("{}", fmt::join(ids, ", "));
}

std::string Vocabulary::population_problem(std::string_view population_id) const {
  if (population_id.empty() || populations.empty() || population(population_id)) return {};
  return fmt::format("population '{}' is not in the study's vocabulary (declared: {})",
                     population_id, declared_list(populations));
}

std::string Vocabulary::measure_problem(const Measure& m) const {
  if (measures.empty() || measure(m)) return {};
  std::string declared;
  for (const auto& t : measures) {
    if (!declared.empty()) declared += ", ";
    declared += to_string(t.measure);
  }
  return fmt::format("measure '{}' is not in the study's vocabulary (declared: {})", to_string(m),
                     declared);
}

std::string Vocabulary::problem(std::string_view population_id, const Measure& m) const {
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
      if (!valid_measure_id(id) || id == "other")
        throw bad_input(r.at(entry, path),
                        fmt::format("measure `{}` must be one word of letters, digits and '_' "
                                    "(and not `other`, which is no measure)",
                                    id));
      MeasureTerm m;
      m.measure = Measure(id);
      const MeasureTerm* builtin = builtin_measure(m.measure);
      if (builtin) m.kind = builtin->kind;
      m.where = r.at(entry, path);
      const toml::table& t = r.table(entry, path);
      r.only_keys(t, path, {"label", "kind", "terms"});
      if (const toml::node* label = t.get("label")) m.label = r.string(*label, path + ".label");
      if (const toml::node* terms = t.get("terms"))
        for (const auto& term : r.array(*terms, path + ".terms"))
          m.terms.push_back(r.string(term, path + ".terms"));
      if (const toml::node* kind = t.get("kind")) {
        const std::string k = r.string(*kind, path + ".kind");
        const auto parsed = parse_measure_kind(k);
        if (!parsed)
          throw bad_input(r.at(*kind, path + ".kind"),
                          fmt::format("kind `{}` must be `level` or `counter`", k));
        m.kind = *parsed;
      } else if (!builtin) {
        throw bad_input(m.where,
                        fmt::format("measure `{}` is not a built-in one, so it needs its kind: "
                                    "kind = \"level\" (a stock at a date) or \"counter\" (it "
                                    "accumulates)",
                                    id));
      }
      v.measures.push_back(std::move(m));
    }
    std::stable_sort(v.measures.begin(), v.measures.end(), by_position);
  }
  return v;
}

}  // namespace recount
