// The list generator: a synthetic population, each person's captures by the lists (heterogeneous
// visibility, dependent pairs, regional coverage), and each record written in its list's format
// with its own noise. The model is described in docs/simulate-lists.md.

#include "recount/linkage/simulate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/csv.hpp"
#include "recount/core/date.hpp"
#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "simulate_names.hpp"
#include "simulate_random.hpp"
#include "simulate_text.hpp"

namespace recount::linkage {

namespace {

using detail::NameWriter;
using detail::Origin;
using detail::Random;

constexpr int kMaxLists = 8;

enum class Format { obituaries, payments, court, ukraine, memorial, pardons, media, social };

// One list: how likely it is to hold a person and how it is written. `probit` is the standard
// normal quantile of the list's marginal capture probability (0.6 → 0.2533); `factor` names the
// dependent pair the list belongs to (0: none).
struct SimulatedListSpec {
  std::string_view name;
  Format format;
  double probit;
  double loading;  // on the person's visibility
  int factor;
  double typo;  // typos per record before the --noise multiplier
  std::string_view header;
  std::string_view fields;  // the link.toml `fields` table
  bool has_region;
  bool has_unit;
};

constexpr std::array<SimulatedListSpec, kMaxLists> kLists = {{
    {"obituaries", Format::obituaries, 0.2533, 1.0, 1, 0.03, "id,full_name,born,died,region",
     R"(full_name = "full_name", birth_date = "born", death_date = "died", region = "region")",
     true, false},
    {"payments", Format::payments, 0.6745, 0.6, 1, 0.04,
     "id,full_name,dob,date_of_death,region,unit",
     R"(full_name = "full_name", birth_date = "dob", death_date = "date_of_death", region = "region")",
     true, true},
    {"court", Format::court, 0.1257, 0.8, 0, 0.02, "id,surname,given,patronymic,birth_date,region",
     R"(surname = "surname", given = "given", patronymic = "patronymic", birth_date = "birth_date", region = "region")",
     true, false},
    {"ukraine", Format::ukraine, -0.1257, 1.3, 0, 0.06, "id,name,birth_year,death_date,unit",
     R"(full_name = "name", birth_date = "birth_year", death_date = "death_date")", false, true},
    {"memorial", Format::memorial, -0.3853, 1.0, 2, 0.03, "id,full_name,death,region",
     R"(full_name = "full_name", death_date = "death", region = "region")", true, false},
    {"pardons", Format::pardons, -0.6745, 0.5, 0, 0.02, "id,fio,born,region",
     R"(full_name = "fio", birth_date = "born", region = "region")", true, false},
    {"media", Format::media, -0.5244, 1.2, 2, 0.05, "id,name,year_of_birth,date_of_death",
     R"(full_name = "name", birth_date = "year_of_birth", death_date = "date_of_death")", false,
     false},
    {"social", Format::social, -0.5244, 1.0, 0, 0.08, "id,name,born,region",
     R"(full_name = "name", birth_date = "born", region = "region")", true, false},
}};

constexpr double kRegionSd = 0.3;  // regional differences in each list's coverage (probit)
constexpr int kUnits = 40;

struct Person {
  std::string surname, given, father, patronymic;
  bool female = false;
  Date birth, death;
  std::size_t region = 0;
  int unit = 1;
};

// The person as one record gives him: the name parts after the noise that does not depend on the
// script (ё dropped, a wrong gendered ending).
struct Name {
  std::string surname, given, patronymic;
};

std::string dmy(Date d, char sep) {
  return fmt::format("{:02}{}{:02}{}{:04}", d.day(), sep, d.month(), sep, d.year());
}

std::string mdy(Date d, char sep) {
  return fmt::format("{:02}{}{:02}{}{:04}", d.month(), sep, d.day(), sep, d.year());
}

std::string month_year(Date d) {
  return fmt::format("{:02}.{:04}", d.month(), d.year());
}

// The birth year as "age at death" reports give it: one year late when the death came before
// the birthday in its year.
int year_from_age(Date birth, Date death) {
  const bool before_birthday = death.month() < birth.month() ||
                               (death.month() == birth.month() && death.day() < birth.day());
  return birth.year() + (before_birthday ? 1 : 0);
}

class Generator {
 public:
  explicit Generator(const ListSimulation& options)
      : options_(options), random_(options.seed), pools_(detail::name_pools()) {
    for (int j = 0; j < options.lists; ++j) {
      const SimulatedListSpec& spec = kLists[static_cast<std::size_t>(j)];
      const double loading = spec.loading * options.visibility_sd;
      const double dependence = spec.factor == 0 ? 0.0 : options.dependence;
      // Scaled so the marginal capture probability stays Φ(probit) whatever the heterogeneity.
      alpha_[j] = spec.probit * std::sqrt(1 + loading * loading + dependence * dependence +
                                          kRegionSd * kRegionSd);
      for (std::size_t r = 0; r < pools_.regions.names.size(); ++r)
        region_effect_[j].push_back(kRegionSd * random_.normal());
    }
  }

