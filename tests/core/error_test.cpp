#include "recount/core/error.hpp"

#include <gtest/gtest.h>

#include "recount/core/check.hpp"

namespace recount {
namespace {

TEST(Error, MessagesNameTheLocation) {
  EXPECT_STREQ(bad_input({.file = "m.toml", .line = 12, .key = "prior"}, "bad").what(),
               "m.toml:12: prior: bad");
  EXPECT_STREQ(bad_input({.file = "a.txt", .offset = 40}, "bad").what(), "a.txt: byte 40: bad");
  EXPECT_STREQ(bad_input({}, "bad").what(), "bad");
  EXPECT_EQ(bad_input({}, "x").reason(), "x");
}

TEST(Error, ExitCodes) {
  EXPECT_EQ(exit_code(ErrorKind::bad_input), 1);
  EXPECT_EQ(exit_code(ErrorKind::usage), 2);
  EXPECT_EQ(exit_code(ErrorKind::internal), 3);
  EXPECT_EQ(exit_code(ErrorKind::untrusted), 4);
}

TEST(Check, RejectsImpossibleValues) {
  const Location at{.file = "m.toml", .line = 3};
  EXPECT_NO_THROW(check_positive(at, "sd", 0.5));
  EXPECT_THROW(check_positive(at, "sd", 0.0), Error);
  EXPECT_THROW(check_positive(at, "sd", std::nan("")), Error);
  EXPECT_THROW(check_probability(at, "p", 1.5), Error);
  EXPECT_THROW(check_open_unit(at, "p", 1.0), Error);
  EXPECT_THROW(check_nonnegative(at, "count", -1), Error);
  try {
    check_positive(at, "sigma", -2);
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "m.toml:3: sigma must be positive, got -2");
  }
}

}  // namespace
}  // namespace recount
