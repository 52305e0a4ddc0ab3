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

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

fs::path scratch() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir =
      fs::temp_directory_path() /
      (std::string("extract_cli_") + std::to_string(::getpid()) + "_" + info->name());
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Outcome run(const std::string& args, const fs::path& dir) {
  const std::string cmd = std::string("cd ") + RECOUNT_SOURCE_DIR + " && " + RECOUNT_CLI + " " +
                          args + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
  const int raw = std::system(cmd.c_str());
  Outcome r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

std::string write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  const fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

std::vector<nlohmann::json> lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  return v;
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
  const auto claims = lines(r.out);
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
  const auto claims = lines(r.out);
  ASSERT_EQ(claims.size(), 1u) << r.out;
  EXPECT_EQ(claims[0]["document"], "-");
  EXPECT_EQ(claims[0]["measure"], "deserted");
  EXPECT_EQ(claims[0]["kind"], "at_least");
  EXPECT_EQ(claims[0]["low"], 4000);
  fs::remove_all(dir);
}

TEST(ExtractCli, EmptyAndForeignFilesGiveNoClaims) {
  const fs::path dir = scratch();
  const std::string empty = write(dir, "empty.txt", "");
  const Outcome r =
      run("extract --json " + empty + " tests/evidence/articles/a04_russian.txt", dir);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
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
  EXPECT_FALSE(lines(r.out).empty());
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
