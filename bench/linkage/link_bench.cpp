// Speed and memory of `recount link` (the bar: 1,000,000 records over four lists linked
// in under 5 minutes on 2 cores with peak memory under 8 GiB; scoring at least 1,000,000 pairs
// per second per core, against about 125,000 per core for Splink with DuckDB). The lists come
// from the project's generator (`recount simulate lists`), written once per size into a
// temporary folder.

#include <sys/resource.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "recount/core/progress.hpp"
#include "recount/linkage/blocking.hpp"
#include "recount/linkage/config.hpp"
#include "recount/linkage/fellegi_sunter.hpp"
#include "recount/linkage/link.hpp"
#include "recount/linkage/records.hpp"
#include "recount/linkage/simulate.hpp"

namespace {

namespace fs = std::filesystem;
namespace rl = recount::linkage;

// The generator's lists for `people` people on four lists (about 2.45 records per person).
fs::path lists_for(std::size_t people) {
  static std::map<std::size_t, fs::path> made;
  if (auto it = made.find(people); it != made.end()) return it->second;
  const fs::path dir = fs::temp_directory_path() / ("recount_link_bench_" + std::to_string(people));
  if (!fs::exists(dir / "link.toml")) {
    rl::ListSimulation options;
    options.people = people;
    options.lists = 4;
    options.seed = 5;
    (void)rl::simulate_lists(options, dir);
  }
  made[people] = dir;
  return dir;
}

double peak_rss_gib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB
}

// Scoring alone, on one thread: the pairs per second per core the issue asks about.
void BM_ScorePairsOneCore(benchmark::State& state) {
  recount::set_progress_enabled(false);
  const rl::LinkConfig config = rl::read_link_config(lists_for(20000) / "link.toml");
  const rl::RecordSet records = rl::read_records(config, {.progress = false});
  const std::vector<rl::RulePairs> rules = rl::block(records, config.blocking, "link.toml");
  const std::vector<std::uint64_t> pairs = rl::union_pairs(rules);
  const rl::LinkModel model = rl::train_model(records, rules, config.model);
  const rl::Scorer scorer(records, model);
  float sum = 0;
  for (auto _ : state) {
    for (std::uint64_t p : pairs)
      sum += scorer.log2_odds(rl::pair_first(p), rl::pair_second(p));
    benchmark::DoNotOptimize(sum);
  }
  state.counters["pairs"] = static_cast<double>(pairs.size());
  state.counters["pairs_per_second"] = benchmark::Counter(
      static_cast<double>(pairs.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScorePairsOneCore)->Unit(benchmark::kMillisecond);

// The whole linkage of about 1,000,000 records (408,000 people, four lists) on all cores.
void BM_LinkMillionRecords(benchmark::State& state) {
  recount::set_progress_enabled(false);
  const rl::LinkConfig config = rl::read_link_config(lists_for(408000) / "link.toml");
  rl::LinkResult result;
  for (auto _ : state)
    result = rl::link_lists(config);
  state.counters["records"] = static_cast<double>(result.records.size());
  state.counters["pairs"] = static_cast<double>(result.candidate_pairs);
  state.counters["pairs_per_second"] =
      static_cast<double>(result.candidate_pairs) / result.scoring_seconds;
  state.counters["wall_seconds"] = result.seconds;
  state.counters["peak_rss_gib"] = peak_rss_gib();
}
BENCHMARK(BM_LinkMillionRecords)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
