// The claim extractor: the seed report, the project's own test articles (each with its expected
// claims), one-sentence patterns, things that are not claims, documents and hostile input.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"

namespace recount {
namespace {

namespace fs = std::filesystem;

std::vector<Claim> claims_of(const std::string& text, const std::string& origin = "t.txt") {
  return extract_claims(make_document(text, origin));
}

std::vector<Claim> counted(const std::vector<Claim>& claims) {
  std::vector<Claim> out;
  for (const Claim& c : claims)
    if (c.measure != Measure()) out.push_back(c);
  return out;
}

std::string describe(const Claim& c) {
  return to_json(c).dump();
}

bool has_hedge(const Claim& c, Hedge h) {
  return std::find(c.hedges.begin(), c.hedges.end(), h) != c.hedges.end();
}

// --- the seed report ----------------------------------------------------------------------------

TEST(ExtractSeed, YieldsExactlyTheNineClaims) {
  const fs::path seed = fs::path(RECOUNT_SOURCE_DIR) / "../shared/seed/000_e1ee660391688eeb.txt";
  if (!fs::exists(seed)) GTEST_SKIP() << "../shared is not present";
  const Document doc = load_document(seed);
  ASSERT_TRUE(doc.date.has_value());
  EXPECT_EQ(doc.date->iso(), "2023-12-08");
  const std::vector<Claim> all = extract_claims(doc);
  const std::vector<Claim> c = counted(all);
  std::string listing;
  for (const Claim& x : all)
    listing += describe(x) + "\n";
  ASSERT_EQ(c.size(), 9u) << listing;
  for (const Claim& x : all) {
    ASSERT_TRUE(x.as_of.has_value()) << describe(x);
    EXPECT_EQ(x.as_of->iso(), "2023-12-08") << describe(x);
    EXPECT_EQ(x.published, doc.date);
    EXPECT_EQ(claim_problem(x), "") << describe(x);
  }
  const auto bounds = [](const Claim& x, std::optional<double> lo, std::optional<double> hi) {
    return x.low == lo && x.high == hi;
  };
  // 120,000 reportedly in service (headline and caption: one claim)
  EXPECT_TRUE(c[0].measure == Measure("recruited") || c[0].measure == Measure("in_service"));
  EXPECT_EQ(c[0].kind, ClaimKind::point);
  EXPECT_TRUE(bounds(c[0], 120000, 120000));
  EXPECT_TRUE(has_hedge(c[0], Hedge::reportedly));
  // 100,000-120,000 recruited, independent media in Moscow, estimate
  EXPECT_EQ(c[1].measure, Measure("recruited"));
  EXPECT_EQ(c[1].kind, ClaimKind::range);
  EXPECT_TRUE(bounds(c[1], 100000, 120000));
  EXPECT_EQ(c[1].source, "independent media in Moscow");
  EXPECT_TRUE(has_hedge(c[1], Hedge::estimate));
  // >= 100,000 recruited, Vladimir Osechkin
  EXPECT_EQ(c[2].measure, Measure("recruited"));
  EXPECT_EQ(c[2].kind, ClaimKind::at_least);
  EXPECT_TRUE(bounds(c[2], 100000, std::nullopt));
  EXPECT_EQ(c[2].source, "Vladimir Osechkin");
  // hundreds killed daily
  EXPECT_EQ(c[3].measure, Measure("killed"));
  EXPECT_EQ(c[3].kind, ClaimKind::magnitude);
  EXPECT_TRUE(bounds(c[3], 100, 999));
  EXPECT_EQ(c[3].rate, Rate::day);
  // <= 120,000 recruited, Olga Romanova of Justice Russia, estimate
  EXPECT_EQ(c[4].measure, Measure("recruited"));
  EXPECT_EQ(c[4].kind, ClaimKind::at_most);
  EXPECT_TRUE(bounds(c[4], std::nullopt, 120000));
  EXPECT_EQ(c[4].source, "Olga Romanova");
  EXPECT_EQ(c[4].source_org, "Justice Russia");
  EXPECT_TRUE(has_hedge(c[4], Hedge::estimate));
  // >= 1,000 killed a week, Vladimir Osechkin
  EXPECT_EQ(c[5].measure, Measure("killed"));
  EXPECT_EQ(c[5].kind, ClaimKind::at_least);
  EXPECT_TRUE(bounds(c[5], 1000, std::nullopt));
  EXPECT_EQ(c[5].rate, Rate::week);
  EXPECT_EQ(c[5].source, "Vladimir Osechkin");
  // 350,000 Russian casualties, British intelligence
  EXPECT_EQ(c[6].measure, Measure("casualties"));
  EXPECT_EQ(c[6].population, "russian_forces");
  EXPECT_TRUE(bounds(c[6], 350000, 350000));
  EXPECT_EQ(c[6].source, "British intelligence");
  EXPECT_EQ(c[6].source_type, SourceType::third_party_government);
  // ~20,000 convicts among them, might
  EXPECT_TRUE(c[7].measure == Measure("casualties") || c[7].measure == Measure("killed"));
  EXPECT_EQ(c[7].kind, ClaimKind::approximate);
  EXPECT_TRUE(bounds(c[7], 20000, 20000));
  EXPECT_EQ(c[7].population, "convicts");
  EXPECT_EQ(c[7].source, "British intelligence");
  EXPECT_TRUE(has_hedge(c[7], Hedge::might));
  // ~40,000 wounded
  EXPECT_EQ(c[8].measure, Measure("wounded"));
  EXPECT_EQ(c[8].kind, ClaimKind::approximate);
  EXPECT_TRUE(bounds(c[8], 40000, 40000));
}

// --- the project's own articles -----------------------------------------------------------------

// Each line of the expected file lists the fields that matter of one claim, in order; the
// article must give exactly these claims.
void check_article(const fs::path& article, const fs::path& expected_file) {
  SCOPED_TRACE(article.filename().string());
  const std::vector<Claim> got = extract_claims(load_document(article));
  std::vector<nlohmann::json> expected;
  std::ifstream in(expected_file);
  std::string line;
  while (std::getline(in, line))
    if (!trim(line).empty()) expected.push_back(nlohmann::json::parse(line));
  std::string listing;
  for (const Claim& c : got)
    listing += describe(c) + "\n";
  ASSERT_EQ(got.size(), expected.size()) << listing;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const nlohmann::json actual = to_json(got[i]);
    for (const auto& [key, value] : expected[i].items()) {
      if (key == "low" || key == "high") {
        if (value.is_null()) {
          EXPECT_TRUE(actual[key].is_null()) << "claim " << i + 1 << " " << key << "\n" << listing;
        } else {
          EXPECT_EQ(actual[key].get<double>(), value.get<double>())
              << "claim " << i + 1 << " " << key << "\n"
              << listing;
        }
        continue;
      }
      EXPECT_EQ(actual[key], value) << "claim " << i + 1 << " " << key << "\n" << listing;
    }
    EXPECT_EQ(claim_problem(got[i]), "") << describe(got[i]);
  }
}

TEST(ExtractArticles, EachGivesItsExpectedClaims) {
  const fs::path dir = fs::path(RECOUNT_SOURCE_DIR) / "tests/evidence/articles";
  std::size_t articles = 0;
  std::size_t html = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path p = entry.path();
    const std::string ext = p.extension().string();
    if (ext != ".txt" && ext != ".html") continue;
    fs::path expected = p;
    expected.replace_extension(".claims.jsonl");
    ASSERT_TRUE(fs::exists(expected)) << "no expected claims for " << p;
    check_article(p, expected);
    ++articles;
    html += ext == ".html" ? 1 : 0;
  }
  EXPECT_GE(articles, 8u);
  EXPECT_GE(html, 2u);
}

