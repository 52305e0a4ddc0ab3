#pragma once
// External term-frequency tables ([model] frequency_tables): the share of each value from a
// reference such as a surname census (value,count), instead of from the lists themselves. Small
// lists say little about how common a surname is; a census of millions says it well.

#include <vector>

#include "recount/linkage/config.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

// Per field of `records` (empty when the field has no table): the share of each key id. A
// table's values are keyed as the field's values are (comparison_key), counts of values with
// one key added. A value of the lists absent from the table gets the table's smallest share (a
// rare value). Bad input (a missing column, a count that is not a positive number) names the
// table's file and line.
using ExternalFrequencies = std::vector<std::vector<double>>;
[[nodiscard]] ExternalFrequencies read_frequency_tables(const RecordSet& records,
                                                        const ModelOptions& options);

}  // namespace recount::linkage
