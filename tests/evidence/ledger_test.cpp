// The evidence ledger: schema and migrations, refusal of files that are not ledgers, one
// transaction per command (failures and kills leave it as it was), review and edit history.

#include "recount/evidence/ledger.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/evidence/claims_csv.hpp"

namespace recount {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string fmt_dir(const std::string& test) {
    return "recount_ledger_" + std::to_string(::getpid()) + "_" + test;
  }
  [[nodiscard]] std::filesystem::path db() const { return dir_ / "ledger.db"; }

  std::filesystem::path dir_;
};

Claim make_claim(const std::string& id, double value, const std::string& source = "Olga") {
  Claim c;
  c.id = id;
  c.document = "report.txt";
  c.start = 10;
  c.end = 17;
  c.text = "Around 20,000 convicts were killed, Olga said.";
  c.measure = Measure("killed");
  c.population = "convicts";
  c.kind = ClaimKind::approximate;
  c.low = value;
  c.high = value;
  c.source = source;
  c.source_type = SourceType::ngo;
  add_hedge(c, Hedge::might);
  c.as_of = Date::from_ymd(2023, 12, 8);
  c.published = Date::from_ymd(2023, 12, 8);
  return c;
}

const std::string kDocId = "e1ee660391688eeb0000000000000000000000000000000000000000000000aa";

std::size_t add_report(Ledger& ledger, const std::string& id = kDocId, int claims = 2) {
  std::vector<Claim> found;
  for (int i = 1; i <= claims; ++i)
    found.push_back(make_claim(id.substr(0, 8) + "-" + std::to_string(i), 1000.0 * i));
  const Document doc{.id = id,
                     .origin = "report.txt",
                     .format = "text",
                     .title = "A report",
                     .date = Date::from_ymd(2023, 12, 8),
                     .text = "Some text of the report, long enough for the offsets."};
  return ledger.add_document(doc, found);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(LedgerTest, CreatesTheLatestSchemaOnce) {
  { (void)Ledger::open(db(), Ledger::Mode::create); }
  SQLite::Database raw(db().string());
  EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), Ledger::schema_version());
  EXPECT_GE(Ledger::schema_version(), 1);
  for (const char* table : {"documents", "sources", "claims", "provenance"})
    EXPECT_TRUE(raw.tableExists(table)) << table;
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "delete");
  EXPECT_EQ(std::filesystem::status(db()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // Opening again migrates nothing and keeps the content.
  {
    Ledger ledger = Ledger::open(db(), Ledger::Mode::existing);
    EXPECT_EQ(add_report(ledger), 2U);
  }
  Ledger again = Ledger::open(db(), Ledger::Mode::existing);
  EXPECT_EQ(again.claims().size(), 2U);
}

// Source names compare with Unicode case folding: «МЕДИАЗОНА» and «Медиазона» (which SQLite's
// ASCII-only NOCASE tells apart) are one source, the first spelling its name.
TEST_F(LedgerTest, SourcesDifferingInCyrillicCaseAreOne) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  std::vector<Claim> claims{make_claim("c1", 100, "«Медиазона»"),
                            make_claim("c2", 200, "«МЕДИАЗОНА»"),
                            make_claim("c3", 300, "Ольга Романова"),
                            make_claim("c4", 400, "ОЛЬГА РОМАНОВА"), make_claim("c5", 500, "Olga")};
  (void)ledger.import_claims(claims, "claims.csv", "test");
  SQLite::Database raw(db().string());
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM sources").getInt(), 3);
  EXPECT_EQ(raw.execAndGet("SELECT count(DISTINCT source_id) FROM claims").getInt(), 3);
  EXPECT_EQ(raw.execAndGet("SELECT name FROM sources WHERE folded = 'ольга романова'").getString(),
            "Ольга Романова");
  // Each claim keeps the source as its text spells it.
  EXPECT_EQ(raw.execAndGet("SELECT source FROM claims WHERE id = 'c2'").getString(), "«МЕДИАЗОНА»");
}

