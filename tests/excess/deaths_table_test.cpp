// The deaths-table reader and the estimator's input checks: every bad input the issue lists
// gets an error naming the file, and the line when a row is at fault.

#include <string>

#include <gtest/gtest.h>

#include "recount/core/error.hpp"
#include "recount/excess/deaths_table.hpp"
#include "recount/excess/sex_ratio.hpp"

using namespace recount::excess;

namespace {

// An invented table: one region, bands 15-19 and 20-24, years 2010-2016; the male/female ratio
// rises by 0.1 a year and 2016 has 100 extra male deaths in each band.
std::string invented(const std::string& extra = "") {
  std::string text = "region,year,age,sex,deaths\n";
  for (int y = 2010; y <= 2016; ++y)
    for (const char* age : {"15-19", "20-24"}) {
      const double female = 1000;
      const double male = female * (2.0 + 0.1 * (y - 2010)) + (y == 2016 ? 100 : 0);
      text += "Land," + std::to_string(y) + "," + age + ",m," + std::to_string(male) + "\n";
      text += "Land," + std::to_string(y) + "," + age + ",f," + std::to_string(female) + "\n";
    }
  return text + extra;
}

ExcessOptions options() {
  ExcessOptions o;
  o.ages = parse_age_range("15-24");
  o.baseline = {2010, 2014};
  o.years = {2016, 2016};
  return o;
}

std::string error_of(const std::string& text, ExcessOptions o = options()) {
  try {
    const DeathsTable t = DeathsTable::parse(text, "deaths.csv");
    (void)estimate_excess(t, o);
  } catch (const recount::Error& e) {
    return e.what();
  }
  return "no error";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(ExcessInput, AnExactTrendGivesTheExactExcess) {
  const auto e = estimate_excess(DeathsTable::parse(invented(), "deaths.csv"), options());
  ASSERT_EQ(e.bands.size(), 2u);
  EXPECT_NEAR(e.years[0].excess, 200, 1e-6);
  EXPECT_NEAR(*e.years[0].se, 0, 1e-6);
  EXPECT_EQ(e.degrees_of_freedom, 3);
}

TEST(ExcessInput, ZeroFemaleDeathsNameTheLine) {
  const std::string text =
      replace(invented(), "Land,2012,15-19,f,1000.000000", "Land,2012,15-19,f,0");
  const std::string err = error_of(text);
  EXPECT_NE(err.find("deaths.csv:"), std::string::npos) << err;
  EXPECT_NE(err.find("zero"), std::string::npos) << err;
  EXPECT_NE(err.find("2012"), std::string::npos) << err;
}

TEST(ExcessInput, MissingFemaleDeathsOrBaselineYearAreNamed) {
  const std::string text = replace(invented(), "Land,2013,20-24,f,1000.000000\n", "");
  const std::string err = error_of(text);
  EXPECT_NE(err.find("deaths.csv"), std::string::npos) << err;
  EXPECT_NE(err.find("year 2013, age 20-24, sex f"), std::string::npos) << err;
  ExcessOptions o = options();
  o.baseline = {2005, 2014};
  EXPECT_NE(error_of(invented(), o).find("year 2005"), std::string::npos);
}

TEST(ExcessInput, ABandThatDoesNotExistOrCrossesTheRange) {
  ExcessOptions o = options();
  o.ages = parse_age_range("30-34");
  EXPECT_NE(error_of(invented(), o).find("no band inside ages 30-34"), std::string::npos);
  o.ages = parse_age_range("15-22");
  EXPECT_NE(error_of(invented(), o).find("band 20-24 is not wholly inside"), std::string::npos);
  o.ages = parse_age_range("10-24");
  EXPECT_NE(error_of(invented(), o).find("starts at age 10"), std::string::npos);
}

TEST(ExcessInput, ACountThatIsNotANumberNamesTheLine) {
  const std::string text =
      replace(invented(), "Land,2011,15-19,m,2100.000000", "Land,2011,15-19,m,many");
  const std::string err = error_of(text);
  EXPECT_NE(err.find("deaths.csv:6"), std::string::npos) << err;
  EXPECT_NE(err.find("not a number"), std::string::npos) << err;
}

TEST(ExcessInput, DuplicateRowsNameBothLines) {
  const std::string err = error_of(invented("Land,2010,15-19,m,5\n"));
  EXPECT_NE(err.find("duplicate row"), std::string::npos) << err;
  EXPECT_NE(err.find("line 2"), std::string::npos) << err;
  EXPECT_NE(err.find("deaths.csv:30"), std::string::npos) << err;
}

TEST(ExcessInput, SeveralRegionsNeedOne) {
  const std::string err = error_of(invented("Elsewhere,2010,15-19,m,5\n"));
  EXPECT_NE(err.find("--region"), std::string::npos) << err;
  EXPECT_NE(err.find("Elsewhere"), std::string::npos) << err;
}

TEST(ExcessInput, ExponentialTrendNeedsARatioAboveOne) {
  const std::string text =
      replace(invented(), "Land,2012,20-24,m,2200.000000", "Land,2012,20-24,m,900");
  ExcessOptions o = options();
  o.trend = Trend::exponential;
  EXPECT_NE(error_of(text, o).find("not above 1"), std::string::npos);
}

TEST(ExcessInput, AnOverlappingExtraBandIsLeftOutWithANote) {
  const auto e = estimate_excess(
      DeathsTable::parse(invented("Land,2016,15-17,m,5\nLand,2016,15-17,f,5\n"), "d.csv"),
      options());
  ASSERT_EQ(e.bands.size(), 2u);
  ASSERT_EQ(e.notes.size(), 1u);
  EXPECT_NE(e.notes[0].find("15-17 overlaps 15-19"), std::string::npos);
}

TEST(ExcessInput, GzipIsReadAndTruncationIsAnError) {
  // "a\n" compressed by gzip -n (no name, zero time).
  const std::string gz(
      "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x4b\xe4\x02\x00\x07\xa1\xea\xdd\x02"
      "\x00\x00\x00",
      22);
  EXPECT_EQ(gunzip(gz, "x.gz"), "a\n");
  EXPECT_THROW((void)gunzip(gz.substr(0, 12), "x.gz"), recount::Error);
}

}  // namespace

namespace {

TEST(ExcessInput, AgesAndYearsOutsideTheirRangeAreRefused) {
  EXPECT_NE(error_of("year,age,sex,deaths\n2015,15-200,m,1\n").find("deaths.csv:2"),
            std::string::npos);
  EXPECT_NE(error_of("year,age,sex,deaths\n2015,15-200,m,1\n").find("ages from 0 to 150"),
            std::string::npos);
  EXPECT_NE(error_of("year,age,sex,deaths\n99999,15-19,m,1\n").find("not a year from 1000"),
            std::string::npos);
  EXPECT_NE(error_of("year,age,sex,deaths\n").find("a header but no rows"), std::string::npos);
  EXPECT_THROW((void)parse_year_range("2015-99999", "--years"), recount::Error);
  EXPECT_FALSE(parse_age_band("2147483647").has_value());
}

TEST(ExcessInput, ManyNestedBandsAreTiledWithoutSearchingEveryPath) {
  // Single ages 0-99 and every two-year band, but no band reaching age 100: there are about
  // Fibonacci(100) ways to walk the bands and none covers 0-100. Remembering the ages from which
  // no tiling exists makes the search linear; without it this test would not finish.
  std::string text = "year,age,sex,deaths\n";
  for (const char* year : {"2015,", "2016,"})
    for (int a = 0; a < 100; ++a) {
      text += year + std::to_string(a) + ",m,1\n";
      if (a < 99) text += year + std::to_string(a) + "-" + std::to_string(a + 1) + ",m,1\n";
    }
  ExcessOptions o = options();
  o.baseline = {2015, 2015};
  o.years = {2016, 2016};
  o.ages = parse_age_range("0-100");
  EXPECT_NE(error_of(text, o).find("none that fits starts at age 100"), std::string::npos);
}

}  // namespace
