// FitSummary: what fit.json records is what a reused synthesis stage hands on.

#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/synthesis/fit.hpp"

namespace recount::synthesis {
namespace {

FitSummary sample() {
  FitSummary s;
  s.model_name = "flows";
  s.until = Date::from_ymd(2024, 3, 1);
  for (const char* name : {"b.killed", "a.recruited"}) {
    Series q{name, "quantity", {}};
    q.points.push_back({Date::from_ymd(2024, 2, 25), 10, 5, 8, 12, 20});
    s.quantities.push_back(q);
  }
  std::sort(s.quantities.begin(), s.quantities.end(),
            [](const Series& x, const Series& y) { return x.name < y.name; });
  ClaimConflict c;
  c.id = "c1";
  c.repeats = {"c9"};
  c.source = "An outlet";
  c.quantity = "a.recruited";
  c.date = Date::from_ymd(2024, 1, 7);
  c.p_value = std::nan("");  // a failed refit
  c.p_adjusted = 0.02;
  c.method = "refit failed";
  c.refit_problems = "R-hat 1.2";
  s.conflicts.push_back(c);
  SourceConflict sc;
  sc.source = "An outlet";
  sc.type = SourceType::belligerent_official;
  sc.claims = {"c1"};
  sc.bias_median = 0.3;
  s.source_conflicts.push_back(sc);
  s.unused.push_back({"c2", "no quantity"});
  s.flags.push_back({{"c1", "c2"}, "cannot both hold"});
  s.diagnostics.chains = 4;
  s.diagnostics.max_rhat = 1.004;
  s.diagnostics.max_depth_hits = 2;
  s.diagnostics.problems = {"R-hat of x above 1.01"};
  return s;
}

TEST(FitSummary, ReadsBackWhatItWrites) {
  const FitSummary s = sample();
  const nlohmann::json written = to_json(s);
  const FitSummary read = fit_summary_from_json(written, "fit.json");
  EXPECT_EQ(to_json(read).dump(), written.dump());  // NaN is not equal to itself
  ASSERT_EQ(read.quantities.size(), 2u);
  EXPECT_EQ(read.quantities[0].name, "a.recruited");
  ASSERT_NE(read.quantity("b.killed"), nullptr);
  EXPECT_DOUBLE_EQ(read.quantity("b.killed")->points[0].q95, 20);
  EXPECT_EQ(read.quantity("c.none"), nullptr);
  EXPECT_TRUE(std::isnan(read.conflicts[0].p_value));
  EXPECT_DOUBLE_EQ(read.conflicts[0].p_adjusted, 0.02);
  EXPECT_EQ(read.source_conflicts[0].type, SourceType::belligerent_official);
  EXPECT_EQ(read.diagnostics.max_depth_hits, 2);
  EXPECT_FALSE(read.diagnostics.ok());
  EXPECT_EQ(read.until->iso(), "2024-03-01");
}

TEST(FitSummary, ABrokenRecordNamesTheFileAndField) {
  nlohmann::json j = to_json(sample());
  j["conflicts"][0]["p_adjusted"] = "small";
  try {
    (void)fit_summary_from_json(j, "out/synthesis/fit.json");
    FAIL() << "a string read as a p-value";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().file, "out/synthesis/fit.json");
    EXPECT_EQ(e.where().key, "conflicts[0].p_adjusted");
  }
  j = to_json(sample());
  j["source_conflicts"][0]["type"] = "rumour";
  EXPECT_THROW((void)fit_summary_from_json(j, "fit.json"), Error);
}

}  // namespace
}  // namespace recount::synthesis
