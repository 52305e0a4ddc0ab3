// A small invented study whose named lists (made by `recount simulate lists`) are linked with
// linkage draws: the linkage stage's draws.csv, `with_linkage_uncertainty` in estimates.json, the
// interval the evidence claim takes (by default, then as the study chooses), the report showing
// both, and a list set given a captures table already linked, which has no draws.

#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kEvidence =
    "[lists.evidence]\nmeasure = \"killed\"\npopulation = \"invented\"\nas_of = 2023-01-01\n";

std::string study_file(const std::string& named_extra, const std::string& evidence_extra) {
  return "title = \"Invented lists\"\nseed = 5\n"
         "[[lists]]\nname = \"named\"\nconfig = \"lists/link.toml\"\n"
         "methods = [\"loglinear\", \"dga\"]\n" +
         named_extra + kEvidence + evidence_extra +
         "[[lists]]\nname = \"ready\"\ncaptures = \"captures.csv\"\n";
}

// The invented lists: 300 people on three lists, unstratified (too few to count region by
// region).
fs::path invented_study() {
  const fs::path dir = recount::test::scratch_dir("study_linkage_draws");
  const auto made = recount::test::run_recount(
      "simulate lists --people 300 --lists 3 --seed 11 --out lists", dir, dir);
  EXPECT_EQ(made.status, 0) << made.err;
  std::string config = recount::read_file(dir / "lists" / "link.toml");
  for (std::size_t at; (at = config.find("stratum = \"region\"\n")) != std::string::npos;)
    config.erase(at, 19);
  recount::write_file(dir / "lists" / "link.toml", config);
  recount::write_file(dir / "captures.csv",
                      "A,B,C,count\n1,0,0,120\n0,1,0,100\n1,1,0,40\n0,0,1,90\n1,0,1,35\n0,1,1,30\n"
                      "1,1,1,12\n");
  return dir;
}

json read_json(const fs::path& file) {
  return json::parse(recount::read_file(file));
}

recount::Claim evidence_claim(const fs::path& dir) {
  const auto claims = recount::read_claims_csv(dir / "out" / "mse" / "named" / "evidence.csv");
  EXPECT_EQ(claims.size(), 1u);
  return claims.empty() ? recount::Claim{} : claims.front();
}

}  // namespace

