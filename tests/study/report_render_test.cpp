// The report as a person sees it: opened in headless Chromium (Debian's chromium, driven by
// web/test/render.mjs with playwright-core), no console errors, no network request, every chart
// drawn. The screenshot is kept as a test artefact: report.png in this test's build folder.

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "study_fixture.hpp"

namespace fs = std::filesystem;

namespace {

std::string capture(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
  const int rc = pclose(pipe);
  status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

}  // namespace

TEST(ReportInChromium, RendersEveryChartWithoutErrors) {
  const fs::path source(RECOUNT_SOURCE_DIR);
  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "chromium is missing: run scripts/install-deps";
  ASSERT_TRUE(fs::exists(source / "web" / "node_modules" / "playwright-core"))
      << "web/node_modules is missing: run scripts/install-deps";
  const fs::path dir = recount::test::make_study("render", "methods = [\"loglinear\", \"dga\"]\n");
  int status = 0;
  const std::string ran =
      capture(std::string(RECOUNT_CLI) + " --quiet run " + dir.string(), status);
  ASSERT_EQ(status, 0) << ran;
  const fs::path png = fs::path(RECOUNT_ARTEFACT_DIR) / "report.png";
  const std::string seen =
      capture("node " + (source / "web" / "test" / "render.mjs").string() + " " +
                  (dir / "out" / "report" / "report.html").string() + " " + png.string(),
              status);
  EXPECT_EQ(status, 0) << seen;
  const auto j = nlohmann::json::parse(seen.substr(seen.find('{')));
  EXPECT_TRUE(j["ok"].get<bool>()) << seen;
  EXPECT_GT(j["charts"].get<int>(), 0);
  EXPECT_EQ(j["rendered"], j["charts"]);
  EXPECT_TRUE(j["consoleErrors"].empty()) << seen;
  EXPECT_TRUE(j["requests"].empty()) << seen;
  EXPECT_GT(fs::file_size(png), 10'000u);
  fs::remove_all(dir);
}
