// Runs the built `recount add` and `recount claims ...` in a temporary folder: exit codes,
// output formats, review, and that failed commands leave the ledger file byte for byte as it was.

#include <sys/wait.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

#include "recount/core/hash.hpp"
#include "recount/evidence/claims_csv.hpp"

namespace recount {
namespace {

using Outcome = test::CliOutcome;
using test::json_lines;

const std::string kHeader =
    "id,as_of,published,measure,population,kind,low,high,rate,source,source_org,source_type,via,"
    "hedges,note,url\n";
const std::string kGood = kHeader +
                          "c1,2023-12-08,2023-12-08,recruited,convicts,range,100000,120000,,,"
                          "independent media,media,,estimate,,\n"
                          "c2,,2023-12-08,killed,convicts,at_least,1000,,week,Vladimir Osechkin,"
                          "Gulagu.net,ngo,,,,\n"
                          "c3,2023-12-04,2023-12-08,wounded,convicts,approximate,40000,,,,UK "
                          "Defence Intelligence,third_party_government,,might,,\n";

class LedgerCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("recount_ledger_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Outcome run(const std::string& args) const { return test::run_recount(args, dir_, dir_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  [[nodiscard]] std::string ledger_hash() const { return sha256_file(dir_ / "recount.db"); }

  std::filesystem::path dir_;
};

TEST_F(LedgerCli, ReadingAMissingLedgerSaysHowToCreateOne) {
  const Outcome r = run("claims");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("recount.db"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("recount add"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "recount.db"));
}

TEST_F(LedgerCli, AddingAReportTwiceIsANoOpThatSaysSo) {
  write("report.txt",
        "Prisoners at the front\n\nDecember 8, 2023\n\nUp to 120,000 prisoners have been "
        "recruited to fight, Olga Romanova of Justice Russia estimates.\n");
  Outcome r = run("add report.txt");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("report.txt: "), std::string::npos) << r.out;
  r = run("claims --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto claims = json_lines(r.out);
  ASSERT_FALSE(claims.empty());
  EXPECT_EQ(claims[0]["status"], "proposed");
  EXPECT_EQ(claims[0]["document"], "report.txt");
  EXPECT_EQ(claims[0]["document_id"].get<std::string>().size(), 64U);
  const std::string before = ledger_hash();

  // The same bytes under another name are the same report.
  write("copy.txt", read_file(dir_ / "report.txt"));
  r = run("add report.txt copy.txt");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("report.txt: already in the ledger"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("copy.txt: already in the ledger (added as report.txt)"), std::string::npos)
      << r.out;
  EXPECT_EQ(json_lines(run("claims --json").out).size(), claims.size());
  EXPECT_EQ(ledger_hash(), before);

  // A bad file among good ones: nothing of the command is stored.
  write("new.txt", "December 9, 2023\n\nAt least 5,000 convicts were killed, Osechkin said.\n");
  write("binary.dat", std::string("\x7f"
                                  "ELF\0\0\x01\x02",
                                  8));
  r = run("add new.txt binary.dat");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("binary.dat"), std::string::npos) << r.err;
  EXPECT_EQ(ledger_hash(), before);
}

TEST_F(LedgerCli, AFailedFirstCommandCreatesNoLedger) {
  write("binary.dat", std::string("\0\0\x01\x02", 4));
  EXPECT_EQ(run("add binary.dat").status, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "recount.db"));
}

