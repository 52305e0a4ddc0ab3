#pragma once
// `recount run STUDY`: every stage of a study in order (ledger, extraction, linkage, MSE,
// synthesis, report), each stage's results under STUDY/out/<stage>/, only changed stages re-run.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/mse/dispatch.hpp"
#include "recount/report/report.hpp"
#include "recount/study/pipeline.hpp"
#include "recount/study/study.hpp"
#include "recount/synthesis/fit.hpp"
#include "recount/synthesis/model.hpp"

namespace recount::study {

struct RunOptions {
  bool force = false;       // re-run every stage
  bool show_names = false;  // names of people on lists in the report
  std::string version;      // recount's version, for the report's footer
};

struct StudyRun {
  RunSummary summary;
  std::filesystem::path report;                  // the HTML report, when written
  std::vector<report::HeadlineFigure> headline;  // empty when the synthesis did not run
};

// The study's model file, read once per run and shared by the synthesis stage, the headline and
// the report: the model, or the error that the synthesis stage reports when it runs.
struct StudyModel {
  std::optional<synthesis::Model> model;
  std::optional<Error> error;  // the file is missing or invalid
};

// What the stages of one run hand each other, typed. A stage that runs fills its entry; a stage
// reused from an earlier run leaves it empty, and its readers read its files under out/ instead.
struct StageResults {
  std::optional<synthesis::FitSummary> fit;
  std::optional<synthesis::FitSummary> prior;  // the model on its prior alone
  std::map<std::string, std::vector<report::ListEstimate>> estimates;  // list set -> its MSE
  // Claims by the record under out/ that holds them ("claims/evidence.csv",
  // "mse/SET/evidence.csv").
  std::map<std::string, std::vector<Claim>> claims;
  std::optional<std::map<std::string, std::string>> documents;  // the ledger's texts, by report
  // [[excess]] name -> its estimate and sensitivity grid (empty when not asked).
  std::map<std::string, std::pair<excess::ExcessEstimate, std::vector<excess::SensitivityCell>>>
      excess;
};

// A run's stages, in order, with what they share.
struct StudyPlan {
  std::vector<Stage> stages;
  std::shared_ptr<const StudyModel> model;  // null when the study names no model
  std::shared_ptr<StageResults> results = std::make_shared<StageResults>();
};
[[nodiscard]] StudyPlan plan_study(const Study& study);

// Runs the study. Stage failures are recorded in the summary (and the report), not thrown.
[[nodiscard]] StudyRun run_study(const Study& study, const RunOptions& options);

// Everything the report shows: what the plan's stages handed on in this run, else what out/
// holds; what a stage did not write, its section says it did not run.
[[nodiscard]] report::ReportInput collect_report_input(const Study& study, const StudyPlan& plan,
                                                       const RunSummary& summary,
                                                       const RunOptions& options);

// Writes the report again from what out/ holds, running no stage: each stage as the last run
// left it (state.json), "not run yet" when it never ran. `out` empty: out/report/report.html.
// Returns the path written.
[[nodiscard]] std::filesystem::path rewrite_report(const Study& study, const RunOptions& options,
                                                   const std::filesystem::path& out);

// The claim a list set's estimate becomes in the synthesis (its interval as a range), from the
// MSE stage's estimates; nullopt when the chosen method gave no interval.
[[nodiscard]] std::optional<Claim> estimate_claim(
    const ListSet& set, const std::vector<mse::MethodEstimate>& estimates);

}  // namespace recount::study