// A ledger of schema version 1 (sources unique by ASCII NOCASE only) migrates on open, in one
// transaction: the names that fold alike become one source, and the claims point to it.
TEST_F(LedgerTest, MigratesVersionOneSourcesToCaseFolding) {
  {
    { (void)Ledger::open(db(), Ledger::Mode::create); }
    // Back to version 1's sources table, as a ledger written before the migration has it.
    SQLite::Database raw(db().string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP INDEX sources_by_folded_name");
    raw.exec("ALTER TABLE sources DROP COLUMN folded");
    raw.exec("PRAGMA user_version = 1");
    raw.exec(
        "INSERT INTO sources(id, name, type) VALUES (1, '«Медиазона»', NULL), "
        "(2, '«МЕДИАЗОНА»', 'data_journalism'), (3, 'Olga', NULL)");
    raw.exec(
        "INSERT INTO claims(id, document, text, measure, population, kind, low, high, rate, "
        "source, source_org, source_type, source_id, via, hedges, note, url, status, "
        "added_at) VALUES "
        "('c1', 'r.txt', 't', 'killed', '', 'point', 1, 1, '', '«Медиазона»', '', NULL, 1, "
        "'', '', '', '', 'proposed', '2024-01-01'), "
        "('c2', 'r.txt', 't', 'killed', '', 'point', 2, 2, '', '«МЕДИАЗОНА»', '', NULL, 2, "
        "'', '', '', '', 'proposed', '2024-01-01')");
  }
  {
    Ledger ledger = Ledger::open(db(), Ledger::Mode::existing);
    EXPECT_EQ(ledger.claims().size(), 2U);
  }
  SQLite::Database raw(db().string());
  EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), Ledger::schema_version());
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM sources").getInt(), 2);
  EXPECT_EQ(raw.execAndGet("SELECT count(DISTINCT source_id) FROM claims").getInt(), 1);
  EXPECT_EQ(raw.execAndGet("SELECT source_id FROM claims WHERE id = 'c2'").getInt(), 1);
  EXPECT_EQ(raw.execAndGet("SELECT type FROM sources WHERE id = 1").getString(), "data_journalism");
}

TEST_F(LedgerTest, MigratesAnEmptySqliteFile) {
  { std::ofstream(db()) << ""; }  // `touch recount.db`
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  EXPECT_EQ(add_report(ledger), 2U);
}

TEST_F(LedgerTest, NeverCreatesALedgerForReading) {
  const std::string message = error_of([&] { (void)Ledger::open(db(), Ledger::Mode::existing); });
  EXPECT_NE(message.find(db().string()), std::string::npos) << message;
  EXPECT_NE(message.find("recount add"), std::string::npos) << message;
  EXPECT_NE(message.find("claims import"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(db()));
}

TEST_F(LedgerTest, RefusesANewerSchemaNamingBothVersions) {
  { (void)Ledger::open(db(), Ledger::Mode::create); }
  {
    SQLite::Database raw(db().string(), SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = 99");
  }
  const std::string message = error_of([&] { (void)Ledger::open(db(), Ledger::Mode::create); });
  EXPECT_NE(message.find(db().string()), std::string::npos) << message;
  EXPECT_NE(message.find("99"), std::string::npos) << message;
  EXPECT_NE(message.find("version " + std::to_string(Ledger::schema_version())), std::string::npos)
      << message;
}

TEST_F(LedgerTest, RefusesFilesThatAreNotSqlite) {
  for (const std::string& content :
       {std::string("id,as_of\nc1,2023-01-01\n"), std::string("SQL"),
        std::string("SQLite format 3") + "X" + std::string(500, 'x')}) {
    { std::ofstream(db(), std::ios::binary) << content; }
    try {
      (void)Ledger::open(db(), Ledger::Mode::create);
      ADD_FAILURE() << "opened " << content;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_input);
      EXPECT_NE(std::string(e.what()).find(db().string()), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("not an SQLite database"), std::string::npos);
    }
    std::ifstream in(db(), std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), content) << "left as it was";
  }
}

TEST_F(LedgerTest, RefusesAnotherProgramsDatabase) {
  {
    SQLite::Database raw(db().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE bookmarks (url TEXT)");
  }
  const std::string message = error_of([&] { (void)Ledger::open(db(), Ledger::Mode::create); });
  EXPECT_NE(message.find("not a recount ledger"), std::string::npos) << message;
}

TEST_F(LedgerTest, ACorruptFileIsAnErrorNotACrash) {
  {
    Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
    (void)add_report(ledger, kDocId, 50);
  }
  const auto size = std::filesystem::file_size(db());
  ASSERT_GT(size, 4096U);
  {
    // Keep the 100-byte file header, scramble every page after it.
    std::fstream f(db(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    for (std::uintmax_t i = 100; i < size; ++i)
      f.put(static_cast<char>((i * 7919) & 0xff));
  }
  try {
    Ledger ledger = Ledger::open(db(), Ledger::Mode::existing);
    (void)ledger.claims();
    ADD_FAILURE() << "read a scrambled ledger";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(db().string()), std::string::npos) << e.what();
  }
}

TEST_F(LedgerTest, AddingTheSameReportTwiceIsANoOp) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  EXPECT_FALSE(ledger.document_origin(kDocId));
  EXPECT_EQ(add_report(ledger), 2U);
  EXPECT_EQ(ledger.document_origin(kDocId), "report.txt");
  EXPECT_EQ(add_report(ledger), 0U);
  const auto claims = ledger.claims();
  ASSERT_EQ(claims.size(), 2U);
  EXPECT_EQ(claims[0].claim.id, "e1ee6603-1");
  EXPECT_EQ(claims[0].claim.status, ReviewStatus::proposed);
  EXPECT_EQ(claims[0].document_id, kDocId);
  EXPECT_EQ(claims[0].claim, make_claim("e1ee6603-1", 1000.0));
  const auto history = ledger.history("e1ee6603-1");
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history[0].document_id, kDocId);
  EXPECT_EQ(history[0].start, 10U);
  EXPECT_EQ(history[0].end, 17U);
  EXPECT_TRUE(history[0].previous.empty());
}

