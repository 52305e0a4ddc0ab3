// [[excess]] in the study file: every key read, the defaults (at_least, the source name), every
// bad value refused with the file, line and key; and its stage, before the synthesis that reads
// its claim.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "recount/study/run.hpp"
#include "recount/study/study.hpp"

using namespace recount;
using namespace recount::study;

namespace {

const char* const kVocabulary = R"toml(
[vocabulary.populations.crew]
label = "crew (invented)"
[vocabulary.measures.killed]
label = "died"
)toml";

// The message of the error parsing `text` gives, or "no error".
std::string excess_error(const std::string& text) {
  try {
    (void)parse_study(std::string(kVocabulary) + text, "s");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input) << e.what();
    return e.what();
  }
  return "no error";
}

// An [[excess]] table with every required key, and `extra` lines after them.
std::string excess_table(const std::string& extra = "") {
  return "[[excess]]\nname = \"harbour\"\nfile = \"data/deaths.csv\"\nmeasure = \"killed\"\n"
         "population = \"crew\"\nas_of = 2017-12-31\n" +
         extra;
}

bool has(const std::string& message, const std::string& part) {
  return message.find(part) != std::string::npos;
}

}  // namespace

TEST(StudyExcess, ReadsEveryKey) {
  const Study s =
      parse_study(std::string(kVocabulary) + excess_table(R"toml(subtract = "data/cause.csv"
region = "Northland"
ages = "15-24"
baseline_years = "2010-2014"
years = "2016-2017"
trend = "exponential"
sex = "f"
level = 0.9
sensitivity = true
source = "invented excess estimate"
kind = "range"
)toml"),
                  "s");
  ASSERT_EQ(s.excess.size(), 1u);
  const ExcessSet& e = s.excess[0];
  EXPECT_EQ(e.name, "harbour");
  EXPECT_EQ(e.file, "data/deaths.csv");
  EXPECT_EQ(e.subtract, "data/cause.csv");
  EXPECT_EQ(e.options.region, "Northland");
  EXPECT_EQ(e.options.ages.label(), "15-24");
  EXPECT_EQ(e.options.baseline.label(), "2010-2014");
  EXPECT_EQ(e.options.years.label(), "2016-2017");
  EXPECT_EQ(e.options.trend, excess::Trend::exponential);
  EXPECT_EQ(e.options.excess_sex, excess::Sex::female);
  EXPECT_DOUBLE_EQ(e.options.level, 0.9);
  EXPECT_TRUE(e.sensitivity);
  EXPECT_EQ(e.target.measure, Measure("killed"));
  EXPECT_EQ(e.target.population, "crew");
  EXPECT_EQ(e.target.as_of, Date::from_ymd(2017, 12, 31));
  EXPECT_EQ(e.target.source, "invented excess estimate");
  EXPECT_EQ(e.target.kind, ClaimKind::range);
}

TEST(StudyExcess, DefaultsToAtLeastWithTheCommandsDefaults) {
  const Study s = parse_study(
      std::string(kVocabulary) + excess_table("years = 2016\nbaseline_years = 2015\n"), "s");
  ASSERT_EQ(s.excess.size(), 1u);
  const ExcessSet& e = s.excess[0];
  EXPECT_TRUE(e.subtract.empty());
  EXPECT_TRUE(e.options.region.empty());
  EXPECT_EQ(e.options.ages.label(), "15-49");
  EXPECT_EQ(e.options.baseline.label(), "2015");  // one year, written as a number
  EXPECT_EQ(e.options.years.label(), "2016");
  EXPECT_EQ(e.options.trend, excess::Trend::linear);
  EXPECT_EQ(e.options.excess_sex, excess::Sex::male);
  EXPECT_DOUBLE_EQ(e.options.level, 0.95);
  EXPECT_FALSE(e.sensitivity);
  EXPECT_EQ(e.target.kind, ClaimKind::at_least);
  EXPECT_EQ(e.target.source, "recount excess mortality estimate: harbour");
}

