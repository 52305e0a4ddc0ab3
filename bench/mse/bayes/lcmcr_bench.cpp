// Speed of the latent-class sampler on ONE chain: effective samples of N per second of processor
// time, on the published tables of the tests, with LCMCR's settings (K* = 10, Gamma(0.25, 0.25)
// on alpha), 10,000 burn-in sweeps and 4,000 draws kept one in 100. Nothing here is compared
// with a figure typed in: the comparison with R's LCMCR, both sides run in the same script on the
// same machine, is bench/mse/lcmcr_side_by_side.R. Several runs (seeds 7 on): the ESS of one
// chain is noisy (its sd is about 20-30% of its mean here).
//
// "ess" is R coda's effectiveSize estimator (the spectral density at 0 of an AR model chosen by
// AIC, mcmc::ess_ar_spectrum); "ess_bulk" the rank-normalised split bulk ESS (Vehtari et al.
// 2021) that estimate_lcmcr reports.

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "recount/mcmc/diagnostics.hpp"
#include "recount/mse/captures_io.hpp"
#include "recount/mse/lcmcr.hpp"

namespace {

using recount::mse::CaptureTable;

struct Dataset {
  const char* name;
  CaptureTable table;
};

// The published counts the tests use (tests/mse/data/, citations in its README).
CaptureTable published(const char* name) {
  return recount::mse::read_captures(std::string(RECOUNT_SOURCE_DIR) + "/tests/mse/data/" + name +
                                     ".csv")
      .front();
}

std::vector<Dataset> datasets() {
  return {{"kosovo", published("kosovo")},
          {"hiv", published("hiv")},
          {"lesbian", published("lesbian")},
          {"artificial_3", published("artificial_3")}};
}

void BM_LcmcrOneChain(benchmark::State& state, const Dataset& dataset) {
  recount::mse::LcmcrOptions options;
  options.burnin = 10000;
  options.samples = 4000;
  options.thin = 100;
  options.seed = 6;
  double ess = 0;
  double ess_bulk = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // the one chain's processor time: the wall time of an idle machine
  for (auto _ : state) {
    ++options.seed;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    // estimate_lcmcr's chain 0 (same stream), without the summaries around it.
    const recount::mcmc::ChainValues draws{
        recount::mse::detail::lcmcr_chain(dataset.table, options, {}, 0).population};
    cpu_seconds += static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ess += recount::mcmc::ess_ar_spectrum(draws);
    ess_bulk += recount::mcmc::ess_bulk(draws);
  }
  // Per second of processor time, so that other work on a shared machine does not count against
  // the sampler; on an idle machine it is the wall time (one chain, one thread).
  const auto runs = static_cast<double>(state.iterations());
  state.counters["ess"] = ess / runs;
  state.counters["ess_bulk"] = ess_bulk / runs;
  state.counters["ess_per_s"] = ess / cpu_seconds;
  state.counters["ess_per_wall_s"] = ess / seconds;
  state.counters["ess_bulk_per_s"] = ess_bulk / cpu_seconds;
}

const bool registered = [] {
  static const auto all = datasets();
  for (const auto& d : all) {
    std::string name = "lcmcr_one_chain/";
    name += d.name;
    benchmark::RegisterBenchmark(name.c_str(), BM_LcmcrOneChain, d)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(6)
        ->UseRealTime();
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
