#pragma once
// A study: a folder with a recount.toml naming its inputs (reports, claims files, named lists
// with their link config, MSE methods, the model file). docs/study.md documents the file.
// A study refers to nothing outside itself: every path is relative to the folder and stays in it.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recount/core/date.hpp"
#include "recount/core/error.hpp"
#include "recount/evidence/claim.hpp"
#include "recount/evidence/estimate_claim.hpp"
#include "recount/evidence/vocabulary.hpp"
#include "recount/excess/sex_ratio.hpp"
#include "recount/mse/lcmcr.hpp"
#include "recount/report/report.hpp"

namespace recount::study {

// A report to extract claims from into the ledger.
struct ReportFile {
  std::string file;          // relative to the study
  bool auto_accept = false;  // accept its claims at once instead of waiting for review
};

// How a list set's population estimate enters the synthesis: as one more claim, through the
// path every computed estimate takes (claim_from_estimate).
// Which interval a list set's claim takes: the one with the linkage's uncertainty carried in
// (when the list set has linkage draws), or the one of the best linkage alone.
enum class EvidenceInterval { with_linkage_uncertainty, best_linkage };
[[nodiscard]] std::string_view to_string(EvidenceInterval interval) noexcept;

struct ListEvidence {
  EstimateTarget target;  // what it measures; its population one of the vocabulary's, if any
  std::string method;     // which MSE method's estimate (the first listed when empty)
  EvidenceInterval interval = EvidenceInterval::with_linkage_uncertainty;
};

// Linkage draws of a list set linked by the study, unless its `linkage_draws` says otherwise.
inline constexpr std::size_t default_linkage_draws = 20;

// Named lists, linked into people and counted by multiple systems estimation.
struct ListSet {
  std::string name;
  std::string config;                // the link config (TOML), relative to the study, or
  std::string captures;              // a captures table already linked (docs/mse.md)
  std::vector<std::string> methods;  // loglinear, dga, lcmcr
  std::vector<double> thresholds;    // match thresholds for the sensitivity sweep
  std::size_t linkage_draws = default_linkage_draws;  // draws.csv; 0: none (config only)
  bool demonstration = false;            // synthetic: shown apart, never in the synthesis
  std::optional<ListEvidence> evidence;  // absent: the estimate stays out of the synthesis
  // LCMCR's sampler (`[lists.lcmcr]`): chains, classes, burnin, samples, thin; -1 keeps the
  // defaults of docs/mse.md. Also the per-draw runs' settings when linkage_draws > 0.
  mse::LcmcrOptions lcmcr;
  Location where;
};

// Excess deaths from deaths by year, age band and sex (`recount excess`, docs/excess.md), entering
// the synthesis as one more claim through claim_from_estimate.
struct ExcessSet {
  std::string name;
  std::string file;      // the deaths table, relative to the study
  std::string subtract;  // deaths of one cause removed from both sexes first, or empty
  excess::ExcessOptions options;
  bool sensitivity = false;  // also the grid of baselines, trends and subtraction
  EstimateTarget target;     // what it measures; `at_least` unless the study says `range`
  Location where;
};

struct ModelSettings {
  std::string file;           // the model (TOML), relative to the study
  std::optional<Date> until;  // fit only claims known by this date; "to date" of the report
  int chains = 4;
  int warmup = 1000;
  int draws = 1000;
  int max_refits = 5;  // exact leave-one-out refits, of claims and of sources, each
};

struct Study {
  std::filesystem::path root;  // the study folder
  std::string title;
  std::string summary;
  std::uint64_t seed = 1;
  std::vector<ReportFile> reports;
  std::vector<std::string> claims;  // claims CSVs, relative to the study
  std::optional<ModelSettings> model;
  std::vector<ListSet> lists;
  std::vector<ExcessSet> excess;  // [[excess]]
  Vocabulary vocabulary;          // [vocabulary]: empty when the study declares none
  report::ReportSettings report;  // [report]: the headline and how charts group

  [[nodiscard]] std::filesystem::path path(const std::string& relative) const {
    return root / relative;
  }
  [[nodiscard]] std::filesystem::path ledger() const { return root / "recount.db"; }
  [[nodiscard]] std::filesystem::path out() const { return root / "out"; }
};

// The study file of a folder.
inline constexpr std::string_view study_file_name = "recount.toml";

// Reads STUDY/recount.toml. Every problem (a missing key, a wrong type, an absolute path or one
// leaving the folder, an unknown method) is a bad-input error naming the file, line and key.
[[nodiscard]] Study load_study(const std::filesystem::path& folder);
[[nodiscard]] Study parse_study(const std::string& text, const std::filesystem::path& folder);

// A path written in the study file: relative, with no "..", staying inside the study. Returns
// it normalised (forward slashes); a bad-input error naming `where` otherwise.
[[nodiscard]] std::string study_relative(std::string_view path, const Location& where);

// The commented starting study `recount init` writes (recount.toml).
[[nodiscard]] std::string starter_study(std::string_view title);
// Every file of it, relative to the study folder: recount.toml, and a small model, a few claims
// and a sources table, all invented and labelled so, with which it runs as it is.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> starter_files(
    std::string_view title);

}  // namespace recount::study
