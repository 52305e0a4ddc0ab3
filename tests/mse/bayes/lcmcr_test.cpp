// The latent-class sampler's contract: reproducible at a seed, bad options rejected, tiny tables
// handled, diagnostics that catch short runs; and the private R-hat / ESS on draws of known
// behaviour.

#include "recount/mse/lcmcr.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mse/bayes/datasets.hpp"
#include "recount/core/error.hpp"

namespace recount::mse {
namespace {

LcmcrOptions quick() {
  LcmcrOptions o;
  o.burnin = 200;
  o.samples = 100;
  o.thin = 5;
  o.chains = 2;
  o.progress = false;
  return o;
}

TEST(Lcmcr, SameSeedSameDrawsOtherSeedOtherDraws) {
  const auto table = testing::hiv();
  LcmcrOptions o = quick();
  o.seed = 11;
  const auto a = estimate_lcmcr(table, o);
  const auto b = estimate_lcmcr(table, o);
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.lower, b.lower);
  EXPECT_EQ(a.upper, b.upper);
  EXPECT_EQ(a.diagnostics, b.diagnostics);
  const auto chain0 = detail::lcmcr_chain(table, o, {}, 0).population;
  const auto chain1 = detail::lcmcr_chain(table, o, {}, 1).population;
  EXPECT_NE(chain0, chain1);
  o.seed = 12;
  EXPECT_NE(detail::lcmcr_chain(table, o, {}, 0).population, chain0);
}

TEST(Lcmcr, ChainsAreTheStreamsOfTheSeed) {
  // estimate_lcmcr's draws are lcmcr_chain's on streams 0 .. chains-1 (the statistical test
  // relies on it): its median is the pooled draws' median.
  const auto table = testing::lesbian();
  const LcmcrOptions o = quick();
  std::vector<double> pooled;
  for (int c = 0; c < o.chains; ++c) {
    const auto draws = detail::lcmcr_chain(table, o, {}, static_cast<std::uint64_t>(c)).population;
    pooled.insert(pooled.end(), draws.begin(), draws.end());
  }
  std::sort(pooled.begin(), pooled.end());
  const double median = (pooled[pooled.size() / 2 - 1] + pooled[pooled.size() / 2]) / 2;
  EXPECT_EQ(estimate_lcmcr(table, o).estimate, median);
}

TEST(Lcmcr, ResultHasTheIntervalAndDiagnostics) {
  const auto r = estimate_lcmcr(testing::artificial_3(), quick());
  EXPECT_EQ(r.method, "lcmcr");
  EXPECT_EQ(r.observed, 96);
  ASSERT_TRUE(r.estimate && r.lower && r.upper && r.se);
  EXPECT_GE(*r.lower, 96);
  EXPECT_LE(*r.lower, *r.estimate);
  EXPECT_LE(*r.estimate, *r.upper);
  for (const char* key :
       {"rhat", "ess_bulk", "ess_tail", "chains", "burnin", "samples", "thin", "classes"})
    EXPECT_TRUE(r.diagnostics.contains(key)) << key;
  EXPECT_EQ(r.diagnostics.at("samples").get<int>(), 100);
}

// Per-chain summaries and N under the prior alone, as docs/mse.md describes them.
TEST(Lcmcr, ChainSummariesAndThePriorIntervalAreInTheDiagnostics) {
  const auto r = estimate_lcmcr(testing::artificial_3(), quick());
  const auto& chains = r.diagnostics.at("chain_summaries");
  ASSERT_EQ(chains.size(), 2U);
  for (const auto& c : chains) {
    const double median = c.at("median").get<double>();
    EXPECT_LE(c.at("interval_90")[0].get<double>(), median);
    EXPECT_LE(median, c.at("interval_90")[1].get<double>());
    const auto weights = c.at("class_weights").get<std::vector<double>>();
    ASSERT_EQ(weights.size(), 10U);
    EXPECT_TRUE(std::is_sorted(weights.rbegin(), weights.rend()));
    double total = 0;
    for (double w : weights)
      total += w;
    EXPECT_NEAR(total, 1, 1e-9);
    EXPECT_GE(c.at("occupied_classes").get<double>(), 1);
    EXPECT_LE(c.at("splits_accepted").get<std::int64_t>(),
              c.at("splits_proposed").get<std::int64_t>());
    EXPECT_LE(c.at("merges_accepted").get<std::int64_t>(),
              c.at("merges_proposed").get<std::int64_t>());
  }
  const auto prior = r.diagnostics.at("prior_interval").get<std::vector<double>>();
  const double prior_median = r.diagnostics.at("prior_median").get<double>();
  EXPECT_GE(prior[0], 96);
  EXPECT_LT(prior[0], prior_median);
  EXPECT_LT(prior_median, prior[1]);
  EXPECT_GT(r.diagnostics.at("width_ratio_to_prior").get<double>(), 0);
}

bool has_warning(const MseResult& r, const std::string& start) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const std::string& w) { return w.rfind(start, 0) == 0; });
}

