#include "recount/excess/sex_ratio.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <Eigen/Dense>
#include <boost/math/distributions/students_t.hpp>

#include "recount/core/json_fields.hpp"
#include "recount/core/text.hpp"

namespace recount::excess {

namespace {

std::optional<int> parse_year_or_age(std::string_view s) {
  int value = 0;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (s.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

Sex other(Sex sex) {
  return sex == Sex::male ? Sex::female : Sex::male;
}

std::string some_regions(const std::vector<std::string>& regions) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(regions.size(), 5);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    out += regions[i];
  }
  if (regions.size() > shown) out += fmt::format(" and {} more", regions.size() - shown);
  return out;
}

std::string resolve_region(const DeathsTable& table, const std::string& wanted,
                           std::vector<std::string>& notes) {
  if (!table.has_region()) {
    if (!wanted.empty())
      notes.push_back(fmt::format("{} has no region column: its rows are taken as region {}",
                                  table.file(), wanted));
    return {};
  }
  if (wanted.empty()) {
    if (table.regions().size() == 1) return table.regions().front();
    throw bad_input(Location{.file = table.file(), .key = "region"},
                    fmt::format("the table has {} regions: choose one with --region (for "
                                "example {})",
                                table.regions().size(), some_regions(table.regions())));
  }
  if (!table.has_region_named(wanted))
    throw bad_input(Location{.file = table.file(), .key = "region"},
                    fmt::format("the table has no region '{}' (it has {})", wanted,
                                some_regions(table.regions())));
  return wanted;
}

std::string range_label(int first, std::optional<int> last) {
  return last ? fmt::format("{}-{}", first, *last) : fmt::format("{}+", first);
}

// Sorted years as runs: "1990-2003, 2005-2023".
std::string year_runs(const std::vector<int>& years) {
  std::string out;
  for (std::size_t i = 0; i < years.size();) {
    std::size_t j = i;
    while (j + 1 < years.size() && years[j + 1] == years[j] + 1)
      ++j;
    if (!out.empty()) out += ", ";
    out += j == i ? std::to_string(years[i]) : fmt::format("{}-{}", years[i], years[j]);
    i = j + 1;
  }
  return out.empty() ? std::string("none") : out;
}

// Every baseline and estimated year must have rows in the table; a year missing altogether is
// named with the years the table has (a row missing within a year is named where it is read).
void require_years(const DeathsTable& table, const std::string& region, const ExcessOptions& o,
                   std::string_view what) {
  const std::vector<int> have = table.years(region);
  for (const YearRange& r : {o.baseline, o.years})
    for (int y = r.first; y <= r.last; ++y)
      if (!std::binary_search(have.begin(), have.end(), y))
        throw bad_input(
            Location{.file = table.file(), .key = "year"},
            fmt::format("{} has no rows for year {}{} (it has {})", what, y,
                        region.empty() ? std::string() : " in region " + region, year_runs(have)));
}

// The disjoint bands of `available` that exactly cover ages [first, last]; a band that reaches
// across either end is an error; bands inside that overlap the chosen ones are left out (with a
// note). Longer bands are tried first, so the standard 5-year bands win over a nested extra one.
std::vector<AgeBand> tile_bands(const std::vector<AgeBand>& available, int first,
                                std::optional<int> last, const std::string& file,
                                std::vector<std::string>& notes) {
  const std::string wanted = range_label(first, last);
  AgeBand range{first, last, wanted};
  std::vector<AgeBand> inside;
  for (const auto& band : available) {
    if (!band.overlaps(range)) continue;
    if (!band.inside(first, last))
      throw bad_input(Location{.file = file, .key = "age"},
                      fmt::format("band {} is not wholly inside ages {}", band.label, wanted));
    inside.push_back(band);
  }
  std::sort(inside.begin(), inside.end(), [](const AgeBand& a, const AgeBand& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.last.value_or(1 << 30) > b.last.value_or(1 << 30);
  });
  // Depth-first, remembering the ages from which no tiling exists, so that many nested bands
  // cost one visit per starting age, not one per path.
  std::vector<AgeBand> chosen;
  std::set<int> dead_ends;
  int stuck_at = first;
  const std::function<bool(int)> cover = [&](int from) {
    if (last && from == *last + 1) return true;
    if (dead_ends.count(from)) return false;
    stuck_at = std::max(stuck_at, from);
    for (const auto& band : inside) {
      if (band.first != from) continue;
      chosen.push_back(band);
      if (band.open() ? !last : cover(*band.last + 1)) return true;
      chosen.pop_back();
    }
    dead_ends.insert(from);
    return false;
  };
  if (!cover(first))
    throw bad_input(Location{.file = file, .key = "age"},
                    inside.empty()
                        ? fmt::format("the table has no band inside ages {}", wanted)
                        : fmt::format("the bands of the table do not cover ages {}: none that "
                                      "fits starts at age {}",
                                      wanted, stuck_at));
  for (const auto& band : inside) {
    const bool used = std::any_of(chosen.begin(), chosen.end(),
                                  [&](const AgeBand& c) { return c.label == band.label; });
    if (used) continue;
    for (const auto& c : chosen)
      if (c.overlaps(band)) {
        notes.push_back(
            fmt::format("{}: band {} overlaps {} and is left out", file, band.label, c.label));
        break;
      }
  }
  return chosen;
}

// Deaths of one cause to subtract from one band, by year and sex.
class Subtraction {
 public:
  Subtraction(const DeathsTable& table, const std::string& region, std::vector<std::string>& notes)
      : table_(table) {
    if (table.has_region()) {
      if (region.empty())
        throw bad_input(Location{.file = table.file(), .key = "region"},
                        fmt::format("the table to subtract is by region (it has {}): name the "
                                    "region with --region",
                                    some_regions(table.regions())));
      if (!table.has_region_named(region))
        throw bad_input(Location{.file = table.file(), .key = "region"},
                        fmt::format("the table to subtract has no region '{}' (it has {})", region,
                                    some_regions(table.regions())));
      region_ = region;
    } else {
      notes.push_back(fmt::format(
          "{} has no region column: its deaths are subtracted as they are from {}", table.file(),
          region.empty() ? std::string("the table") : "region " + region));
    }
    available_ = table.bands(region_);
  }

