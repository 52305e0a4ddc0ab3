// The Russian reader's stages alone: tokens (numbers as Russian writes them, stems), quantities
// (bounds, ranges, multipliers, what is not people), script detection, and Cyrillic code pages.

#include <string>
#include <vector>

#include <unicode/ucnv.h>

#include <gtest/gtest.h>

#include "../../src/evidence/extract_russian.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"

namespace {

using namespace recount;
using namespace recount::detail;

std::vector<RuQuantity> quantities(const std::string& text) {
  const std::vector<RuToken> tk = tokenize_russian(text);
  return russian_quantities(tk, 0, tk.size(), false);
}

// The claims of a Russian document holding `text`.
std::vector<Claim> claims_in(const std::string& text) {
  Document doc;
  doc.id = "0123456789abcdef";
  doc.origin = "ru.txt";
  doc.text = text;
  return extract_claims(doc);
}

TEST(RussianTokens, NumbersWithGroupsAndTheDecimalComma) {
  const std::vector<RuToken> tk = tokenize_russian("15\u00a0000 и 2 325, 6,5 тыс. «Медиазоны»");
  ASSERT_GE(tk.size(), 8u);
  EXPECT_EQ(tk[0].type, RuType::number);
  EXPECT_EQ(tk[0].value, 15000);
  EXPECT_TRUE(tk[0].grouped);
  EXPECT_EQ(tk[2].value, 2325);
  EXPECT_EQ(tk[4].value, 6.5);
  EXPECT_TRUE(tk[4].decimal);
  EXPECT_EQ(tk[7].key, "\"");  // guillemets are quotes
  // Case forms share a stem.
  EXPECT_EQ(tokenize_russian("Медиазона")[0].key, tokenize_russian("«Медиазоны»")[1].key);
}

TEST(RussianQuantities, BoundsRangesAndMultipliers) {
  auto q = quantities("более 6,5 тыс. заключенных");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].kind, ClaimKind::at_least);
  EXPECT_EQ(q[0].low, 6500);
  EXPECT_FALSE(q[0].high.has_value());
  q = quantities("от 42 до 43 тысяч человек");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].kind, ClaimKind::range);
  EXPECT_EQ(q[0].low, 42000);
  EXPECT_EQ(q[0].high, 43000);
  q = quantities("42–43 тыс. осужденных");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].low, 42000);
  q = quantities("до 3 000 бойцов");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].kind, ClaimKind::at_most);
  EXPECT_EQ(q[0].high, 3000);
  q = quantities("полторы тысячи человек и десятки тысяч заключенных");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].low, 1500);
  EXPECT_EQ(q[1].kind, ClaimKind::magnitude);
  EXPECT_EQ(q[1].low, 10000);
  EXPECT_EQ(q[1].high, 99999);
}

TEST(RussianQuantities, DatesMoneyAgesAndArticlesAreNotPeople) {
  EXPECT_TRUE(quantities("15 декабря 2023 года").empty());
  EXPECT_TRUE(quantities("на 1 января 2023 года").empty());
  EXPECT_TRUE(quantities("200 тысяч рублей в месяц").empty());
  EXPECT_TRUE(quantities("около 12% бюджета").empty());
  EXPECT_TRUE(quantities("вербовщик, 45 лет").empty());
  EXPECT_TRUE(quantities("осудили по статье 105 УК").empty());
  EXPECT_TRUE(quantities("прошли два обмена, 3 обмена пленными").empty());
}

TEST(RussianScript, ParagraphsByTheirLetters) {
  EXPECT_EQ(dominant_script("Заключенные на фронте"), Script::cyrillic);
  EXPECT_EQ(dominant_script("Prisoners at the front"), Script::latin);
  EXPECT_EQ(dominant_script("7\u00a0700"), Script::none);
}

