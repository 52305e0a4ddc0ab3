// Runs `recount link --draws` on the small fixture of invented men (tests/linkage/data/link) and
// `recount mse --linkage-draws` on what it wrote: the draws file's shape, the sampler's
// diagnostics, the with_linkage_uncertainty entry and the error for a bad draws file.

#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace fs = std::filesystem;

namespace {

fs::path draws_fixture() {
  const fs::path dir = recount::test::scratch_dir("link_draws_cli");
  for (const auto& entry :
       fs::directory_iterator(fs::path(RECOUNT_SOURCE_DIR) / "tests/linkage/data/link"))
    fs::copy_file(entry.path(), dir / entry.path().filename());
  return dir;
}

}  // namespace

TEST(LinkDrawsCli, WritesDrawsThatMseCarriesIntoTheEstimate) {
  const fs::path dir = draws_fixture();
  const auto link = recount::test::run_recount(
      "--json link --config link.toml --out out --draws 8 --draws-seed 3", dir, dir);
  ASSERT_EQ(link.status, 0) << link.err;
  const auto summary = nlohmann::json::parse(link.out);
  const auto& d = summary["linkage_draws"];
  EXPECT_EQ(d["draws"], 8);
  EXPECT_LT(d["rhat_entities"].get<double>(), 1.05);
  EXPECT_LE(d["entities_min"].get<int>(), d["entities_max"].get<int>());
  ASSERT_TRUE(fs::exists(dir / "out/draws.json"));
  std::istringstream csv(recount::read_file(dir / "out/draws.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("draw,list,id,entity", 0), 0U) << line;
  std::set<std::string> draws;
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    draws.insert(line.substr(0, line.find(',')));
    ++rows;
  }
  EXPECT_EQ(draws.size(), 8U);
  EXPECT_EQ(rows, 8U * summary["records"].get<std::size_t>());

  const auto mse = recount::test::run_recount(
      "--json mse out/captures.csv --method dga --linkage-draws out/draws.csv", dir, dir);
  const auto result = nlohmann::json::parse(mse.out);
  ASSERT_TRUE(result.contains("with_linkage_uncertainty")) << mse.out;
  const auto& w = result["with_linkage_uncertainty"];
  EXPECT_EQ(w["draws"], 8);
  EXPECT_DOUBLE_EQ(w["level"].get<double>(), 0.95);
  ASSERT_EQ(w["interval"].size(), 2U);
  EXPECT_TRUE(w["estimate"].is_number());

  recount::write_file(dir / "bad.csv", "draw,list,id,entity\n1,obituaries,a1,0\n");
  const auto bad = recount::test::run_recount(
      "mse out/captures.csv --method dga --linkage-draws bad.csv", dir, dir);
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("bad.csv:2"), std::string::npos) << bad.err;
}
