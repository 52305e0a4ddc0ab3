// The latent-class sampler's contract: reproducible at a seed, bad options rejected, tiny tables
// handled, diagnostics that catch short runs; and the private R-hat / ESS on draws of known
// behaviour.

#include "recount/mse/lcmcr.hpp"

#include <algorithm>
#include <cmath>
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
