// Linkage quality on the project's own generator: 20,000 people on four lists (Cyrillic and
// Latin, typos, Ukrainian forms, partial dates, in-list duplicates), linked by the built CLI and
// scored against the truth. The bar: pairwise F1 >= 0.97. On seeds 3 and 11 the F1 was
// 0.977-0.978; on seed 3 it is 0.9722 with the agreement of automatic blocking's keys measured on
// likely matches (0.9716 with assumed shares, 0.9732 before the derived name keys;
// docs/linkage.md), a narrow margin: a change that moves it is worth measuring.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

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
  // Every candidate pair goes to the review file (ids only), for the true blocking recall.
  const int status = run("link --json --config " + (dir / "link.toml").string() + " --out " +
                             (dir / "out").string() + " --review " + (dir / "review.csv").string() +
                             " --review-band 0 1 --review-limit 1000000000",
                         dir / "summary.out");
  ASSERT_EQ(status, 0) << slurp(dir / "summary.out.err");
  const auto summary = nlohmann::json::parse(slurp(dir / "summary.out"));
  EXPECT_TRUE(summary["warnings"].empty());
  // The estimated blocking recall, simulated from agreement measured on the first model's likely
  // matches, against the true one: 0.9911 against 0.9860 when measured; with assumed shares of
  // the derived keys' agreement it was 0.9954 against 0.9838, above this bar.
  {
    std::map<std::string, std::string> person;
    std::map<std::string, std::size_t> records_of;
    std::ifstream truth(dir / "truth.csv");
    std::string line;
    std::getline(truth, line);
    while (std::getline(truth, line)) {
      const auto last = line.rfind(',');
      person[line.substr(0, last)] = line.substr(last + 1);
      ++records_of[line.substr(last + 1)];
    }
    double true_pairs = 0;
    for (const auto& [p, n] : records_of)
      true_pairs += static_cast<double>(n * (n - 1) / 2);
    std::ifstream review(dir / "review.csv");
    std::getline(review, line);  // list_a,id_a,list_b,id_b,...
    double caught = 0;
    while (std::getline(review, line)) {
      std::vector<std::string> cells;
      std::stringstream row(line);
      for (std::string cell; cells.size() < 4 && std::getline(row, cell, ',');)
        cells.push_back(cell);
      ASSERT_EQ(cells.size(), 4u) << line;
      caught += person.at(cells[0] + "," + cells[1]) == person.at(cells[2] + "," + cells[3]);
    }
    const double estimated = summary["automatic_blocking"]["estimated_pair_recall"].get<double>();
    RecordProperty("true_blocking_recall", std::to_string(caught / true_pairs));
    EXPECT_NEAR(estimated, caught / true_pairs, 0.008);
  }
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

// Labelled pairs drawn from the truth of 5,000 simulated people: half train the run through
// [model] labels (enough matches that blocking recall is measured on them), the other half are
// held out and scored by `link eval --labels`. With 200 held-out matches, a recall of 0.95 has a
// binomial standard error of 0.015, so the bars below sit three standard errors under what the
// full-truth F1 of about 0.98 implies.
TEST(LinkQuality, LabelledPairsTrainTheRunAndHeldOutLabelsScoreIt) {
  const fs::path dir = fs::temp_directory_path() / ("link_labels_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ASSERT_EQ(run("simulate lists --people 5000 --lists 4 --seed 5 --out " + dir.string(),
                dir.string() + ".sim"),
            0)
      << slurp(dir.string() + ".sim.err");
  std::map<std::string, std::vector<std::string>> by_person;
  std::vector<std::string> records;
  {
    std::ifstream truth(dir / "truth.csv");
    std::string line;
    std::getline(truth, line);
    while (std::getline(truth, line)) {
      const auto last = line.rfind(',');
      records.push_back(line.substr(0, last));
      by_person[line.substr(last + 1)].push_back(records.back());
    }
  }
  std::map<std::string, std::string> person_of;
  for (const auto& [person, rs] : by_person)
    for (const std::string& r : rs)
      person_of[r] = person;
  std::vector<std::pair<std::string, std::string>> matches, non_matches;
  for (const auto& [person, rs] : by_person)
    for (std::size_t i = 0; i + 1 < rs.size(); ++i)
      matches.emplace_back(rs[i], rs[i + 1]);
  std::mt19937_64 rng(5);
  std::shuffle(matches.begin(), matches.end(), rng);
  ASSERT_GE(matches.size(), 400u);
  matches.resize(400);
  std::uniform_int_distribution<std::size_t> pick(0, records.size() - 1);
  while (non_matches.size() < 400) {
    const std::string& a = records[pick(rng)];
    const std::string& b = records[pick(rng)];
    if (person_of[a] != person_of[b]) non_matches.emplace_back(a, b);
  }
  const auto write = [&](const fs::path& path, std::size_t begin, std::size_t end) {
    std::ofstream out(path);
    out << "list_a,id_a,list_b,id_b,decision\n";
    for (std::size_t i = begin; i < end; ++i) {
      out << matches[i].first << ',' << matches[i].second << ",match\n";
      out << non_matches[i].first << ',' << non_matches[i].second << ",non-match\n";
    }
  };
  write(dir / "train.csv", 0, 200);
  write(dir / "held_out.csv", 200, 400);
  std::ofstream(dir / "link.toml", std::ios::app) << "\n[model]\nlabels = \"train.csv\"\n";

  const int status = run(
      "link --json --config " + (dir / "link.toml").string() + " --out " + (dir / "out").string(),
      dir / "summary.out");
  ASSERT_EQ(status, 0) << slurp(dir / "summary.out.err");
  const auto summary = nlohmann::json::parse(slurp(dir / "summary.out"));
  EXPECT_EQ(summary["automatic_blocking"]["recall_source"], "200 labelled matching pairs");
  EXPECT_EQ(summary["linked_outright"]["labelled_matches"], 200);
  ASSERT_EQ(run("link eval --json --config " + (dir / "link.toml").string() + " --out " +
                    (dir / "out").string() + " --labels " + (dir / "held_out.csv").string(),
                dir / "eval.out"),
            0)
      << slurp(dir / "eval.out.err");
  const auto eval = nlohmann::json::parse(slurp(dir / "eval.out"));
  EXPECT_FALSE(eval["labels_seen_by_run"].get<bool>());
  EXPECT_GE(eval["entities"]["recall"].get<double>(), 0.93) << eval.dump(2);
  EXPECT_GE(eval["entities"]["precision"].get<double>(), 0.99) << eval.dump(2);
  ASSERT_EQ(run("link eval --json --out " + (dir / "out").string() + " --truth " +
                    (dir / "truth.csv").string(),
                dir / "truth.out"),
            0);
  const auto truth = nlohmann::json::parse(slurp(dir / "truth.out"));
  EXPECT_GE(truth["pairwise"]["f1"].get<double>(), 0.97) << truth.dump(2);
  fs::remove_all(dir);
  fs::remove(dir.string() + ".sim");
  fs::remove(dir.string() + ".sim.err");
}
