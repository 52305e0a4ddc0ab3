// The estimate with linkage uncertainty on lists whose true linkage is known
// (simulated_linkage.hpp: 2,000 people on three independent unique lists, linkage evidence drawn
// from the Fellegi-Sunter model): over R replications at fixed seeds, the log-linear interval with
// linkage uncertainty (20 linkage draws, Rubin's rules) covers the true N, and contains the
// estimate that the true captures give, at least at its nominal rate less three binomial standard
// errors of a coverage estimated from R replications. The best-linkage interval's coverage is
// printed beside it.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "linkage/simulated_linkage.hpp"
#include "recount/linkage/partition_sampler.hpp"
#include "recount/mse/linkage_uncertainty.hpp"
#include "recount/mse/loglinear.hpp"

namespace {

using recount::linkage::PartitionDraws;
using recount::linkage::PartitionSamplerOptions;
using recount::linkage::sample_partitions;
namespace mse = recount::mse;

bool inside(const std::optional<double>& lo, const std::optional<double>& hi, double x) {
  return lo && hi && *lo <= x && x <= *hi;
}

TEST(LinkageUncertaintyCoverage, LogLinearIntervalCoversTheTruthAtItsNominalRate) {
  constexpr std::size_t kPeople = 2000;
  constexpr int kReplications = 100;
  constexpr double kLevel = 0.95;
  mse::LogLinearOptions loglinear;
  loglinear.model = "[1,2,3]";  // the model the captures were drawn from
  loglinear.level = kLevel;
  mse::LinkageUncertaintyOptions options;
  options.loglinear = loglinear;
  options.level = kLevel;
  int covers_n = 0, covers_true_estimate = 0, best_covers_n = 0, truth_covers_n = 0;
  double rhat_worst = 1, bias_best = 0, bias_draws = 0;
  for (int r = 0; r < kReplications; ++r) {
    const recount::testing::SimulatedLinkage s =
        recount::testing::simulate_linkage(kPeople, 1000 + static_cast<std::uint64_t>(r));
    PartitionSamplerOptions sampler;
    sampler.draws = 20;
    sampler.burnin = 100;
    sampler.thin = 10;
    sampler.seed = static_cast<std::uint64_t>(r) + 1;
    const PartitionDraws draws = sample_partitions(s.problem, sampler, false);
    rhat_worst = std::max(rhat_worst, draws.rhat_entities);
    mse::LinkageDrawTables tables;
    for (const auto& entity : draws.entity)
      tables.push_back({recount::testing::captures_of(entity, s.problem.list)});
    const mse::LinkageUncertainty with =
        mse::estimate_with_linkage_uncertainty(tables, "loglinear", options);
    const mse::MseResult truth = mse::estimate_loglinear(s.truth, loglinear);
    const mse::MseResult best = mse::estimate_loglinear(s.best, loglinear);
    ASSERT_TRUE(with.estimate && truth.estimate && best.estimate);
    covers_n += inside(with.lower, with.upper, kPeople) ? 1 : 0;
    covers_true_estimate += inside(with.lower, with.upper, *truth.estimate) ? 1 : 0;
    best_covers_n += inside(best.lower, best.upper, kPeople) ? 1 : 0;
    truth_covers_n += inside(truth.lower, truth.upper, kPeople) ? 1 : 0;
    bias_best += (*best.estimate - *truth.estimate) / kReplications;
    bias_draws += (*with.estimate - *truth.estimate) / kReplications;
  }
  const double n = kReplications;
  std::printf(
      "%d replications of %zu people, 20 linkage draws: interval with linkage uncertainty covers "
      "N %.3f, contains the true-captures estimate %.3f; best linkage covers N %.3f, true "
      "captures %.3f; mean gap to the true-captures estimate: best %+.1f, with draws %+.1f; "
      "worst R-hat %.3f\n",
      kReplications, kPeople, covers_n / n, covers_true_estimate / n, best_covers_n / n,
      truth_covers_n / n, bias_best, bias_draws, rhat_worst);
  // A coverage estimated from R replications has binomial standard error sqrt(c (1 - c) / R),
  // 0.0218 at c = 0.95, R = 100: the bound is the nominal rate less three of them.
  const double floor = kLevel - 3 * std::sqrt(kLevel * (1 - kLevel) / n);
  EXPECT_GE(covers_n / n, floor);
  EXPECT_GE(covers_true_estimate / n, floor);
  EXPECT_LT(rhat_worst, 1.1);
}

}  // namespace
