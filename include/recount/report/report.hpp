#pragma once
// The study's report: one self-contained HTML file (the plotting libraries inlined, nothing
// fetched) that an editor can read. It reads a typed view of the stages' results (ReportInput),
// so a stage that did not run simply leaves its section saying so. What it headlines, how it
// labels and groups its charts and what its methods say all come from the study: its [report]
// and [vocabulary] tables and its model; nothing about any one case is written here.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/estimate_claim.hpp"
#include "recount/evidence/vocabulary.hpp"
#include "recount/excess/sex_ratio.hpp"
#include "recount/mse/capture_table.hpp"
#include "recount/mse/dispatch.hpp"
#include "recount/synthesis/fit.hpp"
#include "recount/synthesis/model.hpp"

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

// One MSE method's estimate of a list set (with linkage uncertainty given linkage draws), and
// which of its intervals entered the synthesis: "best_linkage", "with_linkage_uncertainty", or
// empty for neither (estimates.json's "entered_synthesis").
struct ListEstimate {
  mse::MethodEstimate estimate;
  std::string entered_synthesis;
};

// A set of named lists: linked, then estimated by one or more MSE methods.
struct ListSetSection {
  std::string name;
  bool demonstration = false;                 // synthetic lists: kept out of the synthesis
  std::optional<mse::CaptureTable> captures;  // the overlaps (UpSet chart)
  std::vector<ListEstimate> estimates;        // one per method, in the study's order
  nlohmann::json linkage;                     // the linkage summary (docs/linkage.md), or null
  // How the estimate moves with the match threshold: [{"threshold", "observed", "estimate",
  // "lower", "upper"}], or empty.
  nlohmann::json threshold_sweep = nlohmann::json::array();
  std::vector<LinkedEntity> entities;  // people on several lists (names: --show-names only)
  std::string evidence;                // how the estimate enters the synthesis, or why not
  std::string no_linkage_draws;        // why no estimate carries linkage uncertainty, or empty
};

// An excess-mortality estimate (the sex-ratio method, `recount excess`): the observed and
// expected ratios, the estimate band by band and year by year, the sensitivity grid, and the
// claim it became.
struct ExcessSection {
  std::string name;
  std::optional<excess::ExcessEstimate> estimate;    // when it ran
  std::vector<excess::SensitivityCell> sensitivity;  // its grid (docs/excess.md), when asked
  EstimateTarget target;       // what the study says it measures, and the kind of its claim
  std::optional<Claim> claim;  // the claim it became in the synthesis, when it became one
};

// What the study file's [report] table says; whatever it leaves out is derived (derive_layout).
struct ReportSettings {
  std::vector<std::string> headline;   // quantities POPULATION.MEASURE, in order
  std::string headline_subject;        // who the headline counts, e.g. "All volunteers enlisted"
  std::string breakdown_title;         // the heading over the charts of its parts
  std::vector<std::string> breakdown;  // populations drawn side by side, measure by measure
};

// The report's plan: which quantities go where, under which words.
struct Layout {
  std::string population;             // the population the headline is about ("" when none)
  std::vector<std::string> headline;  // quantities, in order
  std::string headline_subject;
  std::vector<std::string> series;     // the headline population's quantities, charted over time
  std::string breakdown_title;         // heading of the parts' charts
  std::vector<std::string> breakdown;  // populations charted side by side, measure by measure
  std::vector<std::string> others;     // every other quantity, charted when claims are about it
};

// The layout from the settings, the vocabulary's labels and containment, and the model's
// [quantities] (or, without the model, the quantities `fit` holds). Without settings the headline
// population is the one whose quantities cover the most of the model's stocks and flows, its
// parts the populations the vocabulary puts within it or whose every quantity sums a subset of
// the terms of its quantity of the same measure.
[[nodiscard]] Layout derive_layout(const ReportSettings& settings, const Vocabulary& vocabulary,
                                   const synthesis::Model* model, const synthesis::FitSummary* fit);

// "Killed (volunteers)": the measure's label, then the population's, from the vocabulary.
[[nodiscard]] std::string quantity_label(const std::string& quantity, const Vocabulary& vocabulary);

struct ReportInput {
  std::string title;
  std::string summary;        // one paragraph under the title
  std::optional<Date> as_of;  // "to date" for the headline
  std::vector<StageStatus> stages;
  std::vector<Claim> claims;                     // every claim, with its review status
  std::map<std::string, std::string> documents;  // document id -> its text, for excerpts
  std::optional<synthesis::FitSummary> fit;      // the synthesis, when it ran
  std::optional<synthesis::FitSummary> prior;    // its quantities on the prior alone
  std::vector<ListSetSection> list_sets;
  std::vector<ExcessSection> excess;      // the study's [[excess]] estimates, in order
  std::string model_file;                 // the model's path in the study
  std::string model_toml;                 // its text, for the methods section
  std::optional<synthesis::Model> model;  // the model read, for the methods and the layout
  ReportSettings settings;
  Vocabulary vocabulary;
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
// The figures of `quantities` present in `fit` (and `prior`), at `as_of` or, without it, the
// grid's last week; none without a fit.
[[nodiscard]] std::vector<HeadlineFigure> headline(const synthesis::FitSummary* fit,
                                                   const synthesis::FitSummary* prior,
                                                   std::optional<Date> as_of,
                                                   const std::vector<std::string>& quantities);

}  // namespace recount::report
