// Runs the built `recount simulate lists` and checks its files, JSON, permissions and exit codes.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;

using Outcome = recount::test::CliOutcome;
using recount::read_file;
using recount::test::line_count;

fs::path scratch() {
  return recount::test::scratch_dir("simulate_cli");
}

Outcome run(const fs::path& dir, const std::string& args) {
  return recount::test::run_recount(args, dir, dir);
}

TEST(SimulateListsCli, WritesTheListsTheConfigAndTheTruth) {
  const fs::path dir = scratch();
  const fs::path out = dir / "lists";
  const Outcome r =
      run(dir, "simulate lists --people 800 --lists 4 --seed 3 --out " + out.string() + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["lists"].size(), 4U);
  const std::size_t records = j["records"].get<std::size_t>();
  EXPECT_EQ(line_count(read_file(out / "truth.csv")), records + 1);
  std::size_t listed = 0;
  for (const auto& list : j["lists"]) {
    const fs::path file = out / list["file"].get<std::string>();
    EXPECT_EQ(line_count(read_file(file)), list["records"].get<std::size_t>() + 1) << file;
    listed += list["records"].get<std::size_t>();
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0U) << file << ": lists of names are for their owner only";
  }
  EXPECT_EQ(listed, records);
  const std::string toml = read_file(out / "link.toml");
  EXPECT_NE(toml.find("[[list]]\nname = \"payments\"\nfile = \"list_payments.csv\"\nid = \"id\""),
            std::string::npos)
      << toml;
  EXPECT_NE(toml.find("compare = { unit = \"exact\" }"), std::string::npos);
  EXPECT_NE(toml.find("stratum = \"region\""), std::string::npos);

  // The same seed again: the same bytes.
  const fs::path again = dir / "again";
  ASSERT_EQ(
      run(dir, "simulate lists --people 800 --lists 4 --seed 3 --quiet --out " + again.string())
          .status,
      0);
  EXPECT_EQ(read_file(out / "truth.csv"), read_file(again / "truth.csv"));
  EXPECT_EQ(read_file(out / "list_ukraine.csv"), read_file(again / "list_ukraine.csv"));
  fs::remove_all(dir);
}

TEST(SimulateListsCli, TheReportCarriesCountsNotNames) {
  const fs::path dir = scratch();
  const Outcome r =
      run(dir, "simulate lists --people 300 --out " + (dir / "l").string() + " --cp1251 court");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("list_court.csv"), std::string::npos) << r.out;
  for (const char c : r.out + r.err)
    ASSERT_LT(static_cast<unsigned char>(c), 0x80) << "no Cyrillic (no names) in the output";
  fs::remove_all(dir);
}

TEST(SimulateListsCli, BadOptionsExitWithUsageErrors) {
  const fs::path dir = scratch();
  const std::string out = " --out " + (dir / "l").string();
  Outcome r = run(dir, "simulate lists --lists 9" + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--lists"), std::string::npos) << r.err;
  r = run(dir, "simulate lists --people 100 --cp1251 memorial" + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--cp1251"), std::string::npos) << r.err;
  r = run(dir, "simulate lists --duplicates 2" + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--duplicates"), std::string::npos) << r.err;
  r = run(dir, "simulate lists --people 100");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "l"));
  fs::remove_all(dir);
}

}  // namespace
