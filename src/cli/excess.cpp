// `recount excess FILE`: excess deaths of one sex over what the other sex's deaths predict
// (the sex-ratio method of Kobak et al. 2025; docs/excess.md).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
#include "recount/excess/deaths_table.hpp"
#include "recount/excess/sex_ratio.hpp"

namespace recount::cli {

namespace {

struct ExcessArgs {
  std::string file;
  std::string region;
  std::string ages = "15-49";
  std::string baseline = "2015-2019";
  std::string years = "2022-2023";
  std::string trend = "linear";
  std::string sex = "m";
  std::string subtract;
  bool sensitivity = false;
  double level = 0.95;
};

std::string plus_minus(double value, const std::optional<double>& se) {
  return se ? fmt::format("{} ± {}", format_number(value), format_number(*se))
            : format_number(value);
}

void print_estimate(const excess::ExcessEstimate& e) {
  const auto& o = e.options;
  const std::string sex = std::string(excess::sex_code(o.excess_sex));
  const std::string ref = o.excess_sex == excess::Sex::male ? "f" : "m";
  std::string out = fmt::format(
      "Excess deaths of sex {} over what sex {}'s deaths predict (sex-ratio method)\n", sex, ref);
  if (!e.region.empty()) out += fmt::format("Region: {}\n", e.region);
  out += fmt::format("Ages: {} ({} bands)\n", o.ages.label(), e.bands.size());
  out += fmt::format("Baseline: {} ({} trend of the {}/{} ratio)\n", o.baseline.label(),
                     excess::trend_name(o.trend), sex, ref);
  if (!e.subtracted.empty()) out += fmt::format("Subtracted first: {}\n", e.subtracted);
  out += "\n";
  std::vector<std::string> headers{"ages"};
  for (const auto& y : e.years)
    headers.push_back(std::to_string(y.year));
  if (e.years.size() > 1) headers.push_back(o.years.label());
  TextTable table(headers);
  for (const auto& be : e.bands) {
    std::vector<std::string> row{be.band.label};
    for (const auto& by : be.years)
      row.push_back(plus_minus(by.excess, by.se));
    if (e.years.size() > 1) row.push_back(plus_minus(be.total, be.total_se));
    table.add_row(row);
  }
  std::vector<std::string> total{"total"};
  for (const auto& y : e.years)
    total.push_back(plus_minus(y.excess, y.se));
  if (e.years.size() > 1) total.push_back(plus_minus(e.total.excess, e.total.se));
  table.add_row(total);
  std::vector<std::string> interval{fmt::format("{:g}% interval", o.level * 100)};
  const auto interval_text = [](const excess::YearEstimate& y) {
    return y.interval ? fmt::format("{} to {}", format_number(y.interval->lower),
                                    format_number(y.interval->upper))
                      : std::string("-");
  };
  for (const auto& y : e.years)
    interval.push_back(interval_text(y));
  if (e.years.size() > 1) interval.push_back(interval_text(e.total));
  table.add_row(interval);
  out += table.str();
  out += fmt::format(
      "\nFigures are excess ± one standard error; intervals use Student's t with {} degrees of "
      "freedom (baseline years - 2).\n",
      e.degrees_of_freedom);
  std::fputs(out.c_str(), stdout);
}

void print_sensitivity(const std::vector<excess::SensitivityCell>& grid) {
  std::vector<std::string> headers{"ages", "year"};
  for (const auto& cell : grid)
    headers.push_back(fmt::format("{}{} {}", cell.subtracted ? "sub " : "", cell.baseline_years,
                                  cell.trend == excess::Trend::linear ? "lin" : "exp"));
  TextTable table(headers);
  const auto& first = grid.front().estimate;
  for (std::size_t b = 0; b <= first.bands.size(); ++b)
    for (std::size_t y = 0; y < first.years.size(); ++y) {
      const bool total = b == first.bands.size();
      std::vector<std::string> row{total ? "total" : first.bands[b].band.label,
                                   std::to_string(first.years[y].year)};
      for (const auto& cell : grid) {
        const auto& e = cell.estimate;
        row.push_back(total ? plus_minus(e.years[y].excess, e.years[y].se)
                            : plus_minus(e.bands[b].years[y].excess, e.bands[b].years[y].se));
      }
      table.add_row(row);
    }
  std::fputs(fmt::format("\nSensitivity: baselines of 1, 5 and 10 years ending in {}; lin(ear) "
                         "and exp(onential) trends{}\n",
                         first.options.baseline.last,
                         grid.back().subtracted ? "; sub: with the subtracted cause removed" : "")
                 .c_str(),
             stdout);
  std::fputs(table.str().c_str(), stdout);
}

void run_excess(const ExcessArgs& args, Context& ctx) {
  excess::ExcessOptions options;
  options.region = args.region;
  options.ages = excess::parse_age_range(args.ages);
  options.baseline = excess::parse_year_range(args.baseline, "--baseline-years");
  options.years = excess::parse_year_range(args.years, "--years");
  options.trend = args.trend == "linear" ? excess::Trend::linear : excess::Trend::exponential;
  options.excess_sex = args.sex == "m" ? excess::Sex::male : excess::Sex::female;
  options.level = args.level;
  note(fmt::format("reading {}", args.file));
  const excess::DeathsTable deaths = excess::DeathsTable::read(args.file);
  std::optional<excess::DeathsTable> subtract;
  if (!args.subtract.empty()) subtract = excess::DeathsTable::read(args.subtract);
  const excess::DeathsTable* sub = subtract ? &*subtract : nullptr;
  const excess::ExcessEstimate estimate = excess::estimate_excess(deaths, options, sub);
  for (const auto& n : estimate.notes)
    note(n);
  std::vector<excess::SensitivityCell> grid;
  if (args.sensitivity) grid = excess::sensitivity_grid(deaths, options, sub);
  if (ctx.json) {
    nlohmann::json doc = excess::to_json(estimate);
    if (args.sensitivity) doc["sensitivity"] = excess::to_json(grid);
    print_json(doc);
  } else {
    print_estimate(estimate);
    if (args.sensitivity) print_sensitivity(grid);
  }
  if (!estimate.trusted()) {
    std::string reasons;
    for (const auto& w : estimate.warnings)
      reasons += (reasons.empty() ? "" : "; ") + w;
    untrusted(ctx, reasons);
  }
}

}  // namespace

void add_excess_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExcessArgs>();
  CLI::App* cmd = app.add_subcommand(
      "excess",
      "Excess deaths of one sex over what the other sex's deaths predict, from deaths by year, "
      "age band and sex (the sex-ratio method)");
  cmd->add_option("FILE", args->file,
                  "Deaths table: region,year,age,sex,deaths (region optional; .csv or .csv.gz)")
      ->required();
  cmd->add_option("--region", args->region, "Region (required when the table has several)");
  cmd->add_option("--ages", args->ages, "Age range, summed over the disjoint bands inside it")
      ->capture_default_str();
  cmd->add_option("--baseline-years", args->baseline, "Years the trend is fitted on")
      ->capture_default_str();
  cmd->add_option("--years", args->years, "Years estimated")->capture_default_str();
  cmd->add_option("--trend", args->trend,
                  "Trend of the ratio: linear, or exponential (of ratio - 1)")
      ->check(CLI::IsMember({"linear", "exponential"}))
      ->capture_default_str();
  cmd->add_option("--sex", args->sex, "The sex whose excess is estimated; the other predicts it")
      ->check(CLI::IsMember({"m", "f"}))
      ->capture_default_str();
  cmd->add_option("--subtract", args->subtract,
                  "Deaths of one cause removed from both sexes first (year,age,sex,deaths; "
                  "single ages or bands)");
  cmd->add_flag("--sensitivity", args->sensitivity,
                "Also the grid of baselines (1, 5, 10 years), trends and subtraction");
  cmd->add_option("--level", args->level, "Interval level")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->callback([args, &ctx] { run_excess(*args, ctx); });
}

}  // namespace recount::cli