  Person draw_person() {
    Person p;
    p.female = random_.chance(options_.women_share);
    const double u = random_.uniform();
    int origin = 0;
    for (double c = pools_.origin_share[0]; origin < 3 && u >= c; c += pools_.origin_share[origin])
      ++origin;
    const auto& surnames = pools_.surnames[origin];
    const std::string_view surname = surnames.names[surnames.index(random_.uniform())];
    p.surname = p.female ? detail::feminine_surname(surname) : std::string(surname);
    p.given = p.female ? draw(pools_.given_female) : draw_given(static_cast<Origin>(origin));
    p.father = draw_given(static_cast<Origin>(origin));
    p.patronymic = detail::patronymic_of(p.father, p.female);
    // Born 1960-2004, most in the 1980s (a triangular distribution).
    const int year = 1960 + static_cast<int>((random_.uniform() + random_.uniform()) / 2 * 45);
    const Date jan1 = Date::from_ymd(year, 1, 1);
    const int days = Date::from_ymd(year + 1, 1, 1) - jan1;
    p.birth = jan1.plus_days(static_cast<int>(random_.below(static_cast<std::uint64_t>(days))));
    const Date first = Date::from_ymd(2022, 7, 1);
    const int span = Date::from_ymd(2024, 12, 31) - first + 1;
    p.death = first.plus_days(static_cast<int>(random_.below(static_cast<std::uint64_t>(span))));
    p.region = pools_.regions.index(random_.uniform());
    if (static_cast<Origin>(origin) == Origin::tatar && random_.chance(0.5))
      p.region =
          region_index(random_.chance(0.5) ? "Республика Татарстан" : "Республика Башкортостан");
    if (static_cast<Origin>(origin) == Origin::caucasian && random_.chance(0.5))
      p.region = region_index("Республика Дагестан");
    p.unit = 1 + static_cast<int>(random_.below(kUnits));
    return p;
  }

  // Which lists hold the person: list j when α_j + λ_j·v + δ_j·f + ρ_j,region + ε_j > 0 (a
  // probit model with a shared latent visibility v, a factor f shared by a dependent pair and
  // independent ε), as in latent-class and Rasch-type capture-heterogeneity models.
  unsigned captures(const Person& p) {
    const double visibility = options_.visibility_sd * random_.normal();
    const double factor[3] = {0.0, random_.normal(), random_.normal()};
    unsigned pattern = 0;
    bool first_of_pair[3] = {true, true, true};
    for (int j = 0; j < options_.lists; ++j) {
      const SimulatedListSpec& spec = kLists[static_cast<std::size_t>(j)];
      double loading_f = 0;
      if (spec.factor != 0) {
        // The first list of a pair loads |δ|, the second δ: a negative --dependence makes the
        // pair negatively dependent.
        loading_f =
            first_of_pair[spec.factor] ? std::abs(options_.dependence) : options_.dependence;
        first_of_pair[spec.factor] = false;
      }
      const double latent = alpha_[j] + spec.loading * visibility +
                            loading_f * factor[spec.factor] + region_effect_[j][p.region] +
                            random_.normal();
      if (latent > 0) pattern |= 1U << j;
    }
    return pattern;
  }

