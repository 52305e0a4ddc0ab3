// Change detection and failure handling of the stage runner.

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "recount/core/text.hpp"
#include "recount/study/pipeline.hpp"

namespace fs = std::filesystem;
using namespace recount;
using namespace recount::study;

namespace {

class Pipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    root =
        fs::temp_directory_path() /
        ("recount-pipeline-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root);
    write_file(root / "a.txt", "alpha");
    write_file(root / "b.txt", "beta");
  }
  void TearDown() override { fs::remove_all(root); }

  // a reads a.txt; b reads b.txt and a's output; c reads b's output; report reads them all.
  std::vector<Stage> stages() {
    auto copy = [this](const std::string& name, const fs::path& input,
                       const std::string& upstream) {
      return [this, name, input, upstream](const fs::path& out, const RunSummary&) {
        ++runs[name];
        if (fail == name)
          throw bad_input(Location{.file = input.generic_string(), .line = 3}, "broken");
        std::string text = read_file(input);
        if (!upstream.empty()) text += read_file(root / "out" / upstream / "result.txt");
        write_file(out / "result.txt", text);
        return StageOutcome{name == distrust ? StageState::untrusted : StageState::ok, ""};
      };
    };
    Stage a{"a", {}, {root / "a.txt"}, {{"level", level}}, false, copy("a", root / "a.txt", "")};
    Stage b{"b", {"a"}, {root / "b.txt"}, {}, false, copy("b", root / "b.txt", "a")};
    Stage c{"c/x", {"b"}, {}, {}, false, copy("c/x", root / "a.txt", "b")};
    Stage report{"report",
                 {"a", "b", "c/x"},
                 {},
                 {},
                 true,
                 [this](const fs::path& out, const RunSummary& so_far) {
                   ++runs["report"];
                   std::string text;
                   for (const auto& s : so_far.stages)
                     text += s.name + "=" + std::string(report::to_string(s.state)) + "\n";
                   write_file(out / "report.html", text);
                   return StageOutcome{};
                 }};
    return {a, b, c, report};
  }

  RunSummary run(bool force = false) { return run_stages(stages(), root / "out", force); }

  fs::path root;
  std::map<std::string, int> runs;
  std::string fail;
  std::string distrust;
  double level = 0.9;
};

TEST_F(Pipeline, SecondRunReusesEverything) {
  EXPECT_EQ(run().exit_code(), 0);
  EXPECT_EQ(runs, (std::map<std::string, int>{{"a", 1}, {"b", 1}, {"c/x", 1}, {"report", 1}}));
  const RunSummary again = run();
  EXPECT_EQ(runs, (std::map<std::string, int>{{"a", 1}, {"b", 1}, {"c/x", 1}, {"report", 1}}));
  for (const auto& s : again.stages)
    EXPECT_TRUE(s.reused) << s.name;
  EXPECT_EQ(read_file(root / "out" / "c/x" / "result.txt"), "alphabetaalpha");
  run(true);
  EXPECT_EQ(runs["a"], 2);
}

TEST_F(Pipeline, ChangedInputReRunsItsStageAndThoseAfter) {
  (void)run();
  write_file(root / "b.txt", "BETA");
  const RunSummary s = run();
  EXPECT_EQ(runs["a"], 1);
  EXPECT_EQ(runs["b"], 2);
  EXPECT_EQ(runs["c/x"], 2);
  EXPECT_EQ(runs["report"], 2);
  EXPECT_TRUE(s.find("a")->reused);
  EXPECT_EQ(read_file(root / "out" / "c/x" / "result.txt"), "alphaBETAalpha");
}

TEST_F(Pipeline, SameContentDoesNotReRun) {
  (void)run();
  write_file(root / "b.txt", "beta");  // rewritten, same bytes
  (void)run();
  EXPECT_EQ(runs["b"], 1);
}

TEST_F(Pipeline, ChangedOptionsReRun) {
  (void)run();
  level = 0.95;
  (void)run();
  EXPECT_EQ(runs["a"], 2);
  EXPECT_EQ(runs["b"], 1);  // a's output is the same bytes: nothing after it needs to run
}

TEST_F(Pipeline, AlteredOutputsReRun) {
  (void)run();
  fs::remove(root / "out" / "b" / "result.txt");
  (void)run();
  EXPECT_EQ(runs["a"], 1);
  EXPECT_EQ(runs["b"], 2);
}

TEST_F(Pipeline, FailureKeepsEarlierStagesAndResumes) {
  fail = "b";
  const RunSummary failed = run();
  EXPECT_EQ(failed.exit_code(), 1);
  EXPECT_EQ(failed.find("a")->state, StageState::ok);
  EXPECT_EQ(failed.find("b")->state, StageState::failed);
  ASSERT_TRUE(failed.find("b")->error.has_value());
  EXPECT_NE(failed.find("b")->detail.find("b.txt:3: broken"), std::string::npos);
  EXPECT_EQ(failed.find("c/x")->state, StageState::not_run);
  EXPECT_NE(failed.find("c/x")->detail.find("needs the results of b"), std::string::npos);
  // The report still runs and says what happened.
  EXPECT_EQ(failed.find("report")->state, StageState::ok);
  EXPECT_NE(read_file(root / "out" / "report" / "report.html").find("b=failed"), std::string::npos);
  EXPECT_EQ(read_state(root / "out")["b"]["state"], "failed");

  fail.clear();
  const RunSummary resumed = run();
  EXPECT_EQ(resumed.exit_code(), 0);
  EXPECT_TRUE(resumed.find("a")->reused);
  EXPECT_EQ(runs["a"], 1);
  EXPECT_EQ(runs["b"], 2);
  EXPECT_EQ(runs["c/x"], 1);
  EXPECT_EQ(runs["report"], 2);
}

TEST_F(Pipeline, UntrustedResultsExitFourEvenWhenReused) {
  distrust = "b";
  EXPECT_EQ(run().exit_code(), 4);
  EXPECT_EQ(runs["c/x"], 1);  // distrust does not stop the study
  const RunSummary again = run();
  EXPECT_TRUE(again.find("b")->reused);
  EXPECT_EQ(again.exit_code(), 4);
}

TEST_F(Pipeline, DamagedStateFileMeansAFullRun) {
  (void)run();
  write_file(root / "out" / "state.json", "{ not json");
  (void)run();
  EXPECT_EQ(runs["a"], 2);
}

}  // namespace