// --- one sentence at a time ---------------------------------------------------------------------

struct Pattern {
  const char* text;
  Measure measure;
  ClaimKind kind;
  std::optional<double> low;
  std::optional<double> high;
  Rate rate = Rate::none;
};

class ExtractPattern : public ::testing::TestWithParam<Pattern> {};

TEST_P(ExtractPattern, ReadsTheQuantity) {
  const Pattern& p = GetParam();
  const std::vector<Claim> c = claims_of(p.text);
  std::string listing;
  for (const Claim& x : c)
    listing += describe(x) + "\n";
  ASSERT_EQ(c.size(), 1u) << p.text << "\n" << listing;
  EXPECT_EQ(c[0].measure, p.measure) << p.text;
  EXPECT_EQ(c[0].kind, p.kind) << p.text;
  EXPECT_EQ(c[0].low, p.low) << p.text;
  EXPECT_EQ(c[0].high, p.high) << p.text;
  EXPECT_EQ(c[0].rate, p.rate) << p.text;
}

using M = Measure;
using K = ClaimKind;
constexpr std::nullopt_t no = std::nullopt;

INSTANTIATE_TEST_SUITE_P(
    Numbers, ExtractPattern,
    ::testing::Values(Pattern{"The army has recruited 120,000 prisoners.", M("recruited"), K::point,
                              120000, 120000},
                      Pattern{"The army has recruited 120 000 prisoners.", M("recruited"), K::point,
                              120000, 120000},
                      Pattern{"Officials said 1.2 million men were mobilised.", M("recruited"),
                              K::point, 1200000, 1200000},
                      Pattern{"The ministry has drafted 120 thousand inmates.", M("recruited"),
                              K::point, 120000, 120000},
                      Pattern{"A thousand convicts were killed in the assault.", M("killed"),
                              K::point, 1000, 1000},
                      Pattern{"Half a million soldiers have been wounded.", M("wounded"), K::point,
                              500000, 500000},
                      Pattern{"Tens of thousands of inmates were sent to the front.",
                              M("recruited"), K::magnitude, 10000, 99999},
                      Pattern{"Hundreds of thousands of soldiers have died.", M("killed"),
                              K::magnitude, 100000, 999999},
                      Pattern{"Several thousand convicts have deserted.", M("deserted"),
                              K::magnitude, 3000, 9999},
                      Pattern{"Dozens of prisoners were captured near the river.", M("captured"),
                              K::magnitude, 24, 99},
                      Pattern{"Twenty-five fighters went missing after the attack.", M("missing"),
                              K::point, 25, 25},
                      Pattern{"Two hundred inmates signed up last week.", M("recruited"), K::point,
                              200, 200},
                      Pattern{"A few hundred former prisoners have returned home.", M("returned"),
                              K::magnitude, 200, 999}));

