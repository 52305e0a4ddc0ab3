#pragma once
// Linkage draws of a `recount link` run (partition_sampler.hpp on its records, candidate pairs
// and model) and their file, draws.csv: `draw,list,id,entity`, every record once per draw, draws
// numbered from 1 and entities from 1 within each draw, plus `stratum` when a list names one (the
// record's stratum, so that each draw's captures can be stratified as captures.csv is).

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/linkage/config.hpp"
#include "recount/linkage/link.hpp"
#include "recount/linkage/partition_sampler.hpp"

namespace recount::linkage {

// Draws partitions of the run's records within the components of its candidate pairs and their
// scores (result.candidates, result.scores), seeded by its entities; the config's `unique`
// lists hold at most one record of each entity.
[[nodiscard]] PartitionDraws draw_linkages(const LinkConfig& config, const LinkResult& result,
                                           const PartitionSamplerOptions& options,
                                           bool progress = true);

// Writes DIR/draws.csv (owner-readable like the other outputs; ids only, no names).
void write_draws(const LinkConfig& config, const LinkResult& result, const PartitionDraws& draws,
                 const std::filesystem::path& dir);

// The sampler's diagnostics for summary.json: draws, chains, R-hat of the number of entities,
// the entities per draw (range), components, warnings.
[[nodiscard]] nlohmann::json draws_summary(const PartitionDraws& draws,
                                           const PartitionSamplerOptions& options);

}  // namespace recount::linkage
