#pragma once
// `recount link explain`: why two records were or were not joined, field by field. It reads
// the run's model.json and entities.csv and refuses inputs whose hashes differ from the run's.
// The result shows names: the analyst asked about these two records.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/linkage/config.hpp"

namespace recount::linkage {

struct FieldExplanation {
  std::string field;
  std::string value_a, value_b;  // as written in the lists
  std::string level;
  double weight = 0;         // log2(m/u) of the level
  double tf_adjustment = 0;  // term-frequency adjustment (agreeing levels of TF fields)
  double m = 0, u = 0;
};

struct PairExplanation {
  std::string record_a, record_b;  // "list:id"
  std::vector<FieldExplanation> fields;
  double prior_log2_odds = 0;
  double log2_odds = 0;  // prior + all weights
  double probability = 0;
  double threshold = 0;
  std::size_t entity_a = 0, entity_b = 0;  // 1-based, as in entities.csv
  [[nodiscard]] bool same_entity() const noexcept { return entity_a == entity_b; }
  [[nodiscard]] nlohmann::json to_json() const;
};

// `a` and `b` are "LIST:ID". Bad input when a record is not found, the output folder is not a
// run's, or an input file changed since the run (by SHA-256).
[[nodiscard]] PairExplanation explain_pair(const LinkConfig& config,
                                           const std::filesystem::path& out_dir,
                                           const std::string& a, const std::string& b);

}  // namespace recount::linkage
