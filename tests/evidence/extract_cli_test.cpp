// Runs the built `recount extract` and checks its output, JSON Lines, stdin and errors.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;

using Outcome = recount::test::CliOutcome;
using recount::read_file;
using recount::test::json_lines;

fs::path scratch() {
  return recount::test::scratch_dir("extract_cli");
}

Outcome run(const std::string& args, const fs::path& dir) {
  return recount::test::run_recount(args, dir);
}

std::string write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  const fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

TEST(ExtractCli, TableForTheSampleArticle) {
  const fs::path dir = scratch();
  const Outcome r = run("extract examples/articles/sample.txt", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("examples/articles/sample.txt (dated 2024-03-04)"), std::string::npos)
      << r.out;
  for (const char* column : {"id", "measure", "kind", "low", "high", "rate", "source", "hedges"})
    EXPECT_NE(r.out.find(column), std::string::npos) << column;
  EXPECT_NE(r.out.find("Anna Petrova"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(ExtractCli, JsonLinesInOrderOfFiles) {
  const fs::path dir = scratch();
  const Outcome r = run(
      "extract --json tests/evidence/articles/a02_losses.txt examples/articles/sample.txt", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto claims = json_lines(r.out);
  ASSERT_GE(claims.size(), 10u);
  EXPECT_EQ(claims.front()["document"], "tests/evidence/articles/a02_losses.txt");
  EXPECT_EQ(claims.back()["document"], "examples/articles/sample.txt");
  for (const auto& c : claims) {
    for (const char* key :
         {"id", "document", "start", "end", "text", "measure", "population", "kind", "low", "high",
          "rate", "source", "source_org", "source_type", "hedges", "as_of", "published"})
      EXPECT_TRUE(c.contains(key)) << key << " missing in " << c.dump();
  }
  EXPECT_EQ(claims.front()["measure"], "casualties");
  EXPECT_EQ(claims.front()["as_of"], "2023-11-20");
  fs::remove_all(dir);
}

TEST(ExtractCli, ReadsStandardInput) {
  const fs::path dir = scratch();
  const std::string file =
      write(dir, "in.txt", "Officials said that at least 4,000 convicts had deserted.\n");
  const Outcome r = run("extract - --json < " + file, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto claims = json_lines(r.out);
  ASSERT_EQ(claims.size(), 1u) << r.out;
  EXPECT_EQ(claims[0]["document"], "-");
  EXPECT_EQ(claims[0]["measure"], "deserted");
  EXPECT_EQ(claims[0]["kind"], "at_least");
  EXPECT_EQ(claims[0]["low"], 4000);
  fs::remove_all(dir);
}

TEST(ExtractCli, EmptyFilesGiveNoClaimsAndRussianOnesTheirs) {
  const fs::path dir = scratch();
  const std::string empty = write(dir, "empty.txt", "");
  const Outcome r = run("extract --json " + empty, dir);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const Outcome ru = run("extract --json tests/evidence/articles/a04_russian.txt", dir);
  EXPECT_EQ(ru.status, 0) << ru.err;
  EXPECT_NE(ru.out.find("\"measure\""), std::string::npos) << ru.out;
  const Outcome t = run("extract " + empty, dir);
  EXPECT_EQ(t.status, 0);
  EXPECT_NE(t.out.find("no claims found"), std::string::npos) << t.out;
  fs::remove_all(dir);
}

TEST(ExtractCli, BadInputNamesTheFile) {
  const fs::path dir = scratch();
  const std::string binary = write(dir, "a.bin",
                                   std::string("\x7f"
                                               "ELF\0\0\0\x01\x02",
                                               9));
  const std::string latin1 = write(dir, "latin1.txt", "About 300 d\xE9serteurs were killed.");
  Outcome r = run("extract " + binary, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("a.bin"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("binary"), std::string::npos) << r.err;
  r = run("extract " + latin1, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("latin1.txt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("UTF-8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("11"), std::string::npos) << "byte offset: " << r.err;
  r = run("extract no/such/file.txt", dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no/such/file.txt"), std::string::npos) << r.err;
  // The good file's claims still go out when another file is bad.
  r = run("extract --json no/such/file.txt examples/articles/sample.txt", dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_FALSE(json_lines(r.out).empty());
  fs::remove_all(dir);
}

TEST(ExtractCli, TooLargeFileIsRefused) {
  const fs::path dir = scratch();
  const fs::path big = dir / "big.txt";
  {
    std::ofstream out(big, std::ios::binary);
    const std::string block(1 << 20, 'a');
    for (int i = 0; i < 65; ++i)
      out << block;
  }
  const Outcome r = run("extract " + big.string(), dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("larger than the limit"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST(ExtractCli, HelpAndUsage) {
  const fs::path dir = scratch();
  Outcome r = run("extract --help", dir);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("standard input"), std::string::npos) << r.out;
  r = run("extract", dir);
  EXPECT_EQ(r.status, 2);
  fs::remove_all(dir);
}

}  // namespace

namespace {

// A study of a population the built-in lexicons do not know (tests/evidence/data/reservists,
// invented): its vocabulary's terms give the claims their populations, its cue words their
// measure, in English and Russian, with no change to the C++ or the lexicons.
TEST(ExtractCli, TheStudysVocabularyDecidesThePopulations) {
  const fs::path dir = scratch();
  const std::string study = "tests/evidence/data/reservists";
  const Outcome with = run("extract --json --study " + study + " " + study + "/report.txt", dir);
  ASSERT_EQ(with.status, 0) << with.err;
  const auto claims = json_lines(with.out);
  ASSERT_EQ(claims.size(), 3u) << with.out;
  EXPECT_EQ(claims[0]["population"], "reservists");
  EXPECT_EQ(claims[0]["measure"], "recruited");  // "called to the colours", the study's words
  EXPECT_EQ(claims[1]["population"], "frontline_reservists");
  EXPECT_EQ(claims[1]["measure"], "missing");
  EXPECT_EQ(claims[2]["population"], "reservists");  // «резервистов», a case form of a term
  EXPECT_EQ(claims[2]["measure"], "killed");
  // Without the study the built-in lexicons know no reservists.
  const Outcome without = run("extract --json " + study + "/report.txt", dir);
  ASSERT_EQ(without.status, 0) << without.err;
  for (const auto& c : json_lines(without.out))
    EXPECT_TRUE(c["population"].is_null()) << c;
  // A study folder that is not there is bad input naming it.
  const Outcome missing =
      run("extract --study tests/evidence/data/nowhere " + study + "/report.txt", dir);
  EXPECT_EQ(missing.status, 1) << missing.err;
  EXPECT_NE(missing.err.find("nowhere"), std::string::npos) << missing.err;
  fs::remove_all(dir);
}

}  // namespace