  bool duplicate() { return random_.chance(options_.duplicate_rate); }

  // One record of the person on list j, without its id: the CSV fields after "id,".
  std::string record(const Person& p, int j) {
    const SimulatedListSpec& spec = kLists[static_cast<std::size_t>(j)];
    const double typo = std::min(1.0, spec.typo * options_.noise);
    Name n{p.surname, p.given, p.patronymic};
    if (!p.female && random_.chance(std::min(1.0, 0.005 * options_.noise)))
      n.surname = detail::feminine_surname(n.surname);
    switch (spec.format) {
      case Format::obituaries:
        return obituaries(p, cyrillic(n, 0.5, typo));
      case Format::payments:
        return payments(p, n, typo);
      case Format::court:
        return court(p, cyrillic(n, 0.9, typo));
      case Format::ukraine:
        return ukraine(p, n, typo);
      case Format::memorial:
        return memorial(p, cyrillic(n, 0.3, typo));
      case Format::pardons:
        return pardons(p, cyrillic(n, 1.0, typo));
      case Format::media:
        return media(p, n, typo);
      case Format::social:
        return social(p, n, typo);
    }
    return {};
  }

 private:
  std::string draw(const detail::WeightedPool& pool) {
    return std::string(pool.names[pool.index(random_.uniform())]);
  }

  std::string draw_given(Origin origin) {
    if (origin == Origin::tatar && random_.chance(0.6)) return draw(pools_.given_tatar);
    if (origin == Origin::caucasian && random_.chance(0.6)) return draw(pools_.given_caucasian);
    return draw(pools_.given_general);
  }

  std::size_t region_index(std::string_view name) const {
    const auto& names = pools_.regions.names;
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  }

  double scaled(double rate) const { return std::min(1.0, rate * options_.noise); }

  // Typos in the name parts: one with probability `rate`, a second one now and then.
  void add_typos(Name& n, double rate) {
    for (int k = 0; k < 2 && random_.chance(k == 0 ? rate : 0.2); ++k) {
      const double u = random_.uniform();
      std::string& part =
          u < 0.5 ? n.surname : (u < 0.8 || n.patronymic.empty() ? n.given : n.patronymic);
      part = detail::with_typo(part, random_);
    }
  }

  Name cyrillic(Name n, double drop_yo, double typo) {
    if (random_.chance(drop_yo)) {
      n.surname = detail::without_yo(n.surname);
      n.given = detail::without_yo(n.given);
      n.patronymic = detail::without_yo(n.patronymic);
    }
    add_typos(n, typo);
    return n;
  }

  std::string region(const Person& p, double missing) {
    return random_.chance(missing) ? std::string() : csv_field(pools_.regions.names[p.region]);
  }

  std::string unit(const Person& p, double missing) {
    return random_.chance(missing) ? std::string() : fmt::format("U{:02}", p.unit);
  }

  // A date with the precision and errors of a list: missing, year only, a day off.
  std::optional<Date> noisy(Date d, double missing, double off_by_days) {
    if (random_.chance(missing)) return std::nullopt;
    if (random_.chance(scaled(off_by_days)))
      d = d.plus_days(random_.chance(0.5) ? 1 + static_cast<int>(random_.below(3))
                                          : -1 - static_cast<int>(random_.below(3)));
    return d;
  }

  static std::string joined(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (const std::string_view part : parts) {
      if (part.empty()) continue;
      if (!out.empty()) out += ' ';
      out += part;
    }
    return out;
  }

  static std::string line(std::initializer_list<std::string_view> fields) {
    std::string out;
    bool first = true;
    for (const std::string_view f : fields) {
      if (!first) out += ',';
      first = false;
      out += f;
    }
    return out;
  }

  std::string obituaries(const Person& p, Name n) {
    if (random_.chance(0.05)) n.patronymic.clear();
    std::string born;
    if (const auto b = noisy(p.birth, 0.08, 0.01))
      born = random_.chance(0.05) ? fmt::format("{:04}", b->year()) : dmy(*b, '.');
    std::string died;
    if (const auto d = noisy(p.death, 0.04, 0.02))
      died = random_.chance(0.06) ? month_year(*d) : dmy(*d, '.');
    return line(
        {csv_field(joined({n.surname, n.given, n.patronymic})), born, died, region(p, 0.05)});
  }

