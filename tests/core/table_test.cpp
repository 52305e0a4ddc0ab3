#include "recount/core/table.hpp"

#include <gtest/gtest.h>

namespace recount {
namespace {

TEST(TextTable, AlignsNumbersRightAndCountsCodePoints) {
  TextTable t({"list", "count"});
  t.add_row({"Фёдоров", "1,200"});
  t.add_row({"ABA", "7"});
  EXPECT_EQ(t.str(),
            "list     count\n"
            "--------------\n"
            "Фёдоров  1,200\n"
            "ABA          7\n");
  EXPECT_EQ(display_width("Фёдоров"), 7u);
}

}  // namespace
}  // namespace recount
