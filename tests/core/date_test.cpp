#include "recount/core/date.hpp"

#include <gtest/gtest.h>

namespace recount {
namespace {

TEST(Date, ParsesAndFormatsIso) {
  const auto d = Date::parse_iso("2023-12-08");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year(), 2023);
  EXPECT_EQ(d->month(), 12u);
  EXPECT_EQ(d->day(), 8u);
  EXPECT_EQ(d->iso(), "2023-12-08");
  EXPECT_EQ(Date::parse_iso("1970-01-01")->days(), 0);
}

TEST(Date, RejectsWhatIsNotADate) {
  for (const char* bad :
       {"2023-02-30", "2023-13-01", "2023-1-01", "20231208", "", "2023-12-08x", "abcd-ef-gh"})
    EXPECT_FALSE(Date::parse_iso(bad)) << bad;
  try {
    (void)Date::parse_iso("2023-02-30", Location{.file = "c.csv", .line = 3, .key = "as_of"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "c.csv:3: as_of: '2023-02-30' is not a date of the form YYYY-MM-DD");
  }
}

TEST(Date, Arithmetic) {
  const auto a = Date::from_ymd(2022, 1, 1);
  const auto b = Date::from_ymd(2023, 1, 1);
  EXPECT_EQ(b - a, 365);
  EXPECT_EQ(a.plus_days(365), b);
  EXPECT_LT(a, b);
  EXPECT_THROW((void)Date::from_ymd(2023, 2, 29), Error);
}

}  // namespace
}  // namespace recount
