// Cost of the linkage draws and of the estimates on them against list size: the partition
// sampler (20 draws, default burn-in and thinning, calibrated prior) on simulated lists of 1,000
// to 8,000 people (about 1.35 records per person), and log-linear and dga on its 20 draws.
// Google Benchmark prints the times; their ratio across sizes is the scaling.

#include <benchmark/benchmark.h>

#include "../../tests/linkage/simulated_linkage.hpp"
#include "recount/linkage/partition_sampler.hpp"
#include "recount/mse/linkage_uncertainty.hpp"

namespace {

using recount::testing::captures_of;
using recount::testing::simulate_linkage;

void BM_PartitionDraws(benchmark::State& state) {
  const auto s = simulate_linkage(static_cast<std::size_t>(state.range(0)), 1);
  recount::linkage::PartitionSamplerOptions options;
  for (auto _ : state)
    benchmark::DoNotOptimize(recount::linkage::sample_partitions(s.problem, options, false));
  state.counters["records"] = static_cast<double>(s.person.size());
}
BENCHMARK(BM_PartitionDraws)
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Unit(benchmark::kMillisecond);

void BM_EstimatesOnDraws(benchmark::State& state, const char* method) {
  const auto s = simulate_linkage(static_cast<std::size_t>(state.range(0)), 1);
  recount::linkage::PartitionSamplerOptions options;
  const auto draws = recount::linkage::sample_partitions(s.problem, options, false);
  recount::mse::LinkageDrawTables tables;
  for (const auto& entity : draws.entity)
    tables.push_back({captures_of(entity, s.problem.list)});
  recount::mse::LinkageUncertaintyOptions estimate;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        recount::mse::estimate_with_linkage_uncertainty(tables, method, estimate));
}
BENCHMARK_CAPTURE(BM_EstimatesOnDraws, loglinear, "loglinear")
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EstimatesOnDraws, dga, "dga")
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
