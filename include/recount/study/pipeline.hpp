#pragma once
// Runs a study's stages in order, each writing its outputs under STUDY/out/<stage>/, and re-runs
// only the stages whose inputs changed. A stage's key is the SHA-256 of its options, the content
// of its input files and the outputs of the stages it reads; out/state.json records each key,
// the hash of each stage's outputs and how the stage ended. A stage runs again when its key
// changed, its outputs were altered or removed, or it failed last time.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/report/report.hpp"

namespace recount::study {

using report::StageState;

// What a stage's run says about its results (an exception says it failed).
struct StageOutcome {
  StageState state = StageState::ok;  // ok, untrusted (diagnostics failed), or not_run
  std::string detail;                 // the reasons, for the report and stderr
};

struct RunSummary;

struct Stage {
  std::string name;                           // also its folder: out/<name>/ (may contain '/')
  std::vector<std::string> after;             // stages whose outputs it reads
  std::vector<std::filesystem::path> inputs;  // files in the study it reads (hashed)
  nlohmann::json options = nlohmann::json::object();  // settings that change its results
  // Runs even when a stage it reads failed or did not run (the report: it says so).
  bool despite_failures = false;
  // Writes the results into out_dir (emptied first); `so_far` is how the stages before it ended.
  std::function<StageOutcome(const std::filesystem::path& out_dir, const RunSummary& so_far)> run;
};

// How one stage ended in this run.
struct StageRecord {
  std::string name;
  StageState state = StageState::ok;
  std::string detail;
  bool reused = false;         // unchanged since the last run: its outputs were kept
  double seconds = 0;          // wall time of its run; 0 when reused
  std::optional<Error> error;  // the failure, when it failed with an error
};

struct RunSummary {
  std::vector<StageRecord> stages;
  // 0 when all is well; 4 when a stage's results are not to be trusted; the failing error's
  // exit code (1 bad input, 3 internal) when a stage failed.
  [[nodiscard]] int exit_code() const;
  [[nodiscard]] const StageRecord* find(std::string_view name) const;
};

// Runs the stages in the order given (each after the ones it reads). `state_file` is normally
// STUDY/out/state.json; `out_root` STUDY/out. `force` re-runs every stage. The state file is
// updated after each stage, so a kill or failure half-way keeps what finished.
[[nodiscard]] RunSummary run_stages(const std::vector<Stage>& stages,
                                    const std::filesystem::path& out_root, bool force = false);

// The hash of everything under a stage's output folder (relative paths and contents).
[[nodiscard]] std::string folder_hash(const std::filesystem::path& dir);

// The recorded state of a previous run (stage name -> {"key", "outputs", "state", "detail"}),
// empty when there is none.
[[nodiscard]] nlohmann::json read_state(const std::filesystem::path& out_root);

}  // namespace recount::study
