#include "recount/linkage/linkage_draws.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/components.hpp"
#include "recount/linkage/fellegi_sunter.hpp"

namespace recount::linkage {

PartitionDraws draw_linkages(const LinkConfig& config, const LinkResult& result,
                             const PartitionSamplerOptions& options, bool progress) {
  const RecordSet& records = result.records;
  // The best linkage joins only pairs at or above the threshold, so components formed at a
  // floor no higher than it hold every one of its entities.
  PartitionSamplerOptions o = options;
  o.floor = std::min(o.floor, static_cast<float>(log2_odds_of(result.threshold)));
  auto scorer = std::make_shared<const Scorer>(records, result.model);
  PartitionProblem problem;
  problem.list = records.list;
  problem.unique_list = unique_lists(config);
  problem.best = result.entity;
  problem.components =
      candidate_components(records.size(), result.candidates, result.scores, o.floor);
  problem.score = [scorer](std::uint32_t a, std::uint32_t b) { return scorer->log2_odds(a, b); };
  return sample_partitions(problem, o, progress);
}

void write_draws(const LinkConfig& config, const LinkResult& result, const PartitionDraws& draws,
                 const std::filesystem::path& dir) {
  const RecordSet& records = result.records;
  bool stratified = false;
  for (const ListSpec& l : config.lists)
    stratified = stratified || !l.stratum_column.empty();
  std::string text = stratified ? "draw,list,id,entity,stratum\n" : "draw,list,id,entity\n";
  for (std::size_t d = 0; d < draws.entity.size(); ++d) {
    const std::string draw = std::to_string(d + 1);
    for (std::size_t r = 0; r < records.size(); ++r) {
      std::vector<std::string> row{draw, records.list_names[records.list[r]], records.id[r],
                                   std::to_string(draws.entity[d][r] + 1)};
      if (stratified) row.push_back(records.stratum[r]);
      text += csv_line(row);
      text += '\n';
    }
  }
  write_file(dir / "draws.csv", text);
}

nlohmann::json draws_summary(const PartitionDraws& draws, const PartitionSamplerOptions& options) {
  const auto [lo, hi] = std::minmax_element(draws.entities.begin(), draws.entities.end());
  return {{"draws", draws.entity.size()},
          {"chains", options.chains},
          {"burnin", options.burnin},
          {"thin", options.thin},
          {"seed", options.seed},
          {"method",
           "Gibbs and Metropolis swap over partitions within components of candidate "
           "pairs (Sadinle 2014, 2017)"},
          {"rhat_entities", draws.rhat_entities},
          {"entities_min", lo == draws.entities.end() ? 0 : *lo},
          {"entities_max", hi == draws.entities.end() ? 0 : *hi},
          {"components", draws.components},
          {"components_cut", draws.components_cut},
          {"components_held", draws.components_held},
          {"records_sampled", draws.records_sampled},
          {"largest_component", draws.largest_component},
          {"swap_acceptance", draws.acceptance_swap},
          {"prior_shift_log2", draws.prior_shift},
          {"prior_target_pairs", draws.prior_target_pairs},
          {"prior_pilot_pairs", draws.prior_pilot_pairs},
          {"seconds", draws.seconds},
          {"warnings", draws.warnings}};
}

}  // namespace recount::linkage
