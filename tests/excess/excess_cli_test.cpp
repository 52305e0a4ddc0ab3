// Runs the built `recount excess` on the invented tables in tests/excess/data and checks its
// exit codes, output and messages. deaths.csv: regions Northland and Southland, 2005-2018, bands
// 15-19, 20-24, 25-29 (and an overlapping 15-17 in 2018), male excess from 2017 on; cause.csv:
// deaths of one cause by single year of age, 15-29, no region column.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "recount/core/text.hpp"

namespace fs = std::filesystem;

namespace {

using Outcome = recount::test::CliOutcome;

const std::string kDeaths = "tests/excess/data/deaths.csv";
const std::string kCause = "tests/excess/data/cause.csv";
const std::string kNorth =
    " --region Northland --ages 15-29 --baseline-years 2010-2014 --years 2017-2018";

class ExcessCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = recount::test::scratch_dir("excess_cli"); }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome run(const std::string& args) const {
    return recount::test::run_recount(args, dir_, RECOUNT_SOURCE_DIR);
  }
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  // A copy of the invented table with one line replaced (or, with `to` empty, removed); its path.
  [[nodiscard]] std::string altered(const std::string& from, const std::string& to) const {
    std::string text = recount::read_file(fs::path(RECOUNT_SOURCE_DIR) / kDeaths);
    const auto at = text.find(from + "\n");
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos)
      text.replace(at, from.size() + 1, to.empty() ? std::string() : to + "\n");
    return write("deaths.csv", text);
  }

  fs::path dir_;
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(ExcessCli, JsonHasTheDocumentedShapeAndAddsUp) {
  const Outcome r = run("excess " + kDeaths + kNorth + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["method"], "sex-ratio");
  EXPECT_EQ(j["region"], "Northland");
  EXPECT_EQ(j["ages"], "15-29");
  EXPECT_EQ(j["baseline_years"], nlohmann::json::array({2010, 2014}));
  EXPECT_EQ(j["trend"], "linear");
  EXPECT_EQ(j["level"], 0.95);
  EXPECT_EQ(j["trusted"], true);
  EXPECT_EQ(j["warnings"], nlohmann::json::array());
  ASSERT_EQ(j["years"].size(), 2U);
  double total = 0;
  for (const auto& y : j["years"]) {
    ASSERT_EQ(y["bands"].size(), 3U);
    EXPECT_EQ(y["bands"][0]["ages"], "15-19");
    double sum = 0;
    double variance = 0;
    for (const auto& b : y["bands"]) {
      sum += b["excess"].get<double>();
      variance += b["se"].get<double>() * b["se"].get<double>();
    }
    EXPECT_NEAR(y["excess"].get<double>(), sum, 1e-6);
    EXPECT_NEAR(y["se"].get<double>(), std::sqrt(variance), 1e-6);
    EXPECT_LT(y["interval"][0].get<double>(), y["excess"].get<double>());
    EXPECT_GT(y["interval"][1].get<double>(), y["excess"].get<double>());
    total += y["excess"].get<double>();
  }
  EXPECT_EQ(j["years"][0]["year"], 2017);
  EXPECT_NEAR(j["total"]["excess"].get<double>(), total, 1e-6);
  EXPECT_GT(j["total"]["se"].get<double>(), 0);
  EXPECT_EQ(j["total"]["interval"].size(), 2U);
  // The invented table has a male excess from 2017 on, larger in 2018.
  EXPECT_GT(j["years"][0]["interval"][0].get<double>(), 0);
  EXPECT_GT(j["years"][1]["excess"].get<double>(), j["years"][0]["excess"].get<double>());
}

TEST_F(ExcessCli, TableReportsEveryBandYearAndTotal) {
  const Outcome r = run("excess " + kDeaths + kNorth + " --level 0.9");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* part : {"Region: Northland", "Baseline: 2010-2014", "15-19", "25-29",
                           "2017-2018", "total", "90% interval", "3 degrees of freedom"})
    EXPECT_TRUE(has(r.out, part)) << part << "\n" << r.out;
  // The overlapping extra band is left out, with a note on stderr.
  EXPECT_TRUE(has(r.err, "band 15-17 overlaps 15-19 and is left out")) << r.err;
}

