#pragma once
// Fitting a model to claims: NUTS on the posterior, weekly posterior summaries of every stock,
// flow counter, parameter and named quantity, diagnostics, and the conflict table (which claims
// and sources the rest of the evidence contradicts). docs/synthesis.md explains the method.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "recount/mcmc/diagnostics.hpp"
#include "recount/mcmc/draws_io.hpp"
#include "recount/mcmc/nuts.hpp"
#include "recount/synthesis/evidence.hpp"
#include "recount/synthesis/model.hpp"

namespace recount::synthesis {

struct FitOptions {
  int chains = 4;
  int warmup = 1000;
  int draws = 1000;
  std::uint64_t seed = 1;
  std::optional<Date> until;  // only claims published by then
  bool prior_only = false;    // ignore the claims: prior predictive intervals
  bool conflicts = true;
  // Stan's adapt_delta: 0.95 rather than CmdStan's 0.8, as pooled source biases and the
  // log-scale random walks make curvature that smaller steps cross without divergences.
  double target_accept = 0.95;
  int max_refits = 5;  // exact leave-one-out refits where Pareto k is too high (claims; sources)
  // Pareto k above which moment matching and then a refit are tried; unset: Vehtari et al.'s
  // min(1 - 1 / log10(S), 0.7) for S draws. Lower only to exercise them (tests).
  std::optional<double> pareto_k_max = std::nullopt;
  // Claims (by id) evaluated but not conditioned on: their conflict p-value is exact
  // leave-one-out (method "held out").
  std::vector<std::string> held_out;
  int summary_draws = 1000;  // draws used for the weekly series (equally spaced)
  double max_rhat = 1.01;
  double min_ess = 400;  // bulk and tail, all chains together
  bool progress = true;
  bool parallel = true;
};

struct SeriesPoint {
  Date date;  // last day of the week
  double median = 0, q05 = 0, q25 = 0, q75 = 0, q95 = 0;
};

// A weekly posterior series: a named quantity (POPULATION.MEASURE), a stock's level, a flow's
// cumulative counter, or a time-varying parameter.
struct Series {
  std::string name;
  std::string kind;  // quantity, stock, counter, parameter
  std::vector<SeriesPoint> points;
};

struct ParameterSummary {
  std::string name;
  mcmc::Summary summary;
};

struct Diagnostics {
  int chains = 0, warmup = 0, draws = 0;
  double max_rhat = 0;
  double min_ess_bulk = 0;
  double min_ess_tail = 0;
  std::string worst_parameter;
  int divergences = 0;
  int max_depth_hits = 0;
  double min_ebfmi = 0;
  double seconds = 0;
  std::vector<std::string> problems;  // empty when the run can be trusted
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

// How surprising a claim is given all the other evidence (leave-one-out).
struct ClaimConflict {
  std::string id;
  std::vector<std::string> repeats;
  std::string source;
  std::string
      quantity;        // the model quantity, or "part of WIDER" for bounds from a wider population
  std::string stated;  // what the claim says, e.g. "at least 1,000 per week"
  Date date;
  double implied_median = 0, implied_q05 = 0, implied_q95 = 0;  // the quantity, from the rest
  double p_value = 1;
  double p_adjusted = 1;  // Benjamini-Hochberg over all claims tested
  double pareto_k = 0;
  // psis, moment matching, refit, refit failed (p-value NaN, not used), or held out
  std::string method;
  std::string refit_problems;  // why a refit failed its diagnostics
  double credibility = 1;      // posterior probability that the claim is not an outlier
};

// The same for all claims of one source at once: leave-one-source-out.
struct SourceConflict {
  std::string source;
  SourceType type = SourceType::media;
  std::vector<std::string> claims;
  double p_value = 1;  // Simes combination of its claims' leave-source-out p-values
  double p_adjusted = 1;
  double pareto_k = 0;
  std::string method;  // as ClaimConflict::method
  std::string refit_problems;
  double bias_median = 0, bias_q05 = 0, bias_q95 = 0;  // log-scale bias of the source
};

struct FitResult {
  std::string model_name;
  FitOptions options;
  PreparedEvidence evidence;
  std::vector<Series> series;
  std::vector<ParameterSummary> parameters;
  Diagnostics diagnostics;
  std::vector<ClaimConflict> conflicts;  // ranked, most surprising first
  std::vector<SourceConflict> source_conflicts;
  mcmc::SampleResult samples;
  std::vector<std::string> draw_names;
  mcmc::DrawTransform draw_transform;
};

// Fits `model` to `claims` (sources from `sources`); throws only on bad input.
[[nodiscard]] FitResult fit(const Model& model, const std::vector<Claim>& claims,
                            const SourceTable& sources, const FitOptions& options);

// The sources table the model file names (evidence.sources, relative to the model), or none.
[[nodiscard]] SourceTable model_sources(const Model& model);

// Writes quantities.csv, parameters.csv, diagnostics.json, conflicts.csv, sources.csv,
// unused.csv, flags.csv, draws.csv and summary.json into `dir` (created if needed).
void write_fit_outputs(const FitResult& result, const std::filesystem::path& dir);

// What a fit says, without its draws: what the report and the study's headline read. Within a
// study run the synthesis stage hands it on; fit.json records it, and is read back only when the
// stage is reused.
struct FitSummary {
  std::string model_name;
  bool prior_only = false;
  std::optional<Date> until;
  std::vector<Series> quantities;  // the named quantities (kind "quantity"), by name
  std::vector<ClaimConflict> conflicts;
  std::vector<SourceConflict> source_conflicts;
  std::vector<UnusedClaim> unused;
  std::vector<EvidenceFlag> flags;
  Diagnostics diagnostics;

