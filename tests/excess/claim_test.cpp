// An excess estimate becomes a claim through the shared claim_from_estimate path: at_least the
// lower end of the total's interval by default, a range when the study says the estimate covers the
// whole quantity; no claim from an estimate without an interval.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "recount/core/error.hpp"
#include "recount/evidence/claim.hpp"
#include "recount/evidence/estimate_claim.hpp"
#include "recount/excess/deaths_table.hpp"
#include "recount/excess/sex_ratio.hpp"

using namespace recount::excess;

namespace {

// Two bands, 2010-2016, a ratio on a noisy line, 100 extra male deaths per band in 2016.
DeathsTable table() {
  std::string text = "year,age,sex,deaths\n";
  const double noise[] = {0.02, -0.01, -0.02, 0.015, 0.0, 0.01, -0.005};
  for (int y = 2010; y <= 2016; ++y)
    for (const char* age : {"15-19", "20-24"}) {
      const double male = 1000 * (2.0 + 0.1 * (y - 2010) + noise[y - 2010]) + (y == 2016 ? 100 : 0);
      text += std::to_string(y) + "," + age + ",m," + std::to_string(male) + "\n";
      text += std::to_string(y) + "," + age + ",f,1000\n";
    }
  return DeathsTable::parse(text, "deaths.csv");
}

ExcessEstimate estimate(YearRange baseline) {
  ExcessOptions o;
  o.ages = parse_age_range("15-24");
  o.baseline = baseline;
  o.years = {2016, 2016};
  return estimate_excess(table(), o);
}

recount::EstimateTarget target(recount::ClaimKind kind) {
  recount::EstimateTarget t;
  t.measure = recount::Measure("killed");
  t.population = "soldiers";
  t.as_of = recount::Date::from_ymd(2016, 12, 31);
  t.source = "recount excess mortality";
  t.kind = kind;
  return t;
}

TEST(ExcessClaim, AtLeastTheLowerEndByDefault) {
  const ExcessEstimate e = estimate({2010, 2014});
  const recount::Claim c =
      excess_claim(e, target(recount::ClaimKind::at_least), "excess-x", "out/excess/x.json");
  EXPECT_EQ(c.kind, recount::ClaimKind::at_least);
  ASSERT_TRUE(c.low.has_value());
  EXPECT_DOUBLE_EQ(*c.low, std::max(0.0, e.total.interval->lower));
  EXPECT_FALSE(c.high.has_value());
  EXPECT_EQ(c.measure, recount::Measure("killed"));
  EXPECT_EQ(c.population, "soldiers");
  EXPECT_EQ(c.status, recount::ReviewStatus::accepted);
  EXPECT_EQ(c.hedges, std::vector<recount::Hedge>{recount::Hedge::estimate});
  EXPECT_EQ(c.as_of->iso(), "2016-12-31");
  EXPECT_NE(c.note.find("ages 15-24, 2016"), std::string::npos) << c.note;
  EXPECT_NE(c.note.find("95% interval"), std::string::npos) << c.note;
  EXPECT_EQ(recount::claim_problem(c), "");
}

TEST(ExcessClaim, RangeWhenTheEstimateCoversTheWholeQuantity) {
  const ExcessEstimate e = estimate({2010, 2014});
  const recount::Claim c =
      excess_claim(e, target(recount::ClaimKind::range), "excess-x", "out/excess/x.json");
  EXPECT_EQ(c.kind, recount::ClaimKind::range);
  EXPECT_DOUBLE_EQ(*c.high, e.total.interval->upper);
  EXPECT_LT(*c.low, *c.high);
  EXPECT_EQ(recount::claim_problem(c), "");
  EXPECT_THROW((void)excess_claim(e, target(recount::ClaimKind::point), "x", "x.json"),
               recount::Error);
}

TEST(ExcessClaim, NoClaimWithoutAnInterval) {
  const ExcessEstimate e = estimate({2014, 2014});
  try {
    (void)excess_claim(e, target(recount::ClaimKind::at_least), "excess-x", "out/excess/x.json");
    FAIL() << "a one-year baseline became a claim";
  } catch (const recount::Error& err) {
    EXPECT_NE(std::string(err.what()).find("out/excess/x.json"), std::string::npos);
    EXPECT_NE(std::string(err.what()).find("no interval"), std::string::npos);
  }
}

}  // namespace

// What a study's excess stage records (estimate.json, sensitivity.json) reads back as it was.
TEST(ExcessRecord, ReadsBackWhatItWrites) {
  const ExcessEstimate e = estimate({2010, 2014});
  const nlohmann::json written = to_json(e);
  const ExcessEstimate read = excess_estimate_from_json(written, "estimate.json");
  EXPECT_EQ(to_json(read).dump(), written.dump());
  ASSERT_EQ(read.bands.size(), 2u);
  EXPECT_EQ(read.bands[1].band.label, "20-24");
  ASSERT_TRUE(read.total.interval.has_value());
  EXPECT_DOUBLE_EQ(read.total.interval->lower, e.total.interval->lower);
  const std::vector<SensitivityCell> grid{{5, Trend::linear, false, e},
                                          {1, Trend::exponential, true, e}};
  const nlohmann::json grid_written = to_json(grid);
  EXPECT_EQ(to_json(sensitivity_grid_from_json(grid_written, "sensitivity.json")).dump(),
            grid_written.dump());
}

TEST(ExcessRecord, ABrokenRecordNamesTheField) {
  nlohmann::json j = to_json(estimate({2010, 2014}));
  j["trend"] = "quadratic";
  EXPECT_THROW((void)excess_estimate_from_json(j, "estimate.json"), recount::Error);
  j = to_json(estimate({2010, 2014}));
  j["years"][0]["bands"][1]["se"] = "wide";
  try {
    (void)excess_estimate_from_json(j, "out/excess/x/estimate.json");
    FAIL() << "a string read as a standard error";
  } catch (const recount::Error& e) {
    EXPECT_EQ(e.where().file, "out/excess/x/estimate.json");
    EXPECT_EQ(e.where().key, "years[0].bands[1].se");
  }
}