INSTANTIATE_TEST_SUITE_P(
    Ranges, ExtractPattern,
    ::testing::Values(Pattern{"They released 100,000 to 120,000 inmates.", M("recruited"), K::range,
                              100000, 120000},
                      Pattern{"Between 42,000 and 43,000 prisoners were recruited.", M("recruited"),
                              K::range, 42000, 43000},
                      Pattern{"Some 42-43 thousand convicts were recruited.", M("recruited"),
                              K::range, 42000, 43000},
                      Pattern{"From 5,000 to 7,000 men were killed.", M("killed"), K::range, 5000,
                              7000},
                      Pattern{"The colonies sent 5\xE2\x80\x93"
                              "7 thousand inmates to the front.",
                              M("recruited"), K::range, 5000, 7000}));

INSTANTIATE_TEST_SUITE_P(
    Bounds, ExtractPattern,
    ::testing::Values(
        Pattern{"Up to 120,000 prisoners have been dispatched.", M("recruited"), K::at_most, no,
                120000},
        Pattern{"As many as 20,000 soldiers were wounded.", M("wounded"), K::at_most, no, 20000},
        Pattern{"No more than 3,000 inmates have come home.", M("returned"), K::at_most, no, 3000},
        Pattern{"More than a thousand convicts die every week.", M("killed"), K::at_least, 1000, no,
                Rate::week},
        Pattern{"Over 100,000 convicts have been sent to the front.", M("recruited"), K::at_least,
                100000, no},
        Pattern{"At least 458 prisoners were killed.", M("killed"), K::at_least, 458, no},
        Pattern{"In excess of 50,000 troops were injured.", M("wounded"), K::at_least, 50000, no},
        Pattern{"Fewer than 300 convicts have surrendered.", M("captured"), K::at_most, no, 300},
        Pattern{"Upwards of 2,000 men deserted.", M("deserted"), K::at_least, 2000, no},
        Pattern{"5,000 or more inmates were recruited.", M("recruited"), K::at_least, 5000, no}));

