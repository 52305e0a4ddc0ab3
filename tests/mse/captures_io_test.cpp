#include "recount/mse/captures_io.hpp"

#include <gtest/gtest.h>

#include "recount/core/error.hpp"

namespace recount::mse {
namespace {

// The error's message for a bad table, or "" if it was accepted.
std::string error_of(const std::string& text) {
  try {
    (void)parse_captures(text, "in.csv");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    return e.what();
  }
  return "";
}

TEST(CapturesIo, PeopleTableWithEntityAndStrata) {
  const auto tables = parse_captures(
      "entity,LA,NG,PF,stratum\n"
      "e1,1,0,0,north\n"
      "e2,1,1,0,north\n"
      "e3,0,0,1,south\n"
      "e4,1,1,0,north\n",
      "in.csv");
  ASSERT_EQ(tables.size(), 2U);
  EXPECT_EQ(tables[0].stratum, "north");
  EXPECT_EQ(tables[0].lists, (std::vector<std::string>{"LA", "NG", "PF"}));
  EXPECT_EQ(tables[0].counts.size(), 8U);
  EXPECT_EQ(tables[0].counts[0b011], 2);  // LA and NG: bits 0 and 1
  EXPECT_EQ(tables[0].counts[0b001], 1);
  EXPECT_EQ(tables[0].observed(), 3);
  EXPECT_EQ(tables[1].stratum, "south");
  EXPECT_EQ(tables[1].counts[0b100], 1);
}

TEST(CapturesIo, CountColumnsAndPatternCount) {
  const auto a = parse_captures("A,B,C,count\n1,0,0,40\n0,1,0,30\n1,1,0,6\n", "in.csv");
  ASSERT_EQ(a.size(), 1U);
  EXPECT_TRUE(a[0].stratum.empty());
  EXPECT_EQ(a[0].counts[0b011], 6);
  EXPECT_EQ(a[0].observed(), 76);
  const auto b = parse_captures("pattern,count\n1010,5\n0001,7\n", "in.csv");
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].lists.size(), 4U);
  EXPECT_EQ(b[0].counts[0b0101], 5);  // "1010": lists 1 and 3
  EXPECT_EQ(b[0].counts[0b1000], 7);
}

TEST(CapturesIo, BadInputNamesFileAndLine) {
  EXPECT_NE(error_of("A,B\n1,0\n0,0\n").find("in.csv:3"), std::string::npos);
  EXPECT_NE(error_of("A,B\n1,0\n0,0\n").find("no list"), std::string::npos);
  EXPECT_NE(error_of("A,B\n1,2\n").find("in.csv:2"), std::string::npos);
  EXPECT_NE(error_of("A,B\n1,yes\n").find("not 0 or 1"), std::string::npos);
  EXPECT_NE(error_of("pattern,count\n101,1\n10,2\n").find("in.csv:3"), std::string::npos);
  EXPECT_NE(error_of("pattern,count\n1012,1\n").find("only 0 and 1"), std::string::npos);
  EXPECT_NE(error_of("A,B,count\n1,0,-3\n").find("negative"), std::string::npos);
  EXPECT_NE(error_of("A,B,count\n1,0,2.5\n").find("whole number"), std::string::npos);
  EXPECT_NE(error_of("A,B,count\n1,0,many\n").find("not a number"), std::string::npos);
  const std::string repeated = error_of("A,B,count\n1,0,3\n0,1,2\n1,0,4\n");
  EXPECT_NE(repeated.find("in.csv:4"), std::string::npos);
  EXPECT_NE(repeated.find("line 2"), std::string::npos);
  EXPECT_NE(error_of("A,count\n1,3\n").find("2 to 15"), std::string::npos);
  EXPECT_NE(error_of("pattern,count\n1,3\n").find("2 to 15"), std::string::npos);
  EXPECT_NE(error_of("A,B,count\n0,0,3\n").find("no list"), std::string::npos);
  EXPECT_NE(error_of("A,B\n").find("no rows"), std::string::npos);
  EXPECT_NE(error_of("A,B,count\n1,0,0\n").find("zero"), std::string::npos);
  std::string sixteen;
  for (int i = 0; i < 16; ++i) {
    sixteen += 'L';
    sixteen += std::to_string(i);
    sixteen += i < 15 ? ',' : '\n';
  }
  EXPECT_NE(error_of(sixteen).find("2 to 15"), std::string::npos);
}

TEST(CapturesIo, RepeatedPatternInAnotherStratumIsFine) {
  const auto tables =
      parse_captures("A,B,count,stratum\n1,0,3,x\n1,0,2,y\n0,1,1,x\n0,1,1,y\n", "in.csv");
  ASSERT_EQ(tables.size(), 2U);
  EXPECT_EQ(tables[1].counts[1], 2);
}

}  // namespace
}  // namespace recount::mse
