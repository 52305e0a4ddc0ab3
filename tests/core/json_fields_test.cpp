#include "recount/core/json_fields.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace recount {
namespace {

using nlohmann::json;

TEST(JsonFields, ReadsTypedFieldsAndTreatsNullAsAbsent) {
  const json j = {{"name", "a"},
                  {"n", 2.5},
                  {"k", 3},
                  {"flag", true},
                  {"p", nullptr},
                  {"day", "2023-05-01"},
                  {"ids", {"x", "y"}},
                  {"rows", {{{"v", 1}}, {{"v", 2}}}}};
  const JsonFields f(j, "fit.json");
  EXPECT_EQ(f.string("name"), "a");
  EXPECT_EQ(f.string("missing"), "");
  EXPECT_DOUBLE_EQ(*f.number("n"), 2.5);
  EXPECT_FALSE(f.number("p").has_value());
  EXPECT_TRUE(std::isnan(f.real("p")));  // a NaN the writer could only write as null
  EXPECT_EQ(f.integer("k"), 3);
  EXPECT_EQ(*f.count("k"), 3u);
  EXPECT_TRUE(f.boolean("flag"));
  EXPECT_FALSE(f.has("p"));
  EXPECT_EQ(f.date("day")->iso(), "2023-05-01");
  EXPECT_EQ(f.strings("ids"), (std::vector<std::string>{"x", "y"}));
  const auto rows = f.objects("rows");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].integer("v"), 2);
  EXPECT_FALSE(f.object("absent").has("v"));
}

TEST(JsonFields, AWrongTypeNamesTheFileAndTheFieldsPath) {
  const json j = {{"rows", {{{"v", 1}}, {{"v", "two"}}}}, {"ids", {"x", 3}}, {"day", "May 1"}};
  const JsonFields f(j, "out/fit.json");
  try {
    (void)f.objects("rows")[1].integer("v");
    FAIL() << "a string read as a number";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().file, "out/fit.json");
    EXPECT_EQ(e.where().key, "rows[1].v");
    EXPECT_NE(e.reason().find("whole number"), std::string::npos);
  }
  try {
    (void)f.strings("ids");
    FAIL() << "a number read as a string";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().key, "ids[1]");
  }
  EXPECT_THROW((void)f.date("day"), Error);
  EXPECT_THROW(JsonFields(json::array(), "x.json"), Error);
}

}  // namespace
}  // namespace recount
