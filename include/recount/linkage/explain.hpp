#pragma once
// `recount link explain`: why two records were or were not joined, field by field. It reads
// the run back (saved_run.hpp). The records' values are shown only when asked for
// (`--show-names`): otherwise each field shows its comparison level and weight.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/linkage/config.hpp"

namespace recount::linkage {

struct FieldExplanation {
  std::string field;
  std::string value_a, value_b;  // as written in the lists; empty unless names were asked for
  std::string level;
  double weight = 0;         // log2(m/u) of the level
  double tf_adjustment = 0;  // term-frequency adjustment (agreeing levels of TF fields)
  double m = 0, u = 0;
};

struct PairExplanation {
  std::string record_a, record_b;  // "list:id"
  bool show_names = false;
  std::vector<FieldExplanation> fields;
  double prior_log2_odds = 0;
  double log2_odds = 0;  // prior + all weights
  double probability = 0;
  double threshold = 0;
  // Why the model's score was overridden in the run: a deterministic rule, or a reviewer's
  // label ([model] labels); empty when it was not.
  std::string override_reason;
  std::size_t entity_a = 0, entity_b = 0;  // 1-based, as in entities.csv
  [[nodiscard]] bool same_entity() const noexcept { return entity_a == entity_b; }
  [[nodiscard]] nlohmann::json to_json() const;
};

// `a` and `b` are "LIST:ID". Bad input when a record is not found, the output folder is not a
// run's, or an input file changed since the run (by SHA-256).
[[nodiscard]] PairExplanation explain_pair(const LinkConfig& config,
                                           const std::filesystem::path& out_dir,
                                           const std::string& a, const std::string& b,
                                           bool show_names = false);

// A waterfall chart of the pair's match weight (standalone SVG): the prior, then each field's
// weight (and term-frequency adjustment) as a step, to the total log2 odds and its probability.
// Field values appear only when the explanation holds them. Hand-written SVG: a few dozen
// rectangles, and no Debian C++ library draws charts.
[[nodiscard]] std::string waterfall_svg(const PairExplanation& e);

}  // namespace recount::linkage
