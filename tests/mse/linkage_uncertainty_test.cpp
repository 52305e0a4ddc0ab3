// Unit tests of the estimate with linkage uncertainty (linkage_uncertainty.hpp): the draws.csv
// reader and its errors, Rubin's rules, the pooled posterior, and the estimators on draws.

#include "recount/mse/linkage_uncertainty.hpp"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/math/distributions/students_t.hpp>

#include "recount/core/error.hpp"
#include "recount/mcmc/diagnostics.hpp"

namespace recount::mse {
namespace {

const std::vector<std::string> kDrawLists{"A", "B", "C"};

std::string draws_error_of(const std::string& text) {
  try {
    (void)parse_linkage_draws(text, "draws.csv", kDrawLists);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    return e.what();
  }
  return "";
}

TEST(LinkageDraws, ReadsEachDrawIntoItsCapturesTable) {
  const LinkageDrawTables draws = parse_linkage_draws(
      "draw,list,id,entity\n"
      "1,A,a1,1\n1,B,b1,1\n1,C,c1,2\n1,A,a2,3\n"
      "2,A,a1,1\n2,B,b1,2\n2,C,c1,2\n2,A,a2,2\n",
      "draws.csv", kDrawLists);
  ASSERT_EQ(draws.size(), 2U);
  ASSERT_EQ(draws[0].size(), 1U);
  const CaptureTable& first = draws[0][0];
  EXPECT_EQ(first.lists, kDrawLists);
  EXPECT_EQ(first.counts[0b011], 1);  // a1 with b1
  EXPECT_EQ(first.counts[0b100], 1);  // c1 alone
  EXPECT_EQ(first.counts[0b001], 1);  // a2 alone
  EXPECT_EQ(first.observed(), 3);
  const CaptureTable& second = draws[1][0];
  EXPECT_EQ(second.counts[0b001], 1);  // a1 alone
  EXPECT_EQ(second.counts[0b111], 1);  // b1, c1 and a2
  EXPECT_EQ(second.observed(), 2);
}

TEST(LinkageDraws, StrataFollowTheEntitysRecords) {
  const LinkageDrawTables draws = parse_linkage_draws(
      "draw,list,id,entity,stratum\n"
      "1,A,a1,1,north\n1,B,b1,1,north\n1,C,c1,2,south\n",
      "draws.csv", kDrawLists);
  ASSERT_EQ(draws.size(), 1U);
  ASSERT_EQ(draws[0].size(), 2U);
  EXPECT_EQ(draws[0][0].stratum, "north");
  EXPECT_EQ(draws[0][0].counts[0b011], 1);
  EXPECT_EQ(draws[0][1].stratum, "south");
  EXPECT_EQ(draws[0][1].counts[0b100], 1);
}

TEST(LinkageDraws, BadFilesNameTheFileAndLine) {
  EXPECT_NE(draws_error_of("draw,list,id\n1,A,a1\n").find("entity"), std::string::npos);
  EXPECT_NE(draws_error_of("draw,list,id,entity\n").find("no linkage draws"), std::string::npos);
  const std::string zero = draws_error_of("draw,list,id,entity\n1,A,a1,1\n0,A,a1,1\n");
  EXPECT_NE(zero.find("draws.csv:3"), std::string::npos) << zero;
  EXPECT_NE(zero.find("whole number"), std::string::npos) << zero;
  const std::string list = draws_error_of("draw,list,id,entity\n1,D,d1,1\n");
  EXPECT_NE(list.find("draws.csv:2"), std::string::npos) << list;
  EXPECT_NE(list.find("`D`"), std::string::npos) << list;
  const std::string twice = draws_error_of("draw,list,id,entity\n1,A,a1,1\n1,A,a1,2\n");
  EXPECT_NE(twice.find("draws.csv:3"), std::string::npos) << twice;
  EXPECT_NE(twice.find("twice"), std::string::npos) << twice;
  const std::string differ =
      draws_error_of("draw,list,id,entity\n1,A,a1,1\n1,B,b1,2\n2,A,a1,1\n2,B,b2,1\n");
  EXPECT_NE(differ.find("draws.csv:4"), std::string::npos) << differ;
  EXPECT_NE(differ.find("every record once"), std::string::npos) << differ;
  EXPECT_NE(draws_error_of("draw,list,id,entity\n1,A,,1\n").find("empty"), std::string::npos);
  EXPECT_NE(draws_error_of("draw,list,id,entity\n1,A,a1,x\n").find("draws.csv:2"),
            std::string::npos);
}

// Rubin (1987) eqs. 3.1.2-3.1.8 worked by hand: estimates 100, 110, 120 with standard error 10
// each, 50 observed on every draw: W = 100, B = 100, T = 100 + (4/3) 100, r = 4/3,
// df = 2 (1 + 3/4)^2 = 6.125. Beside it (diagnostics.log_scale), the rules on
// g = log(N - 50 + 1): g_k = log 51, log 61, log 71, u_k = 100 / 51^2, ..., back-transformed.
TEST(LinkageUncertainty, RubinsRulesByHand) {
  std::vector<MseResult> per_draw(3);
  for (int i = 0; i < 3; ++i) {
    per_draw[i].method = "loglinear";
    per_draw[i].observed = 50;
    per_draw[i].estimate = 100.0 + 10.0 * i;
    per_draw[i].se = 10.0;
  }
  const LinkageUncertainty r = combine_by_rubin(per_draw, 0.95);
  ASSERT_TRUE(r.estimate && r.lower && r.upper);
  EXPECT_DOUBLE_EQ(*r.estimate, 110.0);
  const double total = 100.0 + 4.0 / 3.0 * 100.0;
  EXPECT_NEAR(r.diagnostics["total_variance"].get<double>(), total, 1e-9);
  EXPECT_NEAR(r.diagnostics["degrees_of_freedom"].get<double>(), 6.125, 1e-9);
  const double t = boost::math::quantile(boost::math::students_t(6.125), 0.975);
  EXPECT_NEAR(*r.upper, 110.0 + t * std::sqrt(total), 1e-9);
  EXPECT_NEAR(*r.lower, 110.0 - t * std::sqrt(total), 1e-9);

  const nlohmann::json& log_scale = r.diagnostics["log_scale"];
  const double g[3] = {std::log(51.0), std::log(61.0), std::log(71.0)};
  const double g_mean = (g[0] + g[1] + g[2]) / 3;
  const double w = (100.0 / (51.0 * 51.0) + 100.0 / (61.0 * 61.0) + 100.0 / (71.0 * 71.0)) / 3;
  double b = 0;
  for (double x : g)
    b += (x - g_mean) * (x - g_mean) / 2;
  const double g_total = w + 4.0 / 3.0 * b;
  const double ratio = 4.0 / 3.0 * b / w;
  const double df = 2 * (1 + 1 / ratio) * (1 + 1 / ratio);
  const double tg = boost::math::quantile(boost::math::students_t(df), 0.975);
  EXPECT_NEAR(log_scale["total_variance"].get<double>(), g_total, 1e-12);
  EXPECT_NEAR(log_scale["degrees_of_freedom"].get<double>(), df, 1e-9);
  const double estimate = log_scale["estimate"].get<double>();
  const double lower = log_scale["interval"][0].get<double>();
  const double upper = log_scale["interval"][1].get<double>();
  EXPECT_NEAR(estimate, 49 + std::exp(g_mean), 1e-9);
  EXPECT_NEAR(lower, 49 + std::exp(g_mean - tg * std::sqrt(g_total)), 1e-9);
  EXPECT_NEAR(upper, 49 + std::exp(g_mean + tg * std::sqrt(g_total)), 1e-9);
  // Asymmetric, longer above; never below the people observed.
  EXPECT_GT(upper - estimate, estimate - lower);
  EXPECT_GE(lower, 50);
  EXPECT_EQ(r.draws, 3U);
  EXPECT_TRUE(r.trusted);
  // A draw without an estimate is left out and the result flagged.
  per_draw.push_back(MseResult{});
  EXPECT_FALSE(combine_by_rubin(per_draw, 0.95).trusted);
}

// The within-draw R-hat pooled over draws ignores how far apart the draws' targets are (the
// linkage's spread), which an R-hat over all chains pooled counts as non-convergence, and still
// sees chains of one draw that disagree. Independent normal draws, 20 groups of 2 chains of 500.
TEST(LinkageUncertainty, WithinDrawRhatIgnoresTheSpreadBetweenDraws) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0, 1);
  std::vector<mcmc::ChainValues> groups(20, mcmc::ChainValues(2, std::vector<double>(500)));
  mcmc::ChainValues all;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (auto& chain : groups[g]) {
      for (double& x : chain)
        x = 3.0 * static_cast<double>(g) + normal(rng);
      all.push_back(chain);
    }
  EXPECT_GT(mcmc::split_rhat(all), 1.5);
  // Under convergence R-hat - 1 is about 1 / (2 x 250) per half-chain comparison, pooled over
  // 80 halves: 1.01 is many standard deviations away.
  EXPECT_LT(mcmc::within_group_rhat(groups), 1.01);
  for (std::size_t g = 0; g < 4; ++g)
    for (double& x : groups[g][1])
      x += 3;  // four draws' chains apart by three standard deviations
  EXPECT_GT(mcmc::within_group_rhat(groups), 1.05);
}