TEST(RussianReport, AttributionAfterTheFigureAndMixedDocuments) {
  Document doc;
  doc.id = "0123456789abcdef";
  doc.origin = "mixed.txt";
  doc.text =
      "About 2,000 convicts were killed, Mediawatch said.\n\n"
      "Около 5 000 бывших заключенных вернулись домой, сообщила «Северная сводка».\n";
  const std::vector<Claim> c = extract_claims(doc);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].measure, Measure("killed"));
  EXPECT_EQ(c[1].measure, Measure("returned"));
  EXPECT_EQ(c[1].kind, ClaimKind::approximate);
  EXPECT_EQ(c[1].low, 5000);
  EXPECT_EQ(c[1].source, "«Северная сводка»");
  EXPECT_EQ(c[1].id, "01234567-2");
  EXPECT_EQ(doc.text.substr(*c[1].start, *c[1].end - *c[1].start), "Около 5 000");
}

TEST(RussianReport, AQuotedNameEndsAtItsQuoteAndNumbersInWords) {
  Document doc;
  doc.id = "0123456789abcdef";
  doc.origin = "ru.txt";
  doc.text =
      "Из них 412 человек погибли, подсчитало издание «Степной край» по некрологам.\n\n"
      "Ранения получили четверо детей, сообщила областная прокуратура.\n";
  const std::vector<Claim> c = extract_claims(doc);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].measure, Measure("killed"));
  EXPECT_EQ(c[0].source, "издание «Степной край»");
  EXPECT_EQ(c[1].measure, Measure("wounded"));
  EXPECT_EQ(c[1].low, 4);
  doc.text = "Порядка 1,7 тыс. мобилизованных отправили на фронт.\n";
  const std::vector<Claim> d = extract_claims(doc);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].low, 1700);  // whole, not 1700.0000000000002
}

TEST(RussianReport, ABodyNamedBeforeIsWhomTheReferenceMeans) {
  // Named without a figure, then "по их подсчетам"; named by a speech verb, then "миссия".
  const std::vector<Claim> c = claims_in(
      "Правозащитники «Речной правовой группы» год опрашивали бывших пленных. По их подсчетам, "
      "погибли не менее 52 военнопленных.\n\n"
      "Мониторинговая миссия Речного союза сообщила о гибели 184 мирных жителей.\n\n"
      "Всего с февраля 2022 года миссия подтвердила гибель 11 743 мирных жителей.\n");
  ASSERT_EQ(c.size(), 3u);
  // The noun opening the sentence before the quoted name is part of the name as spelt.
  EXPECT_EQ(c[0].source, "Правозащитники «Речной правовой группы»");
  EXPECT_EQ(c[1].source, "Мониторинговая миссия Речного союза");
  EXPECT_EQ(c[2].source, "Мониторинговая миссия Речного союза");
}

std::string encode(const std::string& utf8, const char* charset) {
  std::string out(utf8.size() * 2 + 8, '\0');
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                 utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  out.resize(U_SUCCESS(status) ? static_cast<std::size_t>(n) : 0);
  return out;
}

TEST(RussianEncodings, Windows1251AndKoi8AreTranscoded) {
  const std::string text =
      "По данным правозащитников, около 100 000 заключенных отправили на фронт. Родственники "
      "месяцами не получают вестей, а в колониях остаются тысячи осужденных.";
  for (const char* charset : {"windows-1251", "KOI8-R"}) {
    const Document doc = make_document(encode(text, charset), "report.txt");
    EXPECT_EQ(doc.text, text) << charset;
  }
}

TEST(RussianReport, APartOfThePeopleCountedTakesTheMeasureOfTheWhole) {
  // Described only by who they are, the parts are of the dead; with a verb of their own
  // ("пропали без вести"), they keep it.
  const std::vector<Claim> c = claims_in(
      "По данным проекта «Счёт», погибли 1 210 человек, из них 330 мобилизованных и 270 "
      "завербованных.\n\n"
      "В области погибли 500 человек, в том числе 40 морских пехотинцев.\n\n"
      "Отправлены 900 человек, из них 60 пропали без вести.\n");
  ASSERT_EQ(c.size(), 7u);
  for (std::size_t i = 0; i < 5; ++i)
    EXPECT_EQ(c[i].measure, Measure("killed")) << i;
  EXPECT_EQ(c[2].low, 270);
  EXPECT_EQ(c[4].low, 40);
  EXPECT_EQ(c[5].measure, Measure("recruited"));
  EXPECT_EQ(c[6].measure, Measure("missing"));
}

