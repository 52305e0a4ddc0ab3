#include "recount/core/csv.hpp"

#include <gtest/gtest.h>

namespace recount {
namespace {

std::vector<std::vector<std::string>> all(CsvReader& r) {
  std::vector<std::vector<std::string>> out;
  CsvRecord rec;
  while (r.next(rec))
    out.emplace_back(rec.fields.begin(), rec.fields.end());
  return out;
}

TEST(Csv, ReadsQuotedFieldsDoubledQuotesAndNewlines) {
  CsvReader r("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n", "t.csv");
  ASSERT_EQ(r.header(), (std::vector<std::string>{"a", "b", "c"}));
  const auto rows = all(r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "two\nlines", ""}));
}

TEST(Csv, SkipsBomAndBlankLinesAndTrimsHeader) {
  CsvReader r("\xEF\xBB\xBF a ,b\n\n1,2\n\n", "t.csv");
  EXPECT_EQ(r.header()[0], "a");
  EXPECT_EQ(all(r).size(), 1u);
}

TEST(Csv, LineNumbersCountQuotedNewlines) {
  CsvReader r("a,b\n\"x\ny\",1\n3\n", "t.csv");
  CsvRecord rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.line, 2u);
  try {
    r.next(rec);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_EQ(e.where().line, 4u);
    EXPECT_NE(std::string(e.what()).find("t.csv:4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1 fields but the header has 2"), std::string::npos);
  }
}

TEST(Csv, ErrorsNameTheProblem) {
  EXPECT_THROW(CsvReader("", "e.csv"), Error);
  EXPECT_THROW(CsvReader("a,a\n", "e.csv"), Error);
  EXPECT_THROW(CsvReader("a,,b\n", "e.csv"), Error);
  CsvReader unterminated("a\n\"open\n", "u.csv");
  CsvRecord rec;
  try {
    unterminated.next(rec);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("u.csv:2: a quoted field is never closed"),
              std::string::npos)
        << e.what();
  }
  CsvReader r("a,b\n1,2\n", "m.csv");
  EXPECT_EQ(r.require_column("b"), 1u);
  try {
    (void)r.require_column("count");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing column 'count'"), std::string::npos);
  }
}

TEST(Csv, RoundTripsThroughTheWriter) {
  const std::vector<std::string> fields{"plain", "with,comma", "with \"quote\"", " pad", "a\nb"};
  CsvReader r("h1,h2,h3,h4,h5\n" + csv_line(fields) + "\n", "w.csv");
  const auto rows = all(r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], fields);
}

TEST(Csv, LastFieldMayBeEmptyWithoutNewline) {
  CsvReader r("a,b\n1,", "t.csv");
  const auto rows = all(r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1], "");
}

}  // namespace
}  // namespace recount
