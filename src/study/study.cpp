#include "recount/study/study.hpp"

#include <algorithm>

#include <fmt/format.h>
#include "recount/core/text.hpp"
#include "recount/core/toml.hpp"

namespace fs = std::filesystem;

namespace recount::study {

namespace {

const std::vector<std::string> kMethods{"loglinear", "dga", "lcmcr"};

// More linkage draws than this add little to the combined estimate and cost a run per draw.
constexpr std::size_t max_linkage_draws = 1000;

// The study file's reader: optional keys with defaults over the typed TOML readers.
class Reader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  std::string string(const toml::table& t, const std::string& key, const std::string& fallback,
                     bool required = false) const {
    if (required) return TomlReader::string(TomlReader::required(t, key), key);
    const auto* node = t.get(key);
    return node ? TomlReader::string(*node, key) : fallback;
  }
  bool boolean(const toml::table& t, const std::string& key, bool fallback) const {
    const auto* node = t.get(key);
    return node ? TomlReader::boolean(*node, key) : fallback;
  }
  std::int64_t integer(const toml::table& t, const std::string& key, std::int64_t fallback,
                       std::int64_t min) const {
    const auto* node = t.get(key);
    if (!node) return fallback;
    const auto v = TomlReader::integer(*node, key);
    if (v < min)
      throw bad_input(at(*node, key), fmt::format("`{}` must be at least {}, got {}", key, min, v));
    return v;
  }
  std::optional<Date> date(const toml::table& t, const std::string& key) const {
    const auto* node = t.get(key);
    if (!node) return std::nullopt;
    return TomlReader::date(*node, key);
  }
  std::string path(const toml::table& t, const std::string& key, bool required) const {
    const std::string value = string(t, key, "", required);
    if (value.empty() && !required) return value;
    return study_relative(value, at(t, key));
  }
  // Keys the study file does not know are mistakes (a typo would silently change the study).
  void known(const toml::table& t, std::initializer_list<std::string_view> keys,
             const std::string& where) const {
    for (const auto& [k, node] : t)
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
        throw bad_input(
            at(node, std::string(k.str())),
            fmt::format("unknown key `{}` in {}", k.str(), where.empty() ? "the study" : where));
  }
  const toml::array* array_of_tables(const toml::table& t, const std::string& key) const {
    const auto* node = t.get(key);
    if (!node) return nullptr;
    const auto* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables())
      throw bad_input(at(*node, key),
                      fmt::format("`{}` must be written as [[{}]] tables", key, key));
    return arr;
  }
};

// What a computed estimate measures ([lists.evidence], [[excess]]): measure, population, as_of,
// source and kind (`range`, or `at_least` when the estimate misses part of the quantity).
EstimateTarget estimate_target(const toml::table& e, const Reader& r, const Study& study,
                               const std::string& where, const std::string& as_of_means,
                               const std::string& default_source, ClaimKind default_kind) {
  EstimateTarget target;
  const std::string measure = r.string(e, "measure", "", true);
  const auto m = study.vocabulary.parse_measure(measure);
  if (!m || !m->stated())
    throw bad_input(r.at(e, "measure"), fmt::format("unknown measure `{}` in {}", measure, where));
  target.measure = *m;
  target.population = r.string(e, "population", "", true);
  if (const auto problem = study.vocabulary.problem(target.population, target.measure);
      !problem.empty())
    throw bad_input(r.at(e, "population"), problem);
  const auto as_of = r.date(e, "as_of");
  if (!as_of)
    throw bad_input(r.at(e, "as_of"), fmt::format("missing key `as_of` ({})", as_of_means));
  target.as_of = *as_of;
  target.source = r.string(e, "source", default_source);
  const std::string kind = r.string(e, "kind", std::string(to_string(default_kind)));
  if (kind == "range")
    target.kind = ClaimKind::range;
  else if (kind == "at_least")
    target.kind = ClaimKind::at_least;
  else
    throw bad_input(r.at(e, "kind"),
                    fmt::format("`kind` is `range` or `at_least`, not `{}`", kind));
  return target;
}