  std::string payments(const Person& p, const Name& n, double typo) {
    const bool icao = random_.chance(0.6);
    Name latin{icao ? names_.icao(n.surname) : names_.passport_1997(n.surname),
               icao ? names_.icao(n.given) : names_.passport_1997(n.given),
               random_.chance(0.25)
                   ? (icao ? names_.icao(n.patronymic) : names_.passport_1997(n.patronymic))
                   : std::string()};
    add_typos(latin, typo);
    std::string dob;
    if (const auto b = noisy(p.birth, 0.04, 0.01))
      dob = random_.chance(0.15) ? fmt::format("{:04}", b->year()) : b->iso();
    std::string died;
    if (const auto d = noisy(p.death, 0.15, 0.02)) died = d->iso();
    return line({csv_field(joined({names_.upper(latin.surname), latin.given, latin.patronymic})),
                 dob, died, region(p, 0.03), unit(p, 0.25)});
  }

  std::string court(const Person& p, const Name& n) {
    std::string born;
    if (const auto b = noisy(p.birth, 0.03, 0.01))
      born = random_.chance(scaled(0.05)) ? mdy(*b, '/') : dmy(*b, '/');
    return line({csv_field(n.surname), csv_field(n.given),
                 random_.chance(0.04) ? std::string() : csv_field(n.patronymic), born,
                 region(p, 0.02)});
  }

  std::string ukraine(const Person& p, const Name& n, double typo) {
    std::string given;
    const std::string_view diminutive = detail::diminutive_of(n.given);
    const std::string_view ukrainian = detail::ukrainian_form_of(n.given);
    if (!diminutive.empty() && random_.chance(0.1))
      given = names_.bgn(diminutive);
    else if (!ukrainian.empty() && random_.chance(0.55))
      given = names_.ukrainian_bgn(ukrainian);
    else
      given = names_.bgn(n.given);
    Name latin{random_.chance(0.3) ? names_.ukrainian_style(n.surname) : names_.bgn(n.surname),
               given, std::string()};
    if (random_.chance(0.3)) {
      latin.surname = detail::informal_latin(latin.surname, random_);
      latin.given = detail::informal_latin(latin.given, random_);
    }
    add_typos(latin, typo);
    std::string year;
    if (!random_.chance(0.1))
      year = fmt::format("{:04}",
                         random_.chance(0.3) ? year_from_age(p.birth, p.death) : p.birth.year());
    std::string died;
    if (const auto d = noisy(p.death, 0.3, 0.15)) died = dmy(*d, '.');
    return line({csv_field(joined({latin.given, latin.surname})), year, died, unit(p, 0.4)});
  }

  std::string memorial(const Person& p, const Name& n) {
    std::string died;
    if (const auto d = noisy(p.death, 0.03, 0.02))
      died = random_.chance(0.7) ? month_year(*d) : dmy(*d, '.');
    return line({csv_field(joined({n.given, n.patronymic, n.surname})), died, region(p, 0.1)});
  }

  std::string pardons(const Person& p, const Name& n) {
    std::string born;
    if (const auto b = noisy(p.birth, 0.02, 0.01))
      born = fmt::format("{:04}{:02}{:02}", b->year(), b->month(), b->day());
    return line({csv_field(joined(
                     {names_.upper(n.surname), names_.upper(n.given), names_.upper(n.patronymic)})),
                 born, region(p, 0.02)});
  }

  std::string media(const Person& p, const Name& n, double typo) {
    Name latin{detail::informal_latin(names_.bgn(n.surname), random_),
               detail::informal_latin(names_.bgn(n.given), random_), std::string()};
    add_typos(latin, typo);
    std::string year;
    if (!random_.chance(0.2)) year = fmt::format("{:04}", p.birth.year());
    std::string died;
    if (const auto d = noisy(p.death, 0.3, 0.05)) died = d->iso();
    const std::string name = random_.chance(0.5) ? joined({latin.given, latin.surname})
                                                 : joined({latin.surname, latin.given});
    return line({csv_field(name), year, died});
  }

