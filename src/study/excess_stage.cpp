// The excess stage: excess deaths of one sex from a deaths table ([[excess]], `recount excess`),
// written as `recount excess --json` writes it, with the sensitivity grid when asked, and the
// claim the estimate becomes in the synthesis (evidence.csv), through claim_from_estimate.

#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/excess/deaths_table.hpp"
#include "recount/excess/sex_ratio.hpp"
#include "stages.hpp"

namespace fs = std::filesystem;

namespace recount::study::detail {

namespace {

excess::DeathsTable read_excess_table(const fs::path& path, const char* what) {
  require_study_file(path, what);
  return excess::DeathsTable::read(path);
}

// What changes the estimate or its claim, for the stage's key.
nlohmann::json excess_options_json(const ExcessSet& set) {
  const excess::ExcessOptions& o = set.options;
  nlohmann::json options = estimate_target_json(set.target);
  options.update({{"region", o.region},
                  {"ages", o.ages.label()},
                  {"baseline_years", o.baseline.label()},
                  {"years", o.years.label()},
                  {"trend", excess::trend_name(o.trend)},
                  {"sex", excess::sex_code(o.excess_sex)},
                  {"level", o.level},
                  {"sensitivity", set.sensitivity},
                  {"subtract", set.subtract}});
  return options;
}

}  // namespace

std::string excess_stage_name(const ExcessSet& set) {
  return "excess/" + set.name;
}

void add_excess_stage(const Study& study, const ExcessSet& set,
                      const std::shared_ptr<StageResults>& results, std::vector<Stage>& stages) {
  Stage stage;
  stage.name = excess_stage_name(set);
  stage.inputs.push_back(study.path(set.file));
  if (!set.subtract.empty()) stage.inputs.push_back(study.path(set.subtract));
  stage.options = excess_options_json(set);
  stage.run = [&study, &set, results](const fs::path& out, const RunSummary&) {
    note(fmt::format("stage excess/{}: reading {}", set.name, set.file));
    const excess::DeathsTable deaths = read_excess_table(study.path(set.file), "deaths table");
    std::optional<excess::DeathsTable> subtract;
    if (!set.subtract.empty())
      subtract = read_excess_table(study.path(set.subtract), "table of deaths to subtract");
    const excess::DeathsTable* sub = subtract ? &*subtract : nullptr;
    const excess::ExcessEstimate estimate = excess::estimate_excess(deaths, set.options, sub);
    for (const auto& n : estimate.notes)
      note(fmt::format("stage excess/{}: {}", set.name, n));
    write_file(out / "estimate.json", excess::to_json(estimate).dump(2) + "\n");
    std::vector<excess::SensitivityCell> grid;
    if (set.sensitivity) {
      grid = excess::sensitivity_grid(deaths, set.options, sub);
      write_file(out / "sensitivity.json", excess::to_json(grid).dump(2) + "\n");
    }
    results->excess[set.name] = {estimate, std::move(grid)};
    StageOutcome outcome;
    if (!estimate.trusted()) {
      outcome.state = StageState::untrusted;
      for (const auto& w : estimate.warnings)
        outcome.detail += (outcome.detail.empty() ? "" : " | ") + w;
      outcome.detail += " | so the estimate does not enter the synthesis";
      return outcome;
    }
    const Claim claim = excess::excess_claim(estimate, set.target, "excess-" + set.name,
                                             "out/excess/" + set.name + "/estimate.json");
    hand_on_claims(study, *results, excess_stage_name(set) + "/evidence.csv", {claim}, false);
    outcome.detail = fmt::format("{} excess deaths ({}, ages {}), {} {} claimed",
                                 format_number(estimate.total.excess), set.options.years.label(),
                                 set.options.ages.label(),
                                 claim.kind == ClaimKind::range ? "the range" : "at least",
                                 claim.kind == ClaimKind::range
                                     ? format_number(*claim.low) + "-" + format_number(*claim.high)
                                     : format_number(*claim.low));
    return outcome;
  };
  stages.push_back(std::move(stage));
}

report::ExcessSection excess_report_section(const Study& study, const ExcessSet& set,
                                            const StageResults& results) {
  report::ExcessSection section;
  section.name = set.name;
  const fs::path dir = study.out() / "excess" / set.name;
  if (const auto it = results.excess.find(set.name); it != results.excess.end()) {
    section.estimate = it->second.first;
    section.sensitivity = it->second.second;
  } else {
    const fs::path estimate = dir / "estimate.json";
    if (const nlohmann::json j = read_json_file(estimate); !j.is_null())
      section.estimate = excess::excess_estimate_from_json(j, estimate.generic_string());
    const fs::path grid = dir / "sensitivity.json";
    if (const nlohmann::json j = read_json_file(grid); !j.is_null())
      section.sensitivity = excess::sensitivity_grid_from_json(j, grid.generic_string());
  }
  const std::vector<Claim> claims =
      stage_claims(study, results, excess_stage_name(set) + "/evidence.csv");
  if (!claims.empty()) section.claim = claims.front();
  section.target = set.target;
  return section;
}

}  // namespace recount::study::detail