TEST(StudyLinkageDrawsCli, CarriesTheLinkageUncertaintyIntoTheEstimateAndTheClaim) {
  const fs::path dir = invented_study();
  recount::write_file(dir / "recount.toml", study_file("linkage_draws = 8\n", ""));
  const auto first = recount::test::run_recount("--quiet --json run " + dir.string(), dir, dir);
  ASSERT_LE(first.status, 4) << first.err;
  ASSERT_NE(first.status, 1) << first.err;

  // draws.csv: draw,list,id,entity, every record once in each of the 8 draws.
  const fs::path linkage = dir / "out" / "linkage" / "named";
  std::istringstream csv(recount::read_file(linkage / "draws.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "draw,list,id,entity");
  std::set<std::string> draws;
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    draws.insert(line.substr(0, line.find(',')));
    ++rows;
  }
  EXPECT_EQ(draws.size(), 8u);
  const json summary = read_json(linkage / "summary.json");
  EXPECT_EQ(rows, 8u * summary["records"].get<std::size_t>());
  EXPECT_EQ(summary["linkage_draws"]["draws"], 8);
  EXPECT_TRUE(summary["linkage_draws"]["rhat_entities"].is_number());

  // Each method keeps its best-linkage estimate and gains the one with linkage uncertainty.
  const json estimates = read_json(dir / "out" / "mse" / "named" / "estimates.json");
  ASSERT_EQ(estimates.size(), 2u);
  for (const json& e : estimates) {
    EXPECT_TRUE(e["estimate"].is_number()) << e.dump();
    ASSERT_TRUE(e.contains("with_linkage_uncertainty")) << e.dump();
    const json& w = e["with_linkage_uncertainty"];
    EXPECT_EQ(w["draws"], 8);
    EXPECT_DOUBLE_EQ(w["level"].get<double>(), 0.95);
    ASSERT_EQ(w["interval"].size(), 2u);
    EXPECT_TRUE(w["interval"][0].is_number()) << w.dump();
    EXPECT_FALSE(w["rule"].get<std::string>().empty());
  }
  // The claim takes the first method's interval with linkage uncertainty, and says so.
  EXPECT_EQ(estimates[0]["entered_synthesis"], "with_linkage_uncertainty");
  EXPECT_FALSE(estimates[1].contains("entered_synthesis"));
  recount::Claim claim = evidence_claim(dir);
  const json& w = estimates[0]["with_linkage_uncertainty"];
  EXPECT_NEAR(*claim.low, w["interval"][0].get<double>(), 1.0);
  EXPECT_NEAR(*claim.high, w["interval"][1].get<double>(), 1.0);
  EXPECT_NE(claim.note.find("loglinear, 0.95 interval with linkage uncertainty, 8 linkage draws"),
            std::string::npos)
      << claim.note;

  // The list set given a ready captures table has no draws, and says so; no error.
  const json ready = read_json(dir / "out" / "mse" / "ready" / "estimates.json");
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_FALSE(ready[0].contains("with_linkage_uncertainty"));
  const json outcome = json::parse(first.out);
  bool said = false;
  for (const json& s : outcome["stages"])
    if (s["stage"] == "mse/ready")
      said = s["detail"].get<std::string>().find("already linked") != std::string::npos;
  EXPECT_TRUE(said) << first.out;

  // The report shows both, side by side, and which entered the synthesis.
  const std::string report = recount::read_file(dir / "out" / "report" / "report.html");
  EXPECT_NE(report.find("with linkage uncertainty (8 draws)"), std::string::npos);
  EXPECT_NE(report.find("<td>best linkage</td>"), std::string::npos);
  EXPECT_NE(report.find("R-hat of the number of people"), std::string::npos);
  EXPECT_NE(report.find("<strong>this interval</strong>"), std::string::npos);
  EXPECT_NE(report.find("No linkage draws: the study gives"), std::string::npos);

  // The study chooses the best linkage's interval: only the MSE stages run again.
  recount::write_file(dir / "recount.toml",
                      study_file("linkage_draws = 8\n", "interval = \"best_linkage\"\n"));
  const auto second = recount::test::run_recount("--quiet --json run " + dir.string(), dir, dir);
  ASSERT_NE(second.status, 1) << second.err;
  const json second_run = json::parse(second.out);  // outlives the loop over its stages
  for (const json& s : second_run["stages"])
    if (s["stage"] == "linkage/named") {
      EXPECT_TRUE(s["reused"].get<bool>()) << s.dump();
    }
  const json chosen = read_json(dir / "out" / "mse" / "named" / "estimates.json");
  EXPECT_EQ(chosen[0]["entered_synthesis"], "best_linkage");
  claim = evidence_claim(dir);
  EXPECT_NEAR(*claim.low, chosen[0]["interval"][0].get<double>(), 1.0);
  EXPECT_NE(claim.note.find("0.95 interval of the best linkage)"), std::string::npos) << claim.note;

  // linkage_draws = 0: no draws, the best linkage's interval, and the note says why.
  recount::write_file(dir / "recount.toml", study_file("linkage_draws = 0\n", ""));
  const auto third = recount::test::run_recount("--quiet run " + dir.string(), dir, dir);
  ASSERT_NE(third.status, 1) << third.err;
  EXPECT_FALSE(fs::exists(linkage / "draws.csv"));
  const json without = read_json(dir / "out" / "mse" / "named" / "estimates.json");
  EXPECT_FALSE(without[0].contains("with_linkage_uncertainty"));
  EXPECT_NE(evidence_claim(dir).note.find("(the list set has no linkage draws)"),
            std::string::npos);
  EXPECT_NE(recount::read_file(dir / "out" / "report" / "report.html")
                .find("No linkage draws (linkage_draws = 0)"),
            std::string::npos);
  fs::remove_all(dir);
}