INSTANTIATE_TEST_SUITE_P(
    Approximations, ExtractPattern,
    ::testing::Values(
        Pattern{"Around 20,000 convicts were killed.", M("killed"), K::approximate, 20000, 20000},
        Pattern{"About 6,000 prisoners signed contracts.", M("recruited"), K::approximate, 6000,
                6000},
        Pattern{"Roughly 40,000 soldiers were injured.", M("wounded"), K::approximate, 40000,
                40000},
        Pattern{"Nearly 900 fighters were captured.", M("captured"), K::approximate, 900, 900},
        Pattern{"Some 40 have already reoffended.", M("reoffended"), K::approximate, 40, 40},
        Pattern{"An estimated 15,000 convicts have deserted.", M("deserted"), K::approximate, 15000,
                15000},
        Pattern{"Approximately 350,000 casualties were recorded.", M("casualties"), K::approximate,
                350000, 350000}));

INSTANTIATE_TEST_SUITE_P(
    Rates, ExtractPattern,
    ::testing::Values(Pattern{"About 900 soldiers are killed a day.", M("killed"), K::approximate,
                              900, 900, Rate::day},
                      Pattern{"Hundreds of prisoners die daily.", M("killed"), K::magnitude, 100,
                              999, Rate::day},
                      Pattern{"The army recruits 10,000 convicts per month.", M("recruited"),
                              K::point, 10000, 10000, Rate::month},
                      Pattern{"Every week, some 500 inmates are sent to the front.", M("recruited"),
                              K::approximate, 500, 500, Rate::week},
                      Pattern{"Roughly 2,000 men desert weekly.", M("deserted"), K::approximate,
                              2000, 2000, Rate::week}));

INSTANTIATE_TEST_SUITE_P(
    Measures, ExtractPattern,
    ::testing::Values(
        Pattern{"Some 30,000 convicts are now serving at the front.", M("in_service"),
                K::approximate, 30000, 30000},
        Pattern{"About 15,000 prisoners of war are held in Ukraine.", M("captured"), K::approximate,
                15000, 15000},
        Pattern{"Around 8,000 pardoned fighters came home.", M("returned"), K::approximate, 8000,
                8000},
        Pattern{"At least 40 of them committed new crimes.", M("reoffended"), K::at_least, 40, no},
        Pattern{"The prison population fell to 266,000 inmates.", M("prison_population"), K::point,
                266000, 266000},
        Pattern{"At least 500 soldiers were killed or wounded.", M("casualties"), K::at_least, 500,
                no},
        Pattern{"The group counted 2,000 recruits.", M("recruited"), K::point, 2000, 2000},
        Pattern{"Over the bodies of hundreds of executed prisoners, the assault went on.",
                M("other"), K::magnitude, 100, 999}));

// --- not people ---------------------------------------------------------------------------------

class NotAClaim : public ::testing::TestWithParam<const char*> {};

TEST_P(NotAClaim, GivesNoClaim) {
  const std::vector<Claim> c = claims_of(GetParam());
  std::string listing;
  for (const Claim& x : c)
    listing += describe(x) + "\n";
  EXPECT_TRUE(c.empty()) << GetParam() << "\n" << listing;
}

INSTANTIATE_TEST_SUITE_P(
    Negatives, NotAClaim,
    ::testing::Values(
        "The recruitment of prisoners began in 2022 and was killed off in 2024.",
        "Contracts pay $2,000 a month to the men who sign.",
        "Each recruit was promised 200,000 roubles, and the families of those killed 5 million "
        "roubles.",
        "About 20% of the inmates who were sent to the front have died.",
        "Men aged 35 to 50 were recruited, and a 35-year-old was killed.",
        "The soldiers were recruited for six months and 14 days.",
        "Recruiters visited 35 penal colonies in 10 regions and killed time.",
        "The men were sent to the front at 2:30 pm on 8 December 2023.",
        "On December 8, 2023, recruiters came back to colony No. 6.",
        "The unit lost 12 tanks and 30 armoured vehicles near the village.",
        "A 10-year sentence awaits the deserters.", ""));

