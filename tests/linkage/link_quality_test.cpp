// Linkage quality on the project's own generator: 20,000 people on four lists (Cyrillic and
// Latin, typos, Ukrainian forms, partial dates, in-list duplicates), linked by the built CLI and
// scored against the truth. The bar: pairwise F1 >= 0.97. On seeds 3 and 11 the F1 is
// 0.977-0.978, so one fixed seed with that margin is a stable test.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int run(const std::string& args, const fs::path& out) {
  const std::string cmd = std::string(RECOUNT_CLI) + " -q " + args + " >" + out.string() + " 2>" +
                          out.string() + ".err";
  const int raw = std::system(cmd.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

}  // namespace

TEST(LinkQuality, PairwiseF1OnTwentyThousandPeopleAndFourLists) {
  const fs::path dir = fs::temp_directory_path() / ("link_quality_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ASSERT_EQ(run("simulate lists --people 20000 --lists 4 --seed 3 --out " + dir.string(),
                dir.string() + ".sim"),
            0)
      << slurp(dir.string() + ".sim.err");
  const int status = run(
      "link --json --config " + (dir / "link.toml").string() + " --out " + (dir / "out").string(),
      dir / "summary.out");
  ASSERT_EQ(status, 0) << slurp(dir / "summary.out.err");
  const auto summary = nlohmann::json::parse(slurp(dir / "summary.out"));
  EXPECT_TRUE(summary["warnings"].empty());
  ASSERT_EQ(run("link eval --json --out " + (dir / "out").string() + " --truth " +
                    (dir / "truth.csv").string(),
                dir / "eval.out"),
            0)
      << slurp(dir / "eval.out.err");
  const auto eval = nlohmann::json::parse(slurp(dir / "eval.out"));
  const double f1 = eval["pairwise"]["f1"].get<double>();
  RecordProperty("pairwise_f1", std::to_string(f1));
  EXPECT_GE(f1, 0.97) << eval.dump(2);
  EXPECT_GE(eval["pairwise"]["precision"].get<double>(), 0.98);
  EXPECT_GE(eval["bcubed"]["f1"].get<double>(), 0.97);
  fs::remove_all(dir);
  fs::remove(dir.string() + ".sim");
  fs::remove(dir.string() + ".sim.err");
}