  [[nodiscard]] const std::string& region() const noexcept { return region_; }

  [[nodiscard]] double deaths(const AgeBand& band, int year, Sex sex,
                              std::vector<std::string>& notes) {
    auto it = tiles_.find(band.label);
    if (it == tiles_.end())
      it = tiles_
               .emplace(band.label,
                        tile_bands(available_, band.first, band.last, table_.file(), notes))
               .first;
    double sum = 0;
    for (const auto& part : it->second) {
      const DeathsCount* count = table_.find({region_, year, part.label, sex});
      if (!count)
        throw bad_input(Location{.file = table_.file()},
                        fmt::format("no row for year {}, age {}, sex {} in the table to subtract",
                                    year, part.label, sex_code(sex)));
      sum += count->deaths;
    }
    return sum;
  }

 private:
  const DeathsTable& table_;
  std::string region_;
  std::vector<AgeBand> available_;
  std::map<std::string, std::vector<AgeBand>> tiles_;
};

struct Counts {
  double deaths = 0;
  double reference = 0;
  std::size_t reference_line = 0;
};

std::string where_label(const std::string& region) {
  return region.empty() ? std::string() : "region " + region + ", ";
}

// The counts of a band in a year, after subtraction; empty when a row is missing and the year is
// only shown, not used (`required` false).
std::optional<Counts> band_counts(const DeathsTable& table, const std::string& region,
                                  const AgeBand& band, int year, Sex sex, bool required,
                                  Subtraction* subtract, std::vector<std::string>& notes) {
  const DeathsCount* deaths = table.find({region, year, band.label, sex});
  const DeathsCount* reference = table.find({region, year, band.label, other(sex)});
  for (const auto& [count, s] : {std::pair{deaths, sex}, std::pair{reference, other(sex)}})
    if (!count) {
      if (!required) return std::nullopt;
      throw bad_input(Location{.file = table.file()},
                      fmt::format("no row for {}year {}, age {}, sex {}: the year is needed",
                                  where_label(region), year, band.label, sex_code(s)));
    }
  Counts c{deaths->deaths, reference->deaths, reference->line};
  if (subtract) {
    c.deaths -= subtract->deaths(band, year, sex, notes);
    c.reference -= subtract->deaths(band, year, other(sex), notes);
    if (c.deaths < 0)
      throw bad_input(table.at(deaths->line),
                      fmt::format("age {}, year {}, sex {}: fewer deaths than the deaths to "
                                  "subtract",
                                  band.label, year, sex_code(sex)));
  }
  if (c.reference <= 0) {
    if (!required) return std::nullopt;
    throw bad_input(table.at(reference->line),
                    fmt::format("zero {}deaths of sex {} in age {}, year {}: the ratio is "
                                "undefined",
                                subtract ? "remaining (after subtraction) " : "",
                                sex_code(other(sex)), band.label, year));
  }
  return c;
}

// The fitted trend of one band: OLS on centred years (the same fit as on raw years, better
// conditioned). Prediction variance of a new year t: sigma^2 (1 + x_t' (X'X)^-1 x_t), the
// textbook OLS prediction interval (e.g. Seber & Lee 2003, Linear Regression Analysis, 5.3).
struct Fit {
  double centre = 0;
  Eigen::Vector2d beta = Eigen::Vector2d::Zero();
  Eigen::Matrix2d inverse_gram = Eigen::Matrix2d::Zero();
  std::optional<double> sigma{};