// A Russian sentence is read, not skipped: "about 100 000 prisoners were sent to the front".
TEST(ExtractRussianSentence, GivesItsClaim) {
  const std::vector<Claim> c = claims_of(
      "\xD0\x9E\xD0\xBA\xD0\xBE\xD0\xBB\xD0\xBE 100 000 \xD0\xB7\xD0\xB0\xD0\xBA\xD0\xBB\xD1\x8E"
      "\xD1\x87\xD1\x91\xD0\xBD\xD0\xBD\xD1\x8B\xD1\x85 \xD0\xBE\xD1\x82\xD0\xBF\xD1\x80\xD0\xB0"
      "\xD0\xB2\xD0\xB8\xD0\xBB\xD0\xB8 \xD0\xBD\xD0\xB0 "
      "\xD1\x84\xD1\x80\xD0\xBE\xD0\xBD\xD1\x82.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].measure, Measure("recruited"));
  EXPECT_EQ(c[0].kind, ClaimKind::approximate);
  EXPECT_EQ(c[0].low, 100000);
}

// --- attribution, hedges, dates, repetition
// -------------------------------------------------------

TEST(ExtractAttribution, NamesTheSourceAndItsOrganisation) {
  const auto c = claims_of(
      "Anna Petrova, the director of Northern Rights Watch, said that 3,000 inmates had been "
      "killed.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].source, "Anna Petrova");
  EXPECT_EQ(c[0].source_org, "Northern Rights Watch");
  EXPECT_EQ(c[0].source_type, SourceType::ngo);
}

TEST(ExtractAttribution, AccordingToAndBackReferences) {
  const auto c = claims_of(
      "According to Mediazona, at least 22,000 Wagner fighters have died. The outlet also "
      "reported that 17,000 of them were convicts recruited in prisons. She told reporters "
      "that 900 soldiers died.");
  ASSERT_GE(c.size(), 2u);
  EXPECT_EQ(c[0].source, "Mediazona");
  EXPECT_EQ(c[0].source_type, SourceType::data_journalism);
  EXPECT_EQ(c[1].source, "Mediazona");
}

TEST(ExtractAttribution, SaidAfterTheFigure) {
  const auto c = claims_of("Some 600 prisoners were killed last month, said Ivan Sidorov.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].source, "Ivan Sidorov");
}

// Attribution across clauses and sentences (issue 16's failure kinds, in the project's words).
TEST(ExtractAttribution, MonthsDescriptionsAndBodiesNamedBefore) {
  // A month opening the clause is no name; "it" is the body the sentence before named.
  auto c = claims_of(
      "The Bureau for Missing Soldiers publishes few figures. In June it said that 1,210 men "
      "had been brought home.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].measure, Measure("returned"));
  EXPECT_EQ(c[0].source, "Bureau for Missing Soldiers");
  // "the governor's office" is a description, not a back-reference to the last body named.
  c = claims_of(
      "At least 40 men are missing, the outlet Steppe Post concluded.\n\n"
      "Around 900 reservists are still at the front, the governor's office said.");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].measure, Measure("in_service"));
  EXPECT_EQ(c[1].source, "governor's office");
  // A body named without a figure is whom "their count" means.
  c = claims_of(
      "Researchers at the Delta Legal Group interviewed former captives. By their count, at "
      "least 47 prisoners died in custody.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].source, "Delta Legal Group");
  // Records obtained by a body are its figures.
  c = claims_of("Records obtained by the Lowland Desk list 4,812 men recruited from colonies.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].source, "Lowland Desk");
}

TEST(ExtractAttribution, APluralPossessiveInsideAName) {
  const auto c = claims_of("At least 300 men deserted, the Soldiers' Mothers Committee said.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].source, "Soldiers' Mothers Committee");
}

TEST(ExtractMeasure, WhatColoniesHoldIsAPrisonPopulation) {
  const auto c = claims_of("The prison service said its colonies held 8,400 inmates.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].measure, Measure("prison_population"));
}

TEST(ExtractMeasure, WhatOnePrisonHoldsIsAPrisonPopulation) {
  const auto c = claims_of("The regional office said the jail holds 740 men.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].measure, Measure("prison_population"));
}

TEST(ExtractAttribution, AReportSpeaksForItsPublisherEvenAfterTheFigures) {
  const auto c = claims_of(
      "\xF0\x9F\x93\x8C Call-up watch\n3 October 2024\n\n"
      "- 1,850 men received call-up papers in September\n"
      "- at least 27 have already died\n\n"
      "Our count is based on messages from families.");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].measure, Measure("recruited"));
  EXPECT_EQ(c[0].source, "Call-up watch");
  EXPECT_EQ(c[1].source, "Call-up watch");
}

TEST(ExtractTables, OrdinalLabelsAndPhraseHeaders) {
  const auto c = claims_of(
      "<html><body><p>Losses, as counted by the Open Casualty Project.</p><table>"
      "<tr><th>Brigade</th><th>Dead</th><th>Taken prisoner</th></tr>"
      "<tr><td>14th</td><td>1,120</td><td>95</td></tr></table></body></html>",
      "t.html");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].measure, Measure("killed"));
  EXPECT_EQ(c[1].measure, Measure("captured"));
  EXPECT_EQ(c[1].low, 95);
}

TEST(ExtractAttribution, AHeadlineFigureTakesTheBodysSource) {
  const auto c = claims_of(
      "Eastern region counts 1,450 reservists sent to the front\n\n"
      "A total of 1,450 reservists have been sent to the front, the regional governor said.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].measure, Measure("recruited"));
  EXPECT_EQ(c[0].source, "regional governor");
  EXPECT_EQ(c[0].start, 22u);  // where the figure first appears
}

TEST(ExtractNumbers, ADecimalTimesAMultiplierIsAWholeNumber) {
  const auto c = claims_of("Officials said 1.15 million men were mobilised.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].low, 1150000);
  EXPECT_EQ(c[0].high, 1150000);
}

TEST(ExtractMeasure, ThePhraseAfterTheFigureIsItsPredicate) {
  const auto c =
      claims_of("Of those who came back, at least 61 were later charged with new crimes.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].measure, Measure("reoffended"));
}

// A sentence_measure line may give a word's alternatives with '|' ("convicted|accused of new"):
// each alternative decides the clause as its own line would, the other recruits' measure too.
TEST(ExtractMeasure, ASentencePhraseWithAlternativesDecidesEachOfThem) {
  for (const std::string verb : {"convicted", "accused"}) {
    const auto c = claims_of("Of the recruits who came back, at least 61 were later " + verb +
                             " of new crimes.");
    ASSERT_EQ(c.size(), 1u) << verb;
    EXPECT_EQ(c[0].measure, Measure("reoffended")) << verb;
  }
  for (const std::string verb : {"came", "returned"}) {
    const auto c = claims_of("At least 300 of the recruits " + verb + " home wounded.");
    ASSERT_EQ(c.size(), 1u) << verb;
    EXPECT_EQ(c[0].measure, Measure("wounded")) << verb;
  }
}

// "KIA/WIA", "killed/wounded": two fates joined by a slash are casualties, as "killed and wounded".
TEST(ExtractMeasure, FatesJoinedByASlashAreCasualties) {
  for (const std::string fates : {"KIA/WIA", "killed/wounded", "WIA/KIA"}) {
    const auto c = claims_of("The regional staff counted 1,200 soldiers " + fates + " in a week.");
    ASSERT_EQ(c.size(), 1u) << fates;
    EXPECT_EQ(c[0].measure, Measure("casualties")) << fates;
  }
}

TEST(ExtractHedges, FromTheWordsOfTheSentence) {
  const auto c = claims_of(
      "The figure, which could not be independently verified, is said to be 4,000 deserters, "
      "and probably more.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(has_hedge(c[0], Hedge::unverified));
  EXPECT_TRUE(has_hedge(c[0], Hedge::reportedly));
  EXPECT_TRUE(has_hedge(c[0], Hedge::likely));
  EXPECT_FALSE(has_hedge(c[0], Hedge::might));  // "could not be verified" is not "might"
}

TEST(ExtractDates, SentenceDateOverridesTheDateline) {
  const auto c = claims_of(
      "8 December 2023\n\nBy the end of June 2023, some 32,000 pardoned convicts had come "
      "home. As of 1 October 2023, 5,000 inmates were serving at the front. Since 2022, about "
      "900 have died.");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].as_of->iso(), "2023-06-30");
  EXPECT_EQ(c[1].as_of->iso(), "2023-10-01");
  EXPECT_EQ(c[2].as_of->iso(), "2023-12-08");
  for (const Claim& x : c)
    EXPECT_EQ(x.published->iso(), "2023-12-08");
}

TEST(ExtractRepetition, SameFigureWithoutAnotherSourceIsOneClaim) {
  const auto c = claims_of(
      "50,000 convicts recruited, rights group says\n\n"
      "50,000 convicts recruited\n\n"
      "The rights group Free Colonies says 50,000 convicts have been recruited. The defence "
      "ministry of Ruritania says 50,000 convicts have been recruited.");
  ASSERT_EQ(c.size(), 2u) << describe(c[0]);
  EXPECT_EQ(c[0].source, "Free Colonies");
  EXPECT_NE(c[1].source, c[0].source);
}

TEST(ExtractClaims, OffsetsIdsAndText) {
  const Document doc = make_document("Title\n\nUp to 7,000 inmates have deserted.", "x.txt");
  const auto c = extract_claims(doc);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(doc.text.substr(*c[0].start, *c[0].end - *c[0].start), "Up to 7,000");
  EXPECT_EQ(c[0].text, "Up to 7,000 inmates have deserted.");
  EXPECT_EQ(c[0].id, doc.id.substr(0, 8) + "-1");
  EXPECT_EQ(c[0].document, "x.txt");
  EXPECT_EQ(c[0].status, ReviewStatus::proposed);
}

TEST(ExtractSentences, AbbreviationsInitialsAndDecimalsDoNotSplit) {
  const auto c = claims_of(
      "Mr. J. Smith of the U.S. Department of State said on Dec. 4 that 1.5 million Russian "
      "soldiers were deployed, and that 2,000 deserted.");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].low, 1500000);
  EXPECT_EQ(c[0].source, "J. Smith");
  EXPECT_EQ(c[1].source, "J. Smith");
}

// --- documents
// ------------------------------------------------------------------------------------

TEST(ExtractReport, AStatementsIssuerAndItsParts) {
  // A title naming its issuer gives it the figures attributed to no one; a part with no
  // measure of its own takes the whole's, in its sentence or, after "Of those", the last; a
  // phrase may hold an adverb ("now holds").
  const std::vector<Claim> c = claims_of(
      "Statement of the Western Prisoner Bureau\n\n2 March 2025\n\n"
      "On Friday 140 captured soldiers returned home in an exchange. Among them are 9 civilians. "
      "Of those, 4 are women.\n\n"
      "The old colony now holds 510 inmates, the prison service said.\n");
  ASSERT_EQ(c.size(), 4u) << describe(c.back());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(c[i].measure, Measure("returned")) << i;
    EXPECT_EQ(c[i].source, "the Western Prisoner Bureau") << i;
  }
  EXPECT_EQ(c[2].low, 4);
  EXPECT_EQ(c[3].measure, Measure("prison_population"));
}

TEST(ExtractReport, ClausesWithTheirOwnSourcesAndRolesBeforeAName) {
  // Clauses joined by ", while" keep their own sources; a name and a body noun after it are
  // the body; "N of them" takes its whole's measure; "per" before a role and a name.
  const std::vector<Claim> c = claims_of(
      "Town toll\n\n2 March 2025\n\n"
      "At least 20 civilians were killed in the town, the mayor's office said, while the Eastern "
      "monitoring mission counted 14 dead.\n\n"
      "At least 35 of them were mobilised men, the mission said.\n\n"
      "27 soldiers were taken prisoner, per brigade press officer Ivan Marko.\n");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].source, "mayor's office");
  EXPECT_EQ(c[1].source, "Eastern monitoring mission");
  EXPECT_EQ(c[2].measure, Measure("killed"));
  EXPECT_EQ(c[2].source, "Eastern monitoring mission");
  EXPECT_EQ(c[3].source, "Ivan Marko");
}

