// A study's vocabulary: what it declares, what it refuses, and how the claims CSV reads it.

#include "recount/evidence/vocabulary.hpp"

#include <gtest/gtest.h>

#include "recount/core/error.hpp"
#include "recount/evidence/claims_csv.hpp"

namespace recount {
namespace {

Vocabulary vocabulary_of(const std::string& text) {
  const toml::table root = parse_toml(text, "study.toml");
  const TomlReader reader("study.toml");
  return read_vocabulary(reader.table(*root.get("vocabulary"), "vocabulary"), reader);
}

std::string vocabulary_error(const std::string& text) {
  try {
    (void)vocabulary_of(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    return e.what();
  }
  return "no error";
}

const std::string kFerries = R"(
[vocabulary.populations.passengers]
label = "all passengers"
[vocabulary.populations.deck]
label = "deck passengers"
within = "passengers"
terms = ["deck passengers", "on deck"]
[vocabulary.populations.deck_children]
within = ["deck"]
[vocabulary.measures.killed]
label = "drowned"
[vocabulary.measures.in_service]
label = "aboard"
)";

const std::string kClaimsHeader =
    "id,as_of,published,measure,population,kind,low,high,rate,source,source_org,source_type,via,"
    "hedges,note,url\n";

TEST(Vocabulary, DeclaresLabelsContainmentAndTerms) {
  const Vocabulary v = vocabulary_of(kFerries);
  ASSERT_EQ(v.populations.size(), 3u);
  EXPECT_EQ(v.population_label("passengers"), "all passengers");
  EXPECT_EQ(v.population_label("deck_children"), "deck children");  // the id, in words
  EXPECT_EQ(v.population("deck")->terms, (std::vector<std::string>{"deck passengers", "on deck"}));
  EXPECT_TRUE(v.contains("passengers", "deck_children"));  // through deck
  EXPECT_FALSE(v.contains("deck", "passengers"));
  EXPECT_EQ(v.parts("passengers"), (std::vector<std::string>{"deck", "deck_children"}));
  EXPECT_EQ(v.measure_label(Measure("killed")), "drowned");
  EXPECT_EQ(v.kind(Measure("in_service")), MeasureKind::level);
  EXPECT_EQ(v.kind(Measure("killed")), MeasureKind::counter);
}

TEST(Vocabulary, ChecksWhatClaimsName) {
  const Vocabulary v = vocabulary_of(kFerries);
  EXPECT_EQ(v.problem("deck", Measure("killed")), "");
  EXPECT_EQ(v.problem("", Measure("killed")), "");  // no population stated
  EXPECT_EQ(v.problem("crew", Measure("killed")),
            "population 'crew' is not in the study's vocabulary (declared: passengers, deck, "
            "deck_children)");
  EXPECT_EQ(v.problem("deck", Measure("wounded")),
            "measure 'wounded' is not in the study's vocabulary (declared: killed, in_service)");
  // Nothing declared: populations are open and every built-in measure is allowed.
  const Vocabulary open;
  EXPECT_TRUE(open.empty());
  EXPECT_EQ(open.problem("anyone", Measure("wounded")), "");
  EXPECT_EQ(open.population_label("in_service"), "in service");
}

TEST(Vocabulary, BadDeclarationsNameFileLineAndKey) {
  EXPECT_EQ(vocabulary_error("[vocabulary.measures.slain]\n"),
            "study.toml:1:1: vocabulary.measures.slain: measure `slain` is not a built-in one, "
            "so it needs its kind: kind = \"level\" (a stock at a date) or \"counter\" (it "
            "accumulates)");
  EXPECT_NE(
      vocabulary_error("[vocabulary.measures.other]\nkind = \"counter\"\n").find("not `other`"),
      std::string::npos);
  EXPECT_NE(vocabulary_error("[vocabulary.measures.\"two words\"]\nkind = \"counter\"\n")
                .find("must be one word"),
            std::string::npos);
  EXPECT_NE(vocabulary_error("[vocabulary.populations.a]\nwithin = \"b\"\n")
                .find("population `a` is within `b`, which the vocabulary does not declare"),
            std::string::npos);
  EXPECT_NE(
      vocabulary_error("[vocabulary.populations.a]\nwithin = \"b\"\n[vocabulary.populations.b]\n"
                       "within = \"a\"\n")
          .find("part of itself"),
      std::string::npos);
  EXPECT_NE(
      vocabulary_error("[vocabulary.measures.killed]\nkind = \"stock\"\n").find("study.toml:2"),
      std::string::npos);
  EXPECT_NE(vocabulary_error("[vocabulary.populations.a]\ncolour = \"red\"\n").find("colour"),
            std::string::npos);
}

TEST(Vocabulary, ClaimsCsvRefusesWhatItDoesNotDeclare) {
  const Vocabulary v = vocabulary_of(kFerries);
  const std::string good =
      kClaimsHeader + "f1,2021-05-01,,killed,deck,point,40,40,,,Coast guard,,,,,\n";
  EXPECT_EQ(read_claims_csv(good, "claims.csv", &v).size(), 1u);
  const std::string crew = kClaimsHeader + "f1,2021-05-01,,killed,deck,point,40,40,,,,,,,,\n" +
                           "f2,2021-05-01,,killed,crew,point,4,4,,,,,,,,\n";
  try {
    (void)read_claims_csv(crew, "claims.csv", &v);
    ADD_FAILURE() << "an undeclared population was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_EQ(std::string(e.what()),
              "claims.csv:3: column 'population': population 'crew' is not in the study's "
              "vocabulary (declared: passengers, deck, deck_children)");
  }
  // Without a vocabulary the same file reads as it always has.
  EXPECT_EQ(read_claims_csv(crew, "claims.csv").size(), 2u);
  const Vocabulary none;
  EXPECT_EQ(read_claims_csv(crew, "claims.csv", &none).size(), 2u);
}

// The built-in measures come from data/vocabulary/measures.tsv, embedded in the binary.
TEST(Vocabulary, BuiltInMeasuresComeFromTheirDataFile) {
  ASSERT_EQ(builtin_measures().size(), 11u);
  EXPECT_EQ(builtin_measures().front().measure, Measure("recruited"));
  const Vocabulary none;
  EXPECT_EQ(none.kind(Measure("in_service")), MeasureKind::level);
  EXPECT_EQ(none.kind(Measure("prison_population")), MeasureKind::level);
  EXPECT_EQ(none.kind(Measure("killed")), MeasureKind::counter);
  EXPECT_EQ(none.measure_label(Measure("prison_population")), "prison population");
  EXPECT_EQ(measure_names().back(), "other");
  EXPECT_EQ(parse_measure("other"), Measure());
  EXPECT_EQ(parse_measure("displaced"), std::nullopt);
  EXPECT_EQ(Measure("other"), Measure());
  EXPECT_FALSE(Measure().stated());
  EXPECT_EQ(Measure().id(), "other");
}

// A study may declare a measure of its own (a counter of people displaced) beside built-in ones;
// its claims may then state it, and a measure it does not declare stays an error naming the
// file and line.
TEST(Vocabulary, AStudyDeclaresAMeasureOfItsOwn) {
  const Vocabulary v = vocabulary_of(
      "[vocabulary.measures.killed]\n[vocabulary.measures.displaced]\nkind = \"counter\"\n"
      "terms = [\"fled their homes\"]\n");
  ASSERT_EQ(v.measures.size(), 2u);
  EXPECT_EQ(v.measures[1].measure, Measure("displaced"));
  EXPECT_EQ(v.kind(Measure("displaced")), MeasureKind::counter);
  EXPECT_EQ(v.measure_label(Measure("displaced")), "displaced");
  EXPECT_EQ(v.parse_measure("displaced"), Measure("displaced"));
  EXPECT_EQ(v.measure_list(),
            "recruited, in_service, killed, wounded, casualties, captured, missing, deserted, "
            "returned, reoffended, prison_population, displaced, other");
  const std::string claims = kClaimsHeader +
                             "d1,2022-04-01,,displaced,,approximate,12000,12000,,,,,,,,\n" +
                             "d2,2022-04-01,,killed,,point,40,40,,,,,,,,\n";
  const std::vector<Claim> read = read_claims_csv(claims, "claims.csv", &v);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].measure, Measure("displaced"));
  EXPECT_EQ(to_string(read[0].measure), "displaced");
  const auto error_of = [&](const std::string& text, const Vocabulary* vocabulary) {
    try {
      (void)read_claims_csv(text, "claims.csv", vocabulary);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_input);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of(claims + "d3,2022-04-01,,wounded,,point,4,4,,,,,,,,\n", &v),
            "claims.csv:4: column 'measure': measure 'wounded' is not in the study's "
            "vocabulary (declared: killed, displaced)");
  EXPECT_EQ(error_of(claims + "d3,2022-04-01,,evacuated,,point,4,4,,,,,,,,\n", &v),
            "claims.csv:4: column 'measure': unknown measure 'evacuated' (one of: recruited, "
            "in_service, killed, wounded, casualties, captured, missing, deserted, returned, "
            "reoffended, prison_population, displaced, other)");
  // Without the study's vocabulary the new measure is unknown, as any word is.
  EXPECT_EQ(error_of(claims, nullptr),
            "claims.csv:2: column 'measure': unknown measure 'displaced' (one of: recruited, "
            "in_service, killed, wounded, casualties, captured, missing, deserted, returned, "
            "reoffended, prison_population, other)");
}

}  // namespace
}  // namespace recount