TEST_F(LedgerCli, ImportsListsAndReviews) {
  write("curated.csv", kGood);
  Outcome r = run("claims import curated.csv");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("3 claims added"), std::string::npos) << r.out;

  r = run("claims --json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0]["id"], "c1");
  EXPECT_EQ(lines[0]["status"], "proposed");
  EXPECT_EQ(lines[1]["rate"], "week");

  r = run("claims");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Vladimir Osechkin"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("120,000"), std::string::npos) << r.out;

  ASSERT_EQ(run("claims accept c1 c2 --note 'two sources agree'").status, 0);
  ASSERT_EQ(run("claims reject c3").status, 0);
  r = run("claims --status accepted --json");
  ASSERT_EQ(r.status, 0) << r.err;
  lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[1]["id"], "c2");
  EXPECT_EQ(lines[1]["review_note"], "two sources agree");

  r = run("claims edit c3 --set low=45000 --set hedges=estimate --note 'later report' --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto edited = nlohmann::json::parse(r.out);
  EXPECT_EQ(edited["status"], "edited");
  EXPECT_EQ(edited["low"], 45000);
  EXPECT_EQ(edited["high"], 45000);

  // The CSV listing is the claims CSV with the review columns: it reads back.
  r = run("claims --csv");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto claims = read_claims_csv(r.out, "listing.csv");
  ASSERT_EQ(claims.size(), 3U);
  EXPECT_EQ(claims[0].status, ReviewStatus::accepted);
  EXPECT_EQ(claims[2].status, ReviewStatus::edited);

  ASSERT_EQ(run("claims export --status accepted -o accepted.csv").status, 0);
  EXPECT_EQ(read_claims_csv(read_file(dir_ / "accepted.csv"), "accepted.csv").size(), 2U);
  const Outcome exported = run("claims export");
  ASSERT_EQ(exported.status, 0);
  EXPECT_EQ(exported.out, run("claims --csv").out);
}

TEST_F(LedgerCli, AFailedImportLeavesTheLedgerUnchanged) {
  write("curated.csv", kGood);
  ASSERT_EQ(run("claims import curated.csv").status, 0);
  const std::string before = ledger_hash();

  // Row 3 (line 4) is impossible: the file is refused before the ledger is touched.
  write("bad.csv", kHeader +
                       "n1,2023-12-08,,killed,,point,10,,,,,,,,,\n"
                       "n2,2023-12-08,,killed,,point,20,,,,,,,,,\n"
                       "n3,2023-12-08,,killed,,range,30,20,,,,,,,,\n");
  Outcome r = run("claims import bad.csv");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bad.csv:4"), std::string::npos) << r.err;
  EXPECT_EQ(ledger_hash(), before);

  // Row 3 clashes with a claim in the ledger: the failure comes half-way through the writing.
  write("clash.csv", kHeader +
                         "n1,2023-12-08,,killed,,point,10,,,,,,,,,\n"
                         "n2,2023-12-08,,killed,,point,20,,,,,,,,,\n"
                         "c1,2023-12-08,,killed,,point,30,,,,,,,,,\n");
  r = run("claims import clash.csv");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("clash.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--replace"), std::string::npos) << r.err;
  EXPECT_EQ(ledger_hash(), before);

  r = run("claims import clash.csv --replace");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("2 claims added, 1 replaced"), std::string::npos) << r.out;
}

TEST_F(LedgerCli, ExitCodesAndMessagesNameTheFile) {
  write("curated.csv", kGood);
  ASSERT_EQ(run("claims import curated.csv").status, 0);
  const std::string before = ledger_hash();

  Outcome r = run("claims accept c1 nope");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("recount.db"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
  EXPECT_EQ(ledger_hash(), before);

  r = run("claims edit c1 --set measure=ghosts");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("ghosts"), std::string::npos) << r.err;
  r = run("claims edit c1 --set id=c9");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(run("claims edit c1 --set low").status, 2);
  EXPECT_EQ(run("claims --status maybe").status, 2);
  EXPECT_EQ(run("claims --json --csv").status, 2);
  EXPECT_EQ(run("claims accept").status, 2);
  EXPECT_EQ(ledger_hash(), before);

  write("notes.db", "these are my notes, not a database\n");
  r = run("--db notes.db claims");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("notes.db"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not an SQLite database"), std::string::npos) << r.err;
  r = run("claims import curated.csv --db notes.db");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(read_file(dir_ / "notes.db"), "these are my notes, not a database\n");

  r = run("claims import missing.csv");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
}

TEST_F(LedgerCli, FitTakesItsEvidenceFromTheLedgerWithoutClaims) {
  const std::string model = std::string(RECOUNT_SOURCE_DIR) + "/tests/synthesis/data/small.toml";
  Outcome r = run("fit " + model);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--claims"), std::string::npos) << r.err;
  write("curated.csv", kGood);
  ASSERT_EQ(run("claims import curated.csv").status, 0);
  // Proposed claims are not evidence.
  r = run("fit " + model);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("recount.db"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no accepted or edited claims"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace recount
