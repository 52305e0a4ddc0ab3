#include "recount/synthesis/evidence.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "recount/core/error.hpp"
#include "recount/core/text.hpp"
#include "recount/core/toml.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/evidence/vocabulary.hpp"
#include "small_model.hpp"

namespace recount::synthesis {
namespace {

Claim claim(const std::string& id, Measure m, const std::string& population, ClaimKind kind,
            double low, double high, const std::string& as_of,
            const std::string& source = "Russia Behind Bars") {
  Claim c;
  c.id = id;
  c.measure = m;
  c.population = population;
  c.kind = kind;
  if (kind != ClaimKind::at_most) c.low = low;
  if (kind != ClaimKind::at_least) c.high = high;
  c.as_of = c.published = Date::parse_iso(as_of);
  c.source_org = source;
  c.source_type = SourceType::ngo;
  return c;
}

const SourceTable kSources = parse_sources(R"toml(
[[source]]
name = "UK Defence Intelligence"
aliases = ["British intelligence"]
type = "third_party_government"
)toml",
                                           "s.toml");

TEST(Evidence, RoundnessWidensRoundNumbers) {
  EXPECT_EQ(roundness_sd(118413), 0);
  EXPECT_NEAR(roundness_sd(120000), 0.5 * 10000 / 120000 / std::sqrt(3.0), 1e-12);
  EXPECT_GT(roundness_sd(20000), roundness_sd(120000));
  EXPECT_LE(roundness_sd(1000), 0.3);
  EXPECT_EQ(roundness_sd(0.5), 0);
}

TEST(Evidence, SourcesTableResolvesAliases) {
  ASSERT_NE(kSources.find("british intelligence"), nullptr);
  EXPECT_EQ(kSources.find("British intelligence")->name, "UK Defence Intelligence");
  EXPECT_EQ(kSources.find("nobody"), nullptr);
  EXPECT_THROW((void)parse_sources("[[source]]\nname = \"x\"\ntype = \"blog\"\n", "s.toml"), Error);
  EXPECT_THROW(
      (void)parse_sources("[[source]]\nname = \"x\"\ntype = \"media\"\n[[source]]\nname = \"y\"\n"
                          "aliases = [\"X\"]\ntype = \"media\"\n",
                          "s.toml"),
      Error);
}

TEST(Evidence, MapsKindsToBoundsOnTheLogScale) {
  const Model m = small_model();
  const PreparedEvidence e = prepare_evidence(
      m,
      {claim("a", Measure("recruited"), "convicts", ClaimKind::approximate, 20000, 20000,
             "2023-01-01"),
       claim("b", Measure("recruited"), "convicts", ClaimKind::range, 100000, 120000, "2023-06-01"),
       claim("c", Measure("killed"), "convicts", ClaimKind::at_least, 1000, 0, "2023-06-01"),
       claim("d", Measure("in_service"), "convicts", ClaimKind::at_most, 0, 5000, "2023-06-01"),
       claim("e", Measure("killed"), "convicts", ClaimKind::magnitude, 100, 999, "2023-06-01")},
      kSources, std::nullopt);
  ASSERT_EQ(e.claims.size(), 5u);
  EXPECT_EQ(e.claims[0].bound, Bound::value);
  EXPECT_DOUBLE_EQ(e.claims[0].lo, std::log(20001.0));
  EXPECT_TRUE(e.claims[0].approximate);  // adds the estimated width of "about" to roundness
  EXPECT_EQ(e.claims[0].roundness_sd, roundness_sd(20000));
  EXPECT_FALSE(e.claims[1].approximate);
  EXPECT_EQ(e.claims[1].bound, Bound::interval);
  EXPECT_EQ(e.claims[2].bound, Bound::at_least);
  EXPECT_TRUE(std::isinf(e.claims[2].hi));
  EXPECT_EQ(e.claims[3].bound, Bound::at_most);
  EXPECT_EQ(e.claims[4].bound, Bound::interval);
  EXPECT_DOUBLE_EQ(e.claims[4].hi, std::log(1001.0));
  EXPECT_TRUE(e.claims[4].magnitude);
  EXPECT_FALSE(e.claims[2].magnitude);
  EXPECT_EQ(e.claims[0].week, m.week_of(Date::from_ymd(2023, 1, 1)));
  EXPECT_EQ(e.sources.size(), 1u);
}

TEST(Evidence, HedgesAreCounted) {
  const Model m = small_model();
  Claim plain =
      claim("a", Measure("recruited"), "convicts", ClaimKind::point, 118413, 118413, "2023-01-01");
  Claim hedged = plain;
  hedged.id = "b";
  hedged.source_org = "other";
  hedged.low = hedged.high = 90000;
  hedged.hedges = {Hedge::reportedly, Hedge::unverified};
  const PreparedEvidence e = prepare_evidence(m, {plain, hedged}, kSources, std::nullopt);
  ASSERT_EQ(e.claims.size(), 2u);
  EXPECT_EQ(e.claims[0].hedges, 0);
  EXPECT_EQ(e.claims[1].hedges, 2);
  EXPECT_TRUE(e.any_hedged());
  EXPECT_FALSE(e.any_magnitude());
}

// A figure restated later, by its own source or quoted by another, through any outlet, is one
// piece of evidence; the first published stands for the copies.
TEST(Evidence, RestatedFiguresCollapseAcrossDatesOutletsAndSources) {
  const Model m = small_model();
  Claim original = claim("a", Measure("killed"), "convicts", ClaimKind::at_least, 1500, 0,
                         "2023-03-01", "NGO A");
  original.published = Date::from_ymd(2023, 3, 5);
  Claim later_restated = original;  // the same source, months later, another outlet
  later_restated.id = "b";
  later_restated.as_of = later_restated.published = Date::from_ymd(2023, 8, 1);
  later_restated.via = "Outlet two";
  Claim quoted = original;  // another source quoting it, listed first in the file
  quoted.id = "c";
  quoted.source_org = "Paper B";
  quoted.source_type = SourceType::media;
  quoted.published = Date::from_ymd(2023, 4, 1);
  quoted.as_of = Date::from_ymd(2023, 4, 1);
  Claim different = original;  // a new figure from the same source stays separate
  different.id = "d";
  different.low = 2500;
  const PreparedEvidence e =
      prepare_evidence(m, {quoted, later_restated, original, different}, kSources, std::nullopt);
  ASSERT_EQ(e.claims.size(), 2u);
  EXPECT_EQ(e.claims[0].claim.id, "a");
  EXPECT_EQ(e.claims[0].repeats, (std::vector<std::string>{"c", "b"}));
  EXPECT_EQ(e.claims[1].claim.id, "d");
  ASSERT_EQ(e.sources.size(), 1u);  // the copier is not a source of its own
  EXPECT_EQ(e.sources[0].name, "NGO A");
}

TEST(Evidence, OutlierComponentIgnoresTheTruth) {
  const Model m = small_model();
  const PreparedEvidence e = prepare_evidence(
      m,
      {claim("a", Measure("killed"), "convicts", ClaimKind::point, 999, 999, "2023-03-01"),
       claim("b", Measure("killed"), "convicts", ClaimKind::at_least, 99, 0, "2023-03-01")},
      kSources, std::nullopt);
  ASSERT_EQ(e.claims.size(), 2u);
  const double ceiling = std::log(1000.0) + std::log(10.0);
  EXPECT_NEAR(e.outlier_log_ceiling, ceiling, 1e-12);
  EXPECT_NEAR(e.claims[0].outlier_log_mass, -std::log(ceiling), 1e-12);
  EXPECT_NEAR(e.claims[1].outlier_log_mass, std::log((ceiling - std::log(100.0)) / ceiling), 1e-12);
}

TEST(Evidence, RepeatsByOutletsCollapseAndAliasesMerge) {
  const Model m = small_model();
  Claim a = claim("a", Measure("killed"), "convicts", ClaimKind::approximate, 20000, 20000,
                  "2023-06-01", "UK Defence Intelligence");
  a.via = "Outlet one";
  Claim b = a;
  b.id = "b";
  b.via = "Outlet two";
  b.source_org = "British intelligence";
  Claim c = a;
  c.id = "c";
  c.low = c.high = 21000;  // a different figure from the same source stays separate
  const PreparedEvidence e = prepare_evidence(m, {a, b, c}, kSources, std::nullopt);
  ASSERT_EQ(e.claims.size(), 2u);
  EXPECT_EQ(e.claims[0].repeats, std::vector<std::string>{"b"});
  EXPECT_EQ(e.sources.size(), 1u);
  EXPECT_EQ(e.sources[0].type, SourceType::third_party_government);
}

TEST(Evidence, UnusedClaimsAreListedWithReasons) {
  const Model m = small_model();
  Claim rate_on_stock =
      claim("r", Measure("in_service"), "convicts", ClaimKind::point, 100, 100, "2023-01-01");
  rate_on_stock.rate = Rate::week;
  Claim late =
      claim("l", Measure("recruited"), "convicts", ClaimKind::point, 100, 100, "2023-01-01");
  late.published = Date::from_ymd(2023, 3, 1);
  const PreparedEvidence e = prepare_evidence(
      m,
      {claim("u", Measure("reoffended"), "convicts", ClaimKind::at_least, 24, 0, "2023-01-01"),
       claim("o", Measure("recruited"), "convicts", ClaimKind::point, 100, 100, "2021-06-01"),
       claim("w", Measure("killed"), "russian_forces", ClaimKind::at_least, 1000, 0, "2023-01-01"),
       rate_on_stock, late},
      kSources, Date::from_ymd(2023, 2, 1));
  EXPECT_TRUE(e.claims.empty());
  ASSERT_EQ(e.unused.size(), 5u);
  EXPECT_NE(e.unused[0].reason.find("no quantity for reoffended"), std::string::npos);
  EXPECT_NE(e.unused[1].reason.find("outside the model's grid"), std::string::npos);
  EXPECT_NE(e.unused[2].reason.find("says nothing"), std::string::npos);
  EXPECT_NE(e.unused[3].reason.find("rate"), std::string::npos);
  EXPECT_NE(e.unused[4].reason.find("--until"), std::string::npos);
}

TEST(Evidence, WiderPopulationsBoundFromAbove) {
  const Model m = small_model();
  const PreparedEvidence e = prepare_evidence(m,
                                              {claim("w", Measure("killed"), "russian_forces",
                                                     ClaimKind::range, 40000, 55000, "2023-05-27")},
                                              kSources, std::nullopt);
  ASSERT_EQ(e.claims.size(), 1u);
  EXPECT_TRUE(e.claims[0].from_wider);
  EXPECT_EQ(e.claims[0].bound, Bound::at_most);
  EXPECT_DOUBLE_EQ(e.claims[0].hi, std::log(55001.0));
}

TEST(Evidence, DeterministicChecksFlagPartsLargerThanWholes) {
  const Model m = small_model();
  Claim bad = claim("x", Measure("killed"), "convicts", ClaimKind::point, 100, 100, "2023-01-01");
  bad.published = Date::from_ymd(2022, 12, 1);
  const PreparedEvidence e = prepare_evidence(
      m,
      {claim("p", Measure("killed"), "convicts", ClaimKind::at_least, 60000, 0, "2023-05-01"),
       claim("w", Measure("killed"), "russian_forces", ClaimKind::range, 40000, 55000,
             "2023-05-27"),
       bad},
      kSources, std::nullopt);
  ASSERT_EQ(e.flags.size(), 2u);
  EXPECT_NE(e.flags[0].problem.find("as_of"), std::string::npos) << e.flags[0].problem;
  EXPECT_NE(e.flags[1].problem.find("part larger than its whole"), std::string::npos);
  EXPECT_EQ(e.flags[1].ids, (std::vector<std::string>{"p", "w"}));
}

// Parts come from the model's structure, not from the measures' names: here "deserted" is the
// killed flow and "missing" the killed and returned flows together (an invented mapping), so a
// deserted figure above a later missing one is a part larger than its whole; a level is compared
// at its own date only.
TEST(Evidence, PartsAndWholesComeFromTheModel) {
  std::string text = read_file(RECOUNT_SOURCE_DIR "/tests/synthesis/data/small.toml");
  const std::string table = "[quantities]\n";
  text.insert(text.find(table) + table.size(),
              "\"men.deserted\" = \"killed\"\n\"men.missing\" = [\"killed\", \"returned\"]\n"
              "\"men.in_service\" = \"front\"\n\"men.captured\" = [\"front\", \"prison\"]\n");
  const Model m = parse_model(text, "invented.toml");
  const PreparedEvidence e = prepare_evidence(
      m,
      {claim("d", Measure("deserted"), "men", ClaimKind::at_least, 9000, 0, "2023-01-07"),
       claim("m", Measure("missing"), "men", ClaimKind::at_most, 0, 5000, "2023-06-03"),
       claim("s", Measure("in_service"), "men", ClaimKind::at_least, 9000, 0, "2023-01-07"),
       claim("c", Measure("captured"), "men", ClaimKind::at_most, 0, 5000, "2023-06-03")},
      kSources, std::nullopt);
  ASSERT_EQ(e.flags.size(), 1u);
  EXPECT_EQ(e.flags[0].ids, (std::vector<std::string>{"d", "m"}));
}

// A measure no built-in vocabulary knows, declared by the study, is read from its claims CSV and
// reaches the model quantity of that measure; without the study's vocabulary both the claims and
// the model refuse it, naming the file and line.
TEST(Evidence, AStudysOwnMeasureReachesItsModelQuantity) {
  const std::string study =
      "[vocabulary.measures.displaced]\nkind = \"counter\"\n"
      "label = \"displaced from home\"\n";
  const toml::table root = parse_toml(study, "study.toml");
  const TomlReader reader("study.toml");
  const Vocabulary v = read_vocabulary(reader.table(*root.get("vocabulary"), "vocabulary"), reader);
  std::string text = read_file(RECOUNT_SOURCE_DIR "/tests/synthesis/data/small.toml");
  const std::string table = "[quantities]\n";
  text.insert(text.find(table) + table.size(), "\"villagers.displaced\" = \"returned\"\n");
  const std::string csv =
      "id,as_of,published,measure,population,kind,low,high,rate,source,source_org,source_type,"
      "via,hedges,note,url\n"
      "d1,2023-01-07,,displaced,villagers,point,4000,4000,,,UK Defence Intelligence,,,,,\n";
  const Model m = parse_model(text, "invented.toml", &v);
  const int q = m.find_quantity("villagers", Measure("displaced"));
  ASSERT_GE(q, 0);
  EXPECT_FALSE(m.quantities[static_cast<std::size_t>(q)].is_stock);
  EXPECT_EQ(vocabulary_problem(m.quantities[static_cast<std::size_t>(q)], v), "");
  const std::vector<Claim> claims = read_claims_csv(csv, "claims.csv", &v);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].measure, Measure("displaced"));
  const PreparedEvidence e = prepare_evidence(m, claims, kSources, std::nullopt);
  ASSERT_EQ(e.claims.size(), 1u);
  EXPECT_EQ(e.claims[0].quantity, q);
  EXPECT_TRUE(e.unused.empty());

  const auto error_of = [](const auto& read) {
    try {
      read();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of([&] { (void)read_claims_csv(csv, "claims.csv"); }),
            "claims.csv:2: column 'measure': unknown measure 'displaced' (one of: recruited, "
            "in_service, killed, wounded, casualties, captured, missing, deserted, returned, "
            "reoffended, prison_population, other)");
  EXPECT_NE(error_of([&] { (void)parse_model(text, "invented.toml"); }).find("invented.toml:"),
            std::string::npos);
}

}  // namespace
}  // namespace recount::synthesis
