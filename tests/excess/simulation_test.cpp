// Simulation: deaths from a known linear ratio trend with normal noise plus a known excess.
// The Student t intervals of each year and of the total over the years must contain the true
// excess at their nominal rate.

#include <cmath>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "recount/excess/deaths_table.hpp"
#include "recount/excess/sex_ratio.hpp"

using namespace recount::excess;

namespace {

TEST(ExcessSimulation, IntervalsCoverAtTheirNominalRate) {
  constexpr int kReplications = 400;
  constexpr double kLevel = 0.90;
  constexpr double kTrueExcess = 500;  // in each target year
  std::mt19937_64 rng(20250201);
  std::normal_distribution<double> noise(0.0, 0.05);
  ExcessOptions o;
  o.ages = parse_age_range("20-24");
  o.baseline = {2015, 2019};
  o.years = {2022, 2023};
  o.level = kLevel;
  int covered_year = 0;
  int covered_total = 0;
  for (int r = 0; r < kReplications; ++r) {
    std::string text = "year,age,sex,deaths\n";
    for (int y = 2015; y <= 2023; ++y) {
      const double female = 4000 + 50 * (y - 2015);
      const double ratio = 3.0 - 0.04 * (y - 2015) + noise(rng);
      const double male = female * ratio + (y >= 2022 ? kTrueExcess : 0);
      text += std::to_string(y) + ",20-24,m," + std::to_string(male) + "\n";
      text += std::to_string(y) + ",20-24,f," + std::to_string(female) + "\n";
    }
    const auto e = estimate_excess(DeathsTable::parse(text, "sim.csv"), o);
    const auto& y = e.years[0].interval;
    if (y->lower <= kTrueExcess && kTrueExcess <= y->upper) ++covered_year;
    const auto& t = e.total.interval;
    if (t->lower <= 2 * kTrueExcess && 2 * kTrueExcess <= t->upper) ++covered_total;
  }
  // The coverage count is Binomial(400, 0.9): SD sqrt(400 * 0.9 * 0.1) = 6. A miss of more than
  // four SDs (24 replications) has probability below 1e-4 under a correct interval.
  const double tolerance = 4 * std::sqrt(kReplications * kLevel * (1 - kLevel));
  EXPECT_NEAR(covered_year, kReplications * kLevel, tolerance);
  EXPECT_NEAR(covered_total, kReplications * kLevel, tolerance);
}

}  // namespace