// A range of years in [[excess]]: "2015-2019", or one year (a string or a whole number).
excess::YearRange excess_years(const toml::table& t, const Reader& r, const std::string& key,
                               excess::YearRange fallback) {
  const auto* node = t.get(key);
  if (!node) return fallback;
  const std::string text = node->is_integer() ? std::to_string(node->as_integer()->get())
                                              : r.TomlReader::string(*node, key);
  try {
    return excess::parse_year_range(text, "`" + key + "`");
  } catch (const Error& e) {
    throw bad_input(r.at(*node, key), e.reason());
  }
}

// One [[excess]] table: the deaths file, the options of `recount excess`, and what the estimate
// measures (by default at least its interval's lower end: excess mortality misses the missing
// and the deaths counted elsewhere).
ExcessSet read_excess_set(const toml::node& node, const Reader& r, const Study& study) {
  const auto& t = *node.as_table();
  r.known(t,
          {"name", "file", "subtract", "region", "ages", "baseline_years", "years", "trend", "sex",
           "level", "sensitivity", "measure", "population", "as_of", "source", "kind"},
          "[[excess]]");
  ExcessSet set;
  set.where = r.at(node, "excess");
  set.name = r.string(t, "name", "", true);
  if (set.name.empty() || set.name.find_first_of("/\\. ") != std::string::npos)
    throw bad_input(r.at(t, "name"),
                    fmt::format("excess estimate name `{}` must be a plain word (no '/', '.', "
                                "spaces)",
                                set.name));
  for (const auto& other : study.excess)
    if (other.name == set.name)
      throw bad_input(r.at(t, "name"), fmt::format("two [[excess]] are named `{}`", set.name));
  set.file = r.path(t, "file", true);
  set.subtract = r.path(t, "subtract", false);
  excess::ExcessOptions& o = set.options;
  o.region = r.string(t, "region", "");
  if (const auto* ages = t.get("ages")) {
    try {
      o.ages = excess::parse_age_range(r.TomlReader::string(*ages, "ages"), "`ages`");
    } catch (const Error& e) {
      throw bad_input(r.at(*ages, "ages"), e.reason());
    }
  }
  o.baseline = excess_years(t, r, "baseline_years", o.baseline);
  o.years = excess_years(t, r, "years", o.years);
  if (o.years.first <= o.baseline.last)
    throw bad_input(r.at(t, "years"),
                    fmt::format("the years estimated ({}) must come after the baseline years "
                                "({}): the trend is carried forward",
                                o.years.label(), o.baseline.label()));
  const std::string trend = r.string(t, "trend", "linear");
  if (trend != "linear" && trend != "exponential")
    throw bad_input(r.at(t, "trend"),
                    fmt::format("`trend` is `linear` or `exponential`, not `{}`", trend));
  o.trend = trend == "linear" ? excess::Trend::linear : excess::Trend::exponential;
  const std::string sex = r.string(t, "sex", "m");
  if (sex != "m" && sex != "f")
    throw bad_input(r.at(t, "sex"), fmt::format("`sex` is `m` or `f`, not `{}`", sex));
  o.excess_sex = sex == "m" ? excess::Sex::male : excess::Sex::female;
  if (const auto* level = t.get("level")) {
    o.level = r.number(*level, "level");
    if (!(o.level > 0 && o.level < 1))
      throw bad_input(r.at(*level, "level"),
                      fmt::format("`level` must be between 0 and 1, got {}", o.level));
  }
  set.sensitivity = r.boolean(t, "sensitivity", false);
  set.target =
      estimate_target(t, r, study, "[[excess]]", "the date the estimate reaches",
                      "recount excess mortality estimate: " + set.name, ClaimKind::at_least);
  return set;
}

// A quantity named in [report]: POPULATION.MEASURE, in the vocabulary when there is one.
std::string report_quantity(const toml::node& node, const Reader& r, const Study& study,
                            const std::string& key) {
  const std::string q = r.TomlReader::string(node, key);
  const auto dot = q.find('.');
  const auto measure =
      dot == std::string::npos ? std::nullopt : study.vocabulary.parse_measure(q.substr(dot + 1));
  if (dot == 0 || !measure)
    throw bad_input(
        r.at(node, key),
        fmt::format("`{}` is not a quantity POPULATION.MEASURE with a known measure", q));
  if (const auto problem = study.vocabulary.problem(q.substr(0, dot), *measure); !problem.empty())
    throw bad_input(r.at(node, key), problem);
  return q;
}

