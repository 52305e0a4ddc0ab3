#pragma once
// Clerical review: the pairs the model is least sure of, exported for a reviewer to decide
// (`recount link --review FILE`), then imported (`recount link review import`) into the labels
// file that [model] labels reads. The export shows each field's comparison level, never names,
// unless names are asked for explicitly; it is written readable by its owner only.

#include <cstddef>
#include <filesystem>

#include "recount/linkage/config.hpp"
#include "recount/linkage/link.hpp"

namespace recount::linkage {

struct ReviewOptions {
  double low = 0.1, high = 0.9;  // posterior match probabilities of the uncertain band
  std::size_t limit = 500;       // pairs exported, the most uncertain first
  bool show_names = false;       // the fields' values of both records, as written
};

// Writes the candidate pairs whose match probability lies in [low, high] and that carry no
// label yet: list_a,id_a,list_b,id_b,probability,log2_odds,joined, a level column per field
// (and with show_names the two values), and an empty `decision` column for the reviewer.
// Returns the number of pairs written.
std::size_t write_review(const LinkConfig& config, const LinkResult& result,
                         const std::filesystem::path& file, const ReviewOptions& options);

}  // namespace recount::linkage