TEST(ExtractReport, ASentenceOpeningWithWhomItsFiguresAreDrawnFrom) {
  const std::vector<Claim> c = claims_of(
      "Search update\n\n2 March 2025\n\n"
      "Of the missing, about 800 are mobilised men and 150 are volunteers from prisons.\n");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].measure, Measure("missing"));
  EXPECT_EQ(c[1].measure, Measure("missing"));
}

TEST(Document, HtmlTextTitleAndDate) {
  const Document doc = make_document(
      "<!DOCTYPE html><html><head><title>Convicts at war</title>"
      "<meta property=\"article:published_time\" content=\"2023-06-30T09:00:00Z\">"
      "<style>p { color: red }</style></head><body>"
      "<nav>Menu: 5,000 soldiers killed</nav><script>var x = '9,000 killed';</script>"
      "<h1>Convicts at war</h1><p>About 2,000 inmates<br>were killed.</p><p>Next.</p>"
      "</body></html>",
      "page.html");
  EXPECT_EQ(doc.format, "html");
  EXPECT_EQ(doc.title, "Convicts at war");
  ASSERT_TRUE(doc.date.has_value());
  EXPECT_EQ(doc.date->iso(), "2023-06-30");
  EXPECT_EQ(doc.text, "Convicts at war\n\nAbout 2,000 inmates\nwere killed.\n\nNext.");
  const auto c = extract_claims(doc);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].low, 2000);
  EXPECT_EQ(doc.text.substr(*c[0].start, *c[0].end - *c[0].start), "About 2,000");
}