report::ReportSettings read_report_settings(const toml::node& node, const Reader& r,
                                            const Study& study) {
  const toml::table& t = r.table(node, "report");
  r.known(t, {"headline", "headline_subject", "breakdown", "breakdown_title"}, "[report]");
  report::ReportSettings settings;
  if (const auto* h = t.get("headline"))
    for (const auto& item : r.array(*h, "report.headline"))
      settings.headline.push_back(report_quantity(item, r, study, "report.headline"));
  settings.headline_subject = r.string(t, "headline_subject", "");
  settings.breakdown_title = r.string(t, "breakdown_title", "");
  if (const auto* b = t.get("breakdown"))
    for (const auto& item : r.array(*b, "report.breakdown")) {
      const std::string population = r.TomlReader::string(item, "report.breakdown");
      if (!study.vocabulary.populations.empty() && !study.vocabulary.population(population))
        throw bad_input(
            r.at(item, "report.breakdown"),
            fmt::format("population `{}` is not in the study's vocabulary", population));
      settings.breakdown.push_back(population);
    }
  return settings;
}

}  // namespace

std::string_view to_string(EvidenceInterval interval) noexcept {
  return interval == EvidenceInterval::best_linkage ? "best_linkage" : "with_linkage_uncertainty";
}

std::string study_relative(std::string_view path, const Location& where) {
  if (path.empty()) throw bad_input(where, "a path must not be empty");
  const fs::path p(path);
  if (p.is_absolute() || path.front() == '/' || path.front() == '~' ||
      (path.size() > 1 && path[1] == ':'))
    throw bad_input(
        where,
        fmt::format("`{}` is an absolute path: a study refers only to files in its own folder "
                    "(write the path relative to the study)",
                    path));
  for (const auto& part : p)
    if (part == "..")
      throw bad_input(
          where,
          fmt::format("`{}` leaves the study folder: a study refers only to files in its own "
                      "folder (copy the file into the study)",
                      path));
  const std::string normal = p.lexically_normal().generic_string();
  if (normal == "." || normal.empty())
    throw bad_input(where, fmt::format("`{}` names the study folder itself", path));
  if (normal.rfind("out/", 0) == 0 || normal == "out")
    throw bad_input(where,
                    fmt::format("`{}` is inside out/, where the study writes its results", path));
  return normal;
}

