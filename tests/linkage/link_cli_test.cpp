// Runs the built `recount link`, `link explain` and `link eval` on a small fixture of invented
// men (tests/linkage/data/link) and checks outputs, the names policy and the errors.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace fs = std::filesystem;

namespace {

using Outcome = recount::test::CliOutcome;
using recount::read_file;
using recount::test::line_count;

// A fresh copy of the fixture in a folder of its own.
fs::path fixture() {
  const fs::path dir =
      fs::temp_directory_path() / ("link_cli_" + std::to_string(::getpid()) + "_" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& entry :
       fs::directory_iterator(fs::path(RECOUNT_SOURCE_DIR) / "tests/linkage/data/link"))
    fs::copy_file(entry.path(), dir / entry.path().filename());
  return dir;
}

Outcome run(const fs::path& dir, const std::string& args) {
  return recount::test::run_recount(args, dir, dir);
}

}  // namespace

TEST(LinkCli, LinksExplainsAndEvaluates) {
  const fs::path dir = fixture();
  const Outcome r = run(dir, "link --config link.toml --out out --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["records"], 22);
  EXPECT_FALSE(summary["threshold_sweep"].empty());
  EXPECT_EQ(summary["lists"][2]["unreadable"]["birth_date"]["count"], 1);
  EXPECT_EQ(summary["lists"][2]["unreadable"]["birth_date"]["first_line"], 4);
  EXPECT_FALSE(summary["chosen_automatically"].empty());

  // Every record once; the four Fedorovs (two in the court list) are one entity.
  const std::string entities = read_file(dir / "out/entities.csv");
  EXPECT_EQ(line_count(entities), 23u);
  std::map<std::string, std::string> entity;
  std::istringstream in(entities);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "list,id,entity");
  while (std::getline(in, line)) {
    const auto c1 = line.find(','), c2 = line.rfind(',');
    entity[line.substr(0, c2)] = line.substr(c2 + 1);
    (void)c1;
  }
  EXPECT_EQ(entity.size(), 22u);
  EXPECT_EQ(entity["obituaries,a1"], entity["payments,b1"]);
  EXPECT_EQ(entity["obituaries,a1"], entity["court,c1"]);
  EXPECT_EQ(entity["court,c1"], entity["court,c5"]);  // an in-list duplicate
  EXPECT_NE(entity["obituaries,a1"], entity["obituaries,a2"]);

  const std::string captures = read_file(dir / "out/captures.csv");
  EXPECT_EQ(captures.substr(0, captures.find('\n')), "entity,obituaries,payments,court,stratum");

  // No names anywhere but in explain.
  for (const std::string& text : {r.out, r.err, read_file(dir / "out/model.json"),
                                  read_file(dir / "out/summary.json"), captures, entities}) {
    EXPECT_EQ(text.find("Фёдоров"), std::string::npos);
    EXPECT_EQ(text.find("FEDOROV"), std::string::npos);
    EXPECT_EQ(text.find("fedorov"), std::string::npos);
  }
  const auto model = nlohmann::json::parse(read_file(dir / "out/model.json"));
  EXPECT_EQ(model["inputs"].size(), 3u);
  EXPECT_GT(model["prior"].get<double>(), 0);

  // The captures table is what `recount mse` reads.
  const Outcome mse = run(dir, "mse out/captures.csv --json");
  EXPECT_TRUE(mse.status == 0 || mse.status == 4) << mse.err;

  const Outcome ex =
      run(dir, "link explain --config link.toml --out out obituaries:a1 payments:b1");
  ASSERT_EQ(ex.status, 0) << ex.err;
  EXPECT_NE(ex.out.find("Фёдоров"), std::string::npos);
  EXPECT_NE(ex.out.find("Joined"), std::string::npos);
  const Outcome exj =
      run(dir, "link explain --config link.toml --out out obituaries:a1 obituaries:a2 --json");
  ASSERT_EQ(exj.status, 0) << exj.err;
  const auto e = nlohmann::json::parse(exj.out);
  EXPECT_FALSE(e["same_entity"].get<bool>());
  EXPECT_LT(e["probability"].get<double>(), 0.5);

  const Outcome ev = run(dir, "link eval --out out --truth truth.csv --json");
  ASSERT_EQ(ev.status, 0) << ev.err;
  const auto score = nlohmann::json::parse(ev.out);
  EXPECT_GT(score["pairwise"]["precision"].get<double>(), 0.9);
  EXPECT_GT(score["bcubed"]["f1"].get<double>(), 0.8);

  // Explain refuses inputs that changed since the run.
  std::ofstream(dir / "payments.csv", std::ios::app) << "b9,Orlov,Ivan,1970-01-01,Perm\n";
  const Outcome changed =
      run(dir, "link explain --config link.toml --out out obituaries:a1 payments:b1");
  EXPECT_EQ(changed.status, 1);
  EXPECT_NE(changed.err.find("changed since the run"), std::string::npos) << changed.err;
  fs::remove_all(dir);
}

TEST(LinkCli, BadInputNamesTheFileAndLine) {
  const fs::path dir = fixture();
  std::string config = read_file(dir / "link.toml");
  std::ofstream(dir / "missing.toml")
      << std::string(config).replace(config.find("court.csv"), 9, "gone.csv");
  const Outcome missing = run(dir, "link --config missing.toml --out out");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("missing.toml:18"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("gone.csv"), std::string::npos) << missing.err;

  std::ofstream(dir / "typo.toml") << config << "\n[blocking]\nrule = []\n";
  const Outcome typo = run(dir, "link --config typo.toml --out out");
  EXPECT_EQ(typo.status, 1);
  EXPECT_NE(typo.err.find("typo.toml:26"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("unknown key 'rule'"), std::string::npos) << typo.err;

  std::ofstream(dir / "limit.toml")
      << config << "\n[blocking]\nrules = [[\"birth_year\"]]\npair_limit = 1\n";
  const Outcome limit = run(dir, "link --config limit.toml --out out");
  EXPECT_EQ(limit.status, 1);
  EXPECT_NE(limit.err.find("birth_year would make"), std::string::npos) << limit.err;

  std::ofstream(dir / "court.csv", std::ios::app) << "c1,Орлов,Иван,,1970\n";
  const Outcome repeated = run(dir, "link --config link.toml --out out");
  EXPECT_EQ(repeated.status, 1);
  EXPECT_NE(repeated.err.find("court.csv:9"), std::string::npos) << repeated.err;
  EXPECT_NE(repeated.err.find("repeated"), std::string::npos) << repeated.err;

  const Outcome usage = run(dir, "link --out out");
  EXPECT_EQ(usage.status, 2);
  fs::remove_all(dir);
}