TEST_F(ExcessCli, SubtractingACauseWithoutRegionsSaysSo) {
  const auto raw = nlohmann::json::parse(run("excess " + kDeaths + kNorth + " --json").out);
  const Outcome r = run("excess " + kDeaths + kNorth + " --subtract " + kCause + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.err,
                  "cause.csv has no region column: its deaths are subtracted as they are "
                  "from region Northland"))
      << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["subtracted"], kCause);
  // Band 15-19, 2017: single ages 15 to 19 summed; m: 3 + age % 4 + 2 = 8, 5, 6, 7, 8.
  const auto& band = j["years"][0]["bands"][0];
  const auto& raw_band = raw["years"][0]["bands"][0];
  EXPECT_NEAR(raw_band["deaths"].get<double>() - band["deaths"].get<double>(), 34, 1e-9);
  // f: 1 + age % 4 + 2 = 6, 3, 4, 5, 6.
  EXPECT_NEAR(raw_band["reference_deaths"].get<double>() - band["reference_deaths"].get<double>(),
              24, 1e-9);
  EXPECT_NE(j["total"]["excess"], raw["total"]["excess"]);
}

TEST_F(ExcessCli, SubtractingByRegionMatchesTheRegion) {
  std::string text = "region,year,age,sex,deaths\n";
  for (int y = 2005; y <= 2018; ++y)
    for (const char* age : {"15-19", "20-24", "25-29"})
      for (const char* sex : {"m", "f"})
        text += "Southland," + std::to_string(y) + "," + age + "," + sex + ",10\n";
  const std::string cause = write("by_region.csv", text);
  const Outcome wrong = run("excess " + kDeaths + kNorth + " --subtract " + cause);
  EXPECT_EQ(wrong.status, 1);
  EXPECT_TRUE(has(wrong.err, "the table to subtract has no region 'Northland' (it has Southland)"))
      << wrong.err;
  const std::string south =
      " --region Southland --ages 15-29 --baseline-years 2010-2014 --years 2017-2018 --json";
  const Outcome r = run("excess " + kDeaths + south + " --subtract " + cause);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(has(r.err, "no region column")) << r.err;
  const auto raw = nlohmann::json::parse(run("excess " + kDeaths + south).out);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(raw["years"][1]["bands"][2]["reference_deaths"].get<double>() -
                  j["years"][1]["bands"][2]["reference_deaths"].get<double>(),
              10, 1e-9);
}

TEST_F(ExcessCli, SensitivityGridHasEveryCell) {
  const Outcome r =
      run("excess " + kDeaths + kNorth + " --subtract " + kCause + " --sensitivity --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& grid = j["sensitivity"];
  ASSERT_EQ(grid.size(), 12U);
  // Subtraction outermost, then the trend, then baselines of 1, 5 and 10 years ending in 2014.
  EXPECT_EQ(grid[0]["baseline_years"], 1);
  EXPECT_EQ(grid[0]["subtracted"], false);
  EXPECT_TRUE(grid[0]["years"][0]["se"].is_null());
  EXPECT_EQ(grid[5]["trend"], "exponential");
  EXPECT_EQ(grid[5]["baseline_years"], 10);
  // The cell of the command's own options is the main estimate.
  EXPECT_EQ(grid[7]["baseline_years"], 5);
  EXPECT_EQ(grid[7]["trend"], "linear");
  EXPECT_EQ(grid[7]["subtracted"], true);
  EXPECT_NEAR(grid[7]["total"]["excess"].get<double>(), j["total"]["excess"].get<double>(), 1e-9);
  EXPECT_NEAR(grid[7]["total"]["se"].get<double>(), j["total"]["se"].get<double>(), 1e-9);
  ASSERT_EQ(grid[7]["bands"].size(), 3U);

  const Outcome text = run("excess " + kDeaths + kNorth + " --sensitivity");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_TRUE(has(text.out, "Sensitivity: baselines of 1, 5 and 10 years ending in 2014"))
      << text.out;
  EXPECT_TRUE(has(text.out, "10 exp")) << text.out;
  EXPECT_FALSE(has(text.out, "sub 1 lin")) << text.out;  // nothing to subtract

  // A 10-year baseline ending in 2012 starts in 2003, before the table does.
  const Outcome early = run("excess " + kDeaths +
                            " --region Northland --ages 15-29 --baseline-years 2008-2012 "
                            "--years 2017 --sensitivity");
  EXPECT_EQ(early.status, 1);
  EXPECT_TRUE(has(early.err, "no rows for year 2003 in region Northland (it has 2005-2018)"))
      << early.err;
}

TEST_F(ExcessCli, OneYearBaselineHasNoStandardErrorAndIsFlagged) {
  const Outcome r =
      run("excess " + kDeaths +
          " --region Northland --ages 15-29 --baseline-years 2014 --years 2017 --json");
  EXPECT_EQ(r.status, 4) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["trusted"], false);
  EXPECT_TRUE(j["years"][0]["se"].is_null());
  EXPECT_TRUE(j["years"][0]["interval"].is_null());
  EXPECT_TRUE(has(j["warnings"][0].get<std::string>(), "no residual variance"));
  EXPECT_TRUE(has(r.err, "not to be trusted")) << r.err;
}

