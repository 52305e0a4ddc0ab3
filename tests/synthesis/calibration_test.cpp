// Simulation-based calibration of the synthesis on claims of every kind (a reduced study; the full
// one is bench/synthesis/calibration_study.cpp).

#include <gtest/gtest.h>

#include "recount/synthesis/calibration.hpp"

namespace recount::synthesis {
namespace {

// 40 histories from the tiny model's generative story, each with claims of every kind (hedges,
// rates, bounds, magnitudes, source biases by type, copies, planted outliers), each fitted. Each
// check counts, over the independent replications, where the truth fell among the posterior's
// quantiles; calibrated, the six bands hold 5/20/25/25/20/5%. The quantities checked within one
// replication are correlated (recruited and killed share the recruitment), so each is tested on
// its own across replications and the family's 1% false-alarm rate is split between them
// (Bonferroni, valid whatever their correlation): each check fails at p < 0.01 / checks, Pearson's
// chi-square(5) over the bands. The same replications with the truth moved by log 1.5 (a fit off
// by half) must fail: the check can fail.
TEST(SynthesisCalibration, ClaimsOfEveryKindAreCalibrated) {
  const Model model = read_model(RECOUNT_SOURCE_DIR "/tests/synthesis/data/tiny.toml");
  CalibrationOptions options;
  options.replications = 40;
  options.seed = 1000;
  options.simulation.claims_per_quantity = 5;
  options.fit.chains = 2;
  options.fit.warmup = 300;
  options.fit.draws = 200;
  options.fit.progress = false;
  options.quantities = {"convicts.recruited", "convicts.killed", "convicts.in_service"};
  options.parameters = {"death",       "recruitment.first", "bias[ngo]",
                        "bias[media]", "outlier_share",     "hedge_sd"};
  const CalibrationResult r = calibrate(model, options);
  EXPECT_EQ(r.fits, 40);
  const double alpha = 0.01 / static_cast<double>(r.checks.size());
  for (const CalibrationCheck& c : r.checks) {
    ASSERT_GE(c.ranked, 30) << c.name;
    EXPECT_GT(c.p_value, alpha) << c.name << ": bands " << c.bands[0] << " " << c.bands[1] << " "
                                << c.bands[2] << " " << c.bands[3] << " " << c.bands[4] << " "
                                << c.bands[5];
  }
  for (std::size_t i = 0; i < options.quantities.size(); ++i) {
    const CalibrationCheck off = with_shift(r.checks[i], std::log(1.5));
    EXPECT_LT(off.p_value, alpha) << off.name << " would not notice a fit off by half";
  }
}

}  // namespace
}  // namespace recount::synthesis
