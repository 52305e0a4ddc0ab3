// Runs the built `recount link`, `link explain` and `link eval` on a small fixture of invented
// men (tests/linkage/data/link) and checks outputs, the names policy and the errors.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
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

  // Explain shows levels, and names only when asked.
  const Outcome ex =
      run(dir, "link explain --config link.toml --out out obituaries:a1 payments:b1");
  ASSERT_EQ(ex.status, 0) << ex.err;
  EXPECT_EQ(ex.out.find("Фёдоров"), std::string::npos) << ex.out;
  EXPECT_NE(ex.out.find("Joined"), std::string::npos);
  const Outcome named = run(dir,
                            "link explain --config link.toml --out out obituaries:a1 payments:b1 "
                            "--show-names --chart named.svg");
  ASSERT_EQ(named.status, 0) << named.err;
  EXPECT_NE(named.out.find("Фёдоров"), std::string::npos);
  EXPECT_NE(read_file(dir / "named.svg").find("Фёдоров"), std::string::npos);
  EXPECT_EQ(fs::status(dir / "named.svg").permissions() & fs::perms::others_read, fs::perms::none);
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

// The Splink-style controls: clerical review out and back in, labels that override and train,
// deterministic rules, fixed m, external frequency tables, a waterfall and a threshold chart.
TEST(LinkCli, ReviewLabelsRulesAndFixedProbabilities) {
  const fs::path dir = fixture();
  const std::string config = read_file(dir / "link.toml");
  const Outcome r = run(dir,
                        "link --config link.toml --out out --review review.csv "
                        "--review-band 0.0001 0.9999 --review-limit 50");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string review = read_file(dir / "review.csv");
  EXPECT_EQ(review.substr(0, review.find('\n')).find("list_a,id_a,list_b,id_b,probability"), 0u);
  EXPECT_NE(review.find("surname_level"), std::string::npos);
  EXPECT_NE(review.find(",decision\n"), std::string::npos);
  EXPECT_EQ(review.find("Фёдоров"), std::string::npos);
  EXPECT_EQ(fs::status(dir / "review.csv").permissions() & fs::perms::group_read, fs::perms::none);
  const Outcome with_names = run(dir,
                                 "link --config link.toml --out out --review named.csv "
                                 "--review-band 0.0001 0.9999 --show-names");
  ASSERT_EQ(with_names.status, 0) << with_names.err;
  EXPECT_NE(read_file(dir / "named.csv").find("surname_a"), std::string::npos);

  // A reviewer's decisions: Zinnatullin's two records are not one man; Ivanov and Petrov are.
  std::ofstream(dir / "reviewed.csv") << "list_a,id_a,list_b,id_b,decision\n"
                                         "obituaries,a3,payments,b2,non-match\n"
                                         "obituaries,a2,obituaries,a4,match\n"
                                         "obituaries,a5,payments,b3,\n";
  const Outcome imported = run(dir, "link review import reviewed.csv --into labels.csv --json");
  ASSERT_EQ(imported.status, 0) << imported.err;
  const auto im = nlohmann::json::parse(imported.out);
  EXPECT_EQ(im["added"], 2);
  EXPECT_EQ(im["undecided"], 1);
  std::ofstream(dir / "labelled.toml") << config << "labels = \"labels.csv\"\n";
  const Outcome labelled = run(dir, "link --config labelled.toml --out lab --json");
  ASSERT_EQ(labelled.status, 0) << labelled.err;
  EXPECT_EQ(nlohmann::json::parse(labelled.out)["linked_outright"]["labelled_matches"], 1);
  const auto pair = [&](const char* out, const char* a, const char* b) {
    const Outcome e = run(dir, fmt::format("link explain --config labelled.toml --out {} {} {} "
                                           "--json",
                                           out, a, b));
    EXPECT_EQ(e.status, 0) << e.err;
    return nlohmann::json::parse(e.out);
  };
  EXPECT_TRUE(pair("out", "obituaries:a3", "payments:b2")["same_entity"].get<bool>());
  EXPECT_FALSE(pair("lab", "obituaries:a3", "payments:b2")["same_entity"].get<bool>());
  const auto forced = pair("lab", "obituaries:a2", "obituaries:a4");
  EXPECT_TRUE(forced["same_entity"].get<bool>());
  EXPECT_NE(forced["override"].get<std::string>().find("labelled a match"), std::string::npos);

  // Labels as a check: precision and recall of the run, and the threshold chart.
  const Outcome ev = run(dir,
                         "link eval --config link.toml --out out --labels labels.csv "
                         "--chart threshold.svg --json");
  ASSERT_EQ(ev.status, 0) << ev.err;
  const auto score = nlohmann::json::parse(ev.out);
  EXPECT_EQ(score["labelled_matches"], 1);
  EXPECT_EQ(score["entities"]["false_positives"], 1);  // the run joined Zinnatullin's records
  EXPECT_EQ(score["entities"]["false_negatives"], 1);  // and kept Ivanov and Petrov apart
  EXPECT_EQ(score["threshold_curve"].size(), 41u);
  EXPECT_NE(read_file(dir / "threshold.svg").find("<polyline"), std::string::npos);

  // A deterministic rule links outright; a fixed m stays fixed.
  std::ofstream(dir / "rules.toml")
      << config
      << "deterministic = [[\"given_initial\"]]\n[[model.fix]]\nfield = \"surname\"\n"
         "level = \"exact\"\nm = 0.6\n";
  const Outcome rules = run(dir, "link --config rules.toml --out rules --json");
  ASSERT_EQ(rules.status == 0 || rules.status == 4, true) << rules.err;
  EXPECT_GE(nlohmann::json::parse(rules.out)["linked_outright"]["deterministic_pairs"], 3);
  const auto model = nlohmann::json::parse(read_file(dir / "rules/model.json"));
  for (const auto& f : model["fields"])
    if (f["name"] == "surname") {
      EXPECT_DOUBLE_EQ(f["levels"][1]["m"].get<double>(), 0.6);
    }
  // Алексей and Андрей share their initial, so the rule joins them.
  const Outcome region = run(dir,
                             "link explain --config rules.toml --out rules obituaries:a4 "
                             "obituaries:a6 --json");
  ASSERT_EQ(region.status, 0) << region.err;
  EXPECT_TRUE(nlohmann::json::parse(region.out)["same_entity"].get<bool>());

  // An external frequency table makes a common surname's agreement weaker evidence.
  std::ofstream(dir / "surnames.csv") << "value,count\nФёдоров,900000\nЗиннатуллин,40\n";
  std::ofstream(dir / "census.toml")
      << config << "frequency_tables = { surname = \"surnames.csv\" }\n";
  ASSERT_EQ(run(dir, "link --config census.toml --out census").status, 0);
  const auto tf = [&](const char* conf, const char* out) {
    const Outcome e = run(dir, fmt::format("link explain --config {} --out {} obituaries:a1 "
                                           "payments:b1 --json",
                                           conf, out));
    EXPECT_EQ(e.status, 0) << e.err;
    return nlohmann::json::parse(e.out)["fields"][0]["tf_adjustment"].get<double>();
  };
  EXPECT_LT(tf("census.toml", "census"), tf("link.toml", "out") - 1);

  // Bad input names the file and line.
  std::ofstream(dir / "badfix.toml")
      << config << "[[model.fix]]\nfield = \"surname\"\nlevel = \"nearly\"\nm = 0.5\n";
  const Outcome badfix = run(dir, "link --config badfix.toml --out bad");
  EXPECT_EQ(badfix.status, 1);
  EXPECT_NE(badfix.err.find("badfix.toml:24"), std::string::npos) << badfix.err;
  EXPECT_NE(badfix.err.find("no level 'nearly'"), std::string::npos) << badfix.err;
  std::ofstream(dir / "badlabels.csv") << "list_a,id_a,list_b,id_b,decision\n"
                                          "obituaries,a1,payments,b1,perhaps\n";
  const Outcome badlabels = run(dir, "link review import badlabels.csv --into labels.csv");
  EXPECT_EQ(badlabels.status, 1);
  EXPECT_NE(badlabels.err.find("badlabels.csv:2"), std::string::npos) << badlabels.err;
  std::ofstream(dir / "unknown.csv") << "list_a,id_a,list_b,id_b,decision\n"
                                        "obituaries,a1,payments,zz,match\n";
  std::ofstream(dir / "unknown.toml") << config << "labels = \"unknown.csv\"\n";
  const Outcome unknown = run(dir, "link --config unknown.toml --out bad");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("unknown.csv:2"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("payments:zz"), std::string::npos) << unknown.err;
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
