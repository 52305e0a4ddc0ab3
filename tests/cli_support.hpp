#pragma once
// Running the `recount` binary as a user does, for the CLI tests: a scratch folder per test, the
// exit status, and what it printed on stdout and stderr.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "recount/core/text.hpp"

namespace recount::test {

struct CliOutcome {
  int status = -1;  // the exit status; -1 when killed by a signal
  std::string out;
  std::string err;
};

// A fresh, empty folder for the running test: TMP/PREFIX_PID_TEST.
inline std::filesystem::path scratch_dir(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()) + "_" +
                                                info->test_suite_name() + "_" + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs `recount ARGS` from the folder `cwd`; its stdout and stderr go through files in `capture`.
inline CliOutcome run_recount(const std::string& args, const std::filesystem::path& capture,
                              const std::filesystem::path& cwd = RECOUNT_SOURCE_DIR) {
  const std::filesystem::path out = capture / "stdout";
  const std::filesystem::path err = capture / "stderr";
  const std::string command = "cd '" + cwd.string() + "' && " + RECOUNT_CLI + " " + args + " >'" +
                              out.string() + "' 2>'" + err.string() + "'";
  const int raw = std::system(command.c_str());
  CliOutcome r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

// One JSON value per non-empty line (the `--json` output of extract and claims).
inline std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> values;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) values.push_back(nlohmann::json::parse(line));
  return values;
}

inline std::size_t line_count(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text)
    n += c == '\n' ? 1 : 0;
  return n;
}

}  // namespace recount::test