TEST(LinkageUncertainty, PooledPosteriorTakesEveryDrawsQuantiles) {
  std::vector<std::vector<double>> per_draw(2);
  for (int i = 1; i <= 100; ++i) {
    per_draw[0].push_back(i);
    per_draw[1].push_back(100 + i);
  }
  const LinkageUncertainty r = pool_posteriors("lcmcr", per_draw, 0.9);
  ASSERT_TRUE(r.estimate && r.lower && r.upper);
  EXPECT_NEAR(*r.estimate, 100.5, 1.0);
  EXPECT_NEAR(*r.lower, 10.0, 1.0);   // the 5% point of 1..200
  EXPECT_NEAR(*r.upper, 190.0, 1.0);  // the 95% point
  EXPECT_EQ(r.diagnostics["posterior_draws"].get<std::size_t>(), 200U);
  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j["draws"], 2);
  EXPECT_EQ(j["interval"].size(), 2U);
  EXPECT_DOUBLE_EQ(j["level"].get<double>(), 0.9);
}

// Draws that all agree give back the best-linkage estimate: log-linear with no between-linkage
// variance (a normal interval from the one standard error: N +- 1.96 se; on the log scale of the
// unseen, n - 1 + (N - n + 1) exp(+-1.96 se / (N - n + 1))), dga's pooled median its own median.
TEST(LinkageUncertainty, IdenticalDrawsGiveTheSingleEstimate) {
  CaptureTable t;
  t.lists = kDrawLists;
  t.counts = {0, 60, 50, 20, 40, 15, 12, 8};
  const LinkageDrawTables draws(5, std::vector<CaptureTable>{t});
  LinkageUncertaintyOptions options;
  options.loglinear.model = "[1,2,3]";
  const LinkageUncertainty ll = estimate_with_linkage_uncertainty(draws, "loglinear", options);
  const MseResult single = estimate_loglinear(t, options.loglinear);
  ASSERT_TRUE(ll.estimate && single.estimate && single.se);
  EXPECT_NEAR(*ll.estimate, *single.estimate, 1e-9);
  EXPECT_NEAR(ll.diagnostics["between_variance"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(*ll.upper - *ll.estimate, 1.959964 * *single.se, 1e-4 * *single.se);
  const nlohmann::json& log_scale = ll.diagnostics["log_scale"];
  const double unseen = *single.estimate - single.observed + 1;
  EXPECT_NEAR(log_scale["interval"][1].get<double>(),
              single.observed - 1 + unseen * std::exp(1.959964 * *single.se / unseen),
              1e-4 * *single.se);
  EXPECT_NEAR(log_scale["interval"][0].get<double>(),
              single.observed - 1 + unseen * std::exp(-1.959964 * *single.se / unseen),
              1e-4 * *single.se);

  const LinkageUncertainty dga = estimate_with_linkage_uncertainty(draws, "dga", options);
  const MseResult dga_single = estimate_dga(t, options.dga);
  ASSERT_TRUE(dga.estimate && dga_single.estimate);
  EXPECT_NEAR(*dga.estimate, *dga_single.estimate, 1.0);
  EXPECT_THROW((void)estimate_with_linkage_uncertainty(draws, "bogus", options), Error);
  EXPECT_THROW((void)estimate_with_linkage_uncertainty({}, "dga", options), Error);
}

// LCMCR on each draw: 2 chains a draw with the burn-in and thinning given (else the per-draw
// defaults), convergence judged within the draws (per draw and pooled over them), the strata's
// draws summed into the total.
TEST(LinkageUncertainty, LcmcrRunsShortChainsOnEveryDraw) {
  CaptureTable north;
  north.lists = kDrawLists;
  north.counts = {0, 30, 25, 10, 20, 8, 6, 4};
  north.stratum = "north";
  CaptureTable south = north;
  south.stratum = "south";
  const LinkageDrawTables draws(2, std::vector<CaptureTable>{north, south});
  LinkageUncertaintyOptions options;
  options.lcmcr.progress = false;
  options.lcmcr.burnin = 2000;
  options.lcmcr.samples = 400;
  options.lcmcr.thin = 5;
  const LinkageUncertainty r = estimate_with_linkage_uncertainty(draws, "lcmcr", options);
  EXPECT_EQ(r.diagnostics["chains_per_draw"], 2);
  EXPECT_EQ(r.diagnostics["burnin"], 2000);
  EXPECT_EQ(r.diagnostics["thin"], 5);
  EXPECT_EQ(r.diagnostics["samples_per_chain"], 200);  // 400 over 2 draws
  EXPECT_EQ(r.diagnostics["posterior_draws"], 2 * 2 * 200);
  EXPECT_TRUE(r.diagnostics.contains("rhat_max_per_stratum"));
  const double worst = r.diagnostics["rhat_max_per_draw"].get<double>();
  EXPECT_GE(worst, r.diagnostics["rhat_median_per_draw"].get<double>());
  EXPECT_GE(r.diagnostics["rhat_median_per_draw"].get<double>(), 0.99);
  EXPECT_GE(r.diagnostics["rhat_within_draws"].get<double>(), 0.99);
  EXPECT_GT(r.diagnostics["ess_bulk_sum_over_draws"].get<double>(), 0);
  // The check is the pooled within-draw R-hat and the summed ESS, not the worst draw's R-hat.
  EXPECT_EQ(r.trusted,
            r.diagnostics["rhat_within_draws"].get<double>() <= lcmcr_max_rhat_within_draws &&
                r.diagnostics["ess_bulk_sum_over_draws"].get<double>() >= lcmcr_min_ess);
  // Each pooled draw is a total over both strata: at least everyone observed in them.
  ASSERT_TRUE(r.estimate && r.lower);
  EXPECT_GE(*r.lower, north.observed() + south.observed());
  options.lcmcr_chains_per_draw = 0;
  EXPECT_THROW((void)estimate_with_linkage_uncertainty(draws, "lcmcr", options), Error);
}

}  // namespace
}  // namespace recount::mse
