// The two example studies, end to end with fewer draws (200 a chain instead of 1,000, 4 linkage
// draws instead of 20, LCMCR chains of 15,000 sweeps instead of 350,000, one exact refit of a
// claim and one of a source instead of five each): each report leads with
// its own quantities, draws its claims on its charts, and renders in headless Chromium
// (web/test/render.mjs) with every chart drawn and no console error.

#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "recount/core/text.hpp"

namespace fs = std::filesystem;

namespace {

std::string capture_stdout(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
  const int rc = pclose(pipe);
  status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

// Copies the example (its inputs, not its out/) with fewer draws, runs it, and returns the folder.
fs::path run_example(const std::string& name, nlohmann::json& result) {
  const fs::path source = fs::path(RECOUNT_SOURCE_DIR) / "examples" / name;
  const fs::path dir = fs::temp_directory_path() / ("recount-example-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(source))
    if (entry.path().filename() != "out")
      fs::copy(entry.path(), dir / entry.path().filename(), fs::copy_options::recursive);
  std::string study = recount::read_file(dir / "recount.toml");
  study = std::regex_replace(study, std::regex("warmup = [0-9]+"), "warmup = 200");
  study = std::regex_replace(study, std::regex("\\bdraws = [0-9]+"), "draws = 200\nmax_refits = 1");
  study =
      std::regex_replace(study, std::regex("linkage_draws = [0-9]+"),
                         "linkage_draws = 4\nlcmcr = { burnin = 5000, samples = 1000, thin = 10 }");
  recount::write_file(dir / "recount.toml", study);
  int status = 0;
  const std::string out =
      capture_stdout(std::string(RECOUNT_CLI) + " --quiet --json run " + dir.string(), status);
  // 4: a diagnostic short of its threshold with fewer draws; the report is written either way.
  EXPECT_TRUE(status == 0 || status == 4) << out;
  result = nlohmann::json::parse(out);
  return dir;
}

void expect_renders(const fs::path& report, const std::string& name) {
  const fs::path source(RECOUNT_SOURCE_DIR);
  if (!fs::exists("/usr/bin/chromium") ||
      !fs::exists(source / "web" / "node_modules" / "playwright-core")) {
    ADD_FAILURE() << "chromium or web/node_modules is missing: run scripts/install-deps";
    return;
  }
  int status = 0;
  const fs::path png = fs::path(RECOUNT_ARTEFACT_DIR) / ("example-" + name + ".png");
  const std::string seen =
      capture_stdout("node " + (source / "web" / "test" / "render.mjs").string() + " " +
                         report.string() + " " + png.string(),
                     status);
  EXPECT_EQ(status, 0) << seen;
  const auto j = nlohmann::json::parse(seen.substr(seen.find('{')));
  EXPECT_TRUE(j["ok"].get<bool>()) << seen;
  EXPECT_GT(j["charts"].get<int>(), 0);
  EXPECT_EQ(j["rendered"], j["charts"]);
  EXPECT_TRUE(j["consoleErrors"].empty()) << seen;
}

}  // namespace

TEST(Examples, MilitaryDeadRunsWithItsOwnHeadline) {
  nlohmann::json result;
  const fs::path dir = run_example("russian-military-dead", result);
  ASSERT_FALSE(result["headline"].empty()) << result.dump();
  EXPECT_EQ(result["headline"][0]["quantity"], "russian_forces.killed");
  const std::string html = recount::read_file(dir / "out" / "report" / "report.html");
  const std::string page = html.substr(0, html.find("<script type=\"application/json\""));
  EXPECT_NE(page.find("Killed (all Russian forces)"), std::string::npos);
  EXPECT_NE(html.find("\"id\":\"n04\""), std::string::npos);  // a named count on its chart
  EXPECT_FALSE(std::regex_search(page, std::regex("convict|wagner|prison", std::regex::icase)));
  expect_renders(dir / "out" / "report" / "report.html", "russian-military-dead");
  fs::remove_all(dir);
}

TEST(Examples, FlagshipRunsWithItsOwnHeadline) {
  nlohmann::json result;
  const fs::path dir = run_example("convicts", result);
  ASSERT_FALSE(result["headline"].empty()) << result.dump();
  EXPECT_EQ(result["headline"][0]["quantity"].get<std::string>().rfind("convicts.", 0), 0u);
  const std::string html = recount::read_file(dir / "out" / "report" / "report.html");
  EXPECT_NE(html.find("\"id\":\"c01\""), std::string::npos);  // a claim on its chart
  expect_renders(dir / "out" / "report" / "report.html", "convicts");
  fs::remove_all(dir);
}
