// The linkage stage: a list set's named lists linked into people (recount link), writing what
// `recount link` writes plus sweep.json, the log-linear estimate at each match threshold, so the
// report can show how the estimate moves with the threshold, and, unless the list set turns them
// off, what `recount link --draws K` adds: draws.csv, linkages drawn from their posterior over
// partitions (linkage_draws.hpp), for the MSE stage, with the sampler's diagnostics in draws.json
// and under "linkage_draws" in summary.json.

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/core/json_fields.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/link.hpp"
#include "recount/linkage/linkage_draws.hpp"
#include "recount/mse/loglinear.hpp"
#include "stages.hpp"

namespace fs = std::filesystem;

namespace recount::study::detail {

namespace {

bool inside(const fs::path& root, const fs::path& file) {
  const fs::path r = fs::weakly_canonical(root);
  const fs::path f = fs::weakly_canonical(file);
  const auto [end, _] = std::mismatch(r.begin(), r.end(), f.begin(), f.end());
  return end == r.end();
}

// The estimate at each threshold of the sweep, from the entities' capture patterns.
nlohmann::json threshold_sweep(const linkage::LinkResult& result) {
  nlohmann::json sweep = nlohmann::json::array();
  for (const linkage::SweepPoint& point : result.sweep) {
    mse::CaptureTable table;
    table.lists = result.records.list_names;
    table.counts.assign(point.patterns.begin(), point.patterns.end());
    const mse::MseResult r = mse::estimate_loglinear(table, mse::LogLinearOptions{});
    // Null where the estimate or an end of its interval is not identified.
    sweep.push_back({{"threshold", point.threshold},
                     {"entities", point.entities},
                     {"observed", r.observed},
                     {"estimate", optional_number(r.estimate)},
                     {"lower", optional_number(r.lower)},
                     {"upper", optional_number(r.upper)},
                     {"model", r.model}});
  }
  return sweep;
}

}  // namespace

void add_linkage_stage(const Study& study, const ListSet& set, std::vector<Stage>& stages) {
  if (set.config.empty()) return;
  Stage stage;
  stage.name = "linkage/" + set.name;
  const fs::path config_path = study.path(set.config);
  stage.inputs.push_back(config_path);
  // The lists the config names are inputs too; a config that cannot be read fails in the run,
  // where the error names the stage.
  try {
    for (const linkage::ListSpec& list : linkage::read_link_config(config_path).lists)
      stage.inputs.push_back(list.file);
  } catch (const Error&) {
    stage.options["config_unreadable"] = true;
  }
  stage.options["thresholds"] = set.thresholds;
  stage.options["seed"] = study.seed;
  stage.options["linkage_draws"] = set.linkage_draws;
  stage.run = [&study, &set, config_path](const fs::path& out, const RunSummary&) {
    linkage::LinkConfig config = linkage::read_link_config(config_path);
    for (const linkage::ListSpec& list : config.lists)
      if (!inside(study.root, list.file))
        throw bad_input(Location{.file = config_path.generic_string(), .line = list.line},
                        fmt::format("list `{}` is outside the study folder ({}): a study refers "
                                    "to nothing outside itself",
                                    list.name, list.file_as_written));
    if (!set.thresholds.empty()) config.model.sweep = set.thresholds;
    if (!config.model.given.contains("seed")) config.model.seed = study.seed;
    note(fmt::format("stage linkage/{}: {} lists", set.name, config.lists.size()));
    const linkage::LinkResult result = linkage::link_lists(config);
    linkage::write_link_outputs(config, result, out);
    write_file(out / "sweep.json", threshold_sweep(result).dump(2) + "\n");
    StageOutcome outcome;
    outcome.detail =
        fmt::format("{} records into {} people", result.records.size(), result.clusters.entities);
    if (set.linkage_draws > 0) {
      linkage::PartitionSamplerOptions options;
      options.draws = set.linkage_draws;
      options.seed = study.seed;
      const linkage::PartitionDraws draws =
          linkage::draw_linkages(config, result, options, progress_enabled());
      linkage::write_draws(config, result, draws, out);
      nlohmann::json summary = linkage::link_summary(config, result);
      summary["linkage_draws"] = linkage::draws_summary(draws, options);
      write_file(out / "draws.json", summary["linkage_draws"].dump(2) + "\n");
      write_file(out / "summary.json", summary.dump(2) + "\n");
      outcome.detail += fmt::format(
          "; {} linkage draws ({} to {} people, R-hat {:.3f})", draws.entity.size(),
          summary["linkage_draws"]["entities_min"].get<std::size_t>(),
          summary["linkage_draws"]["entities_max"].get<std::size_t>(), draws.rhat_entities);
      // As `recount link --draws`: chains that did not meet leave the draws untrusted; the
      // sampler's other warnings (components held at the best linkage) are said, not fatal.
      for (const std::string& w : draws.warnings)
        outcome.detail += " | " + w;
      if (draws.rhat_entities > linkage::partition_max_rhat) outcome.state = StageState::untrusted;
    }
    if (!result.model.warnings.empty()) {
      outcome.state = StageState::untrusted;
      for (const std::string& w : result.model.warnings)
        outcome.detail += " | " + w;
    }
    return outcome;
  };
  stages.push_back(std::move(stage));
}

}  // namespace recount::study::detail