TEST(RussianReport, AnInterviewAnswerSpeaksForTheOneInterviewed) {
  // "мы" in an answer (a paragraph opening with a dash) is the interviewee, not the publisher;
  // "не менее чем о N" is a lower bound.
  const std::vector<Claim> c = claims_in(
      "«Мы ищем всех»: интервью\n\n"
      "Анна Петрова возглавляет фонд помощи семьям. Мы поговорили с ней.\n\n"
      "— Сейчас мы ищем 186 пропавших без вести военнослужащих. Семьи рассказали нам не менее "
      "чем о 470 погибших.\n");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].source, "Анна Петрова");
  EXPECT_EQ(c[1].kind, ClaimKind::at_least);
  EXPECT_EQ(c[1].low, 470);
}

TEST(RussianReport, APartAfterAnotherFigureSharesTheFateOfItsWhole) {
  // How the part came in (the vocabulary's first measure) is no fate of its own: after «еще»,
  // joined by «а», or in a sentence opening with whom it is drawn from, it takes the whole's.
  const std::vector<Claim> c = claims_in(
      "На кладбище Ольховки похоронены 300 военных, из них 120 были мобилизованы, еще 40 "
      "завербованы в колониях.\n\n"
      "Среди погибших 90 были мобилизованы, а 15 ушли на фронт из тюрем.\n");
  ASSERT_EQ(c.size(), 5u);
  for (const Claim& x : c)
    EXPECT_EQ(x.measure, Measure("killed")) << x.low.value_or(0);
}

TEST(RussianReport, TheSameCountedAgainAndAStatementsIssuer) {
  // «их было N» refers back to the people just counted; a title opening with a kind of
  // document names its issuer, with the region an agency serves.
  const std::vector<Claim> c = claims_in(
      "Информация УМВД России по Тверской области\n\n"
      "В колониях области содержатся 7 200 осужденных. Пять лет назад их было 9 400.\n");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].measure, Measure("prison_population"));
  EXPECT_EQ(c[1].low, 9400);
  EXPECT_EQ(c[0].source, "УМВД России по Тверской области");
  EXPECT_EQ(c[1].source, "УМВД России по Тверской области");
}

TEST(RussianReport, WhoReadTheRecordsAndWhoseClauseItIs) {
  // The reader named in a relative clause is the source, not the court whose records they
  // are; clauses joined by «, а» each keep their own source; a document alone is that of the
  // body named before.
  const std::vector<Claim> c = claims_in(
      "Суд осудил 44 военнослужащих за самовольное оставление части, следует из картотеки суда, "
      "которую изучило издание «Северный вестник».\n\n"
      "В районе погибли 12 мирных жителей, сообщил глава района Петр Ильин, а по данным фонда "
      "«Открытый счет» погибших было 19. Еще 7 жителей пропали без вести, говорится в "
      "докладе.\n");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].source, "издание «Северный вестник»");
  EXPECT_EQ(c[1].source, "глава района Петр Ильин");
  EXPECT_EQ(c[2].source, "фонда «Открытый счет»");
  EXPECT_EQ(c[3].source, "фонда «Открытый счет»");
}

TEST(RussianReport, WhoObtainedTheDocumentsIsTheSource) {
  const std::vector<Claim> c = claims_in(
      "В списках, которые получило издание «Волжский край», значатся 2 100 завербованных "
      "заключенных.\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].source, "издание «Волжский край»");
}

}  // namespace
