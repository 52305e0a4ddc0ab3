// Runs the built `recount mse` and checks its exit codes, JSON and messages.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

using Outcome = recount::test::CliOutcome;

Outcome run(const std::string& args) {
  const std::filesystem::path dir = recount::test::scratch_dir("mse_cli");
  Outcome r = recount::test::run_recount(args, dir);
  std::filesystem::remove_all(dir);
  return r;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(MseCli, SelectsAndReportsAsJson) {
  const Outcome r = run("mse tests/mse/data/kosovo.csv --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["method"], "loglinear");
  EXPECT_EQ(j["model"], "[123,14,34]");
  EXPECT_EQ(j["lists"], nlohmann::json::array({"EXH", "ABA", "OSCE", "HRW"}));
  EXPECT_EQ(j["observed"], 4400);
  EXPECT_NEAR(j["estimate"].get<double>(), 10356.52, 0.005);
  EXPECT_NEAR(j["interval"][0].get<double>(), 8994.26, 0.005);
  EXPECT_NEAR(j["interval"][1].get<double>(), 12110.41, 0.005);
  EXPECT_EQ(j["level"], 0.95);
  ASSERT_EQ(j["models"].size(), 5U);
  EXPECT_EQ(j["models"][1]["model"], "[123,134]");
  EXPECT_NEAR(j["models"][1]["criterion"].get<double>(), 203.113, 0.0005);
  EXPECT_TRUE(j["warnings"].is_array());
  EXPECT_TRUE(j["diagnostics"].is_object());
}

TEST(MseCli, TableOutputReadsLikeAReport) {
  const Outcome r = run("mse tests/mse/data/hiv.csv");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("People observed: 1,896"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Model: [1,2,3,4]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Estimate: 11,125"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[12,3,4]"), std::string::npos) << r.out;
}

TEST(MseCli, RequestedUnidentifiedModelIsRefusedWithExit4) {
  const Outcome r = run("mse tests/mse/data/artificial_3.csv --model \"[12,3]\" --json");
  EXPECT_EQ(r.status, 4) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["estimate"].is_null());
  EXPECT_TRUE(j["interval"][0].is_null());
  EXPECT_NE(j["warnings"][0].get<std::string>().find("no maximum-likelihood"), std::string::npos);
  EXPECT_NE(r.err.find("not to be trusted"), std::string::npos);
}

TEST(MseCli, SparseSelectionChoosesIndependence) {
  const Outcome r = run("mse tests/mse/data/artificial_3.csv --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "[1,2,3]");
  EXPECT_NEAR(j["estimate"].get<double>(), 539.09, 0.005);
  EXPECT_EQ(j["diagnostics"]["models_dropped"].size(), 4U);
}

TEST(MseCli, HeterogeneityAndNamedModels) {
  const Outcome chao = run("mse tests/mse/data/kosovo.csv --heterogeneity chao --json");
  ASSERT_EQ(chao.status, 0) << chao.err;
  EXPECT_NEAR(nlohmann::json::parse(chao.out)["estimate"].get<double>(), 8591.18, 0.005);
  const Outcome named =
      run("mse tests/mse/data/kosovo.csv --model \"[EXH:ABA:OSCE,EXH:HRW,OSCE:HRW]\" --json");
  ASSERT_EQ(named.status, 0) << named.err;
  EXPECT_EQ(nlohmann::json::parse(named.out)["model"], "[123,14,34]");
}

TEST(MseCli, StrataGiveEachAndTheTotal) {
  const std::string file = write_temp("mse_cli_strata.csv",
                                      "A,B,C,count,stratum\n"
                                      "1,0,0,40,x\n0,1,0,30,x\n0,0,1,20,x\n1,1,0,6,x\n1,0,1,5,x\n"
                                      "0,1,1,4,x\n1,1,1,1,x\n"
                                      "1,0,0,50,y\n0,1,0,35,y\n0,0,1,25,y\n1,1,0,8,y\n1,0,1,6,y\n"
                                      "0,1,1,5,y\n1,1,1,2,y\n");
  const Outcome r = run("mse " + file + " --model \"[1,2,3]\" --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["strata"].size(), 2U);
  EXPECT_EQ(j["strata"][0]["stratum"], "x");
  EXPECT_NEAR(j["estimate"].get<double>(),
              j["strata"][0]["estimate"].get<double>() + j["strata"][1]["estimate"].get<double>(),
              1e-6);
  EXPECT_EQ(j["observed"], 106 + 131);
}

TEST(MseCli, BadInputAndUsage) {
  const std::string bad = write_temp("mse_cli_bad.csv", "A,B,count\n1,0,3\n0,1,-2\n");
  const Outcome r = run("mse " + bad);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("mse_cli_bad.csv:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("negative"), std::string::npos) << r.err;
  EXPECT_EQ(run("mse tests/mse/data/hiv.csv --model \"[15]\"").status, 2);
  EXPECT_EQ(run("mse tests/mse/data/hiv.csv --criterion nope").status, 2);
  EXPECT_EQ(run("mse tests/mse/data/hiv.csv --level 1.5").status, 2);
  EXPECT_EQ(run("mse tests/mse/data/missing.csv").status, 1);
}

}  // namespace
