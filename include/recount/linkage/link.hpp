#pragma once
// `recount link`: lists -> records -> blocking -> Fellegi-Sunter model -> scored pairs ->
// entities, and the files a run writes (entities.csv, captures.csv, model.json, summary.json).
// Outputs carry ids, counts and hashes only: no names.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/linkage/auto_blocking.hpp"
#include "recount/linkage/blocking.hpp"
#include "recount/linkage/clustering.hpp"
#include "recount/linkage/components.hpp"
#include "recount/linkage/config.hpp"
#include "recount/linkage/fellegi_sunter.hpp"
#include "recount/linkage/labels.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

struct SweepPoint {
  double threshold = 0;  // posterior match probability
  std::size_t entities = 0;
  std::size_t linked_entities = 0;  // entities of two or more records
  std::size_t largest = 0;
  // Entities by capture pattern (bit l set: on list l), for the estimate at this threshold.
  std::vector<std::uint64_t> patterns;
};

struct RuleReport {
  std::string rule;
  std::uint64_t pairs = 0;
  bool refused = false;
  std::uint64_t skipped_blocks = 0, skipped_records = 0;
};

struct LinkResult {
  RecordSet records;
  LinkModel model;
  std::vector<RuleReport> rules;
  // Automatic blocking (empty candidates when the config gave rules): every rule considered,
  // the estimated pair recall of the chosen set and its target.
  std::vector<CandidateRule> blocking_candidates;
  double blocking_recall = 0, blocking_target = 0;
  std::string blocking_recall_source;
  std::uint64_t candidate_pairs = 0;
  // The candidate pairs (sorted packed pairs) and their posterior log2 odds: with
  // candidate_components (components.hpp), the structure samplers of linkage work on.
  std::vector<std::uint64_t> candidates;
  std::vector<float> scores;
  // Pairs linked outright by [model] deterministic rules, and the reviewer's labelled pairs
  // ([model] labels): both override the model's score (kOutrightLog2Odds).
  std::uint64_t deterministic_pairs = 0;
  RecordLabels labels;
  std::size_t non_matches_joined = 0;  // labelled non-matches in one entity all the same
  std::uint64_t pairs_above_threshold = 0;
  double threshold = 0;
  std::vector<std::uint32_t> entity;  // per record
  ClusterStats clusters;
  // Per list: records left unlinked because the evidence does not single out one person
  // (clustering.hpp, leave_ambiguous_unlinked).
  std::vector<std::size_t> ambiguous_by_list;
  std::vector<SweepPoint> sweep;
  double scoring_seconds = 0;
  double seconds = 0;
  std::vector<std::string> chosen;  // settings chosen automatically (reported)
  // Warnings about the input and the blocking (reported; not reasons to distrust the model).
  std::vector<std::string> warnings;
};

// The posterior log2 odds given to a pair linked outright (a deterministic rule or a labelled
// match); its negative to a labelled non-match. Finite, so that average linkage still averages.
inline constexpr float kOutrightLog2Odds = 64;

// Runs the whole linkage.
[[nodiscard]] LinkResult link_lists(const LinkConfig& config);

// Writes DIR/entities.csv, captures.csv, model.json and summary.json (creating DIR).
void write_link_outputs(const LinkConfig& config, const LinkResult& result,
                        const std::filesystem::path& dir);

// The summary (aggregate counts, field weights, pairs per rule, the threshold sweep).
[[nodiscard]] nlohmann::json link_summary(const LinkConfig& config, const LinkResult& result);

}  // namespace recount::linkage
