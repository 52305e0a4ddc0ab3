// The claim extractor read with a study's vocabulary: a study of a population the built-in
// lexicons do not know (invented "mobilised reservists") gets its claims' populations from its
// own terms, and study cue words decide measures, with no change to the C++ or the lexicons.

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace {

using namespace recount;

Vocabulary reservists_study() {
  Vocabulary v;
  PopulationTerm all;
  all.id = "reservists";
  all.terms = {"reservists", "reserve soldiers", "резервисты"};
  PopulationTerm front;
  front.id = "reservists_at_front";
  front.within = {"reservists"};
  front.terms = {"frontline reservists"};
  v.populations = {all, front};
  MeasureTerm called;
  called.measure = Measure("recruited");
  called.terms = {"called to the colours", "призваны под знамена"};
  MeasureTerm killed;
  killed.measure = Measure("killed");
  v.measures = {called, killed};
  return v;
}

const Claim* with_low(const std::vector<Claim>& claims, double low) {
  const auto it = std::find_if(claims.begin(), claims.end(),
                               [&](const Claim& c) { return c.low && *c.low == low; });
  return it == claims.end() ? nullptr : &*it;
}

TEST(ExtractVocabulary, TheStudysTermsDecideThePopulation) {
  const Document doc = make_document(
      "Call-up figures\n\n8 March 2024\n\n"
      "About 2,800 reservists were killed in the region, the Reserve Families Council said. "
      "Another 40 frontline reservists are missing, the council said.\n\n"
      "More than 900 prisoners were recruited from colonies, the council said.\n",
      "a.txt");
  const std::vector<Claim> without = extract_claims(doc);
  const std::vector<Claim> with = extract_claims(doc, reservists_study());
  ASSERT_EQ(with.size(), without.size());
  const Claim* killed = with_low(with, 2800);
  ASSERT_NE(killed, nullptr);
  EXPECT_EQ(killed->population, "reservists");
  EXPECT_EQ(killed->measure, Measure("killed"));
  const Claim* missing = with_low(with, 40);
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->population, "reservists_at_front");  // the longer term, nearer the figure
  // The built-in lexicon's convicts are no population of this study.
  const Claim* recruited = with_low(with, 900);
  ASSERT_NE(recruited, nullptr);
  EXPECT_EQ(with_low(without, 900)->population, "convicts");
  EXPECT_EQ(recruited->population, "");
}

TEST(ExtractVocabulary, RussianTermsMatchTheirCaseForms) {
  const Document doc = make_document(
      "Призыв\n\n8 марта 2024 года\n\n"
      "По данным «Совета семей», погибли 310 резервистов из области.\n",
      "a.txt");
  const std::vector<Claim> with = extract_claims(doc, reservists_study());
  const Claim* c = with_low(with, 310);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->population, "reservists");  // «резервисты» names «резервистов»
  EXPECT_EQ(c->measure, Measure("killed"));
}

TEST(ExtractVocabulary, StudyCueWordsDecideTheMeasure) {
  const Document doc = make_document(
      "Reserve\n\n8 March 2024\n\n"
      "Some 1,500 reservists were called to the colours and sent to the front in March, the "
      "Reserve Families Council said.\n",
      "a.txt");
  const std::vector<Claim> with = extract_claims(doc, reservists_study());
  const Claim* c = with_low(with, 1500);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->measure, Measure("recruited"));
  EXPECT_EQ(c->population, "reservists");
}

// A measure of the study's own (no built-in vocabulary knows it) takes its cue words from the
// study.
TEST(ExtractVocabulary, AStudysOwnMeasureTakesItsCueWords) {
  Vocabulary v;
  MeasureTerm displaced;
  displaced.measure = Measure("displaced");
  displaced.kind = MeasureKind::counter;
  displaced.terms = {"fled their homes"};
  v.measures = {displaced};
  const Document doc = make_document(
      "Flight\n\n8 March 2024\n\n"
      "About 12,000 residents fled their homes in March, the regional governor said.\n",
      "a.txt");
  const std::vector<Claim> with = extract_claims(doc, v);
  const Claim* en = with_low(with, 12000);
  ASSERT_NE(en, nullptr);
  EXPECT_EQ(en->measure, Measure("displaced"));
  // Without the study the same report states no measure the built-in vocabulary knows.
  const std::vector<Claim> without = extract_claims(doc);
  const Claim* plain = with_low(without, 12000);
  ASSERT_NE(plain, nullptr);
  EXPECT_NE(plain->measure, Measure("displaced"));
}

// The Russian reader takes a study's measure terms as measure cues: a figure that no built-in
// cue describes is read when the study's own words name what it counts.
TEST(ExtractVocabulary, AStudysOwnMeasureTermsAreRussianCues) {
  Vocabulary v;
  MeasureTerm displaced;
  displaced.measure = Measure("displaced");
  displaced.kind = MeasureKind::counter;
  displaced.terms = {"переселенцев", "вынужденных переселенцев"};
  v.measures = {displaced};
  const Document doc = make_document(
      "Исход\n\n8 марта 2024 года\n\n"
      "По данным миссии, более 12 тысяч вынужденных переселенцев покинули город.\n",
      "a.txt");
  const std::vector<Claim> with = extract_claims(doc, v);
  const Claim* ru = with_low(with, 12000);
  ASSERT_NE(ru, nullptr);
  EXPECT_EQ(ru->measure, Measure("displaced"));
  EXPECT_EQ(ru->kind, ClaimKind::at_least);
  EXPECT_EQ(ru->source, "миссии");
  // Without the study no built-in cue describes the figure, so the reader leaves it out, as
  // before.
  EXPECT_EQ(with_low(extract_claims(doc), 12000), nullptr);
  EXPECT_EQ(with_low(extract_claims(doc, Vocabulary{}), 12000), nullptr);
}

TEST(ExtractVocabulary, AnEmptyVocabularyChangesNothing) {
  const Document doc = make_document(
      "T\n\n8 March 2024\n\nMore than 900 prisoners were recruited, the council said.\n", "a.txt");
  const std::vector<Claim> a = extract_claims(doc);
  const std::vector<Claim> b = extract_claims(doc, Vocabulary{});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].population, b[i].population);
    EXPECT_EQ(a[i].measure, b[i].measure);
  }
}

}  // namespace
