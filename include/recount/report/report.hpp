#pragma once
// The study's report: one self-contained HTML file (the plotting libraries inlined, nothing
// fetched) that an editor can read. Every stage's results come in through their JSON contracts,
// so a stage that did not run simply leaves its section saying so.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/evidence/claim.hpp"
#include "recount/mse/capture_table.hpp"

namespace recount::report {

// How a stage of the study ended, shown at the top of the report when it is not "ok".
enum class StageState { ok, untrusted, failed, not_run };
[[nodiscard]] std::string_view to_string(StageState state) noexcept;

struct StageStatus {
  std::string stage;  // ledger, extraction, linkage, mse, synthesis, report
  StageState state = StageState::ok;
  std::string detail;  // why it failed, was not trusted, or did not run
};

// One person found on several lists, with the names each list gives: shown only with
// ReportOptions::show_names.
struct LinkedRecord {
  std::string list;
  std::string id;
  std::string name;
};
struct LinkedEntity {
  std::string entity;
  std::vector<LinkedRecord> records;
};

// A set of named lists: linked, then estimated by one or more MSE methods.
struct ListSetSection {
  std::string name;
  bool demonstration = false;                 // synthetic lists: kept out of the synthesis
  std::optional<mse::CaptureTable> captures;  // the overlaps (UpSet chart)
  std::vector<nlohmann::json> estimates;      // `recount mse --json` objects, one per method
  nlohmann::json linkage;                     // the linkage summary (docs/linkage.md), or null
  // How the estimate moves with the match threshold: [{"threshold", "observed", "estimate",
  // "lower", "upper"}], or empty.
  nlohmann::json threshold_sweep = nlohmann::json::array();
  std::vector<LinkedEntity> entities;  // people on several lists (names: --show-names only)
  std::string evidence;                // how the estimate enters the synthesis, or why not
};

struct ReportInput {
  std::string title;
  std::string summary;        // one paragraph under the title
  std::optional<Date> as_of;  // "to date" for the headline
  std::vector<StageStatus> stages;
  std::vector<Claim> claims;                     // every claim, with its review status
  std::map<std::string, std::string> documents;  // document id -> its text, for excerpts
  // The synthesis: {"quantities": {NAME: [{"date","median","q05","q25","q75","q95"}]},
  // "conflicts": [...], "unused": [...], "diagnostics": {...}}, or null when it did not run.
  nlohmann::json fit;
  nlohmann::json prior;  // same "quantities" shape: the prior alone, or null
  std::vector<ListSetSection> list_sets;
  std::string model_file;  // the model's path in the study
  std::string model_toml;  // its text, for the methods section
  // The footer: recount version, every input's content hash, the seeds.
  std::string version;
  std::vector<std::pair<std::string, std::string>> input_hashes;  // path -> sha256
  std::map<std::string, std::string> seeds;                       // what -> seed
};

struct ReportOptions {
  bool show_names = false;  // names of people on the lists appear only when asked
};

// The whole HTML document.
[[nodiscard]] std::string render_html(const ReportInput& input, const ReportOptions& options);

// The headline quantities: convicts.recruited, .killed, .wounded, .captured, .returned.
[[nodiscard]] const std::vector<std::string>& headline_quantities();

// One headline figure: the quantity's posterior (and prior) at the week containing `as_of`.
struct HeadlineFigure {
  std::string quantity;
  std::string date;  // the week's last day
  double median = 0;
  double q05 = 0;
  double q95 = 0;
  std::optional<double> prior_q05;
  std::optional<double> prior_q95;
};
// The figures present in `fit` (and `prior`), at `as_of` or, without it, the last claim's date.
[[nodiscard]] std::vector<HeadlineFigure> headline(const nlohmann::json& fit,
                                                   const nlohmann::json& prior,
                                                   std::optional<Date> as_of);

}  // namespace recount::report
