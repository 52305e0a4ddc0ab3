#pragma once
// Excess deaths of one sex over what the other sex's deaths predict, by the sex-ratio method of
// Kobak, Bessudnov, Ershov, Mikhailova & Raksha (2025), Demography 62(2):335-347,
// doi:10.1215/00703370-11862998.
//
// In each age band, the ratio of the excess sex's deaths to the reference sex's deaths follows a
// straight line (or 1 + an exponential) over the baseline years; the line is carried forward,
// and the excess in a target year is the observed deaths minus the projected ratio times the
// reference sex's observed deaths. docs/excess.md gives every formula.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/estimate_claim.hpp"
#include "recount/excess/deaths_table.hpp"

namespace recount::excess {

enum class Trend {
  linear,       // OLS of the ratio on year
  exponential,  // OLS of log(ratio - 1) on year
};
[[nodiscard]] std::string_view trend_name(Trend trend) noexcept;

struct YearRange {
  int first = 0;
  int last = 0;
  [[nodiscard]] int count() const noexcept { return last - first + 1; }
  [[nodiscard]] std::string label() const;  // "2015-2019", or "2019" for one year
};
// "2015-2019" or "2019"; `what` names the option in the error.
[[nodiscard]] YearRange parse_year_range(std::string_view text, std::string_view what);

struct AgeRange {
  int first = 0;
  std::optional<int> last{};  // empty: open ("50+")
  [[nodiscard]] std::string label() const;
};
// "15-49", "50+" or "20"; `what` names the option in the error.
[[nodiscard]] AgeRange parse_age_range(std::string_view text, std::string_view what = "--ages");

struct ExcessOptions {
  std::string region{};  // required when the table has several regions
  AgeRange ages{15, 49};
  YearRange baseline{2015, 2019};
  YearRange years{2022, 2023};
  Trend trend = Trend::linear;
  Sex excess_sex = Sex::male;  // the other sex is the reference
  double level = 0.95;
};

// One age band in one target year.
struct BandYear {
  int year = 0;
  double deaths = 0;            // the excess sex's deaths (after any subtraction)
  double reference_deaths = 0;  // the reference sex's deaths (after any subtraction)
  double observed_ratio = 0;
  double expected_ratio = 0;
  double excess = 0;
  std::optional<double> se{};
};

// The ratio in every year from the first baseline year to the last target year, for the chart.
struct RatioPoint {
  int year = 0;
  std::optional<double> observed{};  // empty when the table has no rows for that year
  double expected = 0;               // on the fitted trend
  bool baseline = false;
};

struct BandEstimate {
  AgeBand band{};
  std::vector<BandYear> years{};
  std::vector<RatioPoint> ratios{};
  double total = 0;  // summed over the target years
  std::optional<double> total_se{};
};

struct Interval {
  double lower = 0;
  double upper = 0;
};

struct YearEstimate {
  int year = 0;  // 0 for the total over the years
  double excess = 0;
  std::optional<double> se{};
  std::optional<Interval> interval{};
};

struct ExcessEstimate {
  ExcessOptions options{};
  std::string region{};
  std::string subtracted{};  // the file whose deaths were subtracted first, if any
  std::vector<BandEstimate> bands{};
  std::vector<YearEstimate> years{};
  YearEstimate total{};
  int degrees_of_freedom = 0;           // of the Student t intervals: baseline years - 2
  std::vector<std::string> notes{};     // facts about the input worth telling (stderr)
  std::vector<std::string> warnings{};  // reasons not to trust the figures
  [[nodiscard]] bool trusted() const noexcept { return warnings.empty(); }
};

// Estimates the excess. `subtract`, when given, holds deaths of one cause removed from both
// sexes first: single ages or bands that tile each band. Bad input (a missing baseline year, a
// band that does not exist, zero reference deaths, a ratio <= 1 under the exponential trend...)
// is an Error naming the file, and the line when a row is at fault.
[[nodiscard]] ExcessEstimate estimate_excess(const DeathsTable& deaths,
                                             const ExcessOptions& options,
                                             const DeathsTable* subtract = nullptr);

// One cell of the sensitivity grid the paper reports.
struct SensitivityCell {
  int baseline_years = 0;  // 1, 5 or 10, ending at the options' last baseline year
  Trend trend = Trend::linear;
  bool subtracted = false;
  ExcessEstimate estimate{};
};

// Baselines of 1, 5 and 10 years ending at the options' last baseline year, linear and
// exponential, without and (when `subtract` is given) with the subtracted cause: the grid of the
// paper's sensitivity analysis, in that order (subtraction outermost, baseline innermost).
[[nodiscard]] std::vector<SensitivityCell> sensitivity_grid(const DeathsTable& deaths,
                                                            const ExcessOptions& options,
                                                            const DeathsTable* subtract = nullptr);

// The claim an estimate becomes, through the one path every estimate takes (claim_from_estimate):
// the total over the estimated years, `at_least` the lower end of its interval unless the
// target says `range` (docs/excess.md). Bounds below zero are claimed as zero. A bad-input
// error naming `document` when the estimate has no interval or is not to be trusted.
[[nodiscard]] Claim excess_claim(const ExcessEstimate& estimate, const EstimateTarget& target,
                                 std::string id, std::string document);

// The `recount excess --json` document.
[[nodiscard]] nlohmann::json to_json(const ExcessEstimate& estimate);
[[nodiscard]] nlohmann::json to_json(const std::vector<SensitivityCell>& grid);
// The documents of to_json read back (a study's out/excess/NAME/ record): bad input naming
// `file` and the field when they are not what to_json writes. The notes and the grid cells'
// estimates keep what the documents hold (each cell its years, bands and total).
[[nodiscard]] ExcessEstimate excess_estimate_from_json(const nlohmann::json& j,
                                                       const std::string& file);
[[nodiscard]] std::vector<SensitivityCell> sensitivity_grid_from_json(const nlohmann::json& j,
                                                                      const std::string& file);

}  // namespace recount::excess