  // The quantity's weekly series, or null when the model has no such quantity.
  [[nodiscard]] const Series* quantity(std::string_view name) const;
};

[[nodiscard]] FitSummary summarize(const FitResult& result);

// [{"date", "median", "q05", "q25", "q75", "q95"}...]: the series' weekly points.
[[nodiscard]] nlohmann::json to_json(const Series& series);
// {"ok", "problems", "chains", "warmup", "draws", "max_rhat", "worst_parameter", "min_ess_bulk",
//  "min_ess_tail", "divergences", "max_treedepth_hits", "min_ebfmi", "seconds"}
[[nodiscard]] nlohmann::json to_json(const Diagnostics& diagnostics);

// {"model", "prior_only", "until", "quantities": {NAME: [{"date","median","q05","q25","q75",
//  "q95"}...]}, "conflicts": [...], "source_conflicts": [...], "unused": [...], "flags": [...],
//  "diagnostics": {...}}: fit.json and `recount fit --json`. NaN p-values (failed refits) are null.
[[nodiscard]] nlohmann::json to_json(const FitSummary& summary);
[[nodiscard]] nlohmann::json to_json(const FitResult& result);  // of its summary

// to_json's document read back: a bad-input error naming `file` and the field when it is not
// one. Fields left out keep their defaults (prior.json holds only "quantities").
[[nodiscard]] FitSummary fit_summary_from_json(const nlohmann::json& j, const std::string& file);

// The text report: named quantities by month with intervals, then the claims in conflict.
[[nodiscard]] std::string fit_report(const FitResult& result);

// A synthetic history and the claims it would produce, from the model's own generative story
// (docs/synthesis.md, "Simulation"): for testing a model, and the fit, before trusting them.
struct SimulationOptions {
  int claims_per_quantity = 4;
  // Claims of every kind (point, approximate, range, at_least, at_most, magnitude, rates), with
  // hedges; false: exact point claims only.
  bool every_kind = true;
  // The source types claims come from, and how many sources of each.
  std::vector<SourceType> types{SourceType::ngo, SourceType::data_journalism, SourceType::media,
                                SourceType::belligerent_official};
  int sources_per_type = 2;
  double repeat_share = 0.15;  // chance that a claim is restated later or quoted by another source
  // The share of outliers; unset: drawn from the model's outlier_share prior.
  std::optional<double> outlier_share = std::nullopt;
};

struct Simulation {
  std::vector<Series> truth;  // every quantity, stock, counter and parameter (median = the value)
  std::vector<Claim> claims;
  // Every parameter, named as the fit's draws.csv names them (those of the evidence model too).
  std::vector<std::pair<std::string, double>> parameters;
  std::vector<std::string> outliers;  // ids of the claims planted as outliers
};
[[nodiscard]] Simulation simulate(const Model& model, std::uint64_t seed,
                                  const SimulationOptions& options = {});
void write_simulation(const Simulation& simulation, const std::filesystem::path& dir);

}  // namespace recount::synthesis
