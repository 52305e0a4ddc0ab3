// The full simulation-based calibration study of the synthesis (the reduced one is
// tests/synthesis/calibration_test.cpp): 150 histories of tests/synthesis/data/tiny.toml, each
// with claims of every kind from the model's generative story, fitted with 2 chains x 400 + 400
// (one core). Prints, per headline quantity and parameter, how often the truth fell in each band of
// the posterior (expected 5/20/25/25/20/5%), the 50% and 90% coverage and Pearson's chi-square
// p-value, and the same with the truth moved by log 1.5 (what a fit off by half would show). About
// 5 CPU-minutes.

#include <cmath>
#include <iostream>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "recount/synthesis/calibration.hpp"

namespace {

void BM_Calibration(benchmark::State& state) {
  using namespace recount::synthesis;
  const Model model = read_model(RECOUNT_SOURCE_DIR "/tests/synthesis/data/tiny.toml");
  CalibrationOptions options;
  options.replications = static_cast<int>(state.range(0));
  options.seed = 1;
  options.simulation.claims_per_quantity = 5;
  options.fit.chains = 2;
  options.fit.warmup = 400;
  options.fit.draws = 400;
  options.fit.progress = false;
  options.fit.parallel = false;
  options.quantities = {"convicts.recruited", "convicts.killed", "convicts.in_service"};
  options.parameters = {"death",
                        "recruitment.first",
                        "recruitment.step",
                        "start_prison",
                        "bias[ngo]",
                        "bias[media]",
                        "bias[data_journalism]",
                        "bias[belligerent_official]",
                        "noise[ngo]",
                        "outlier_share",
                        "hedge_sd",
                        "approximate_sd",
                        "magnitude_sd"};
  for (auto _ : state) {
    const CalibrationResult r = calibrate(model, options);
    std::cout << fmt::format("{} fits, {} with failed diagnostics\n", r.fits, r.untrusted_fits);
    std::cout << fmt::format("{:<28} {:>5}  {:<28} {:>6} {:>6} {:>8} {:>12}\n", "checked", "n",
                             "bands % (5/20/25/25/20/5)", "cov50", "cov90", "p", "p (x1.5)");
    for (const CalibrationCheck& c : r.checks) {
      if (c.ranked == 0) continue;
      std::string bands;
      for (const int b : c.bands)
        bands += fmt::format("{:>4.0f} ", 100.0 * b / c.ranked);
      const CalibrationCheck off = with_shift(c, std::log(1.5));
      std::cout << fmt::format("{:<28} {:>5}  {:<28} {:>6.2f} {:>6.2f} {:>8.3g} {:>12.3g}\n",
                               c.name, c.ranked, bands, 1.0 * c.covered50 / c.ranked,
                               1.0 * c.covered90 / c.ranked, c.p_value, off.p_value);
      state.counters[c.name + ".p"] = c.p_value;
    }
  }
}
BENCHMARK(BM_Calibration)->Arg(150)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
