#include "recount/mcmc/nuts.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "mcmc/test_models.hpp"
#include "recount/core/error.hpp"
#include "recount/mcmc/diagnostics.hpp"
#include "recount/mcmc/run_check.hpp"

namespace recount::mcmc {
namespace {

NutsOptions quiet_options() {
  NutsOptions options;
  options.progress = false;
  return options;
}

ChainValues column(const SampleResult& result, Eigen::Index j) {
  ChainValues out;
  for (const ChainDraws& chain : result.chains) {
    out.emplace_back(chain.draws.col(j).data(), chain.draws.col(j).data() + chain.draws.rows());
  }
  return out;
}

// The test models' gradients against central finite differences.
TEST(TestModels, GradientsMatchFiniteDifferences) {
  const testing::Hierarchical centred = testing::Hierarchical::eight_schools(true);
  const testing::Hierarchical noncentred({1, -2, 0.5}, {1, 2, 0.5}, false, false, 1, 1);
  const testing::CorrelatedNormal correlated({{0.3, -0.2}, {1.0, 0.4}}, 2, 1, 0.5, 0.7);
  const testing::TwoModes two_modes;
  for (const LogDensity* model :
       std::vector<const LogDensity*>{&centred, &noncentred, &correlated, &two_modes}) {
    const auto n = static_cast<Eigen::Index>(model->dimension());
    Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(n, -0.7, 0.9);
    Eigen::VectorXd g;
    Eigen::VectorXd unused;
    (void)model->log_density(x, g);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double h = 1e-6;
      Eigen::VectorXd up = x;
      Eigen::VectorXd down = x;
      up[i] += h;
      down[i] -= h;
      const double numeric =
          (model->log_density(up, unused) - model->log_density(down, unused)) / (2 * h);
      EXPECT_NEAR(g[i], numeric, 1e-5 * std::max(1.0, std::abs(numeric))) << i;
    }
  }
}

TEST(Nuts, StandardNormalIn100Dimensions) {
  const testing::StandardNormal model(100);
  const SampleResult result = sample_nuts(model, quiet_options());
  ASSERT_EQ(result.chains.size(), 4U);
  double mean_second_moment = 0;
  for (Eigen::Index j = 0; j < 100; ++j) {
    const ChainValues x = column(result, j);
    const Summary s = summarize(x);
    // Mean and variance within 4.5 Monte Carlo standard errors (200 checks: a false alarm has
    // probability about 0.001).
    EXPECT_LT(std::abs(s.mean) / s.mcse, 4.5) << j;
    EXPECT_LT(s.rhat, 1.01) << j;
    EXPECT_GT(s.ess_bulk, 1000) << j;
    ChainValues squares = x;
    for (auto& chain : squares) {
      for (double& v : chain)
        v *= v;
    }
    const Summary s2 = summarize(squares);
    EXPECT_LT(std::abs(s2.mean - 1) / s2.mcse, 4.5) << j;
    mean_second_moment += s2.mean / 100;
  }
  // Averaged over 100 coordinates the variance is within a few percent of 1.
  EXPECT_NEAR(mean_second_moment, 1, 0.03);
  EXPECT_EQ(result.divergences(), 0);
}

TEST(Nuts, StepSizeAdaptationReachesTheTargetAcceptance) {
  // Dual averaging targets the mean acceptance during warm-up; the final step size, exp of the
  // averaged log step size, is a little smaller, so the draws' mean accept_stat sits at or a
  // little above the target (0.85-0.9 for 0.8 in Stan on Gaussians).
  const testing::StandardNormal model(50);
  std::vector<double> step_sizes;
  for (double target : {0.8, 0.95}) {
    NutsOptions options = quiet_options();
    options.target_accept = target;
    const SampleResult result = sample_nuts(model, options);
    for (const ChainDraws& chain : result.chains) {
      const double mean = std::accumulate(chain.accept_stat.begin(), chain.accept_stat.end(), 0.0) /
                          static_cast<double>(chain.accept_stat.size());
      EXPECT_GT(mean, target - 0.03) << target;
      EXPECT_LT(mean, target + 0.1) << target;
      // The adapted metric of a standard normal is close to the identity.
      EXPECT_NEAR(chain.inverse_metric.mean(), 1, 0.1);
    }
    step_sizes.push_back(result.chains[0].step_size);
  }
  EXPECT_GT(step_sizes[0], step_sizes[1]);
}

TEST(Nuts, MetricAdaptationLearnsTheScales) {
  // The adapted inverse metric estimates the posterior variances (from the last slow window,
  // 500 draws, regularised): sd 0.01 to 100 span eight orders of magnitude in variance.
  Eigen::VectorXd sd(5);
  sd << 0.01, 0.1, 1, 10, 100;
  const SampleResult result = sample_nuts(testing::ScaledNormal(sd), quiet_options());
  for (const ChainDraws& chain : result.chains) {
    for (Eigen::Index i = 0; i < sd.size(); ++i) {
      const double variance = sd[i] * sd[i];
      // Relative sd of a variance estimate from ~500 draws of ESS >= 100 is at most ~0.15.
      EXPECT_NEAR(chain.inverse_metric[i] / (variance + 1e-3 * 5.0 / 505), 1, 0.5) << i;
    }
    // With the scales learned, trajectories are short.
    const double mean_leapfrog =
        std::accumulate(chain.n_leapfrog.begin(), chain.n_leapfrog.end(), 0.0) /
        static_cast<double>(chain.n_leapfrog.size());
    EXPECT_LT(mean_leapfrog, 8);
  }
  for (Eigen::Index i = 0; i < sd.size(); ++i) {
    const Summary s = summarize(column(result, i));
    EXPECT_NEAR(s.sd / sd[i], 1, 0.1) << i;
  }
}

TEST(Nuts, CentredEightSchoolsDiverges) {
  // The centred eight schools is a funnel: Stan reports divergences with default settings.
  const SampleResult centred =
      sample_nuts(testing::Hierarchical::eight_schools(true), quiet_options());
  EXPECT_GT(centred.divergences(), 0);
  // Its non-centred form samples the same posterior without (almost any) divergences.
  NutsOptions options = quiet_options();
  options.target_accept = 0.95;
  const SampleResult noncentred = sample_nuts(testing::Hierarchical::eight_schools(false), options);
  EXPECT_LE(noncentred.divergences(), 4);
  EXPECT_LT(noncentred.divergences(), centred.divergences());
  const Summary mu = summarize(column(noncentred, 0));
  EXPECT_NEAR(mu.mean, 4.4, 5 * mu.mcse + 0.1);  // Stan's posterior mean of mu is about 4.4
}

TEST(Nuts, ReportsTreeDepthHits) {
  const testing::StandardNormal model(100);
  NutsOptions options = quiet_options();
  options.max_depth = 2;
  options.chains = 1;
  options.warmup = 200;
  options.draws = 200;
  const SampleResult result = sample_nuts(model, options);
  EXPECT_GT(result.max_depth_hits(2), 0);
  for (int depth : result.chains[0].treedepth)
    EXPECT_LE(depth, 2);
  for (int n : result.chains[0].n_leapfrog)
    EXPECT_LE(n, 3);
}

TEST(Nuts, SameSeedSameDraws) {
  const testing::Hierarchical model = testing::Hierarchical::eight_schools(false);
  NutsOptions options = quiet_options();
  options.warmup = 300;
  options.draws = 200;
  options.parallel = true;
  const SampleResult parallel = sample_nuts(model, options);
  options.parallel = false;
  const SampleResult serial = sample_nuts(model, options);
  ASSERT_EQ(parallel.chains.size(), serial.chains.size());
  for (std::size_t c = 0; c < serial.chains.size(); ++c) {
    EXPECT_EQ(parallel.chains[c].draws, serial.chains[c].draws);
    EXPECT_EQ(parallel.chains[c].energy, serial.chains[c].energy);
  }
  // Chains differ from each other, and another seed gives other draws.
  EXPECT_NE(serial.chains[0].draws, serial.chains[1].draws);
  options.seed = 2;
  const SampleResult other = sample_nuts(model, options);
  EXPECT_NE(other.chains[0].draws, serial.chains[0].draws);
}

TEST(Nuts, ThinsAndKeepsDiagnosticsAligned) {
  NutsOptions options = quiet_options();
  options.chains = 2;
  options.warmup = 100;
  options.draws = 101;
  options.thin = 10;
  const SampleResult result = sample_nuts(testing::StandardNormal(3), options);
  for (const ChainDraws& chain : result.chains) {
    EXPECT_EQ(chain.draws.rows(), 11);
    EXPECT_EQ(chain.lp.size(), 11U);
    EXPECT_EQ(chain.energy.size(), 11U);
    EXPECT_GT(chain.step_size, 0);
    for (Eigen::Index i = 0; i < chain.draws.rows(); ++i) {
      EXPECT_NEAR(chain.lp[static_cast<std::size_t>(i)], -0.5 * chain.draws.row(i).squaredNorm(),
                  1e-12);
      EXPECT_EQ(chain.stepsize[static_cast<std::size_t>(i)], chain.step_size);
    }
  }
}

TEST(Nuts, DomainErrorRejectsTheProposal) {
  // A standard normal truncated by domain errors at x0 < 1: E[x0] = -phi(1) / Phi(1).
  NutsOptions options = quiet_options();
  const SampleResult result = sample_nuts(testing::TruncatedNormal(), options);
  const ChainValues x0 = column(result, 0);
  for (const auto& chain : x0) {
    for (double v : chain)
      ASSERT_LE(v, 1);
  }
  const Summary s = summarize(x0);
  EXPECT_NEAR(s.mean, -0.2876, 5 * s.mcse);
}

TEST(Nuts, FailsClearlyWithoutAFiniteStart) {
  NutsOptions options = quiet_options();
  options.chains = 2;
  try {
    (void)sample_nuts(testing::Impossible(), options);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::internal);
    EXPECT_NE(std::string(e.what()).find("100 tries"), std::string::npos);
  }
}

