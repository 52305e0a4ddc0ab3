#include "recount/mcmc/draws_io.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "recount/core/error.hpp"

namespace recount::mcmc {
namespace {

SampleResult small_result() {
  SampleResult result;
  for (int c = 0; c < 2; ++c) {
    ChainDraws chain;
    chain.draws.resize(3, 2);
    for (int i = 0; i < 3; ++i) {
      chain.draws(i, 0) = c + 0.1 * i;
      chain.draws(i, 1) = -1.0 / (i + 1);
      chain.lp.push_back(-1.5 - i);
      chain.accept_stat.push_back(0.9);
      chain.stepsize.push_back(0.25);
      chain.treedepth.push_back(2);
      chain.n_leapfrog.push_back(3);
      chain.divergent.push_back(i == 1);
      chain.energy.push_back(2.0 + i);
    }
    chain.step_size = 0.25;
    chain.inverse_metric = Eigen::VectorXd::Ones(2);
    result.chains.push_back(chain);
  }
  return result;
}

TEST(DrawsCsv, HasCmdStanColumns) {
  const std::string text = draws_csv(small_result(), {"a", "b"});
  const std::string header = text.substr(0, text.find('\n'));
  EXPECT_EQ(header,
            "chain__,lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,"
            "a,b");
  EXPECT_NE(text.find("\n1,-2.5,0.9,0.25,2,3,1,3,0.1,-0.5\n"), std::string::npos);
  EXPECT_NE(text.find("# chain 2: step size = 0.25"), std::string::npos);
}

TEST(DrawsCsv, TransformWritesDerivedValues) {
  const std::string text = draws_csv(
      small_result(), {"exp_a"},
      [](const Eigen::VectorXd& x, std::vector<double>& out) { out.push_back(std::exp(x[0])); });
  EXPECT_NE(text.find(",exp_a\n"), std::string::npos);
  EXPECT_NE(text.find("\n2,-1.5,0.9,0.25,2,3,0,2,2.718281828459045\n"), std::string::npos);
}

TEST(DrawsCsv, RoundTrips) {
  const auto path = std::filesystem::temp_directory_path() / "recount_draws_io_test.csv";
  const SampleResult result = small_result();
  write_draws_csv(path, result, {"a", "b"});
  const DrawsTable table = read_draws_csv(path);
  std::filesystem::remove(path);
  ASSERT_EQ(table.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(table.chains.size(), 2U);
  for (std::size_t c = 0; c < 2; ++c)
    EXPECT_EQ(table.chains[c], result.chains[c].draws);
}

TEST(DrawsCsv, BadNumberNamesTheLine) {
  const auto path = std::filesystem::temp_directory_path() / "recount_draws_io_bad.csv";
  {
    std::ofstream out(path);
    out << "chain__,lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,"
           "a\n# comment\n1,0,1,1,1,1,0,0,x\n";
  }
  try {
    (void)read_draws_csv(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_EQ(e.where().line, 3U);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace recount::mcmc