TEST_F(LedgerTest, ClaimIdsOfReportsSharingAHashPrefixStayDistinct) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  const std::string other = kDocId.substr(0, 8) + "ffff" + kDocId.substr(12);
  EXPECT_EQ(add_report(ledger), 2U);
  EXPECT_EQ(add_report(ledger, other), 2U);
  const auto claims = ledger.claims();
  ASSERT_EQ(claims.size(), 4U);
  EXPECT_EQ(claims[2].claim.id, "e1ee6603ffff-1");
  EXPECT_EQ(claims[2].document_id, other);
}

TEST_F(LedgerTest, SourcesAreStoredOnceUnderTheirCanonicalName) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  (void)ledger.import_claims(
      {make_claim("a", 1, "Olga  Romanova"), make_claim("b", 2, "olga romanova"),
       make_claim("c", 3, "Vladimir Osechkin")},
      "curated.csv", false);
  SQLite::Database raw(db().string());
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM sources").getInt(), 2);
  EXPECT_EQ(raw.execAndGet("SELECT count(DISTINCT source_id) FROM claims").getInt(), 2);
  EXPECT_EQ(raw.execAndGet("SELECT type FROM sources WHERE name = 'Olga Romanova'").getString(),
            "ngo");
}

TEST_F(LedgerTest, AnImportThatFailsHalfWayLeavesNothing) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  (void)add_report(ledger);
  const std::string before = ledger.export_csv();
  // The third claim's id is already in the ledger: the first two must not stay.
  const std::string message = error_of([&] {
    (void)ledger.import_claims(
        {make_claim("new-1", 1), make_claim("new-2", 2), make_claim("e1ee6603-1", 3)},
        "curated.csv", false);
  });
  EXPECT_NE(message.find("curated.csv"), std::string::npos) << message;
  EXPECT_NE(message.find("--replace"), std::string::npos) << message;
  EXPECT_EQ(ledger.export_csv(), before);
  EXPECT_FALSE(ledger.claim("new-1"));
}

TEST_F(LedgerTest, AFailureInsideACommandRollsBackEverything) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  EXPECT_THROW(ledger.in_one_transaction([&] {
    (void)add_report(ledger);
    ledger.accept({"e1ee6603-1"}, "checked");
    throw std::runtime_error("the disk is full");
  }),
               std::runtime_error);
  EXPECT_TRUE(ledger.claims().empty());
  EXPECT_FALSE(ledger.document_origin(kDocId));
  // And the ledger still works afterwards.
  EXPECT_EQ(add_report(ledger), 2U);
}

TEST_F(LedgerTest, AKillHalfWayLeavesTheLedgerBeforeOrAfterNeverBetween) {
  {
    Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
    (void)add_report(ledger);
  }
  constexpr int kClaims = 20000;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    Ledger ledger = Ledger::open(db(), Ledger::Mode::existing);
    std::vector<Claim> claims;
    for (int i = 0; i < kClaims; ++i)
      claims.push_back(make_claim("bulk-" + std::to_string(i), i, "Source " + std::to_string(i)));
    const char byte = 1;
    (void)!::write(ready[1], &byte, 1);
    (void)ledger.import_claims(claims, "bulk.csv", false);
    ::_exit(0);
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::close(ready[0]);
  ::usleep(50000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  Ledger ledger = Ledger::open(db(), Ledger::Mode::existing);
  const std::size_t n = ledger.claims().size();
  EXPECT_TRUE(n == 2 || n == 2 + kClaims) << n << " claims after the kill";
  EXPECT_TRUE(ledger.claim("e1ee6603-1"));
}

TEST_F(LedgerTest, ReviewSetsStatusNoteAndTime) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  (void)add_report(ledger, kDocId, 3);
  ledger.accept({"e1ee6603-1", "e1ee6603-2"}, "matches the primary source");
  ledger.reject({"e1ee6603-3"}, "");
  EXPECT_EQ(ledger.claims({ReviewStatus::accepted}).size(), 2U);
  const auto rejected = ledger.claims({ReviewStatus::rejected});
  ASSERT_EQ(rejected.size(), 1U);
  EXPECT_EQ(rejected[0].claim.id, "e1ee6603-3");
  EXPECT_FALSE(rejected[0].reviewed_at.empty());
  const auto accepted = *ledger.claim("e1ee6603-1");
  EXPECT_EQ(accepted.review_note, "matches the primary source");
  EXPECT_EQ(to_json(accepted)["review_note"], "matches the primary source");
  EXPECT_EQ(to_json(accepted)["status"], "accepted");
}

