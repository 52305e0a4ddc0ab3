#include "recount/mse/strata.hpp"

#include <gtest/gtest.h>

#include "mse/reference.hpp"
#include "recount/mse/loglinear.hpp"

namespace recount::mse {
namespace {

TEST(Strata, TotalSumsEstimatesAndCombinesUncertainty) {
  LogLinearOptions options;
  options.model = "[1,2,3,4]";
  const MseResult a = estimate_loglinear(testing::dataset("kosovo"), options);
  const MseResult b = estimate_loglinear(testing::dataset("lesbian"), options);
  const MseResult total = combine_strata({a, b});
  EXPECT_EQ(total.stratum, "total");
  EXPECT_DOUBLE_EQ(total.observed, 4400 + 2185);
  ASSERT_TRUE(total.estimate && total.se && total.lower && total.upper);
  EXPECT_NEAR(*total.estimate, *a.estimate + *b.estimate, 1e-9);
  EXPECT_NEAR(*total.se, std::hypot(*a.se, *b.se), 1e-9);
  EXPECT_LT(*total.lower, *total.estimate);
  EXPECT_GT(*total.upper, *total.estimate);
  EXPECT_GT(*total.lower, total.observed);
  EXPECT_TRUE(total.trusted);
  const nlohmann::json json = strata_to_json({a, b});
  ASSERT_EQ(json["strata"].size(), 2U);
  EXPECT_EQ(json["stratum"], "total");
}

TEST(Strata, AStratumWithoutEstimateLeavesTheTotalWithout) {
  LogLinearOptions options;
  options.model = "[12,3]";
  const MseResult bad = estimate_loglinear(testing::dataset("artificial_3"), options);
  options.model = "[1,2,3,4]";
  const MseResult good = estimate_loglinear(testing::dataset("hiv"), options);
  const MseResult total = combine_strata({good, bad});
  EXPECT_FALSE(total.estimate);
  EXPECT_FALSE(total.trusted);
  EXPECT_FALSE(total.warnings.empty());
}

}  // namespace
}  // namespace recount::mse