Study parse_study(const std::string& text, const fs::path& folder) {
  const std::string file = (folder / study_file_name).generic_string();
  const toml::table root = parse_toml(text, file);
  const Reader r(file);
  r.known(root,
          {"title", "summary", "seed", "reports", "claims", "model", "lists", "excess",
           "vocabulary", "report"},
          "");
  Study study;
  study.root = folder;
  study.title =
      r.string(root, "title",
               folder.filename().string().empty() ? "recount study" : folder.filename().string());
  study.summary = r.string(root, "summary", "");
  study.seed = static_cast<std::uint64_t>(r.integer(root, "seed", 1, 0));

  if (const auto* node = root.get("vocabulary"))
    study.vocabulary = read_vocabulary(r.table(*node, "vocabulary"), r);
  if (const auto* node = root.get("report")) study.report = read_report_settings(*node, r, study);

  if (const auto* reports = r.array_of_tables(root, "reports"))
    for (const auto& node : *reports) {
      const auto& t = *node.as_table();
      r.known(t, {"file", "auto_accept"}, "[[reports]]");
      study.reports.push_back({r.path(t, "file", true), r.boolean(t, "auto_accept", false)});
    }

  if (const auto* claims = root.get("claims")) {
    const auto* arr = claims->as_array();
    if (!arr)
      throw bad_input(r.at(*claims, "claims"), "`claims` must be a list of claims CSV files");
    for (const auto& item : *arr) {
      if (!item.is_string())
        throw bad_input(r.at(item, "claims"), "`claims` must list file names (strings)");
      study.claims.push_back(study_relative(item.as_string()->get(), r.at(item, "claims")));
    }
  }

  if (const auto* node = root.get("model")) {
    const auto* t = node->as_table();
    if (!t) throw bad_input(r.at(*node, "model"), "`model` must be a table: [model]");
    r.known(*t, {"file", "until", "chains", "warmup", "draws", "max_refits"}, "[model]");
    ModelSettings m;
    m.file = r.path(*t, "file", true);
    m.until = r.date(*t, "until");
    m.chains = static_cast<int>(r.integer(*t, "chains", m.chains, 1));
    m.warmup = static_cast<int>(r.integer(*t, "warmup", m.warmup, 10));
    m.draws = static_cast<int>(r.integer(*t, "draws", m.draws, 10));
    m.max_refits = static_cast<int>(r.integer(*t, "max_refits", m.max_refits, 0));
    study.model = m;
  }

  if (const auto* lists = r.array_of_tables(root, "lists"))
    for (const auto& node : *lists) {
      const auto& t = *node.as_table();
      r.known(t,
              {"name", "config", "captures", "methods", "thresholds", "linkage_draws",
               "demonstration", "evidence", "lcmcr"},
              "[[lists]]");
      ListSet set;
      set.where = r.at(node, "lists");
      set.name = r.string(t, "name", "", true);
      if (set.name.empty() || set.name.find_first_of("/\\. ") != std::string::npos)
        throw bad_input(
            r.at(t, "name"),
            fmt::format("list set name `{}` must be a plain word (no '/', '.', spaces)", set.name));
      for (const auto& other : study.lists)
        if (other.name == set.name)
          throw bad_input(r.at(t, "name"), fmt::format("two [[lists]] are named `{}`", set.name));
      set.config = r.path(t, "config", false);
      set.captures = r.path(t, "captures", false);
      if (set.config.empty() == set.captures.empty())
        throw bad_input(
            r.at(node, "lists"),
            fmt::format(
                "list set `{}` needs either `config` (lists to link) or `captures` (a captures "
                "table already linked), not both",
                set.name));
      set.demonstration = r.boolean(t, "demonstration", false);
      set.linkage_draws = static_cast<std::size_t>(
          r.integer(t, "linkage_draws", static_cast<std::int64_t>(default_linkage_draws), 0));
      if (set.linkage_draws == 1 || set.linkage_draws > max_linkage_draws)
        throw bad_input(r.at(t, "linkage_draws"),
                        fmt::format("`linkage_draws` is 0 (none) or from 2 to {}, got {}",
                                    max_linkage_draws, set.linkage_draws));
      if (const auto* m = t.get("methods")) {
        const auto* arr = m->as_array();
        if (!arr)
          throw bad_input(r.at(*m, "methods"),
                          "`methods` must be a list, e.g. [\"loglinear\", \"lcmcr\"]");
        for (const auto& item : *arr) {
          const std::string name =
              item.is_string() ? std::string(item.as_string()->get()) : std::string();
          if (std::find(kMethods.begin(), kMethods.end(), name) == kMethods.end())
            throw bad_input(
                r.at(item, "methods"),
                fmt::format("unknown MSE method `{}` (use loglinear, dga or lcmcr)", name));
          set.methods.push_back(name);
        }
      } else {
        set.methods = {"loglinear"};
      }
      if (const auto* th = t.get("thresholds")) {
        const auto* arr = th->as_array();
        if (!arr)
          throw bad_input(r.at(*th, "thresholds"), "`thresholds` must be a list of numbers");
        for (const auto& item : *arr) {
          const auto v = item.value<double>();
          if (!v)
            throw bad_input(r.at(item, "thresholds"), "`thresholds` must be a list of numbers");
          set.thresholds.push_back(*v);
        }
      }
      if (const auto* lc = t.get("lcmcr")) {
        const auto* l = lc->as_table();
        if (!l) throw bad_input(r.at(*lc, "lcmcr"), "`lcmcr` must be a table");
        r.known(*l, {"chains", "classes", "burnin", "samples", "thin"}, "[lists.lcmcr]");
        set.lcmcr.chains = static_cast<int>(r.integer(*l, "chains", set.lcmcr.chains, 1));
        set.lcmcr.classes = static_cast<int>(r.integer(*l, "classes", set.lcmcr.classes, 2));
        set.lcmcr.burnin = static_cast<int>(r.integer(*l, "burnin", set.lcmcr.burnin, 0));
        set.lcmcr.samples = static_cast<int>(r.integer(*l, "samples", set.lcmcr.samples, 1));
        set.lcmcr.thin = static_cast<int>(r.integer(*l, "thin", set.lcmcr.thin, 1));
      }
      if (const auto* ev = t.get("evidence")) {
        const auto* e = ev->as_table();
        if (!e) throw bad_input(r.at(*ev, "evidence"), "`evidence` must be a table");
        if (set.demonstration)
          throw bad_input(r.at(*ev, "evidence"),
                          "a demonstration list set cannot enter the synthesis as evidence: its "
                          "lists are invented");
        r.known(*e, {"measure", "population", "as_of", "source", "kind", "method", "interval"},
                "[lists.evidence]");
        ListEvidence le;
        le.target =
            estimate_target(*e, r, study, "[lists.evidence]", "the date the lists describe",
                            "recount multiple systems estimate: " + set.name, ClaimKind::range);
        le.method = r.string(*e, "method", "");
        if (!le.method.empty() &&
            std::find(set.methods.begin(), set.methods.end(), le.method) == set.methods.end())
          throw bad_input(r.at(*e, "method"),
                          fmt::format("`{}` is not one of this list set's methods", le.method));
        const std::string interval = r.string(
            *e, "interval", std::string(to_string(EvidenceInterval::with_linkage_uncertainty)));
        if (interval == to_string(EvidenceInterval::best_linkage))
          le.interval = EvidenceInterval::best_linkage;
        else if (interval != to_string(EvidenceInterval::with_linkage_uncertainty))
          throw bad_input(r.at(*e, "interval"),
                          fmt::format("`interval` is `with_linkage_uncertainty` or `best_linkage`, "
                                      "not `{}`",
                                      interval));
        set.evidence = le;
      }
      study.lists.push_back(std::move(set));
    }

  if (const auto* sets = r.array_of_tables(root, "excess"))
    for (const auto& node : *sets)
      study.excess.push_back(read_excess_set(node, r, study));
  return study;
}

