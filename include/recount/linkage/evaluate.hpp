#pragma once
// `recount link eval`: entities against the truth (list,id,person). Pairwise precision, recall
// and F1 over the pairs of records put together; B-cubed precision and recall (Bagga & Baldwin
// 1998) per record, averaged.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

}  // namespace recount::linkage
