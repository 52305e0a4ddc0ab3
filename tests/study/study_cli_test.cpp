// `recount init`, `recount run` and `recount report` as a user runs them.

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "recount/core/text.hpp"
#include "study_fixture.hpp"

namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;
  std::string out;  // stdout and stderr
};

Result run(const std::string& args) {
  const std::string command = std::string(RECOUNT_CLI) + " --quiet " + args + " 2>&1";
  Result r;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST(StudyCli, InitWritesAStudyThatRuns) {
  const fs::path dir = fs::temp_directory_path() / "recount-study-init";
  fs::remove_all(dir);
  const Result init = run("init " + dir.string() + " --title Trial");
  ASSERT_EQ(init.status, 0) << init.out;
  EXPECT_NE(recount::read_file(dir / "recount.toml").find("title = \"Trial\""), std::string::npos);
  EXPECT_EQ(run("init " + dir.string()).status, 1);  // never overwrites a study
  const Result first = run("run " + dir.string());
  EXPECT_EQ(first.status, 0) << first.out;
  // It runs as it is: its invented model fits its invented claims, and the report leads with them.
  EXPECT_NE(first.out.find("everyone.killed"), std::string::npos) << first.out;
  const std::string html = recount::read_file(dir / "out" / "report" / "report.html");
  EXPECT_NE(html.find("Died (everyone counted (invented))"), std::string::npos);
  fs::remove_all(dir);
}

TEST(StudyCli, RunsThenReusesUnchangedStages) {
  const fs::path dir = recount::test::make_study("cli-run");
  const Result first = run("run " + dir.string());
  ASSERT_EQ(first.status, 0) << first.out;
  EXPECT_NE(first.out.find("mse/kosovo"), std::string::npos);
  EXPECT_NE(first.out.find("Report: "), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "out" / "mse" / "kosovo" / "estimates.json"));
  EXPECT_TRUE(fs::exists(dir / "out" / "state.json"));
  const Result second = run("--json run " + dir.string());
  ASSERT_EQ(second.status, 0) << second.out;
  const auto j = nlohmann::json::parse(second.out);
  for (const auto& stage : j["stages"])
    EXPECT_TRUE(stage["reused"].get<bool>()) << stage.dump();
  const Result report = run("report " + dir.string() + " --out " + (dir / "again.html").string());
  EXPECT_EQ(report.status, 0) << report.out;
  // The first run's report came from the results its stages handed on; this one from what they
  // recorded in out/: the same page.
  EXPECT_EQ(recount::read_file(dir / "again.html"),
            recount::read_file(dir / "out" / "report" / "report.html"));
  // A record that is not what the stage writes is named, file and field.
  const fs::path estimates = dir / "out" / "mse" / "kosovo" / "estimates.json";
  auto record = nlohmann::json::parse(recount::read_file(estimates));
  record[0]["interval"] = "wide";
  recount::write_file(estimates, record.dump());
  const Result broken = run("report " + dir.string() + " --out " + (dir / "x.html").string());
  EXPECT_EQ(broken.status, 1) << broken.out;
  EXPECT_NE(broken.out.find("estimates.json"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("[0].interval"), std::string::npos) << broken.out;
  fs::remove_all(dir);
}

TEST(StudyCli, MissingFileNamesTheStageAndResumes) {
  const fs::path dir = recount::test::make_study("cli-missing");
  fs::rename(dir / "data" / "captures.csv", dir / "data" / "moved.csv");
  const Result failed = run("run " + dir.string());
  EXPECT_EQ(failed.status, 1) << failed.out;
  EXPECT_NE(failed.out.find("stage mse/kosovo"), std::string::npos) << failed.out;
  EXPECT_NE(failed.out.find("captures.csv"), std::string::npos) << failed.out;
  // The claims stage finished and stays; the report says what failed.
  EXPECT_TRUE(fs::exists(dir / "out" / "claims" / "evidence.csv"));
  EXPECT_NE(recount::read_file(dir / "out" / "report" / "report.html").find("stage-problems"),
            std::string::npos);
  fs::rename(dir / "data" / "moved.csv", dir / "data" / "captures.csv");
  const Result resumed = run("--json run " + dir.string());
  ASSERT_EQ(resumed.status, 0) << resumed.out;
  const auto j = nlohmann::json::parse(resumed.out);
  EXPECT_TRUE(j["stages"][0]["reused"].get<bool>());   // claims
  EXPECT_FALSE(j["stages"][1]["reused"].get<bool>());  // mse/kosovo
  fs::remove_all(dir);
}

TEST(StudyCli, RejectsPathsOutsideTheStudy) {
  const fs::path dir = recount::test::make_study("cli-outside");
  recount::write_file(dir / "recount.toml", "claims = [\"../elsewhere/claims.csv\"]\n");
  const Result r = run("run " + dir.string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("recount.toml:1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("leaves the study folder"), std::string::npos) << r.out;
  EXPECT_EQ(run("run " + (dir / "nothing-here").string()).status, 1);
  fs::remove_all(dir);
}

// A list set with a link config: linked into people, counted, and the estimate at each match
// threshold; a list file outside the study fails the linkage stage, naming the config.
TEST(StudyCli, LinksNamedListsBeforeCountingThem) {
  const fs::path dir =
      recount::test::make_study("cli-link",
                                "[[lists]]\nname = \"named\"\nconfig = \"lists/link.toml\"\n"
                                "methods = [\"loglinear\"]\ndemonstration = true\n");
  fs::create_directories(dir / "lists");
  for (const auto& entry :
       fs::directory_iterator(fs::path(RECOUNT_SOURCE_DIR) / "tests/linkage/data/link"))
    fs::copy_file(entry.path(), dir / "lists" / entry.path().filename());
  // Unstratified: the fixture is too small to count region by region.
  std::string config = recount::read_file(dir / "lists" / "link.toml");
  for (std::size_t at; (at = config.find("stratum = \"region\"\n")) != std::string::npos;)
    config.erase(at, 19);
  recount::write_file(dir / "lists" / "link.toml", config);
  const Result r = run("--json run " + dir.string());
  ASSERT_EQ(r.status, 0) << r.out;
  const fs::path linkage = dir / "out" / "linkage" / "named";
  for (const char* file : {"entities.csv", "captures.csv", "model.json", "summary.json"})
    EXPECT_TRUE(fs::exists(linkage / file)) << file;
  const auto sweep = nlohmann::json::parse(recount::read_file(linkage / "sweep.json"));
  ASSERT_FALSE(sweep.empty());
  for (const auto& point : sweep) {
    EXPECT_GT(point["observed"].get<double>(), 0) << point.dump();
    EXPECT_TRUE(point.contains("estimate")) << point.dump();
  }
  const auto estimates =
      nlohmann::json::parse(recount::read_file(dir / "out" / "mse" / "named" / "estimates.json"));
  ASSERT_EQ(estimates.size(), 1u);
  EXPECT_EQ(estimates[0]["method"], "loglinear");
  // Names stay out of the report unless asked for.
  const std::string report = recount::read_file(dir / "out" / "report" / "report.html");
  EXPECT_EQ(report.find("Зиннатуллин"), std::string::npos);

  config.replace(config.find("file = \"court.csv\""), 18, "file = \"../../court.csv\"");
  recount::write_file(dir / "lists" / "link.toml", config);
  fs::copy_file(dir / "lists" / "court.csv", dir.parent_path() / "court.csv",
                fs::copy_options::overwrite_existing);
  const Result outside = run("run " + dir.string());
  EXPECT_EQ(outside.status, 1) << outside.out;
  EXPECT_NE(outside.out.find("stage linkage/named"), std::string::npos) << outside.out;
  EXPECT_NE(outside.out.find("outside the study folder"), std::string::npos) << outside.out;
  fs::remove(dir.parent_path() / "court.csv");
  fs::remove_all(dir);
}

// A model file that is missing, then broken: the synthesis stage fails naming the file (and the
// line), the stages before it finish, and the report says what failed.
TEST(StudyCli, MissingOrBrokenModelFailsTheSynthesisAlone) {
  const fs::path dir =
      recount::test::make_study("cli-model", "[model]\nfile = \"data/model.toml\"\n");
  const Result missing = run("--json run " + dir.string());
  EXPECT_EQ(missing.status, 1) << missing.out;
  EXPECT_NE(missing.out.find("stage synthesis"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("model.toml"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("the study names this model file, but it is not there"),
            std::string::npos)
      << missing.out;
  EXPECT_TRUE(fs::exists(dir / "out" / "mse" / "kosovo" / "estimates.json"));
  EXPECT_TRUE(fs::exists(dir / "out" / "report" / "report.html"));
  recount::write_file(dir / "data" / "model.toml", "[stocks]\nthis is not toml\n");
  const Result broken = run("run " + dir.string());
  EXPECT_EQ(broken.status, 1) << broken.out;
  EXPECT_NE(broken.out.find("model.toml:2"), std::string::npos) << broken.out;
  fs::remove_all(dir);
}
