// dga: the exact Bayesian model average over decomposable graphs reproduces the dga package
// (bma.cr, dga 2.0.2, settings of ../shared/data/mse/README.md) to the integer.

#include "recount/mse/dga.hpp"

#include <gtest/gtest.h>

#include "mse/bayes/datasets.hpp"
#include "recount/core/error.hpp"

namespace recount::mse {
namespace {

TEST(DecomposableGraphs, CountsMatchTheKnownNumbers) {
  // Chordal graphs on labelled vertices (OEIS A058862): 8, 61, 822.
  EXPECT_EQ(detail::decomposable_graphs(3).size(), 8U);
  EXPECT_EQ(detail::decomposable_graphs(4).size(), 61U);
  EXPECT_EQ(detail::decomposable_graphs(5).size(), 822U);
}

TEST(DecomposableGraphs, SeparatorsLinkTheCliquesOfEachComponent) {
  for (const auto& g : detail::decomposable_graphs(4)) {
    ASSERT_FALSE(g.cliques.empty());
    EXPECT_LT(g.separators.size(), g.cliques.size());
    for (auto s : g.separators)
      EXPECT_NE(s, 0U);
  }
}

struct Reference {
  const char* name;
  CaptureTable table;
  double median, lower, upper;
};

TEST(Dga, ReproducesThePackageOnTheFourPublishedTables) {
  // ../shared/data/mse/README.md, "dga (BMA, decomposable graphs)".
  const Reference references[] = {
      {"kosovo", testing::kosovo(), 12595, 9827, 16544},
      {"hiv", testing::hiv(), 11220, 9404, 14095},
      {"lesbian", testing::lesbian(), 5131, 4635, 5749},
      {"artificial_3", testing::artificial_3(), 314, 98, 1457},
  };
  for (const auto& r : references) {
    SCOPED_TRACE(r.name);
    const MseResult result = estimate_dga(r.table, DgaOptions{});
    EXPECT_EQ(result.method, "dga");
    // Artificial_3's list C overlaps no other list, so the posterior of N is heavy-tailed and cut
    // by the range of N_missing (20 x observed): the numbers are dga's, flagged as such.
    const bool cut = r.table.list_count() == 3;
    EXPECT_EQ(result.trusted, !cut);
    EXPECT_EQ(result.warnings.size(), cut ? 1U : 0U);
    EXPECT_EQ(result.estimate, r.median);
    EXPECT_EQ(result.lower, r.lower);
    EXPECT_EQ(result.upper, r.upper);
    EXPECT_EQ(result.diagnostics.at("graphs").get<int>(), r.table.list_count() == 3 ? 8 : 61);
    ASSERT_EQ(result.models.size(), 5U);
    EXPECT_EQ(result.model, result.models[0].model);
    double total = 0;
    for (std::size_t i = 0; i < result.models.size(); ++i) {
      total += result.models[i].weight;
      if (i > 0) {
        EXPECT_GE(result.models[i - 1].weight, result.models[i].weight);
      }
    }
    EXPECT_LE(total, 1 + 1e-12);
    EXPECT_GT(result.models[0].weight, 0);
  }
}

TEST(Dga, GraphsAreWrittenAsRcaptureModels) {
  // Independence has only single-list cliques; the full graph one clique.
  const MseResult result = estimate_dga(testing::artificial_3(), DgaOptions{.top_graphs = 8});
  ASSERT_EQ(result.models.size(), 8U);
  bool independence = false;
  bool saturated = false;
  for (const auto& m : result.models) {
    independence = independence || m.model == "[1,2,3]";
    saturated = saturated || m.model == "[123]";
  }
  EXPECT_TRUE(independence);
  EXPECT_TRUE(saturated);
}

TEST(Dga, FiveListsAverageOverAllDecomposableGraphs) {
  CaptureTable table;
  table.lists = {"A", "B", "C", "D", "E"};
  table.counts.assign(32, 0);
  // A made-up table: every pattern seen a few times, more for single lists.
  for (std::size_t p = 1; p < 32; ++p)
    table.counts[p] = 3.0 + static_cast<double>(40 / (p % 7 + 1));
  const MseResult result = estimate_dga(table, DgaOptions{});
  EXPECT_EQ(result.diagnostics.at("graphs").get<int>(), 822);
  ASSERT_TRUE(result.estimate.has_value());
  EXPECT_GT(*result.estimate, result.observed);
  EXPECT_LE(*result.lower, *result.estimate);
  EXPECT_LE(*result.estimate, *result.upper);
}

TEST(Dga, RejectsTablesAndOptionsItCannotUse) {
  CaptureTable two;
  two.lists = {"A", "B"};
  two.counts = {0, 5, 6, 2};
  EXPECT_THROW(static_cast<void>(estimate_dga(two, DgaOptions{})), Error);
  CaptureTable fractional = testing::artificial_3();
  fractional.counts[1] = 2.5;
  EXPECT_THROW(static_cast<void>(estimate_dga(fractional, DgaOptions{})), Error);
  EXPECT_THROW(static_cast<void>(estimate_dga(testing::hiv(), DgaOptions{.level = 1.5})), Error);
  EXPECT_THROW(static_cast<void>(estimate_dga(testing::hiv(), DgaOptions{.max_factor = 0})), Error);
  EXPECT_THROW(static_cast<void>(estimate_dga(testing::hiv(), DgaOptions{.top_graphs = -1})),
               Error);
}

TEST(Dga, WarnsWhenThePosteriorRunsIntoTheEndOfItsRange) {
  // Two lists that barely overlap put most of the mass on large N: a range of 2 x observed
  // cuts it short.
  const MseResult result = estimate_dga(testing::artificial_3(), DgaOptions{.max_factor = 2});
  EXPECT_FALSE(result.trusted);
  EXPECT_FALSE(result.warnings.empty());
}

}  // namespace
}  // namespace recount::mse