TEST(Document, TextTitleAndDateline) {
  const Document doc = make_document("\n  Headline here\n\nDec 8, 2023\n\nBody.", "-");
  EXPECT_EQ(doc.format, "text");
  EXPECT_EQ(doc.title, "Headline here");
  ASSERT_TRUE(doc.date.has_value());
  EXPECT_EQ(doc.date->iso(), "2023-12-08");
  EXPECT_EQ(doc.id.size(), 64u);
}

TEST(Document, BadInputNamesTheFileAndOffset) {
  try {
    (void)make_document(std::string("good text \xC3\x28 bad", 15), "bad.txt");
    FAIL() << "invalid UTF-8 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_EQ(e.where().file, "bad.txt");
    EXPECT_EQ(e.where().offset, 10u);
  }
  EXPECT_THROW((void)make_document(std::string("\x7f"
                                               "ELF\0\0\0\0binary",
                                               15),
                                   "a.out"),
               Error);
  EXPECT_THROW((void)load_document("/nonexistent/report.txt"), Error);
  EXPECT_THROW((void)make_document(std::string(max_document_bytes + 1, 'a'), "big.txt"), Error);
}

TEST(Document, EmptyAndForeignGiveNoClaims) {
  EXPECT_TRUE(extract_claims(make_document("", "empty.txt")).empty());
  EXPECT_TRUE(extract_claims(make_document("   \n\n  ", "blank.txt")).empty());
  EXPECT_TRUE(claims_of("Selon l'ONG, environ 20 000 d\xC3\xA9tenus ont \xC3\xA9t\xC3\xA9 "
                        "recrut\xC3\xA9s et 3 000 sont morts au front depuis le d\xC3\xA9"
                        "but de la guerre, dit-elle.")
                  .empty());
}

