// NUTS throughput on models with analytic gradients: wall time of 4 chains x 1000 warm-up +
// 1000 draws and the effective samples per second (smallest bulk ESS over the parameters), the
// number Stan users compare.

#include <algorithm>
#include <chrono>

#include <benchmark/benchmark.h>

#include "mcmc/test_models.hpp"
#include "recount/mcmc/diagnostics.hpp"
#include "recount/mcmc/nuts.hpp"

namespace {

using recount::mcmc::ChainValues;
using recount::mcmc::LogDensity;
using recount::mcmc::NutsOptions;
using recount::mcmc::SampleResult;

double min_ess_bulk(const SampleResult& result) {
  double least = 1e300;
  for (Eigen::Index j = 0; j < result.chains[0].draws.cols(); ++j) {
    ChainValues values;
    for (const auto& chain : result.chains) {
      values.emplace_back(chain.draws.col(j).data(),
                          chain.draws.col(j).data() + chain.draws.rows());
    }
    least = std::min(least, recount::mcmc::ess_bulk(values));
  }
  return least;
}

void run(benchmark::State& state, const LogDensity& model) {
  NutsOptions options;
  options.progress = false;
  options.parallel = state.range(0) != 0;
  double ess = 0;
  double seconds = 0;
  double gradients = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const SampleResult result = recount::mcmc::sample_nuts(model, options);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ess += min_ess_bulk(result);
    for (const auto& chain : result.chains) {
      for (int n : chain.n_leapfrog)
        gradients += n;
    }
    ++options.seed;
  }
  state.counters["min_ess_bulk"] = ess / static_cast<double>(state.iterations());
  state.counters["ess_per_second"] = ess / seconds;
  state.counters["gradients_per_draw"] = gradients / static_cast<double>(state.iterations()) / 4000;
}

void BM_StandardNormal100(benchmark::State& state) {
  run(state, recount::mcmc::testing::StandardNormal(100));
}
BENCHMARK(BM_StandardNormal100)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_EightSchoolsNonCentred(benchmark::State& state) {
  run(state, recount::mcmc::testing::Hierarchical::eight_schools(false));
}
BENCHMARK(BM_EightSchoolsNonCentred)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
