#pragma once
// `recount run STUDY`: every stage of a study in order (ledger, extraction, linkage, MSE,
// synthesis, report), each stage's results under STUDY/out/<stage>/, only changed stages re-run.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/mse/dispatch.hpp"
#include "recount/report/report.hpp"
#include "recount/study/pipeline.hpp"
#include "recount/study/study.hpp"

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

// The stages of a study, in order.
[[nodiscard]] std::vector<Stage> study_stages(const Study& study);

// Runs the study. Stage failures are recorded in the summary (and the report), not thrown.
[[nodiscard]] StudyRun run_study(const Study& study, const RunOptions& options);

// Everything the report shows, read from the study's out/ folder: what a stage did not write,
// its section says it did not run.
[[nodiscard]] report::ReportInput collect_report_input(const Study& study,
                                                       const std::vector<Stage>& stages,
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