TEST_F(ExcessCli, GzipTablesAreRead) {
  const fs::path gz = dir_ / "deaths.csv.gz";
  const std::string command = "gzip -n -c '" + (fs::path(RECOUNT_SOURCE_DIR) / kDeaths).string() +
                              "' > '" + gz.string() + "'";
  if (std::system(command.c_str()) != 0) GTEST_SKIP() << "no gzip";
  const Outcome plain = run("excess " + kDeaths + kNorth + " --json");
  const Outcome r = run("excess " + gz.string() + kNorth + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["total"], nlohmann::json::parse(plain.out)["total"]);
  std::string bytes = recount::read_file(gz);
  const Outcome cut = run("excess " + write("cut.csv.gz", bytes.substr(0, bytes.size() / 2)));
  EXPECT_EQ(cut.status, 1);
  EXPECT_TRUE(has(cut.err, "cut.csv.gz")) << cut.err;
  EXPECT_TRUE(has(cut.err, "truncated")) << cut.err;
}

// Bad input: exit 1 and a message naming the file, the line where a row is at fault, and what
// is wrong.
TEST_F(ExcessCli, MissingFileAndBadHeader) {
  const Outcome missing = run("excess " + (dir_ / "absent.csv").string());
  EXPECT_EQ(missing.status, 1);
  EXPECT_TRUE(has(missing.err, "absent.csv: no such file")) << missing.err;
  const Outcome header =
      run("excess " + write("h.csv", "year,age,sex,count\n2015,15-19,m,1\n") + kNorth);
  EXPECT_EQ(header.status, 1);
  EXPECT_TRUE(has(header.err, "h.csv:1: missing column 'deaths'")) << header.err;
  const Outcome empty = run("excess " + write("e.csv", ""));
  EXPECT_EQ(empty.status, 1);
  EXPECT_TRUE(has(empty.err, "e.csv: the file is empty")) << empty.err;
  const Outcome binary = run("excess " + write("b.csv", "year,age,sex,deaths\n\xff\xfe\n"));
  EXPECT_EQ(binary.status, 1);
  EXPECT_TRUE(has(binary.err, "not valid UTF-8")) << binary.err;
}

TEST_F(ExcessCli, BadLinesNameTheLineAndWhatIsWrong) {
  struct Case {
    std::string from, to, message;
  };
  const Case cases[] = {
      {"Northland,2011,15-19,m,1736", "Northland,2011,15-19,m,many",
       "deaths.csv:62: column 'deaths': the count of deaths 'many' is not a number"},
      {"Northland,2011,15-19,m,1736", "Northland,2011,15-19,m,-3",
       "deaths.csv:62: column 'deaths': the count of deaths -3 is negative"},
      {"Northland,2011,15-19,m,1736", "Northland,2011,15-19,x,1728",
       "deaths.csv:62: column 'sex': sex 'x' is neither m nor f"},
      {"Northland,2011,15-19,m,1736", "Northland,20x1,15-19,m,1728",
       "deaths.csv:62: column 'year': year '20x1' is not a whole number"},
      {"Northland,2011,15-19,m,1736", "Northland,2011,15-19 years,m,1728",
       "deaths.csv:62: column 'age': age '15-19 years' is neither a band"},
      {"Northland,2011,15-19,m,1736", "Northland,2011,15-19,m",
       "deaths.csv:62: this row has 4 fields but the header has 5 columns"},
      {"Northland,2011,15-19,m,1736", "Northland,2011,15-19,f,1",
       "deaths.csv:63: duplicate row: region Northland, year 2011, age 15-19, sex f is already on "
       "line 62"},
      {"Northland,2012,20-24,f,1020", "Northland,2012,20-24,f,0",
       "deaths.csv:75: zero deaths of sex f in age 20-24, year 2012: the ratio is undefined"},
      {"Northland,2012,20-24,f,1020", "",
       "no row for region Northland, year 2012, age 20-24, sex f: the year is needed"},
  };
  for (const Case& c : cases) {
    const Outcome r = run("excess " + altered(c.from, c.to) + kNorth);
    EXPECT_EQ(r.status, 1) << c.to;
    EXPECT_TRUE(has(r.err, c.message)) << c.message << "\n" << r.err;
  }
}

