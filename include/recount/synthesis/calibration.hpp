#pragma once
// Simulation-based calibration of the synthesis (Talts, Betancourt, Simpson, Vehtari & Gelman
// 2018, arXiv:1804.06788): histories and claims drawn from the model's generative story
// (simulate()), each fitted, and where the truth falls among the posterior's quantiles counted.
// When the fit is right the truth falls in each band with the band's probability.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "recount/synthesis/fit.hpp"

namespace recount::synthesis {

struct CalibrationOptions {
  int replications = 20;
  std::uint64_t seed = 1;  // replication k simulates with seed + k
  SimulationOptions simulation;
  FitOptions fit;  // conflicts are not needed and are skipped
  // Headline quantities: each named quantity (POPULATION.MEASURE) at the grid's last week.
  std::vector<std::string> quantities;
  // Parameters, named as draws.csv names them (e.g. bias[ngo], outlier_share).
  std::vector<std::string> parameters;
};

// The bands of the posterior: below q05, q05-q25, q25-median, median-q75, q75-q95, above q95.
inline constexpr std::array<double, 6> kBandProbability{0.05, 0.2, 0.25, 0.25, 0.2, 0.05};

// One replication of one checked quantity: the truth and the posterior's q05, q25, median, q75 and
// q95, on the log(value + 1) scale for quantities and as they are for parameters.
using Ranked = std::array<double, 6>;

struct CalibrationCheck {
  std::string name;
  std::vector<Ranked> replications{};
  std::array<int, 6> bands{};  // replications whose truth fell in each band
  int ranked = 0;              // replications where it could be ranked (present in the fit)
  int covered90 = 0;           // truth within q05-q95
  int covered50 = 0;           // truth within q25-q75
  double chi_square = 0;       // Pearson's over the six bands
  double p_value = 1;          // its chi-square(5) tail
};

struct CalibrationResult {
  std::vector<CalibrationCheck> checks;
  int fits = 0;
  int untrusted_fits = 0;  // fits whose diagnostics failed (still counted)
};

[[nodiscard]] CalibrationResult calibrate(const Model& model, const CalibrationOptions& options);

// The bands, coverage and chi-square of a check with `shift` added to every truth: 0 gives the
// study's own figures; a shift shows whether the check would notice a fit that is off by as much.
[[nodiscard]] CalibrationCheck with_shift(const CalibrationCheck& check, double shift);

}  // namespace recount::synthesis