TEST_F(LedgerTest, AnUnknownIdChangesNothing) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  (void)add_report(ledger);
  const std::string message = error_of([&] { ledger.accept({"e1ee6603-1", "no-such-claim"}, ""); });
  EXPECT_NE(message.find("no-such-claim"), std::string::npos) << message;
  EXPECT_NE(message.find(db().string()), std::string::npos) << message;
  EXPECT_EQ(ledger.claim("e1ee6603-1")->claim.status, ReviewStatus::proposed);
}

TEST_F(LedgerTest, AnEditKeepsThePreviousVersion) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  (void)add_report(ledger);
  ledger.edit("e1ee6603-1", {{"low", "25000"}, {"hedges", "estimate; might"}, {"rate", "week"}},
              "the sentence says 25,000");
  const auto edited = *ledger.claim("e1ee6603-1");
  EXPECT_EQ(edited.claim.status, ReviewStatus::edited);
  EXPECT_EQ(edited.claim.low, 25000);
  EXPECT_EQ(edited.claim.high, 25000);  // approximate: one number
  EXPECT_EQ(edited.claim.rate, Rate::week);
  EXPECT_EQ(edited.claim.hedges, (std::vector<Hedge>{Hedge::estimate, Hedge::might}));
  EXPECT_EQ(edited.review_note, "the sentence says 25,000");
  const auto history = ledger.history("e1ee6603-1");
  ASSERT_EQ(history.size(), 2U);
  const auto previous = nlohmann::json::parse(history[1].previous);
  EXPECT_EQ(previous["low"], 1000);
  EXPECT_EQ(previous["status"], "proposed");
  EXPECT_EQ(history[1].note, "the sentence says 25,000");
  EXPECT_FALSE(history[1].changed_by.empty());
  EXPECT_EQ(history[1].document_id, kDocId);
  // The edited claim still comes from its report.
  EXPECT_EQ(edited.document_id, kDocId);
}

TEST_F(LedgerTest, ABadEditIsRefusedAndChangesNothing) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  (void)add_report(ledger);
  const auto before = ledger.export_csv();
  for (const std::vector<ClaimChange>& changes : {std::vector<ClaimChange>{{"measure", "ghosts"}},
                                                  {{"low", "-5"}},
                                                  {{"low", "many"}},
                                                  {{"id", "x"}},
                                                  {{"status", "accepted"}},
                                                  {{"kind", "range"}, {"low", "9"}, {"high", "3"}},
                                                  {{"as_of", "2023-02-30"}}}) {
    try {
      ledger.edit("e1ee6603-1", changes, "");
      ADD_FAILURE() << changes[0].field << "=" << changes[0].value;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_input) << e.what();
    }
  }
  EXPECT_EQ(ledger.export_csv(), before);
  EXPECT_EQ(ledger.history("e1ee6603-1").size(), 1U);
}

TEST_F(LedgerTest, ImportWithReplaceKeepsTheOldVersion) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  Claim c = make_claim("c1", 100);
  c.status = ReviewStatus::accepted;
  auto outcome = ledger.import_claims({c}, "a.csv", false);
  EXPECT_EQ(outcome.added, 1U);
  EXPECT_FALSE(ledger.claim("c1")->reviewed_at.empty());
  c.low = c.high = 200;
  outcome = ledger.import_claims({c}, "b.csv", true);
  EXPECT_EQ(outcome.replaced, 1U);
  EXPECT_EQ(ledger.claim("c1")->claim.low, 200);
  const auto history = ledger.history("c1");
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[0].origin, "a.csv");
  EXPECT_EQ(history[1].origin, "b.csv");
  EXPECT_EQ(nlohmann::json::parse(history[1].previous)["low"], 100);
}

TEST_F(LedgerTest, ExportRoundTripsThroughTheClaimsCsv) {
  Ledger ledger = Ledger::open(db(), Ledger::Mode::create);
  (void)add_report(ledger);
  ledger.accept({"e1ee6603-2"}, "");
  const std::string csv = ledger.export_csv();
  const std::filesystem::path other = dir_ / "other.db";
  Ledger copy = Ledger::open(other, Ledger::Mode::create);
  const auto claims = read_claims_csv(csv, "export.csv");
  (void)copy.import_claims(claims, "export.csv", false);
  EXPECT_EQ(copy.export_csv(), csv);
  EXPECT_EQ(copy.export_csv({ReviewStatus::accepted}), ledger.export_csv({ReviewStatus::accepted}));
}

}  // namespace
}  // namespace recount
