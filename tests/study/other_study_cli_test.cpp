// A study that shares no name with the project's examples (tests/study/data/camp, invented) runs
// end to end, and its report's headline, charts, claim marks and methods describe it and only it.

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

// The exit status, and stdout in `out` (stderr, where distrust is said, is left out).
int run_cli(const std::string& args, std::string& out) {
  const std::string command = std::string(RECOUNT_CLI) + " --quiet " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(OtherStudyCli, ReportDescribesThisStudyOnly) {
  const fs::path dir = fs::temp_directory_path() / "recount-study-camp";
  fs::remove_all(dir);
  fs::copy(fs::path(RECOUNT_SOURCE_DIR) / "tests" / "study" / "data" / "camp", dir);
  std::string out;
  // 0, or 4 when 150 draws a chain leave a diagnostic short: either way the report is written.
  const int status = run_cli("--json run " + dir.string(), out);
  ASSERT_TRUE(status == 0 || status == 4) << out;
  const auto j = nlohmann::json::parse(out);
  ASSERT_FALSE(j["headline"].empty()) << out;
  for (const auto& figure : j["headline"])
    EXPECT_EQ(figure["quantity"].get<std::string>().rfind("residents.", 0), 0u) << figure;

  const std::string html = recount::read_file(dir / "out" / "report" / "report.html");
  const std::string page = html.substr(0, html.find("<script type=\"application/json\""));
  const std::string specs_text =
      html.substr(html.find('>', html.find("id=\"recount-specs\"")) + 1,
                  html.find("</script>", html.find("id=\"recount-specs\"")) -
                      html.find('>', html.find("id=\"recount-specs\"")) - 1);
  const auto specs = nlohmann::json::parse(specs_text);
  // The headline: derived from the model (no [report] table), labelled by the vocabulary.
  EXPECT_NE(page.find("Died (camp residents)"), std::string::npos);
  EXPECT_NE(page.find("Sheltering (camp residents)"), std::string::npos);
  EXPECT_EQ(page.find("did not run"), std::string::npos);
  // The charts: the residents over time, the children (declared within them) as their part, and
  // each claim on the chart of its quantity.
  ASSERT_TRUE(specs.contains("chart-series-residents_2ekilled"));
  ASSERT_TRUE(specs.contains("chart-series-children_2ekilled"));
  EXPECT_NE(page.find("By population"), std::string::npos);
  EXPECT_NE(specs["chart-series-residents_2ekilled"].dump().find("\"f3\""), std::string::npos);
  EXPECT_NE(specs["chart-series-children_2ekilled"].dump().find("\"f4\""), std::string::npos);
  // The methods: written from this model.
  EXPECT_NE(page.find("<code>adults_arrived</code>"), std::string::npos);
  EXPECT_NE(page.find("<code>departure_hazard</code>"), std::string::npos);
  // Nothing of the flagship anywhere on the page or in the charts.
  const std::regex flagship("convict|wagner|prison|colon(y|ies)|recruiter|storm-z|mediazona",
                            std::regex::icase);
  EXPECT_FALSE(std::regex_search(page, flagship));
  EXPECT_FALSE(std::regex_search(specs_text, flagship));
  fs::remove_all(dir);
}
