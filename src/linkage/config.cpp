#include "recount/linkage/config.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "recount/core/check.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"
#include "recount/core/toml.hpp"

namespace recount::linkage {

namespace {

std::optional<Comparator> comparator_from(const std::string& s) {
  if (s == "exact") return Comparator::exact;
  if (s == "jaro_winkler") return Comparator::jaro_winkler;
  if (s == "levenshtein") return Comparator::levenshtein;
  if (s == "date") return Comparator::date;
  if (s == "numeric") return Comparator::numeric;
  if (s == "name") return Comparator::name;
  return std::nullopt;
}

ListSpec read_list(const TomlReader& r, const toml::table& t, std::size_t index,
                   const std::filesystem::path& base_dir) {
  const std::string path = fmt::format("list[{}]", index + 1);
  r.only_keys(t, path, {"name", "file", "id", "fields", "compare", "stratum", "unique"});
  ListSpec list;
  list.line = t.source().begin.line;
  if (const toml::node* f = t.get("file")) list.line = f->source().begin.line;
  list.name = r.string(r.required(t, "name"), path + ".name");
  if (trim(list.name).empty() || list.name.find_first_of(",\"\n\r:") != std::string::npos)
    throw bad_input(r.at(t, "name"),
                    fmt::format("list name '{}' must be non-empty without commas, quotes or "
                                "colons (it becomes a column of captures.csv)",
                                list.name));
  if (list.name == "entity" || list.name == "stratum" || list.name == "count" ||
      list.name == "pattern")
    throw bad_input(r.at(t, "name"),
                    fmt::format("list name '{}' is reserved in captures.csv", list.name));
  list.file_as_written = r.string(r.required(t, "file"), path + ".file");
  const std::filesystem::path file(list.file_as_written);
  list.file = file.is_absolute() ? file : base_dir / file;
  list.id_column = r.string(r.required(t, "id"), path + ".id");
  const toml::table& fields = r.table(r.required(t, "fields"), path + ".fields");
  const std::set<std::string> known(standard_fields().begin(), standard_fields().end());
  r.only_keys(fields, path + ".fields", known);
  for (const auto& [k, v] : fields) {
    const std::string key(k.str());
    list.fields[key] = r.string(v, path + ".fields." + key);
  }
  if (list.fields.empty())
    throw bad_input(r.at(t, "fields"), fmt::format("{}.fields names no field", path));
  if (list.fields.contains("full_name") &&
      (list.fields.contains("surname") || list.fields.contains("given") ||
       list.fields.contains("patronymic")))
    throw bad_input(r.at(fields, "full_name"),
                    "full_name is split into surname, given and patronymic: give either "
                    "full_name or the parts, not both");
  if (const toml::node* c = t.get("compare")) {
    const toml::table& compare = r.table(*c, path + ".compare");
    for (const auto& [k, v] : compare) {
      const std::string column(k.str());
      const std::string key = path + ".compare." + column;
      if (known.contains(column))
        throw bad_input(r.at(v, key),
                        fmt::format("'{}' is a standard field: map it in `fields`", column));
      const std::string how = r.string(v, key);
      const std::optional<Comparator> cmp = comparator_from(how);
      if (!cmp || *cmp == Comparator::name)
        throw bad_input(r.at(v, key),
                        fmt::format("unknown comparison '{}' (known: exact, jaro_winkler, "
                                    "levenshtein, date, numeric)",
                                    how));
      list.compare[column] = *cmp;
    }
  }
  if (const toml::node* s = t.get("stratum")) list.stratum_column = r.string(*s, path + ".stratum");
  if (const toml::node* u = t.get("unique")) list.unique = r.boolean(*u, path + ".unique");
  return list;
}

std::vector<double> number_list(const TomlReader& r, const toml::node& node,
                                const std::string& key) {
  std::vector<double> out;
  for (const toml::node& n : r.array(node, key)) {
    const double v = r.number(n, key);
    check_open_unit(r.at(n, key), key, v);
    out.push_back(v);
  }
  if (out.empty()) throw bad_input(r.at(node, key), "expected at least one threshold");
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A list of rules, each a list of blocking keys (or compared columns).
std::vector<BlockingRule> read_rules(const TomlReader& r, const toml::node& node,
                                     const std::string& key,
                                     const std::set<std::string>& compared) {
  const std::set<std::string> keys(blocking_keys().begin(), blocking_keys().end());
  std::vector<BlockingRule> rules;
  for (const toml::node& rule : r.array(node, key)) {
    BlockingRule b;
    for (const toml::node& k_node : r.array(rule, key)) {
      const std::string k = r.string(k_node, key);
      if (!keys.contains(k) && !compared.contains(k))
        throw bad_input(r.at(k_node, key),
                        fmt::format("unknown blocking key '{}' (known: {}, or a compared column)",
                                    k, fmt::join(blocking_keys(), ", ")));
      b.keys.push_back(k);
    }
    if (b.keys.empty()) throw bad_input(r.at(rule, key), "a rule with no keys");
    rules.push_back(std::move(b));
  }
  if (rules.empty()) throw bad_input(r.at(node, key), "no rules");
  return rules;
}

void read_blocking(const TomlReader& r, const toml::table& t, BlockingOptions& blocking,
                   const std::set<std::string>& compared) {
  r.only_keys(t, "blocking", {"rules", "pair_limit", "max_block", "target_recall", "pair_budget"});
  if (const toml::node* n = t.get("target_recall")) {
    blocking.target_recall = r.number(*n, "blocking.target_recall");
    check_open_unit(r.at(*n, "blocking.target_recall"), "blocking.target_recall",
                    blocking.target_recall);
  }
  if (const toml::node* n = t.get("pair_budget")) {
    const std::int64_t v = r.integer(*n, "blocking.pair_budget");
    if (v < 1) throw bad_input(r.at(*n, "blocking.pair_budget"), "must be at least 1");
    blocking.pair_budget = static_cast<std::uint64_t>(v);
  }
  if (const toml::node* n = t.get("max_block")) {
    const std::int64_t v = r.integer(*n, "blocking.max_block");
    if (v < 2) throw bad_input(r.at(*n, "blocking.max_block"), "must be at least 2");
    blocking.max_block = static_cast<std::uint64_t>(v);
  }
  if (const toml::node* n = t.get("pair_limit")) {
    const std::int64_t v = r.integer(*n, "blocking.pair_limit");
    if (v < 1) throw bad_input(r.at(*n, "blocking.pair_limit"), "must be at least 1");
    blocking.pair_limit = static_cast<std::uint64_t>(v);
  }
  if (const toml::node* n = t.get("rules")) {
    blocking.rules = read_rules(r, *n, "blocking.rules", compared);
    blocking.rules_given = true;
  }
}

// A probability in (0, 1) at `key` of a [[model.fix]] table.
double probability_at(const TomlReader& r, const toml::table& t, const char* key) {
  const std::string full = std::string("model.fix.") + key;
  const double v = r.number(r.required(t, key), full);
  check_open_unit(r.at(t, key), full, v);
  return v;
}

FixedProbability read_fixed(const TomlReader& r, const toml::table& t,
                            const std::set<std::string>& fields) {
  r.only_keys(t, "model.fix", {"field", "level", "m", "u"});
  FixedProbability fix;
  fix.file = r.at(t, "field").file;
  fix.line = t.source().begin.line;
  fix.field = r.string(r.required(t, "field"), "model.fix.field");
  if (!fields.contains(fix.field))
    throw bad_input(r.at(t, "field"), fmt::format("'{}' is not a compared field", fix.field));
  fix.level = r.string(r.required(t, "level"), "model.fix.level");
  if (t.get("m")) fix.m = probability_at(r, t, "m");
  if (t.get("u")) fix.u = probability_at(r, t, "u");
  if (!fix.m && !fix.u)
    throw bad_input(r.at(t, "level"), "a [[model.fix]] table fixes m, u or both: give one");
  return fix;
}

void read_model(const TomlReader& r, const toml::table& t, ModelOptions& model,
                const std::set<std::string>& fields, const std::set<std::string>& compared,
                const std::filesystem::path& base_dir) {
  r.only_keys(t, "model",
              {"threshold", "sweep", "jaro_winkler", "levenshtein", "em_max_iterations",
               "em_tolerance", "em_max_pairs", "u_pairs", "prior_max", "term_frequency", "seed",
               "frequency_tables", "fix", "deterministic", "labels"});
  auto resolve = [&](const std::string& written) {
    const std::filesystem::path p(written);
    return p.is_absolute() ? p : base_dir / p;
  };
  auto mark = [&](const std::string& key) { model.given[key] = true; };
  if (const toml::node* n = t.get("threshold")) {
    model.threshold = r.number(*n, "model.threshold");
    check_open_unit(r.at(*n, "model.threshold"), "model.threshold", model.threshold);
    mark("threshold");
  }
  if (const toml::node* n = t.get("sweep")) {
    model.sweep = number_list(r, *n, "model.sweep");
    mark("sweep");
  }
  if (const toml::node* n = t.get("jaro_winkler")) {
    const std::vector<double> v = number_list(r, *n, "model.jaro_winkler");
    if (v.size() != 2)
      throw bad_input(r.at(*n, "model.jaro_winkler"), "expected two thresholds, e.g. [0.92, 0.85]");
    model.jaro_winkler_high = v[1];
    model.jaro_winkler_low = v[0];
    mark("jaro_winkler");
  }
  if (const toml::node* n = t.get("levenshtein")) {
    const toml::array& a = r.array(*n, "model.levenshtein");
    if (a.size() != 2)
      throw bad_input(r.at(*n, "model.levenshtein"), "expected two distances, e.g. [1, 2]");
    const std::int64_t lo = r.integer(*a.get(0), "model.levenshtein");
    const std::int64_t hi = r.integer(*a.get(1), "model.levenshtein");
    if (lo < 1 || hi <= lo || hi > 8)
      throw bad_input(r.at(*n, "model.levenshtein"),
                      "expected two increasing distances between 1 and 8, e.g. [1, 2]");
    model.levenshtein_high = static_cast<int>(lo);
    model.levenshtein_low = static_cast<int>(hi);
    mark("levenshtein");
  }
  auto positive_integer = [&](const char* key, auto& target) {
    if (const toml::node* n = t.get(key)) {
      const std::string full = std::string("model.") + key;
      const std::int64_t v = r.integer(*n, full);
      if (v < 1) throw bad_input(r.at(*n, full), "must be at least 1");
      target = static_cast<std::remove_reference_t<decltype(target)>>(v);
      mark(key);
    }
  };
  positive_integer("em_max_iterations", model.em_max_iterations);
  positive_integer("em_max_pairs", model.em_max_pairs);
  positive_integer("u_pairs", model.u_pairs);
  positive_integer("seed", model.seed);
  if (const toml::node* n = t.get("em_tolerance")) {
    model.em_tolerance = r.number(*n, "model.em_tolerance");
    check_open_unit(r.at(*n, "model.em_tolerance"), "model.em_tolerance", model.em_tolerance);
    mark("em_tolerance");
  }
  if (const toml::node* n = t.get("prior_max")) {
    model.prior_max = r.number(*n, "model.prior_max");
    check_open_unit(r.at(*n, "model.prior_max"), "model.prior_max", model.prior_max);
    mark("prior_max");
  }
  if (const toml::node* n = t.get("term_frequency")) {
    model.term_frequency.clear();
    for (const toml::node& f : r.array(*n, "model.term_frequency")) {
      const std::string name = r.string(f, "model.term_frequency");
      if (!fields.contains(name))
        throw bad_input(r.at(f, "model.term_frequency"),
                        fmt::format("'{}' is not a compared field", name));
      model.term_frequency.push_back(name);
    }
    mark("term_frequency");
  }
  if (const toml::node* n = t.get("frequency_tables")) {
    const toml::table& tables = r.table(*n, "model.frequency_tables");
    for (const auto& [k, v] : tables) {
      const std::string field(k.str());
      const std::string key = "model.frequency_tables." + field;
      if (std::find(model.term_frequency.begin(), model.term_frequency.end(), field) ==
          model.term_frequency.end())
        throw bad_input(r.at(v, key),
                        fmt::format("'{}' has no term-frequency adjustment: add it to "
                                    "[model] term_frequency",
                                    field));
      model.frequency_tables[field] = resolve(r.string(v, key));
    }
  }
  if (const toml::node* n = t.get("fix"))
    for (const toml::node& f : r.array(*n, "model.fix"))
      model.fixed.push_back(read_fixed(r, r.table(f, "model.fix"), fields));
  if (const toml::node* n = t.get("deterministic"))
    model.deterministic = read_rules(r, *n, "model.deterministic", compared);
  if (const toml::node* n = t.get("labels")) model.labels = resolve(r.string(*n, "model.labels"));
}

}  // namespace

const char* comparator_name(Comparator c) noexcept {
  switch (c) {
    case Comparator::name:
      return "name";
    case Comparator::exact:
      return "exact";
    case Comparator::jaro_winkler:
      return "jaro_winkler";
    case Comparator::levenshtein:
      return "levenshtein";
    case Comparator::date:
      return "date";
    case Comparator::numeric:
      return "numeric";
  }
  return "?";
}

std::string BlockingRule::label() const {
  std::string out;
  for (const std::string& k : keys) {
    if (!out.empty()) out += '+';
    out += k;
  }
  return out;
}

std::vector<bool> unique_lists(const LinkConfig& config) {
  std::vector<bool> out;
  out.reserve(config.lists.size());
  for (const ListSpec& l : config.lists)
    out.push_back(l.unique);
  return out;
}

const std::vector<std::string>& standard_fields() {
  static const std::vector<std::string> fields{
      "surname", "given", "patronymic", "full_name", "birth_date", "death_date", "region"};
  return fields;
}

const std::vector<std::string>& blocking_keys() {
  static const std::vector<std::string> keys{
      "surname",         "given",          "patronymic",       "birth_date",
      "birth_year",      "birth_month",    "birth_span",       "birth_span_shifted",
      "death_date",      "death_year",     "region",           "surname_prefix",
      "given_initial",   "surname_suffix", "surname_phonetic", "surname_sorted",
      "surname_initial", "given_phonetic"};
  return keys;
}

LinkConfig parse_link_config(const std::string& text, const std::string& file,
                             const std::filesystem::path& base_dir) {
  const toml::table root = parse_toml(text, file);
  const TomlReader r(file);
  r.only_keys(root, "", {"list", "blocking", "model"});
  LinkConfig config;
  config.path = file;
  const toml::node* lists = root.get("list");
  if (!lists)
    throw bad_input(Location{.file = file, .key = "list"},
                    "no [[list]] tables: a link config names at least one list");
  const toml::array& arr = r.array(*lists, "list");
  std::map<std::string, Comparator> compared;
  std::set<std::string> names;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const toml::table& t = r.table(*arr.get(i), "list");
    ListSpec list = read_list(r, t, i, base_dir);
    if (!names.insert(list.name).second)
      throw bad_input(r.at(t, "name"), fmt::format("list name '{}' is given twice", list.name));
    for (const auto& [column, cmp] : list.compare) {
      const auto [it, inserted] = compared.emplace(column, cmp);
      if (!inserted && it->second != cmp)
        throw bad_input(r.at(t, "compare"),
                        fmt::format("column '{}' is compared as {} here but as {} in an earlier "
                                    "list",
                                    column, comparator_name(cmp), comparator_name(it->second)));
    }
    config.lists.push_back(std::move(list));
  }
  if (config.lists.empty())
    throw bad_input(r.at(*lists, "list"), "no [[list]] tables: a link config names a list");
  if (config.lists.size() > 15)
    throw bad_input(r.at(*lists, "list"),
                    fmt::format("{} lists; at most 15 (multiple systems estimation's limit)",
                                config.lists.size()));
  std::set<std::string> compared_names;
  for (const auto& [c, cmp] : compared)
    compared_names.insert(c);
  if (const toml::node* b = root.get("blocking"))
    read_blocking(r, r.table(*b, "blocking"), config.blocking, compared_names);
  std::set<std::string> fields = compared_names;
  for (const char* f : {"surname", "given", "patronymic", "birth_date", "death_date", "region"})
    fields.insert(f);
  if (const toml::node* m = root.get("model"))
    read_model(r, r.table(*m, "model"), config.model, fields, compared_names, base_dir);
  if (config.blocking.rules.empty()) config.blocking.rules = default_blocking_rules(config);
  return config;
}

LinkConfig read_link_config(const std::filesystem::path& path) {
  const std::filesystem::path base = path.has_parent_path() ? path.parent_path() : ".";
  return parse_link_config(read_file(path), path.string(), base);
}

std::vector<BlockingRule> default_blocking_rules(const LinkConfig& config) {
  auto has = [&](const std::string& field) {
    for (const ListSpec& l : config.lists) {
      if (l.fields.contains(field)) return true;
      if ((field == "surname" || field == "given" || field == "patronymic") &&
          l.fields.contains("full_name"))
        return true;
    }
    return false;
  };
  std::vector<BlockingRule> rules;
  const bool surname = has("surname"), given = has("given"), birth = has("birth_date");
  // Names with birth years at most one apart (lists that give an age write the year +-1): two
  // two-year bins, one shifted, so any two such years share a bin in one of them.
  if (surname && given && birth) {
    rules.push_back({{"surname", "given", "birth_span"}});
    rules.push_back({{"surname", "given", "birth_span_shifted"}});
  }
  if (given && birth) rules.push_back({{"given", "birth_date"}});
  if (surname && birth) rules.push_back({{"surname", "birth_date"}});
  if (surname && given && birth)
    rules.push_back({{"surname_prefix", "given_initial", "birth_year"}});
  if (has("patronymic") && birth) rules.push_back({{"patronymic", "birth_date"}});
  if (given && has("death_date")) rules.push_back({{"given", "death_date"}});
  if (surname && given) rules.push_back({{"surname", "given"}});
  if (rules.empty()) {
    if (surname)
      rules.push_back({{"surname"}});
    else if (birth)
      rules.push_back({{"birth_date"}});
    else if (!config.lists.empty() && !config.lists.front().compare.empty())
      rules.push_back({{config.lists.front().compare.begin()->first}});
  }
  return rules;
}

}  // namespace recount::linkage
