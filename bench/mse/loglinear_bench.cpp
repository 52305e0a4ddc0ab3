// Speed of the exhaustive log-linear model search (6,893 hierarchical models for five lists, 113
// for four), with the identifiability checks, the fits of every model and the profile-likelihood
// intervals of the five reported ones, on 1 and 2 threads. The cost is set by the number of
// models, not by the counts; the five-list table is our own: captures of 3,000 people with
// heterogeneous catchability and one pairwise dependence. Nothing here is compared with a figure
// typed in: the comparison with Rcapture's closedpMS.t, both run in the same script on the same
// tables, is bench/mse/loglinear_side_by_side.R.

#include <chrono>
#include <cmath>
#include <string>
#include <utility>

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "recount/mse/loglinear.hpp"

namespace {

using recount::mse::CaptureTable;
using recount::mse::Pattern;

// Expected counts of a five-list capture-recapture experiment: two latent groups of people
// (catchability 0.15 and 0.45 per list), lists 1 and 2 positively dependent, rounded.
CaptureTable five_lists() {
  CaptureTable table;
  table.lists = {"A", "B", "C", "D", "E"};
  table.counts.assign(32, 0.0);
  for (Pattern c = 1; c < 32; ++c) {
    double expected = 0;
    for (const auto& [people, p] : {std::pair{2000.0, 0.15}, std::pair{1000.0, 0.45}}) {
      double prob = 1;
      for (int i = 0; i < 5; ++i)
        prob *= (c >> i & 1U) != 0 ? p : 1 - p;
      if ((c & 3U) == 3U) prob *= 1.6;
      expected += people * prob;
    }
    table.counts[c] = std::round(expected);
  }
  return table;
}

CaptureTable kosovo() {
  // Ball et al. (2002); tests/mse/data/kosovo.csv. Index = pattern (list 1 the lowest bit).
  CaptureTable table;
  table.lists = {"EXH", "ABA", "OSCE", "HRW"};
  table.counts = {0, 1131, 845, 177, 936, 228, 217, 181, 306, 106, 31, 18, 123, 42, 32, 27};
  return table;
}

void run_selection(benchmark::State& state, const CaptureTable& table, std::size_t threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  std::size_t models = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const auto result = recount::mse::estimate_loglinear(table, recount::mse::LogLinearOptions{});
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    models = result.diagnostics.at("models_fitted").get<std::size_t>();
    benchmark::DoNotOptimize(result);
  }
  state.counters["models"] = static_cast<double>(models);
  state.counters["seconds"] = seconds / static_cast<double>(state.iterations());
}

void BM_AllModelsFiveLists(benchmark::State& state) {
  static const CaptureTable table = five_lists();
  run_selection(state, table, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_AllModelsFiveLists)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AllModelsKosovo(benchmark::State& state) {
  static const CaptureTable table = kosovo();
  run_selection(state, table, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_AllModelsKosovo)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