  [[nodiscard]] Eigen::Vector2d row(int year) const { return {1.0, year - centre}; }
  [[nodiscard]] double predict(int year) const { return row(year).dot(beta); }
  [[nodiscard]] double leverage(int year, int other_year) const {
    return row(year).dot(inverse_gram * row(other_year));
  }
};

Fit fit_line(const std::vector<int>& years, const std::vector<double>& values) {
  Fit fit;
  const auto n = static_cast<Eigen::Index>(years.size());
  for (int y : years)
    fit.centre += y;
  fit.centre /= static_cast<double>(n);
  if (n == 1) {
    // One year: the ratio stays where it was (a flat line), and there is no residual variance.
    fit.beta = {values.front(), 0.0};
    return fit;
  }
  // The normal equations of a straight line are 2 x 2: fixed-size Eigen, no heap.
  Eigen::Matrix2d gram = Eigen::Matrix2d::Zero();
  Eigen::Vector2d moment = Eigen::Vector2d::Zero();
  for (std::size_t i = 0; i < years.size(); ++i) {
    const Eigen::Vector2d x = fit.row(years[i]);
    gram += x * x.transpose();
    moment += x * values[i];
  }
  fit.inverse_gram = gram.inverse();
  fit.beta = fit.inverse_gram * moment;
  if (n > 2) {
    double rss = 0;
    for (std::size_t i = 0; i < years.size(); ++i) {
      const double r = values[i] - fit.predict(years[i]);
      rss += r * r;
    }
    fit.sigma = std::sqrt(rss / static_cast<double>(n - 2));
  }
  return fit;
}

double t_quantile(int df, double level) {
  const boost::math::students_t_distribution<double> t(df);
  return boost::math::quantile(boost::math::complement(t, (1.0 - level) / 2.0));
}

void validate(const ExcessOptions& o) {
  if (!(o.level > 0 && o.level < 1))
    throw usage_error(fmt::format("the level {} is not between 0 and 1", o.level));
  if (o.baseline.first > o.baseline.last) throw usage_error("the baseline years run backwards");
  if (o.years.first > o.years.last) throw usage_error("the estimated years run backwards");
  if (o.years.first <= o.baseline.last)
    throw usage_error(
        fmt::format("the estimated years ({}) must come after the baseline years ({}): the "
                    "trend is carried forward",
                    o.years.label(), o.baseline.label()));
}

}  // namespace

std::string_view trend_name(Trend trend) noexcept {
  return trend == Trend::linear ? "linear" : "exponential";
}

std::string YearRange::label() const {
  return first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
}

YearRange parse_year_range(std::string_view text, std::string_view what) {
  const std::string_view s = trim(text);
  const auto dash = s.find('-');
  const auto first = parse_year_or_age(s.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : parse_year_or_age(s.substr(dash + 1));
  if (!first || !last || *last < *first || *first < kFirstYear || *last > kLastYear)
    throw usage_error(fmt::format("{} '{}' is not a range of years such as 2015-2019", what, s));
  return {*first, *last};
}

std::string AgeRange::label() const {
  return range_label(first, last);
}

AgeRange parse_age_range(std::string_view text, std::string_view what) {
  const auto band = parse_age_band(text);
  if (!band)
    throw usage_error(
        fmt::format("{} '{}' is not a range of ages such as 15-49 or 50+", what, trim(text)));
  return {band->first, band->last};
}

ExcessEstimate estimate_excess(const DeathsTable& deaths, const ExcessOptions& options,
                               const DeathsTable* subtract) {
  validate(options);
  ExcessEstimate out;
  out.options = options;
  out.region = resolve_region(deaths, options.region, out.notes);
  const std::string region = out.region;
  out.region = region.empty() ? options.region : region;
  require_years(deaths, region, options, "the table");
  std::optional<Subtraction> subtraction;
  if (subtract) {
    subtraction.emplace(*subtract, out.region, out.notes);
    require_years(*subtract, subtraction->region(), options, "the table to subtract");
    out.subtracted = subtract->file();
  }
  Subtraction* sub = subtraction ? &*subtraction : nullptr;
  const Sex sex = options.excess_sex;
  const auto bands = tile_bands(deaths.bands(region), options.ages.first, options.ages.last,
                                deaths.file(), out.notes);
  const int n = options.baseline.count();
  out.degrees_of_freedom = n - 2;
  const bool exponential = options.trend == Trend::exponential;
  std::vector<int> targets;
  for (int y = options.years.first; y <= options.years.last; ++y)
    targets.push_back(y);

  for (const auto& band : bands) {
    BandEstimate be;
    be.band = band;
    std::vector<int> fit_years;
    std::vector<double> fit_values;
    for (int y = options.baseline.first; y <= options.baseline.last; ++y) {
      const Counts c = *band_counts(deaths, region, band, y, sex, true, sub, out.notes);
      const double ratio = c.deaths / c.reference;
      if (exponential && ratio <= 1)
        throw bad_input(deaths.at(c.reference_line),
                        fmt::format("age {}, year {}: the ratio {:.4f} is not above 1, so the "
                                    "exponential trend (of log(ratio - 1)) cannot be fitted",
                                    band.label, y, ratio));
      fit_years.push_back(y);
      fit_values.push_back(exponential ? std::log(ratio - 1) : ratio);
    }
    const Fit fit = fit_line(fit_years, fit_values);
    const auto expected = [&](int year) {
      return exponential ? std::exp(fit.predict(year)) + 1 : fit.predict(year);
    };
    // The standard error of the projected ratio in each target year. Linear: the prediction
    // error of a new point. Exponential: as the authors' published code computes it
    // (demography2025/models.ipynb), the prediction error s_t on the log scale is mapped to the
    // ratio scale as the largest of exp(z_w + s_t) - exp(z_w) and exp(z_w) - exp(z_w - s_t) over
    // every year w from the first baseline year to the last target year and every target year
    // t; one figure that serves all the target years.
    std::vector<double> ratio_se;
    if (fit.sigma) {
      const auto log_scale_se = [&](int t) {
        return *fit.sigma * std::sqrt(1 + fit.leverage(t, t));
      };
      if (exponential) {
        double widest = 0;
        for (int w = options.baseline.first; w <= options.years.last; ++w)
          for (int t : targets) {
            const double z = fit.predict(w);
            const double s = log_scale_se(t);
            widest =
                std::max({widest, std::exp(z + s) - std::exp(z), std::exp(z) - std::exp(z - s)});
          }
        ratio_se.assign(targets.size(), widest);
      } else {
        for (int t : targets)
          ratio_se.push_back(log_scale_se(t));
      }
    }
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const int t = targets[i];
      const Counts c = *band_counts(deaths, region, band, t, sex, true, sub, out.notes);
      BandYear by;
      by.year = t;
      by.deaths = c.deaths;
      by.reference_deaths = c.reference;
      by.observed_ratio = c.deaths / c.reference;
      by.expected_ratio = expected(t);
      if (by.expected_ratio <= 0)
        out.warnings.push_back(
            fmt::format("age {}, year {}: the linear trend projects a ratio of "
                        "{:.3f}, which is impossible; try the exponential trend",
                        band.label, t, by.expected_ratio));
      by.excess = c.deaths - by.expected_ratio * c.reference;
      if (fit.sigma) by.se = c.reference * ratio_se[i];
      be.total += by.excess;
      be.years.push_back(by);
    }
    // The total over the target years: the years share one fitted line, so their errors are
    // correlated. Corr(t, u) = x_t'(X'X)^-1 x_u / sqrt((1 + h_t)(1 + h_u)), h_t = x_t'(X'X)^-1 x_t
    // (the new-point noise is independent between years); Var(total) = sum over t, u of
    // se_t se_u Corr(t, u). For the linear trend this is sigma^2 (sum F_t^2 + w'(X'X)^-1 w) with
    // w = sum F_t x_t.
    if (fit.sigma) {
      double variance = 0;
      for (std::size_t i = 0; i < targets.size(); ++i)
        for (std::size_t j = 0; j < targets.size(); ++j) {
          const int t = targets[i];
          const int u = targets[j];
          const double corr = i == j ? 1.0
                                     : fit.leverage(t, u) / std::sqrt((1 + fit.leverage(t, t)) *
                                                                      (1 + fit.leverage(u, u)));
          variance += *be.years[i].se * *be.years[j].se * corr;
        }
      be.total_se = std::sqrt(variance);
    }
    for (int y = options.baseline.first; y <= options.years.last; ++y) {
      RatioPoint p;
      p.year = y;
      p.expected = expected(y);
      p.baseline = y <= options.baseline.last;
      if (const auto c = band_counts(deaths, region, band, y, sex, false, sub, out.notes))
        p.observed = c->deaths / c->reference;
      be.ratios.push_back(p);
    }
    out.bands.push_back(std::move(be));
  }

  const bool has_se = n > 2;
  const double t_mult = has_se ? t_quantile(n - 2, options.level) : 0.0;
  const auto finish = [&](YearEstimate& e, double variance) {
    if (!has_se) return;
    e.se = std::sqrt(variance);
    e.interval = Interval{e.excess - t_mult * *e.se, e.excess + t_mult * *e.se};
  };
  for (std::size_t i = 0; i < targets.size(); ++i) {
    YearEstimate ye;
    ye.year = targets[i];
    double variance = 0;
    for (const auto& be : out.bands) {
      ye.excess += be.years[i].excess;
      if (be.years[i].se) variance += *be.years[i].se * *be.years[i].se;
    }
    finish(ye, variance);
    out.years.push_back(ye);
  }
  double variance = 0;
  for (const auto& be : out.bands) {
    out.total.excess += be.total;
    if (be.total_se) variance += *be.total_se * *be.total_se;
  }
  finish(out.total, variance);
  if (!has_se)
    out.warnings.push_back(fmt::format(
        "a baseline of {} year{} leaves no residual variance: the estimates have no standard "
        "error or interval",
        n, n == 1 ? "" : "s"));
  std::sort(out.notes.begin(), out.notes.end());
  out.notes.erase(std::unique(out.notes.begin(), out.notes.end()), out.notes.end());
  return out;
}

std::vector<SensitivityCell> sensitivity_grid(const DeathsTable& deaths,
                                              const ExcessOptions& options,
                                              const DeathsTable* subtract) {
  std::vector<SensitivityCell> grid;
  for (const bool with : {false, true}) {
    if (with && !subtract) continue;
    for (const Trend trend : {Trend::linear, Trend::exponential})
      for (const int length : {1, 5, 10}) {
        ExcessOptions o = options;
        o.trend = trend;
        o.baseline = {options.baseline.last - length + 1, options.baseline.last};
        grid.push_back(
            {length, trend, with, estimate_excess(deaths, o, with ? subtract : nullptr)});
      }
  }
  return grid;
}

Claim excess_claim(const ExcessEstimate& e, const EstimateTarget& target, std::string id,
                   std::string document) {
  if (!e.total.interval)
    throw bad_input(Location{.file = document},
                    fmt::format("the estimate has no interval (a baseline of {} years leaves no "
                                "residual variance): it cannot become a claim",
                                e.options.baseline.count()));
  if (!e.trusted())
    throw bad_input(Location{.file = document},
                    fmt::format("the estimate is not to be trusted ({}): it cannot become a claim",
                                e.warnings.front()));
  const ExcessOptions& o = e.options;
  const Sex sex = o.excess_sex;
  std::string note = fmt::format(
      "excess deaths of sex {} over what sex {}'s deaths predict, ages {}, {}{}; {} trend of the "
      "ratio fitted on {}{} (sex-ratio method, Kobak et al. 2025); {} ± {} ({:g}% interval {} to "
      "{})",
      sex_code(sex), sex_code(other(sex)), o.ages.label(), o.years.label(),
      e.region.empty() ? std::string() : ", " + e.region, trend_name(o.trend), o.baseline.label(),
      e.subtracted.empty() ? std::string() : ", " + e.subtracted + " subtracted first",
      format_number(e.total.excess), format_number(*e.total.se), o.level * 100,
      format_number(e.total.interval->lower), format_number(e.total.interval->upper));
  return claim_from_estimate(target, std::max(0.0, e.total.interval->lower),
                             std::max(0.0, e.total.interval->upper), std::move(id),
                             std::move(document), std::move(note));
}

namespace {

nlohmann::json interval_json(const std::optional<Interval>& i) {
  return i ? nlohmann::json::array({i->lower, i->upper}) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const ExcessEstimate& e) {
  using nlohmann::json;
  json years = json::array();
  for (std::size_t i = 0; i < e.years.size(); ++i) {
    json bands = json::array();
    for (const auto& be : e.bands) {
      const BandYear& by = be.years[i];
      bands.push_back({{"ages", be.band.label},
                       {"excess", by.excess},
                       {"se", optional_number(by.se)},
                       {"deaths", by.deaths},
                       {"reference_deaths", by.reference_deaths},
                       {"observed_ratio", by.observed_ratio},
                       {"expected_ratio", by.expected_ratio}});
    }
    years.push_back({{"year", e.years[i].year},
                     {"excess", e.years[i].excess},
                     {"se", optional_number(e.years[i].se)},
                     {"interval", interval_json(e.years[i].interval)},
                     {"bands", bands}});
  }
  json total_bands = json::array();
  json ratios = json::array();
  for (const auto& be : e.bands) {
    total_bands.push_back(
        {{"ages", be.band.label}, {"excess", be.total}, {"se", optional_number(be.total_se)}});
    json points = json::array();
    for (const auto& p : be.ratios)
      points.push_back({{"year", p.year},
                        {"observed", optional_number(p.observed)},
                        {"expected", p.expected},
                        {"baseline", p.baseline}});
    ratios.push_back({{"ages", be.band.label}, {"points", points}});
  }
  const Sex sex = e.options.excess_sex;
  return {{"method", "sex-ratio"},
          {"region", e.region},
          {"ages", e.options.ages.label()},
          {"baseline_years", {e.options.baseline.first, e.options.baseline.last}},
          {"estimated_years", {e.options.years.first, e.options.years.last}},
          {"trend", trend_name(e.options.trend)},
          {"excess_sex", sex_code(sex)},
          {"reference_sex", sex_code(other(sex))},
          {"subtracted", e.subtracted.empty() ? json(nullptr) : json(e.subtracted)},
          {"level", e.options.level},
          {"degrees_of_freedom", e.degrees_of_freedom},
          {"trusted", e.trusted()},
          {"warnings", e.warnings},
          {"notes", e.notes},
          {"years", years},
          {"total",
           {{"excess", e.total.excess},
            {"se", optional_number(e.total.se)},
            {"interval", interval_json(e.total.interval)},
            {"bands", total_bands}}},
          {"ratios", ratios}};
}

nlohmann::json to_json(const std::vector<SensitivityCell>& grid) {
  using nlohmann::json;
  json cells = json::array();
  for (const auto& cell : grid) {
    json years = json::array();
    for (const auto& y : cell.estimate.years)
      years.push_back({{"year", y.year}, {"excess", y.excess}, {"se", optional_number(y.se)}});
    json bands = json::array();
    for (const auto& be : cell.estimate.bands) {
      json by = json::array();
      for (const auto& y : be.years)
        by.push_back({{"year", y.year}, {"excess", y.excess}, {"se", optional_number(y.se)}});
      bands.push_back({{"ages", be.band.label}, {"years", by}});
    }
    cells.push_back({{"baseline_years", cell.baseline_years},
                     {"trend", trend_name(cell.trend)},
                     {"subtracted", cell.subtracted},
                     {"years", years},
                     {"total",
                      {{"excess", cell.estimate.total.excess},
                       {"se", optional_number(cell.estimate.total.se)}}},
                     {"bands", bands}});
  }
  return cells;
}

namespace {

Trend trend_of(const JsonFields& f) {
  const std::string name = f.string("trend");
  if (name == trend_name(Trend::linear)) return Trend::linear;
  if (name == trend_name(Trend::exponential)) return Trend::exponential;
  throw f.error("trend", fmt::format("unknown trend '{}'", name));
}

YearRange year_pair(const JsonFields& f, const char* key) {
  const auto ends = f.numbers(key);
  if (ends.size() != 2 || !ends[0] || !ends[1]) throw f.error(key, "must be [first, last]");
  return {static_cast<int>(*ends[0]), static_cast<int>(*ends[1])};
}

std::optional<Interval> interval_of(const JsonFields& f) {
  const auto ends = f.numbers("interval");
  if (ends.empty()) return std::nullopt;
  if (ends.size() != 2 || !ends[0] || !ends[1]) throw f.error("interval", "must be [lower, upper]");
  return Interval{*ends[0], *ends[1]};
}

AgeBand band_of(const JsonFields& f) {
  const std::string label = f.string("ages");
  auto band = parse_age_band(label);
  if (!band) throw f.error("ages", fmt::format("not an age band: '{}'", label));
  return *band;
}

// The band of `label` in `bands`, added at the end when it is not there yet.
BandEstimate& band_named(std::vector<BandEstimate>& bands, const JsonFields& row) {
  const AgeBand band = band_of(row);
  for (BandEstimate& b : bands)
    if (b.band.label == band.label) return b;
  bands.push_back({band, {}, {}, 0, std::nullopt});
  return bands.back();
}

}  // namespace

ExcessEstimate excess_estimate_from_json(const nlohmann::json& j, const std::string& file) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();  // a band missing in a year
  const JsonFields f(j, file);
  ExcessEstimate e;
  e.options.region = f.string("region");
  e.region = e.options.region;
  e.options.ages = parse_age_range(f.string("ages"), "ages");
  e.options.baseline = year_pair(f, "baseline_years");
  e.options.years = year_pair(f, "estimated_years");
  e.options.trend = trend_of(f);
  const std::string sex = f.string("excess_sex");
  if (sex != sex_code(Sex::male) && sex != sex_code(Sex::female))
    throw f.error("excess_sex", fmt::format("unknown sex '{}'", sex));
  e.options.excess_sex = sex == sex_code(Sex::male) ? Sex::male : Sex::female;
  e.options.level = f.number("level").value_or(e.options.level);
  e.subtracted = f.string("subtracted");
  e.degrees_of_freedom = f.integer("degrees_of_freedom");
  e.warnings = f.strings("warnings");
  e.notes = f.strings("notes");
  // The document lists the bands under "ratios" and again in each year and in the total
  // (years[i].bands[b] is band b in year i); the estimate holds each band with its years.
  for (const JsonFields& r : f.objects("ratios")) {
    BandEstimate& band = band_named(e.bands, r);
    for (const JsonFields& p : r.objects("points"))
      band.ratios.push_back(
          {p.integer("year"), p.number("observed"), p.real("expected"), p.boolean("baseline")});
  }
  for (const JsonFields& y : f.objects("years")) {
    const int year = y.integer("year");
    e.years.push_back({year, y.real("excess"), y.number("se"), interval_of(y)});
    for (const JsonFields& row : y.objects("bands")) {
      BandEstimate& band = band_named(e.bands, row);
      band.years.resize(e.years.size() - 1, BandYear{year, nan, nan, nan, nan, nan, std::nullopt});
      band.years.push_back({year, row.real("deaths"), row.real("reference_deaths"),
                            row.real("observed_ratio"), row.real("expected_ratio"),
                            row.real("excess"), row.number("se")});
    }
  }
  const JsonFields total = f.object("total");
  e.total = {0, total.real("excess"), total.number("se"), interval_of(total)};
  for (const JsonFields& row : total.objects("bands")) {
    BandEstimate& band = band_named(e.bands, row);
    band.total = row.real("excess");
    band.total_se = row.number("se");
  }
  return e;
}

std::vector<SensitivityCell> sensitivity_grid_from_json(const nlohmann::json& j,
                                                        const std::string& file) {
  std::vector<SensitivityCell> grid;
  for (const JsonFields& f : JsonFields::list(j, file, "grid cells")) {
    SensitivityCell cell;
    cell.baseline_years = f.integer("baseline_years");
    cell.trend = trend_of(f);
    cell.subtracted = f.boolean("subtracted");
    for (const JsonFields& y : f.objects("years"))
      cell.estimate.years.push_back({y.integer("year"), y.real("excess"), y.number("se"), {}});
    const JsonFields total = f.object("total");
    cell.estimate.total = {0, total.real("excess"), total.number("se"), {}};
    for (const JsonFields& band : f.objects("bands")) {
      BandEstimate be{band_of(band), {}, {}, 0, std::nullopt};
      for (const JsonFields& y : band.objects("years")) {
        BandYear by;
        by.year = y.integer("year");
        by.excess = y.real("excess");
        by.se = y.number("se");
        be.years.push_back(by);
      }
      cell.estimate.bands.push_back(std::move(be));
    }
    grid.push_back(std::move(cell));
  }
  return grid;
}

}  // namespace recount::excess