TEST(StudyExcess, BadInputNamesTheLineAndKey) {
  // The [[excess]] table starts on line 6 (after the vocabulary), its keys follow one a line.
  EXPECT_EQ(excess_error(excess_table("trand = \"linear\"\n")),
            "s/recount.toml:12:9: trand: unknown key `trand` in [[excess]]");
  EXPECT_TRUE(has(excess_error(excess_table("ages = \"15-x\"\n")), "recount.toml:12"));
  EXPECT_TRUE(has(excess_error(excess_table("ages = \"15-x\"\n")), "not a range of ages"));
  EXPECT_TRUE(
      has(excess_error(excess_table("baseline_years = \"2019-2015\"\n")), "not a range of years"));
  EXPECT_TRUE(has(excess_error(excess_table("years = \"2018-2019\"\n")), "must come after"));
  EXPECT_TRUE(has(excess_error(excess_table("trend = \"cubic\"\n")),
                  "`trend` is `linear` or `exponential`, not `cubic`"));
  EXPECT_TRUE(has(excess_error(excess_table("sex = \"x\"\n")), "`sex` is `m` or `f`"));
  EXPECT_TRUE(has(excess_error(excess_table("level = 1.5\n")), "between 0 and 1"));
  EXPECT_TRUE(has(excess_error(excess_table("sensitivity = \"yes\"\n")), "recount.toml:12"));
  EXPECT_TRUE(has(excess_error(excess_table("kind = \"point\"\n")),
                  "`kind` is `range` or `at_least`, not `point`"));
  EXPECT_TRUE(
      has(excess_error(excess_table("subtract = \"../cause.csv\"\n")), "leaves the study folder"));
  EXPECT_TRUE(
      has(excess_error("[[excess]]\nname = \"a\"\nmeasure = \"killed\"\n"), "missing key 'file'"));
  EXPECT_TRUE(
      has(excess_error("[[excess]]\nname = \"a\"\nfile = \"/deaths.csv\"\n"), "absolute path"));
  EXPECT_TRUE(has(excess_error("[[excess]]\nname = \"a/b\"\nfile = \"d.csv\"\n"), "plain word"));
  EXPECT_TRUE(has(excess_error("[[excess]]\nname = \"a\"\nfile = \"d.csv\"\nmeasure = \"dead\"\n"
                               "population = \"crew\"\nas_of = 2017-12-31\n"),
                  "unknown measure `dead`"));
  EXPECT_TRUE(has(excess_error("[[excess]]\nname = \"a\"\nfile = \"d.csv\"\nmeasure = \"killed\"\n"
                               "population = \"fleet\"\nas_of = 2017-12-31\n"),
                  "fleet"));
  EXPECT_TRUE(has(excess_error("[[excess]]\nname = \"a\"\nfile = \"d.csv\"\nmeasure = \"killed\"\n"
                               "population = \"crew\"\n"),
                  "missing key `as_of`"));
  EXPECT_TRUE(has(excess_error(excess_table() + excess_table()), "two [[excess]] are named"));
  EXPECT_TRUE(has(excess_error("[excess]\nname = \"a\"\n"), "must be written as [[excess]]"));
}

TEST(StudyExcess, ItsStageComesBeforeTheSynthesisThatReadsItsClaim) {
  const std::filesystem::path root =
      std::filesystem::path(RECOUNT_SOURCE_DIR) / "tests" / "study" / "data" / "camp";
  const Study s = parse_study("claims = [\"claims.csv\"]\n" + std::string(kVocabulary) +
                                  "[model]\nfile = \"model.toml\"\n" +
                                  excess_table("subtract = \"data/cause.csv\"\n"),
                              root);
  const auto stages = plan_study(s).stages;
  std::vector<std::string> names;
  for (const auto& st : stages)
    names.push_back(st.name);
  EXPECT_EQ(names, (std::vector<std::string>{"claims", "excess/harbour", "synthesis"}));
  const Stage& stage = stages[1];
  // Both tables are inputs: editing either re-runs the estimate.
  ASSERT_EQ(stage.inputs.size(), 2u);
  EXPECT_EQ(stage.inputs[0], root / "data" / "deaths.csv");
  EXPECT_EQ(stage.inputs[1], root / "data" / "cause.csv");
  EXPECT_EQ(stage.options["kind"], "at_least");
  EXPECT_EQ(stage.options["ages"], "15-49");
  EXPECT_EQ(stages.back().after, (std::vector<std::string>{"claims", "excess/harbour"}));
}