  std::string social(const Person& p, Name n, double typo) {
    const std::string_view diminutive = detail::diminutive_of(n.given);
    if (!diminutive.empty() && random_.chance(0.4)) n.given = diminutive;
    n.patronymic.clear();
    n = cyrillic(n, 0.7, typo);
    std::string name = joined({n.given, n.surname});
    if (random_.chance(0.1)) name = names_.lower(name);
    std::string year;
    if (!random_.chance(0.2))
      year = fmt::format("{:04}",
                         random_.chance(0.5) ? year_from_age(p.birth, p.death) : p.birth.year());
    return line({csv_field(name), year, region(p, 0.15)});
  }

  const ListSimulation& options_;
  Random random_;
  const detail::NamePools& pools_;
  NameWriter names_;
  double alpha_[kMaxLists] = {};
  std::vector<double> region_effect_[kMaxLists];
};

void check_options(const ListSimulation& o) {
  if (o.people < 1 || o.people > 10'000'000)
    throw usage_error(fmt::format("--people must be between 1 and 10,000,000, got {}", o.people));
  if (o.lists < 2 || o.lists > kMaxLists)
    throw usage_error(fmt::format("--lists must be between 2 and {}, got {}", kMaxLists, o.lists));
  auto range = [](std::string_view what, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi))
      throw usage_error(fmt::format("{} must be between {} and {}, got {}", what, lo, hi, value));
  };
  range("--duplicates", o.duplicate_rate, 0, 0.5);
  range("--visibility-sd", o.visibility_sd, 0, 5);
  range("--dependence", o.dependence, -3, 3);
  range("--noise", o.noise, 0, 10);
  range("--women", o.women_share, 0, 1);
  if (!o.cp1251_list.empty()) {
    const auto& names = simulated_list_names();
    const auto end = names.begin() + o.lists;
    if (std::find(names.begin(), end, o.cp1251_list) == end)
      throw usage_error(
          fmt::format("--cp1251 names no list made here: '{}' (the lists are the "
                      "first {} of: obituaries, payments, court, ukraine, "
                      "memorial, pardons, media, social)",
                      o.cp1251_list, o.lists));
  }
}

std::string link_config(const ListSimulation& o) {
  std::string toml = fmt::format(
      "# Synthetic lists made by `recount simulate lists --people {} --lists {} --seed {}`:\n"
      "# invented people, never real ones (docs/simulate-lists.md).\n",
      o.people, o.lists, o.seed);
  for (int j = 0; j < o.lists; ++j) {
    const SimulatedListSpec& spec = kLists[static_cast<std::size_t>(j)];
    toml += fmt::format("\n[[list]]\nname = \"{0}\"\nfile = \"list_{0}.csv\"\nid = \"id\"\n",
                        spec.name);
    toml += fmt::format("fields = {{ {} }}\n", spec.fields);
    if (spec.has_unit) toml += "compare = { unit = \"exact\" }\n";
    if (spec.has_region) toml += "stratum = \"region\"\n";
  }
  return toml;
}

}  // namespace

const std::vector<std::string>& simulated_list_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const SimulatedListSpec& spec : kLists)
      v.emplace_back(spec.name);
    return v;
  }();
  return names;
}

