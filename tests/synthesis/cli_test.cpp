// The CLI: recount fit and recount simulate model, on the flagship example and on bad input.

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int status = 0;
  std::string out;
};

// Runs the CLI; stdout and (with `with_stderr`) stderr together.
CliRun run(const std::string& args, bool with_stderr = true) {
  const std::string cmd =
      std::string(RECOUNT_CLI) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  CliRun r;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr)
    r.out += buffer.data();
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const std::string kExample = std::string(RECOUNT_SOURCE_DIR) + "/examples/convicts/";
const std::string kSmall = std::string(RECOUNT_SOURCE_DIR) + "/tests/synthesis/data/small.toml";

std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("recount_synthesis_" + name + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(SynthesisCli, SimulateThenFitWritesEveryOutput) {
  const auto dir = temp_dir("sim");
  CliRun r = run("-q simulate model " + kSmall + " --seed 5 --out " + dir.string());
  ASSERT_EQ(r.status, 0) << r.out;
  ASSERT_TRUE(std::filesystem::exists(dir / "claims.csv"));
  ASSERT_TRUE(std::filesystem::exists(dir / "history.csv"));
  const auto out = dir / "fit";
  r = run("-q --json fit " + kSmall + " --claims " + (dir / "claims.csv").string() +
              " --warmup 100 --draws 100 --chains 2 --max-refits 1 --out " + out.string(),
          false);
  ASSERT_TRUE(r.status == 0 || r.status == 4) << r.out;
  const auto json_start = r.out.find('{');
  ASSERT_NE(json_start, std::string::npos) << r.out;
  const nlohmann::json j =
      nlohmann::json::parse(r.out.substr(json_start, r.out.rfind('}') - json_start + 1));
  ASSERT_TRUE(j.contains("quantities"));
  const auto& recruited = j["quantities"]["convicts.recruited"];
  ASSERT_EQ(recruited.size(), 105u);
  EXPECT_EQ(recruited[0]["date"], "2022-01-07");
  EXPECT_LE(recruited[50]["q05"].get<double>(), recruited[50]["median"].get<double>());
  EXPECT_LE(recruited[50]["median"].get<double>(),
            recruited[51]["median"].get<double>());  // cumulative
  EXPECT_TRUE(j["conflicts"].is_array());
  EXPECT_TRUE(j["unused"].is_array());
  EXPECT_TRUE(j["diagnostics"].contains("max_rhat"));
  for (const char* file :
       {"quantities.csv", "parameters.csv", "conflicts.csv", "sources.csv", "unused.csv",
        "flags.csv", "diagnostics.json", "summary.json", "draws.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  std::filesystem::remove_all(dir);
}

TEST(SynthesisCli, UntilDropsLaterClaims) {
  const auto dir = temp_dir("until");
  const CliRun r =
      run("-q --json fit " + kExample + "model.toml --claims " + kExample +
              "claims.csv --until 2022-12-01 --warmup 50 --draws 50 --chains 1 --no-conflicts",
          false);
  ASSERT_TRUE(r.status == 0 || r.status == 4) << r.out;
  const auto json_start = r.out.find('{');
  const nlohmann::json j =
      nlohmann::json::parse(r.out.substr(json_start, r.out.rfind('}') - json_start + 1));
  int after = 0;
  for (const auto& u : j["unused"])
    after += u["reason"].get<std::string>().find("--until") != std::string::npos;
  EXPECT_GE(after, 20);
}

TEST(SynthesisCli, BadModelNamesFileLineAndKey) {
  const auto dir = temp_dir("bad");
  std::filesystem::create_directories(dir);
  const auto model = dir / "bad.toml";
  std::ofstream(model)
      << "[grid]\nstart = 2022-01-01\nend = 2022-12-31\n[stocks.a]\n[flows.f]\nfrom = \"b\"\n"
         "rate = \"x\"\n";
  const CliRun r = run("fit " + model.string() + " --claims " + kExample + "claims.csv");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("bad.toml:6"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unknown stock 'b'"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(SynthesisCli, FitWithoutClaimsIsAUsageError) {
  const CliRun r = run("fit " + kExample + "model.toml");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--claims"), std::string::npos) << r.out;
}

}  // namespace
