// A small invented study with an [[excess]] estimate, end to end: the excess stage writes what
// `recount excess --json` prints (and its sensitivity grid), its claim reaches the synthesis, and
// the report shows the ratios, the figures, the grid and the claim. The deaths are made here: two
// age bands whose male/female ratio follows a known line, with 200 extra male deaths per band in
// each of the two years estimated.

#include <sys/wait.h>

#include <cmath>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kExtraDeaths = 200;  // per band and year estimated

// Deaths by year, age band and sex, 2005-2017; the excess in 2016 and 2017.
std::string invented_deaths() {
  std::string text = "year,age,sex,deaths\n";
  const double wobble[] = {0.03, -0.02, 0.01, -0.03, 0.02,  0.0,   -0.01,
                           0.02, -0.02, 0.01, 0.0,   0.015, -0.015};
  for (int y = 2005; y <= 2017; ++y)
    for (const auto& [age, start] : {std::pair{"15-19", 1.8}, std::pair{"20-24", 2.4}}) {
      const double female = 1000 + 10 * (y - 2005);
      const double ratio = start + 0.02 * (y - 2005) + wobble[y - 2005];
      const double male = std::round(ratio * female) + (y >= 2016 ? kExtraDeaths : 0);
      text += fmt::format("{},{},m,{}\n{},{},f,{}\n", y, age, male, y, age, female);
    }
  return text;
}

// One cause's deaths by single year of age, the same every year.
std::string invented_cause() {
  std::string text = "year,age,sex,deaths\n";
  for (int y = 2005; y <= 2017; ++y)
    for (int age = 15; age <= 24; ++age)
      text += fmt::format("{},{},m,3\n{},{},f,1\n", y, age, y, age);
  return text;
}

// The study, in a folder of its own inside the test's scratch folder (where the CLI's output is
// captured).
fs::path make_excess_study() {
  const fs::path dir = recount::test::scratch_dir("recount-excess-study") / "study";
  fs::create_directories(dir / "data");
  recount::write_file(dir / "data" / "deaths.csv", invented_deaths());
  recount::write_file(dir / "data" / "cause.csv", invented_cause());
  recount::write_file(dir / "claims.csv",
                      "id,as_of,published,measure,population,kind,low,high,rate,source,source_org,"
                      "source_type,via,hedges,note,url\n"
                      "h1,2017-06-30,2017-07-01,in_service,crew,approximate,3000,3000,,,Invented "
                      "harbour office,ngo,,,invented for the test,\n");
  recount::write_file(dir / "sources.toml",
                      "[[source]]\nname = \"Invented harbour office\"\ntype = \"ngo\"\n");
  recount::write_file(dir / "model.toml", R"toml(# Invented: a crew joins a ship, some die aboard.
name = "invented-harbour"
[grid]
start = 2016-01-04
end = 2017-12-31
[parameters.arrivals]
prior = "lognormal(4, 0.5)"
[parameters.death_hazard]
prior = "beta(2, 200)"
[stocks.aboard]
initial = 0
[flows.joined]
to = "aboard"
rate = "arrivals"
[flows.died]
from = "aboard"
hazard = "death_hazard"
[quantities]
"crew.in_service" = "aboard"
"crew.killed" = "died"
[evidence]
sources = "sources.toml"
)toml");
  recount::write_file(dir / "recount.toml", R"toml(title = "Harbour (invented)"
seed = 5
claims = ["claims.csv"]
[model]
file = "model.toml"
until = 2017-12-31
chains = 1
warmup = 100
draws = 100
[vocabulary.populations.crew]
label = "crew (invented)"
[vocabulary.measures.in_service]
label = "aboard"
kind = "level"
[vocabulary.measures.killed]
label = "died"
[[excess]]
name = "harbour"
file = "data/deaths.csv"
subtract = "data/cause.csv"
ages = "15-24"
baseline_years = "2010-2014"
years = "2016-2017"
sensitivity = true
measure = "killed"
population = "crew"
as_of = 2017-12-31
)toml");
  return dir;
}

}  // namespace