Study load_study(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw bad_input(Location{.file = folder.generic_string()},
                    "no such study folder (`recount init` makes one)");
  const fs::path file = folder / study_file_name;
  if (!fs::is_regular_file(file, ec))
    throw bad_input(Location{.file = file.generic_string()},
                    "the study folder has no recount.toml (`recount init` writes a starting one)");
  return parse_study(read_file(file), folder);
}

std::string starter_study(std::string_view title) {
  return fmt::format(
      R"toml(# A recount study: `recount run .` runs every stage (ledger, extraction, linkage, MSE,
# synthesis, report) and writes the results under out/; the report is out/report/report.html.
# Every path is relative to this folder: a study refers to nothing outside itself, so a copy of
# the folder runs anywhere. docs/study.md describes every key.

title = "{}"
# One paragraph under the title of the report.
summary = ""
# Seeds every random step (samplers, synthetic lists), so a re-run gives the same numbers.
seed = 1

# Reports to extract claims from. Their claims go into the ledger (recount.db in this folder)
# as "proposed"; only accepted claims enter the synthesis. Review them with
#   recount claims --db recount.db            and   recount claims accept ID --db recount.db
# or set auto_accept = true to take a report's claims as they are.
# [[reports]]
# file = "reports/article.txt"
# auto_accept = false

# Claims curated by hand, in the claims CSV format (docs/claims.md). They enter the synthesis.
# The four in claims.csv are invented, to show the format: replace them with your own.
claims = ["claims.csv"]

# The synthesis model (docs/model.md). `until` fits only claims known by that date, and is the
# "to date" of the report's headline. model.toml is an invented example: write your own.
[model]
file = "model.toml"
until = 2021-06-01
chains = 4
warmup = 1000
draws = 1000

# Who the claims count and what they state: declared once, here. A claim naming a population or
# measure not declared is an error naming its file and line. Leave the table out and any
# population goes. `within` says which population a part belongs to; `terms` are the words that
# name a population in reports; a measure is a `level` (people at a date) or a `counter`.
[vocabulary.populations.everyone]
label = "everyone counted (invented)"
terms = ["people counted"]

[vocabulary.measures.in_service]
label = "present"
kind = "level"

[vocabulary.measures.recruited]
label = "arrived"

[vocabulary.measures.killed]
label = "died"

[vocabulary.measures.returned]
label = "left"

# What the report leads with (quantities POPULATION.MEASURE, in order) and how it groups the
# charts of the parts. Leave it out and both are derived from the model's [quantities].
[report]
headline = ["everyone.in_service", "everyone.killed"]
headline_subject = "Everyone counted (invented)"
# breakdown = ["a_part"]
# breakdown_title = "By part"

# Named lists: linked into people (the link config, docs/linkage.md), then counted by multiple
# systems estimation with each method listed (loglinear, dga, lcmcr).
# [[lists]]
# name = "obituaries"
# config = "lists/link.toml"      # or: captures = "captures.csv", a table already linked
# methods = ["loglinear", "lcmcr"]
# thresholds = [4, 6, 8, 10]    # match thresholds for the sensitivity chart
# linkage_draws = 20            # linkages drawn from their posterior, each estimate run on
#                               # every one so the interval carries the linkage's doubt (0: off)
#
# The estimate enters the synthesis as one more claim only when this table says what it measures:
# [lists.evidence]
# measure = "killed"
# population = "everyone"
# as_of = 2023-12-01
# source = "recount MSE of obituary lists"
# method = "lcmcr"
# interval = "with_linkage_uncertainty"   # or "best_linkage"

# Excess deaths in demographic statistics (docs/excess.md): from deaths by year, age band and
# sex, what one sex's deaths exceed the trend of their ratio to the other's. The estimate enters
# the synthesis as at least the lower end of its interval (kind = "range" for the whole interval).
# [[excess]]
# name = "men"
# file = "data/deaths.csv"       # year,age,sex,deaths (a region column is optional)
# ages = "15-49"
# baseline_years = "2015-2019"
# years = "2022-2023"
# measure = "killed"
# population = "everyone"
# as_of = 2023-12-31
)toml",
      title);
}