// --- hostile input
// ---------------------------------------------------------------------------------

TEST(ExtractRobustness, RandomAndPathologicalInputNeverThrow) {
  std::mt19937 rng(20231208);
  const std::string alphabet =
      "0123456789 ,.-\n\n\tabcdefghijklmnopqrstuvwxyz ABCDEFGHIJ up to more than between and of "
      "killed said according hundreds thousand million a the , : ; ( ) \" ' % $ \xE2\x80\x93 ";
  for (int round = 0; round < 300; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 400);
    for (int i = 0; i < n; ++i)
      s += alphabet[rng() % alphabet.size()];
    Document doc;
    doc.id = "feedface";
    doc.origin = "fuzz";
    doc.text = s;
    EXPECT_NO_THROW((void)extract_claims(doc));
  }
  Document doc;
  doc.id = "x";
  doc.text = std::string(200000, '9') + " killed " + std::string(50000, ',') +
             std::string(50000, '.') + std::string(50000, '-');
  EXPECT_NO_THROW((void)extract_claims(doc));
  // Many figures in one endless line: bounded work per sentence, one claim per figure.
  std::string many;
  for (int i = 0; i < 3000; ++i)
    many += std::to_string(1000 + i) + "1 soldiers were killed and ";
  doc.text = many;
  EXPECT_EQ(extract_claims(doc).size(), 3000u);
  std::string deep;
  for (int i = 0; i < 200; ++i)
    deep += "<div><p>The men were sent.<br>";
  deep += "About 500 soldiers were killed.";
  EXPECT_EQ(extract_claims(make_document("<html>" + deep, "deep.html")).size(), 1u);
  for (int i = 0; i < 20000; ++i)
    deep += "<div>";
  EXPECT_THROW((void)make_document("<html>" + deep, "deeper.html"), Error);
  // An ISO-looking date whose month is a 76-digit number (found by the fuzzer): no date, no UB.
  doc.text = "2023-1" + std::string(75, '0') + "-20\n\n70,000 soldiers were killed.";
  EXPECT_EQ(extract_claims(doc).size(), 1u);
}

}  // namespace
}  // namespace recount
