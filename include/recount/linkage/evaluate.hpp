#pragma once
// `recount link eval`: entities against the truth (list,id,person). Pairwise precision, recall
// and F1 over the pairs of records put together; B-cubed precision and recall (Bagga & Baldwin
// 1998) per record, averaged.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/linkage/config.hpp"

namespace recount::linkage {

struct LinkEvaluation {
  std::size_t records = 0, entities = 0, people = 0;
  std::uint64_t predicted_pairs = 0, true_pairs = 0, correct_pairs = 0;
  double precision = 0, recall = 0, f1 = 0;
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
  [[nodiscard]] nlohmann::json to_json() const;
};

// Labels per record: `predicted[i]` and `truth[i]` are the entity and the person of record i.
[[nodiscard]] LinkEvaluation evaluate_clusters(const std::vector<std::string>& predicted,
                                               const std::vector<std::string>& truth);

// Reads entities.csv (list,id,entity) and truth.csv (list,id,person); every record of each must
// be in the other (bad input naming the file and line otherwise).
[[nodiscard]] LinkEvaluation evaluate_link(const std::filesystem::path& entities_csv,
                                           const std::filesystem::path& truth_csv);

// Against labelled pairs (labels.hpp) instead of a full truth: precision and recall of the
// run's entities (a pair is predicted a match when its records share an entity), and of the
// model's score alone at each threshold (the threshold chart). Labels given to the run's
// [model] labels overrode its scores there, so evaluate on labels the run did not see.
struct ThresholdPoint {
  double threshold = 0;  // posterior match probability
  std::uint64_t true_positives = 0, false_positives = 0, false_negatives = 0;
  double precision = 0, recall = 0, f1 = 0;
};
struct LabelEvaluation {
  std::size_t matches = 0, non_matches = 0;
  std::uint64_t true_positives = 0, false_positives = 0, false_negatives = 0;
  double precision = 0, recall = 0, f1 = 0;
  bool labels_seen_by_run = false;  // the labels file is the run's [model] labels
  std::vector<ThresholdPoint> curve;
  [[nodiscard]] nlohmann::json to_json() const;
};
[[nodiscard]] LabelEvaluation evaluate_labels(const LinkConfig& config,
                                              const std::filesystem::path& out_dir,
                                              const std::filesystem::path& labels);

// The threshold chart: precision and recall of the score against the threshold (SVG).
[[nodiscard]] std::string threshold_chart_svg(const LabelEvaluation& e);

}  // namespace recount::linkage