SimulatedLists simulate_lists(const ListSimulation& options, const std::filesystem::path& dir) {
  check_options(options);
  const auto lists = static_cast<std::size_t>(options.lists);
  Generator generator(options);
  std::vector<std::vector<std::string>> rows(lists);
  std::vector<std::vector<std::uint32_t>> persons(lists);
  std::vector<std::size_t> duplicates(lists, 0);
  std::vector<std::size_t> people_on(lists, 0);
  std::vector<std::size_t> patterns(std::size_t{1} << lists, 0);
  std::size_t women = 0;
  std::optional<Progress> progress;
  if (options.progress && options.people >= 100'000)
    progress.emplace("simulating people", options.people);
  for (std::size_t i = 0; i < options.people; ++i) {
    const Person person = generator.draw_person();
    if (person.female) ++women;
    const unsigned pattern = generator.captures(person);
    ++patterns[pattern];
    for (std::size_t j = 0; j < lists; ++j) {
      if (!(pattern & (1U << j))) continue;
      ++people_on[j];
      const int copies = generator.duplicate() ? 2 : 1;
      duplicates[j] += static_cast<std::size_t>(copies - 1);
      for (int c = 0; c < copies; ++c) {
        rows[j].push_back(generator.record(person, static_cast<int>(j)));
        persons[j].push_back(static_cast<std::uint32_t>(i + 1));
      }
    }
    if (progress && (i & 0xFFF) == 0) progress->update(i);
  }
  if (progress) progress->finish();

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw bad_input(Location{.file = dir.string()},
                    "cannot create the output folder: " + ec.message());

  // Records in a shuffled order, so that neither the order nor the ids say who is who.
  Random shuffle(options.seed ^ 0x9E3779B97F4A7C15ULL);
  SimulatedLists result;
  std::string truth = "list,id,person\n";
  nlohmann::json list_summaries = nlohmann::json::array();
  for (std::size_t j = 0; j < lists; ++j) {
    const SimulatedListSpec& spec = kLists[j];
    const std::size_t n = rows[j].size();
    std::vector<std::size_t> order(n);
    for (std::size_t k = 0; k < n; ++k)
      order[k] = k;
    for (std::size_t k = n; k > 1; --k)
      std::swap(order[k - 1], order[shuffle.below(k)]);
    std::string csv(spec.header);
    csv += '\n';
    for (std::size_t k = 0; k < n; ++k) {
      const std::string id = std::to_string(k + 1);
      csv += id;
      csv += ',';
      csv += rows[j][order[k]];
      csv += '\n';
      truth += spec.name;
      truth += ',';
      truth += id;
      truth += ',';
      truth += std::to_string(persons[j][order[k]]);
      truth += '\n';
    }
    std::vector<std::string>().swap(rows[j]);
    const bool cp1251 = options.cp1251_list == spec.name;
    const std::string file = fmt::format("list_{}.csv", spec.name);
    write_file(dir / file, cp1251 ? detail::to_cp1251(csv) : csv, true);
    result.list_names.emplace_back(spec.name);
    result.records_per_list.push_back(n);
    result.records += n;
    result.duplicates += duplicates[j];
    list_summaries.push_back({{"name", spec.name},
                              {"file", file},
                              {"encoding", cp1251 ? "windows-1251" : "utf-8"},
                              {"records", n},
                              {"people", people_on[j]},
                              {"duplicates", duplicates[j]}});
  }
  write_file(dir / "truth.csv", truth);
  write_file(dir / "link.toml", link_config(options));

  nlohmann::json by_pattern = nlohmann::json::object();
  for (std::size_t pattern = 1; pattern < patterns.size(); ++pattern) {
    if (patterns[pattern] == 0) continue;
    std::string key;
    for (std::size_t j = 0; j < lists; ++j)
      key += (pattern & (1U << j)) ? '1' : '0';
    by_pattern[key] = patterns[pattern];
  }
  result.people_listed = options.people - patterns[0];
  const nlohmann::json summary = {{"synthetic", true},
                                  {"generator", "recount simulate lists"},
                                  {"options",
                                   {{"people", options.people},
                                    {"lists", options.lists},
                                    {"seed", options.seed},
                                    {"duplicates", options.duplicate_rate},
                                    {"visibility_sd", options.visibility_sd},
                                    {"dependence", options.dependence},
                                    {"noise", options.noise},
                                    {"women", options.women_share}}},
                                  {"people", options.people},
                                  {"women", women},
                                  {"people_listed", result.people_listed},
                                  {"people_on_no_list", patterns[0]},
                                  {"records", result.records},
                                  {"duplicates", result.duplicates},
                                  {"lists", list_summaries},
                                  {"patterns", by_pattern}};
  write_file(dir / "summary.json", summary.dump(2) + "\n");
  return result;
}

}  // namespace recount::linkage