TEST_F(ExcessCli, SeveralRegionsNeedOneAndTheErrorListsThem) {
  const Outcome r = run("excess " + kDeaths);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(has(r.err,
                  "the table has 2 regions: choose one with --region (for example "
                  "Northland, Southland)"))
      << r.err;
  const Outcome unknown = run("excess " + kDeaths + " --region Westland");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_TRUE(has(unknown.err, "no region 'Westland' (it has Northland, Southland)"))
      << unknown.err;
}

TEST_F(ExcessCli, AgesMustBeTiledByWholeBands) {
  const std::string base = "excess " + kDeaths +
                           " --region Northland --baseline-years 2010-2014 "
                           "--years 2017-2018 --ages ";
  const Outcome partial = run(base + "15-22");
  EXPECT_EQ(partial.status, 1);
  EXPECT_TRUE(has(partial.err, "deaths.csv: age: band 20-24 is not wholly inside ages 15-22"))
      << partial.err;
  const Outcome absent = run(base + "40-49");
  EXPECT_EQ(absent.status, 1);
  EXPECT_TRUE(has(absent.err, "the table has no band inside ages 40-49")) << absent.err;
  const Outcome gap = run(base + "10-29");
  EXPECT_EQ(gap.status, 1);
  EXPECT_TRUE(has(gap.err, "none that fits starts at age 10")) << gap.err;
  const Outcome one = run(base + "20-24 --json");
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)["years"][0]["bands"].size(), 1U);
  EXPECT_EQ(run(base + "twenty").status, 2);
}

TEST_F(ExcessCli, ExponentialTrendNeedsARatioAboveOne) {
  // Women die less often than men here: the female/male ratio is below 1.
  const Outcome r = run("excess " + kDeaths + kNorth + " --sex f --trend exponential");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(has(r.err, "deaths.csv:52: age 15-19, year 2010: the ratio 0.4515 is not above 1"))
      << r.err;
  const Outcome male = run("excess " + kDeaths + kNorth + " --trend exponential --json");
  ASSERT_EQ(male.status, 0) << male.err;
  EXPECT_EQ(nlohmann::json::parse(male.out)["trend"], "exponential");
}

TEST_F(ExcessCli, YearsOutsideTheDataOrTheOptionsAreRefused) {
  const std::string base = "excess " + kDeaths + " --region Northland --ages 15-29";
  const Outcome late = run(base + " --baseline-years 2010-2014 --years 2019-2020");
  EXPECT_EQ(late.status, 1);
  EXPECT_TRUE(has(late.err,
                  "deaths.csv: year: the table has no rows for year 2019 in region "
                  "Northland (it has 2005-2018)"))
      << late.err;
  const Outcome early = run(base + " --baseline-years 2000-2014 --years 2017");
  EXPECT_EQ(early.status, 1);
  EXPECT_TRUE(has(early.err, "no rows for year 2000")) << early.err;
  const Outcome overlap = run(base + " --baseline-years 2010-2014 --years 2014-2016");
  EXPECT_EQ(overlap.status, 2);
  EXPECT_TRUE(has(overlap.err, "must come after the baseline years (2010-2014)")) << overlap.err;
  for (const char* bad : {" --years 2018-2017", " --years later", " --baseline-years 2010-",
                          " --level 1", " --level 0", " --trend cubic", " --sex x"})
    EXPECT_EQ(run(base + bad).status, 2) << bad;
}

}  // namespace
