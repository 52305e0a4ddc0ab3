#include "recount/mse/heterogeneity.hpp"

#include <gtest/gtest.h>

#include "mse/reference.hpp"

namespace recount::mse {
namespace {

using testing::two_decimals;

TEST(Heterogeneity, ReproducesRcaptureClosedpT) {
  for (const auto& ref : testing::heterogeneity_references()) {
    const CaptureTable table = testing::dataset(ref.dataset);
    const struct {
      Heterogeneity kind;
      double estimate, se;
    } cases[] = {{Heterogeneity::chao, ref.chao, ref.chao_se},
                 {Heterogeneity::poisson2, ref.poisson2, ref.poisson2_se},
                 {Heterogeneity::darroch, ref.darroch, ref.darroch_se},
                 {Heterogeneity::gamma, ref.gamma, ref.gamma_se}};
    for (const auto& c : cases) {
      const MseResult r = estimate_heterogeneity(table, c.kind, 0.95);
      // Without a maximum-likelihood estimate recount reports none; where the iterations stopped
      // (Rcapture's figure) is in the diagnostics.
      const bool refused = r.diagnostics.contains("stopped_at");
      const double estimate =
          refused ? r.diagnostics["stopped_at"]["estimate"].get<double>() : r.estimate.value_or(-1);
      const double se =
          refused ? r.diagnostics["stopped_at"]["se"].get<double>() : r.se.value_or(-1);
      EXPECT_EQ(refused, !r.estimate.has_value());
      EXPECT_NEAR(estimate, c.estimate, two_decimals) << ref.dataset << " " << r.model;
      EXPECT_NEAR(se, c.se, two_decimals) << ref.dataset << " " << r.model;
    }
  }
}

TEST(Heterogeneity, IntervalsContainTheEstimate) {
  const CaptureTable table = testing::dataset("kosovo");
  for (Heterogeneity kind : {Heterogeneity::chao, Heterogeneity::poisson2, Heterogeneity::darroch,
                             Heterogeneity::gamma}) {
    const MseResult r = estimate_heterogeneity(table, kind, 0.95);
    EXPECT_TRUE(r.trusted) << r.model;
    ASSERT_TRUE(r.lower && r.upper) << r.model;
    EXPECT_LT(*r.lower, *r.estimate);
    EXPECT_GT(*r.upper, *r.estimate);
  }
}

TEST(Heterogeneity, SparseTableFitsOnTheBoundaryAreFlagged) {
  const CaptureTable table = testing::dataset("artificial_3");
  const MseResult chao = estimate_heterogeneity(table, Heterogeneity::chao, 0.95);
  EXPECT_TRUE(chao.trusted);
  EXPECT_FALSE(chao.diagnostics["boundary"].get<bool>());
  for (Heterogeneity kind :
       {Heterogeneity::poisson2, Heterogeneity::darroch, Heterogeneity::gamma}) {
    const MseResult r = estimate_heterogeneity(table, kind, 0.95);
    EXPECT_TRUE(r.diagnostics["boundary"].get<bool>()) << r.model;
    EXPECT_FALSE(r.estimate) << r.model;
    EXPECT_FALSE(r.trusted) << r.model;
    EXPECT_FALSE(r.warnings.empty()) << r.model;
  }
}

TEST(Heterogeneity, NamesAndParsing) {
  EXPECT_EQ(parse_heterogeneity("gamma"), Heterogeneity::gamma);
  EXPECT_FALSE(parse_heterogeneity("normal"));
  EXPECT_EQ(heterogeneity_name(Heterogeneity::chao), "Mth Chao (LB)");
}

TEST(Heterogeneity, TwoListsAreRefused) {
  CaptureTable table;
  table.lists = {"A", "B"};
  table.counts = {0, 60, 40, 20};
  const MseResult r = estimate_heterogeneity(table, Heterogeneity::darroch, 0.95);
  EXPECT_FALSE(r.estimate);
  EXPECT_FALSE(r.trusted);
}

}  // namespace
}  // namespace recount::mse