std::vector<std::pair<std::string, std::string>> starter_files(std::string_view title) {
  return {
      {std::string(study_file_name), starter_study(title)},
      {"model.toml",
       R"toml(# An invented example of a model (docs/model.md): people arrive, some die, the rest leave.
# Replace it with a model of your own case; every number here is made up.
name = "invented-example"

[grid]
start = 2021-01-04
end = 2021-06-27

[parameters.arrivals]
# Invented: about 150 people a week.
prior = "lognormal(5, 0.5)"

[parameters.death_hazard]
# Invented: about 1% a week.
prior = "beta(2, 200)"

[parameters.departure_hazard]
# Invented: about 5% a week.
prior = "beta(2, 40)"

[stocks.present]
initial = 0

[flows.arrived]
to = "present"
rate = "arrivals"

[flows.died]
from = "present"
hazard = "death_hazard"

[flows.left]
from = "present"
hazard = "departure_hazard"

[quantities]
"everyone.in_service" = "present"
"everyone.recruited" = "arrived"
"everyone.killed" = "died"
"everyone.returned" = "left"

[evidence]
sources = "sources.toml"
)toml"},
      {"claims.csv",
       "id,as_of,published,measure,population,kind,low,high,rate,source,source_org,source_type,"
       "via,hedges,note,url\n"
       "e1,2021-02-01,2021-02-02,in_service,everyone,approximate,800,800,,,Invented registry,"
       "belligerent_official,,,invented for the example,\n"
       "e2,2021-03-01,2021-03-03,recruited,everyone,at_least,1500,,,,Invented charity,ngo,,,"
       "invented for the example,\n"
       "e3,2021-04-05,2021-04-06,killed,everyone,range,60,120,,,Invented charity,ngo,,estimate,"
       "invented for the example,\n"
       "e4,2021-05-03,2021-05-04,returned,everyone,approximate,1200,1200,,,Invented newspaper,"
       "media,,reportedly,invented for the example,\n"},
      {"sources.toml",
       R"toml(# Who said what (docs/model.md): invented sources for the invented claims.
[[source]]
name = "Invented registry"
type = "belligerent_official"

[[source]]
name = "Invented charity"
type = "ngo"

[[source]]
name = "Invented newspaper"
type = "media"
)toml"}};
}

}  // namespace recount::study
