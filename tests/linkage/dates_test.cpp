// Partial dates: formats, precision, validation and the day/month order of a column.

#include <gtest/gtest.h>

#include <optional>
#include <string_view>
#include <vector>

#include "recount/linkage/dates.hpp"

namespace recount::linkage {
namespace {

std::optional<PartialDate> day_first(std::string_view s) {
  return parse_partial_date(s, DateOrder::day_first);
}

TEST(ParsePartialDate, Formats) {
  EXPECT_EQ(day_first("12.03.1985"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("12/03/1985"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("12-03-1985"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("1985-03-12"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("19850312"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("2.3.1985"), (PartialDate{1985, 3, 2}));
  EXPECT_EQ(day_first(" 12.03.1985 0:00:00 "), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("1985-03-12T00:00:00"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(parse_partial_date("03/12/1985", DateOrder::month_first), (PartialDate{1985, 3, 12}));
}

TEST(ParsePartialDate, PartialPrecision) {
  EXPECT_EQ(day_first("1985"), (PartialDate{1985, 0, 0}));
  EXPECT_EQ(day_first("1985 г."), (PartialDate{1985, 0, 0}));
  EXPECT_EQ(day_first("1985г.р."), (PartialDate{1985, 0, 0}));
  EXPECT_EQ(day_first("03.1985"), (PartialDate{1985, 3, 0}));
  EXPECT_EQ(day_first("1985-03"), (PartialDate{1985, 3, 0}));
  EXPECT_EQ(day_first("00.03.1985"), (PartialDate{1985, 3, 0}));
  EXPECT_EQ(day_first("00.00.1985"), (PartialDate{1985, 0, 0}));
}

TEST(ParsePartialDate, MonthNames) {
  EXPECT_EQ(day_first("12 марта 1985"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("12 марта 1985 г."), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("1 МАЯ 1990"), (PartialDate{1990, 5, 1}));
  EXPECT_EQ(day_first("Май 1990"), (PartialDate{1990, 5, 0}));
  EXPECT_EQ(day_first("сент. 1979"), (PartialDate{1979, 9, 0}));
  EXPECT_EQ(day_first("12 March 1985"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(day_first("Dec 1985"), (PartialDate{1985, 12, 0}));
  EXPECT_EQ(day_first("12 марта 1985 0:00:00"), (PartialDate{1985, 3, 12}));
  for (std::string_view bad : {"31 февраля 1985", "12 мартобря", "12 xyz 1985", "марта 85",
                               "0 марта 1985", "12 марта 1985 года и"})
    EXPECT_FALSE(day_first(bad).has_value()) << bad;
}

TEST(ParsePartialDate, MissingIsNotUnreadable) {
  EXPECT_EQ(day_first(""), PartialDate{});
  EXPECT_EQ(day_first("  "), PartialDate{});
  EXPECT_EQ(day_first("-"), PartialDate{});
  EXPECT_EQ(day_first("NA"), PartialDate{});
}

TEST(ParsePartialDate, Unreadable) {
  for (std::string_view bad :
       {"31.02.1985", "30.02.1985", "29.02.1985", "12.13.1985x", "12.03.85", "1985-13-01",
        "1985-02-30", "12.03-1985", "abc", "1.2.3.4", "123", "19851332", "32.13.1985", "12.03.0000",
        "00.05.1985x", "05.00.00", "1985-00-12", "12..1985"})
    EXPECT_FALSE(day_first(bad).has_value()) << bad;
  EXPECT_EQ(day_first("29.02.1984"), (PartialDate{1984, 2, 29}));  // a leap year
}

TEST(ParsePartialDate, ImpossibleInTheColumnOrderIsReadSwapped) {
  EXPECT_EQ(day_first("03/25/1985"), (PartialDate{1985, 3, 25}));
  EXPECT_EQ(parse_partial_date("25.03.1985", DateOrder::month_first), (PartialDate{1985, 3, 25}));
}

TEST(DetectDateOrder, PerColumn) {
  EXPECT_EQ(detect_date_order({"12.03.1985", "25.12.1990"}), DateOrder::day_first);
  EXPECT_EQ(detect_date_order({"03/12/1985", "12/25/1990"}), DateOrder::month_first);
  EXPECT_EQ(detect_date_order({"03/12/1985", "01/02/1990"}), DateOrder::day_first);  // undecided
  EXPECT_EQ(detect_date_order({"03/25/1985", "25/03/1985"}), DateOrder::day_first);  // conflict
  EXPECT_EQ(detect_date_order({"1985-03-25", "", "1985"}), DateOrder::day_first);
  EXPECT_EQ(detect_date_order({}), DateOrder::day_first);
}

}  // namespace
}  // namespace recount::linkage