TEST(ExcessStudyCli, EstimateBecomesAClaimInTheSynthesisAndTheReport) {
  const fs::path dir = make_excess_study();
  const recount::test::CliOutcome run =
      recount::test::run_recount("--quiet --json run " + dir.string(), dir.parent_path());
  // 0, or 4 when 100 draws leave a sampler diagnostic short: the excess stage is ok either way.
  ASSERT_TRUE(run.status == 0 || run.status == 4) << run.out << run.err;
  const json summary = json::parse(run.out);
  json excess_stage;
  for (const auto& s : summary["stages"])
    if (s["stage"] == "excess/harbour") excess_stage = s;
  ASSERT_TRUE(excess_stage.is_object()) << run.out;
  EXPECT_EQ(excess_stage["state"], "ok") << excess_stage;

  const fs::path out = dir / "out" / "excess" / "harbour";
  // The stage writes what `recount excess --json` prints, for the same table and options.
  const json estimate = json::parse(recount::read_file(out / "estimate.json"));
  const recount::test::CliOutcome direct = recount::test::run_recount(
      "--json excess data/deaths.csv --subtract data/cause.csv --ages 15-24 "
      "--baseline-years 2010-2014 --years 2016-2017",
      dir.parent_path(), dir);
  ASSERT_EQ(direct.status, 0) << direct.err;
  const json command = json::parse(direct.out);
  EXPECT_EQ(estimate["total"], command["total"]);
  EXPECT_EQ(estimate["years"], command["years"]);
  EXPECT_EQ(estimate["method"], "sex-ratio");
  EXPECT_TRUE(estimate["trusted"].get<bool>());
  // The 800 extra deaths, within four standard errors (the line's noise is a few hundredths of
  // the ratio, times about 1,100 reference deaths a band).
  const double total = estimate["total"]["excess"].get<double>();
  const double se = estimate["total"]["se"].get<double>();
  EXPECT_NEAR(total, 4 * kExtraDeaths, 4 * se);
  // Baselines of 1, 5 and 10 years, two trends, without and with the subtracted cause.
  const json grid = json::parse(recount::read_file(out / "sensitivity.json"));
  ASSERT_TRUE(grid.is_array());
  EXPECT_EQ(grid.size(), 12u);

  // The claim: at least the lower end of the total's interval, of the crew's dead.
  const auto claims = recount::read_claims_csv(out / "evidence.csv");
  ASSERT_EQ(claims.size(), 1u);
  const recount::Claim& claim = claims.front();
  EXPECT_EQ(claim.id, "excess-harbour");
  EXPECT_EQ(claim.kind, recount::ClaimKind::at_least);
  EXPECT_EQ(claim.population, "crew");
  EXPECT_EQ(claim.measure, recount::Measure("killed"));
  ASSERT_TRUE(claim.low.has_value());
  EXPECT_DOUBLE_EQ(*claim.low, std::max(0.0, estimate["total"]["interval"][0].get<double>()));
  EXPECT_EQ(claim.as_of, recount::Date::from_ymd(2017, 12, 31));

  // The synthesis weighed it: it is among the claims tested for conflict.
  const json fit = json::parse(recount::read_file(dir / "out" / "synthesis" / "fit.json"));
  bool weighed = false;
  for (const auto& c : fit["conflicts"])
    weighed = weighed || c["id"] == "excess-harbour";
  for (const auto& u : fit["unused"])
    EXPECT_NE(u["id"], "excess-harbour") << u;
  EXPECT_TRUE(weighed) << fit["conflicts"].dump();

  // The report: the section, its chart of the ratios, the grid and the claim.
  const std::string html = recount::read_file(dir / "out" / "report" / "report.html");
  const std::string page = html.substr(0, html.find("<script type=\"application/json\""));
  EXPECT_NE(page.find("<section id=\"excess\">"), std::string::npos);
  EXPECT_NE(page.find("href=\"#excess\""), std::string::npos);
  EXPECT_NE(page.find("id=\"excess-harbour-ratios\""), std::string::npos);
  EXPECT_NE(page.find("<h4>Sensitivity</h4>"), std::string::npos);
  EXPECT_NE(page.find("<code>excess-harbour</code>"), std::string::npos);
  EXPECT_NE(page.find("Died (crew (invented))"), std::string::npos);
  EXPECT_NE(page.find("≥ " + recount::format_number(*claim.low)), std::string::npos);

  // Unchanged, the estimate is not computed again.
  const recount::test::CliOutcome again =
      recount::test::run_recount("--quiet --json run " + dir.string(), dir.parent_path());
  const json again_run = json::parse(again.out);  // outlives the loop over its stages
  for (const auto& s : again_run["stages"])
    if (s["stage"] == "excess/harbour") {
      EXPECT_TRUE(s["reused"].get<bool>()) << s;
    }
  fs::remove_all(dir.parent_path());
}

TEST(ExcessStudyCli, BadDeathsTableFailsTheStageNamingTheLine) {
  const fs::path dir = make_excess_study();
  recount::write_file(dir / "data" / "deaths.csv",
                      "year,age,sex,deaths\n2010,15-19,m,12\n2010,15-19,f,many\n");
  const recount::test::CliOutcome run =
      recount::test::run_recount("run " + dir.string(), dir.parent_path());
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NE(run.err.find("stage excess/harbour"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("deaths.csv:3"), std::string::npos) << run.err;
  fs::remove_all(dir.parent_path());
}

TEST(ExcessStudyCli, AnEstimateNotToBeTrustedEntersNothing) {
  const fs::path dir = make_excess_study();
  // A one-year baseline leaves no residual variance: no SE, no interval, no claim.
  std::string study = recount::read_file(dir / "recount.toml");
  study.replace(study.find("\"2010-2014\""), 11, "\"2014\"");
  recount::write_file(dir / "recount.toml", study);
  const recount::test::CliOutcome run =
      recount::test::run_recount("--quiet --json run " + dir.string(), dir.parent_path());
  EXPECT_EQ(run.status, 4) << run.out << run.err;
  const json summary = json::parse(run.out);
  for (const auto& s : summary["stages"]) {
    if (s["stage"] == "excess/harbour") {
      EXPECT_EQ(s["state"], "not to be trusted") << s;
      EXPECT_NE(s["detail"].get<std::string>().find("does not enter the synthesis"),
                std::string::npos)
          << s;
    }
    if (s["stage"] == "synthesis") {
      EXPECT_NE(s["state"], "did not run") << s;
      EXPECT_NE(s["state"], "failed") << s;
    }
  }
  const fs::path out = dir / "out" / "excess" / "harbour";
  EXPECT_TRUE(json::parse(recount::read_file(out / "estimate.json"))["total"]["se"].is_null());
  EXPECT_FALSE(fs::exists(out / "evidence.csv"));
  const json fit = json::parse(recount::read_file(dir / "out" / "synthesis" / "fit.json"));
  for (const auto& c : fit["conflicts"])
    EXPECT_NE(c["id"], "excess-harbour");
  const std::string html = recount::read_file(dir / "out" / "report" / "report.html");
  EXPECT_NE(html.find("it became no claim"), std::string::npos);
  fs::remove_all(dir.parent_path());
}