TEST(Nuts, ReportsAnImproperPosterior) {
  NutsOptions options = quiet_options();
  options.chains = 2;
  try {
    (void)sample_nuts(testing::Flat(), options);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(std::string(e.what()).find("improper"), std::string::npos);
  }
}

TEST(Nuts, StartsFromTheGivenPoint) {
  NutsOptions options = quiet_options();
  options.chains = 2;
  options.warmup = 100;
  options.draws = 100;
  // Two modes no chain crosses between: the starting point decides where the draws are.
  for (double start : {-10.0, 10.0}) {
    const Eigen::VectorXd init = Eigen::VectorXd::Constant(1, start);
    const SampleResult result = sample_nuts(testing::TwoModes(), options, init);
    for (const ChainDraws& chain : result.chains) {
      EXPECT_LT((chain.draws.array() - start).abs().maxCoeff(), 3) << start;
    }
  }
  Eigen::VectorXd outside(2);
  outside << 2, 0;
  EXPECT_THROW((void)sample_nuts(testing::TruncatedNormal(), options, outside), Error);
  const Eigen::VectorXd wrong = Eigen::VectorXd::Zero(2);
  EXPECT_THROW((void)sample_nuts(testing::StandardNormal(3), options, wrong), Error);
}

TEST(RunCheck, PassesAGoodRunAndNamesTheProblemsOfABadOne) {
  const SampleResult good = sample_nuts(testing::StandardNormal(5), quiet_options());
  const RunCheck pass = check_run(good, {"a", "b", "c", "d", "e"}, 10);
  EXPECT_TRUE(pass.ok()) << (pass.failures.empty() ? "" : pass.failures.front());
  EXPECT_LT(pass.max_rhat, 1.01);
  EXPECT_GT(pass.min_ess_bulk, 400);
  EXPECT_GT(pass.min_ebfmi, 0.3);

  const SampleResult funnel =
      sample_nuts(testing::Hierarchical::eight_schools(true), quiet_options());
  const RunCheck fail = check_run(funnel, {}, 10);
  EXPECT_FALSE(fail.ok());
  EXPECT_TRUE(std::any_of(fail.failures.begin(), fail.failures.end(), [](const std::string& f) {
    return f.find("divergent") != std::string::npos;
  }));

  // Two chains stuck in different modes: R-hat names the parameter.
  NutsOptions options = quiet_options();
  options.chains = 1;
  options.seed = 3;
  SampleResult split = sample_nuts(testing::TwoModes(), options, Eigen::VectorXd::Constant(1, 10));
  split.chains.push_back(
      sample_nuts(testing::TwoModes(), options, Eigen::VectorXd::Constant(1, -10)).chains[0]);
  const RunCheck stuck = check_run(split, {"x"}, 10);
  EXPECT_GT(stuck.max_rhat, 1.5);
  ASSERT_FALSE(stuck.failures.empty());
  EXPECT_NE(stuck.failures.front().find("R-hat"), std::string::npos);
  EXPECT_NE(stuck.failures.front().find(" x "), std::string::npos);
}

}  // namespace
}  // namespace recount::mcmc