// Three lists that never overlap say nothing about the people on none of them: the posterior of
// N is then mostly its prior, and a warning says so; kosovo's lists overlap and it does not.
TEST(Lcmcr, WarnsWhenThePosteriorIsMostlyThePrior) {
  const auto disjoint =
      testing::make_table({"A", "B", "C"}, {{"100", 300}, {"010", 250}, {"001", 200}});
  EXPECT_TRUE(has_warning(estimate_lcmcr(disjoint, quick()), "the data say little about N"));
  EXPECT_FALSE(has_warning(estimate_lcmcr(testing::kosovo(), quick()), "the data say little"));
}

// The split-merge move is proposed once every `interval` sweeps, and counted.
TEST(Lcmcr, SplitMergeIsProposedOnItsSchedule) {
  const LcmcrOptions o = quick();  // 200 + 100 x 5 = 700 sweeps
  for (const std::int64_t interval : {1, 10}) {
    const auto chain =
        detail::lcmcr_chain(testing::artificial_3(), o, {}, 0, {.interval = interval});
    EXPECT_EQ(chain.moves.splits_proposed + chain.moves.merges_proposed, 700 / interval);
  }
}

TEST(Lcmcr, TinyTablesWork) {
  // One person on one list, with one class or the default ten.
  CaptureTable one;
  one.lists = {"A", "B", "C"};
  one.counts = {0, 1, 0, 0, 0, 0, 0, 0};
  for (int classes : {1, 10}) {
    LcmcrOptions o = quick();
    o.classes = classes;
    const auto r = estimate_lcmcr(one, o);
    ASSERT_TRUE(r.estimate.has_value());
    EXPECT_GE(*r.lower, 1);
  }
  CaptureTable two;
  two.lists = {"A", "B"};
  two.counts = {0, 7, 5, 3};
  const auto r = estimate_lcmcr(two, quick());
  EXPECT_GE(*r.estimate, 15);
}

TEST(Lcmcr, ShortRunsAreFlaggedUntrusted) {
  LcmcrOptions o = quick();
  o.burnin = 0;
  o.samples = 40;
  o.thin = 1;
  const auto r = estimate_lcmcr(testing::kosovo(), o);
  EXPECT_FALSE(r.trusted);
  EXPECT_FALSE(r.warnings.empty());
  // R-hat above 1.01: the report says where each chain is.
  ASSERT_GT(r.diagnostics.at("rhat").get<double>(), lcmcr_max_rhat);
  EXPECT_TRUE(has_warning(r, "the chains disagree about N: chain 1: median"));
}

TEST(Lcmcr, RejectsBadOptionsAndTables) {
  const auto table = testing::artificial_3();
  auto with = [](auto change) {
    LcmcrOptions o = quick();
    change(o);
    return o;
  };
  const LcmcrOptions bad[] = {
      with([](LcmcrOptions& o) { o.classes = 0; }),   with([](LcmcrOptions& o) { o.a_alpha = 0; }),
      with([](LcmcrOptions& o) { o.b_alpha = -1; }),  with([](LcmcrOptions& o) { o.samples = 2; }),
      with([](LcmcrOptions& o) { o.thin = 0; }),      with([](LcmcrOptions& o) { o.chains = 0; }),
      with([](LcmcrOptions& o) { o.chains = 1000; }), with([](LcmcrOptions& o) { o.level = 1; }),
  };
  for (const auto& o : bad)
    EXPECT_THROW(static_cast<void>(estimate_lcmcr(table, o)), Error);
  CaptureTable empty = table;
  empty.counts.assign(8, 0);
  EXPECT_THROW(static_cast<void>(estimate_lcmcr(empty, quick())), Error);
  CaptureTable fractional = table;
  fractional.counts[3] = 0.5;
  EXPECT_THROW(static_cast<void>(estimate_lcmcr(fractional, quick())), Error);
  CaptureTable one_list;
  one_list.lists = {"A"};
  one_list.counts = {0, 4};
  EXPECT_THROW(static_cast<void>(estimate_lcmcr(one_list, quick())), Error);
}

}  // namespace
}  // namespace recount::mse
