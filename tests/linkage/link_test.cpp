// Unit tests of the linkage model: config, list reading, blocking, date levels, EM, clustering
// and evaluation.

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "recount/core/error.hpp"
#include "recount/linkage/auto_blocking.hpp"
#include "recount/linkage/blocking.hpp"
#include "recount/linkage/clustering.hpp"
#include "recount/linkage/comparison.hpp"
#include "recount/linkage/components.hpp"
#include "recount/linkage/config.hpp"
#include "recount/linkage/evaluate.hpp"
#include "recount/linkage/fellegi_sunter.hpp"
#include "recount/linkage/labels.hpp"
#include "recount/linkage/records.hpp"

namespace rl = recount::linkage;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const recount::Error& e) {
    return e.what();
  }
  return "";
}

rl::LinkConfig config_of(const std::string& text) {
  return rl::parse_link_config(text, "link.toml", ".");
}

const char* kTwoLists = R"(
[[list]]
name = "a"
file = "a.csv"
id = "id"
fields = { full_name = "name", birth_date = "dob" }
compare = { unit = "exact" }

[[list]]
name = "b"
file = "b.csv"
id = "id"
fields = { surname = "s", given = "g", birth_date = "born" }
)";

rl::ListSpec spec_a() {
  return config_of(kTwoLists).lists[0];
}

}  // namespace

TEST(LinkConfig, ReadsListsAndChoosesDefaults) {
  const rl::LinkConfig c = config_of(kTwoLists);
  ASSERT_EQ(c.lists.size(), 2u);
  EXPECT_EQ(c.lists[0].fields.at("full_name"), "name");
  EXPECT_EQ(c.lists[0].compare.at("unit"), rl::Comparator::exact);
  EXPECT_EQ(c.lists[1].file, std::filesystem::path(".") / "b.csv");
  EXPECT_FALSE(c.blocking.rules_given);
  ASSERT_FALSE(c.blocking.rules.empty());
  EXPECT_EQ(c.blocking.rules[0].label(), "surname+given+birth_span");
  EXPECT_DOUBLE_EQ(c.model.threshold, 0.5);
}

TEST(LinkConfig, ReadsUniqueLists) {
  std::string text = kTwoLists;
  text.insert(text.find("compare = {"), "unique = true\n");
  const rl::LinkConfig c = config_of(text);
  EXPECT_EQ(rl::unique_lists(c), (std::vector<bool>{true, false}));
  EXPECT_EQ(rl::unique_lists(config_of(kTwoLists)), (std::vector<bool>{false, false}));
  std::string bad = kTwoLists;
  bad.insert(bad.find("compare = {"), "unique = \"yes\"\n");
  EXPECT_NE(error_of([&] { (void)config_of(bad); }).find("link.toml:7"), std::string::npos);
}

TEST(ReadRecords, SimilarityColumnsKeepDigitsAndVanishingFieldsAreWarned) {
  rl::ListSpec spec = spec_a();
  spec.compare = {{"unit", rl::Comparator::levenshtein}, {"mark", rl::Comparator::jaro_winkler}};
  std::string text = "id,name,dob,unit,mark\n";
  for (int i = 1; i <= 12; ++i)
    text += fmt::format("{},Иванов Иван,1990,{}-{},***\n", i, 4000 + i, i % 3);
  const rl::RecordSet r = rl::parse_list(text, spec);
  const rl::FieldValues& unit = r.values[*r.field_index("unit")];
  EXPECT_EQ(unit.keys[unit.key[0]], "4001 1");
  EXPECT_NE(unit.key[0], unit.key[1]);
  // every value of `mark` is present in the file and empty once normalised: one warning,
  // naming the list and the field; none for `unit`
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("list a, field mark"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("12 of 12"), std::string::npos) << r.warnings[0];
}

TEST(AutomaticBlocking, KeyAgreementFollowsTheLevels) {
  using rl::Comparator;
  EXPECT_EQ(rl::key_agreement("surname", Comparator::name, 2, 0.3), 1.0);  // same key
  EXPECT_EQ(rl::key_agreement("surname", Comparator::name, 3, 0.3), 0.0);  // a typo
  EXPECT_GT(rl::key_agreement("surname_prefix", Comparator::name, 3, 0.3), 0.0);
  EXPECT_EQ(rl::key_agreement("soc_sec_id", Comparator::levenshtein, 1, 0.3), 1.0);
  EXPECT_EQ(rl::key_agreement("soc_sec_id", Comparator::levenshtein, 0, 0.3), 0.0);  // missing
  // "next year" (level 7): exactly one of the two two-year binnings agrees, never the year
  for (double coin : {0.01, 0.2, 0.4, 0.6, 0.99}) {
    const double a = rl::key_agreement("birth_span", Comparator::date, 7, coin);
    const double b = rl::key_agreement("birth_span_shifted", Comparator::date, 7, coin);
    EXPECT_EQ(a + b, 1.0) << coin;
    EXPECT_EQ(rl::key_agreement("birth_year", Comparator::date, 7, coin), 0.0);
  }
}

// The derived surname and given-name keys are computed on the comparison key, after the
// transliteration fold: a Cyrillic record and a Latin one with a typo share the key that the
// typo leaves intact, and a different name does not.
TEST(DerivedNameKeys, CyrillicAndLatinShareTheKeyATypoLeaves) {
  const rl::ListSpec b = config_of(kTwoLists).lists[1];
  const auto keys_of = [&](const std::string& csv, const std::string& key) {
    return rl::key_values(rl::parse_list("id,s,g,born\n" + csv, b), key);
  };
  // key, then: Cyrillic, Latin with a typo this key survives, another surname
  const std::vector<std::vector<std::string>> cases{
      {"surname_phonetic", "Фёдоров", "FEDAROV", "Смирнов"},   // a vowel
      {"surname_suffix", "Кузнецов", "Guznetsov", "Кузьмин"},  // the first letter
      {"surname_sorted", "Соколов", "Sokolvo", "Соболев"},     // two letters swapped
      {"surname_initial", "Иванов", "Ivanof", "Петров"},
      {"surname_prefix", "Смирнов", "Smirnow", "Смолин"},
  };
  for (const auto& c : cases) {
    const std::vector<std::uint64_t> v = keys_of(
        "1," + c[1] + ",Иван,1980\n2," + c[2] + ",Ivan,1980\n3," + c[3] + ",Иван,1980\n", c[0]);
    ASSERT_EQ(v.size(), 3u);
    EXPECT_NE(v[0], 0u) << c[0];
    EXPECT_EQ(v[0], v[1]) << c[0] << ": " << c[1] << " " << c[2];
    EXPECT_NE(v[0], v[2]) << c[0] << ": " << c[1] << " " << c[3];
  }
  // The surname itself does not survive these typos: that is what the derived keys are for.
  const std::vector<std::uint64_t> surname =
      keys_of("1,Фёдоров,Иван,1980\n2,FEDAROV,Ivan,1980\n", "surname");
  EXPECT_NE(surname[0], surname[1]);
  const std::vector<std::uint64_t> given = keys_of(
      "1,Иванов,Сергей,1980\n2,Ivanov,Sirgey,1980\n3,Иванов,Семён,1980\n", "given_phonetic");
  EXPECT_EQ(given[0], given[1]);
  EXPECT_NE(given[0], given[2]);
  // Too short for a suffix: missing, not a key shared by every short surname.
  EXPECT_EQ(keys_of("1,Лыс,Иван,1980\n", "surname_suffix")[0], 0u);
  EXPECT_EQ(rl::phonetic_key("fedorov"), rl::phonetic_key("fiodorof"));
  EXPECT_NE(rl::phonetic_key("fedorov"), rl::phonetic_key("smirnov"));
  EXPECT_EQ(rl::blocking_key_field("surname_phonetic"), "surname");
  EXPECT_EQ(rl::blocking_key_field("given_phonetic"), "given");
  // Each is a key that a config's rules may name.
  EXPECT_NO_THROW((void)config_of(std::string(kTwoLists) +
                                  "\n[blocking]\nrules = [[\"surname_phonetic\", \"birth_year\"], "
                                  "[\"surname_sorted\"], [\"surname_suffix\"], "
                                  "[\"surname_initial\", \"given_phonetic\"]]\n"));
}

TEST(AutomaticBlocking, DerivedKeysAreCandidatesWithPartialAgreement) {
  using rl::Comparator;
  for (const char* key :
       {"surname_phonetic", "surname_suffix", "surname_sorted", "surname_initial"}) {
    EXPECT_EQ(rl::key_agreement(key, Comparator::name, 2, 0.3), 1.0) << key;  // same key
    const double close = rl::key_agreement(key, Comparator::name, 3, 0.3);
    EXPECT_GT(close, 0.0) << key;
    EXPECT_LT(close, 1.0) << key;
    EXPECT_EQ(rl::key_agreement(key, Comparator::name, 7, 0.3), 0.0) << key;  // different
  }
  const rl::RecordSet r = rl::parse_list(
      "id,name,dob,unit\n1,Фёдоров Сергей,12.03.1985,U1\n2,Иванов Иван,1990,U2\n", spec_a());
  std::set<std::string> labels;
  for (const rl::BlockingRule& rule : rl::candidate_blocking_rules(r, config_of(kTwoLists)))
    labels.insert(rule.label());
  for (const char* rule : {"surname_phonetic+given", "surname_initial+given_initial+birth_year",
                           "surname_sorted+birth_date", "surname_suffix+given_initial+birth_year"})
    EXPECT_TRUE(labels.contains(rule)) << rule;
}

TEST(AutomaticBlocking, CandidatesComeFromEveryFieldAndTheOptionsParse) {
  const rl::LinkConfig c = config_of(std::string(kTwoLists) +
                                     "\n[blocking]\ntarget_recall = 0.95\npair_budget = 1000\n");
  EXPECT_DOUBLE_EQ(c.blocking.target_recall, 0.95);
  EXPECT_EQ(c.blocking.pair_budget, 1000u);
  EXPECT_FALSE(c.blocking.rules_given);
  EXPECT_NE(error_of([] {
              (void)config_of(std::string(kTwoLists) + "\n[blocking]\ntarget_recall = 1.5\n");
            }).find("link.toml:16"),
            std::string::npos);
  const rl::RecordSet r = rl::parse_list(
      "id,name,dob,unit\n1,Фёдоров Сергей,12.03.1985,U1\n2,Иванов Иван,1990,U2\n", spec_a());
  bool unit_alone = false, unit_with_surname = false;
  for (const rl::BlockingRule& rule : rl::candidate_blocking_rules(r, config_of(kTwoLists))) {
    unit_alone = unit_alone || rule.label() == "unit";
    unit_with_surname = unit_with_surname || rule.label() == "surname+unit";
  }
  EXPECT_TRUE(unit_alone);
  EXPECT_TRUE(unit_with_surname);
}

TEST(AutomaticBlocking, RulesOfTheSameKeysInAnotherOrderAreOneCandidate) {
  // max_block 1 leaves every block out, so every rule of two keys loses its records and is
  // tried with a third key: surname+given with birth_year, surname+birth_year with given and
  // given+birth_year with surname are one rule.
  rl::LinkConfig config = config_of(kTwoLists);
  config.blocking.max_block = 1;
  const rl::RecordSet r = rl::parse_list(
      "id,name,dob,unit\n1,Фёдоров Сергей,12.03.1985,U1\n2,Фёдоров Сергей,12.03.1985,U1\n"
      "3,Иванов Иван,1990,U2\n4,Иванов Иван,1990,U2\n",
      spec_a());
  const rl::LinkModel first = rl::train_model(r, {}, config.model);
  const rl::BlockingChoice choice = rl::choose_blocking(r, config, first);
  std::set<std::vector<std::string>> key_sets;
  std::size_t triples = 0;
  for (const rl::CandidateRule& c : choice.candidates) {
    std::vector<std::string> keys = c.rule.keys;
    std::sort(keys.begin(), keys.end());
    EXPECT_TRUE(key_sets.insert(keys).second) << c.rule.label();
    triples += keys.size() == 3 ? 1 : 0;
  }
  EXPECT_GT(triples, 0u);
  // Below the target, the choice says why it stopped: here no rule catches anything...
  EXPECT_LT(choice.estimated_recall, choice.target_recall);
  EXPECT_NE(choice.stopped.find("catches a thousandth"), std::string::npos) << choice.stopped;
  // ...and with blocks allowed but no pairs to spend, for the budget.
  config.blocking.max_block = 200;
  config.blocking.pair_budget = 0;
  const rl::BlockingChoice poor = rl::choose_blocking(r, config, first);
  EXPECT_NE(poor.stopped.find("pair_budget 0"), std::string::npos) << poor.stopped;
}

TEST(AutomaticBlocking, KeyAgreementIsMeasuredOnTheFirstModelsLikelyMatches) {
  // 120 men, each twice on one list: half with the surname written alike, half with a typo in
  // its first letter, which keeps the key without its first two letters (surname_suffix) and
  // loses the initial. Measured on the first pass's likely matches, the initial catches about
  // half of the matches and the suffix almost all; the assumed shares (a typo keeps the initial 0.9
  // of the time, the suffix 0.3) say the opposite.
  const std::string consonants[] = {"б", "в", "г", "д", "к", "л", "м", "н", "п", "р", "с", "т"};
  const std::string vowels[] = {"а", "о", "у", "и", "е"};
  const std::string given[] = {"Иван", "Сергей", "Пётр", "Алексей", "Николай", "Михаил"};
  std::mt19937_64 rng(7);
  std::string csv = "id,name,dob,unit\n";
  for (int i = 0; i < 120; ++i) {
    std::string root;
    for (int k = 0; k < 3; ++k)
      root += consonants[rng() % 12] + vowels[rng() % 5];
    const std::size_t first = rng() % 12;
    const std::string surname = consonants[first] + root + "ов";
    const std::string typo = i % 2 == 0 ? surname : consonants[(first + 1) % 12] + root + "ов";
    const std::string name = " " + given[rng() % 6];
    const std::string dob = fmt::format("{:02}.{:02}.{}", 1 + i % 28, 1 + i % 12, 1960 + i % 30);
    csv += fmt::format("{},{},{},U{}\n{},{},{},U{}\n", 2 * i, surname + name, dob, i, 2 * i + 1,
                       typo + name, dob, i);
  }
  const rl::RecordSet r = rl::parse_list(csv, spec_a());
  const rl::LinkConfig config = config_of(kTwoLists);
  const std::vector<rl::RulePairs> first_pairs = rl::block(r, config.blocking, "link.toml");
  const rl::LinkModel first = rl::train_model(r, first_pairs, config.model);
  const auto recall_of = [](const rl::BlockingChoice& choice, const std::string& rule) {
    for (const rl::CandidateRule& c : choice.candidates)
      if (c.rule.label() == rule) return c.recall;
    ADD_FAILURE() << rule << " is no candidate";
    return -1.0;
  };
  const rl::BlockingChoice measured = rl::choose_blocking(r, config, first, first_pairs);
  EXPECT_NE(measured.recall_source.find("measured per pair of lists"), std::string::npos)
      << measured.recall_source;
  EXPECT_LT(recall_of(measured, "surname_initial"), 0.7);
  EXPECT_GT(recall_of(measured, "surname_suffix"), 0.85);
  const rl::BlockingChoice assumed = rl::choose_blocking(r, config, first);
  EXPECT_GT(recall_of(assumed, "surname_initial"), 0.85);
  EXPECT_LT(recall_of(assumed, "surname_suffix"), 0.8);
}

TEST(CandidateComponents, GroupsPairsAboveTheFloor) {
  // 0-1-2 joined, 3-4 joined only by a pair below the floor, 5-6 joined.
  const std::vector<std::uint64_t> pairs{rl::pack_pair(0, 1), rl::pack_pair(1, 2),
                                         rl::pack_pair(3, 4), rl::pack_pair(5, 6)};
  const std::vector<float> odds{3.0f, 1.0f, -5.0f, 2.0f};
  const std::vector<rl::CandidateComponent> c = rl::candidate_components(7, pairs, odds, 0.0f);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].records, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(c[0].pairs.size(), 2u);
  EXPECT_FLOAT_EQ(c[0].log2_odds[1], 1.0f);
  EXPECT_EQ(c[1].records, (std::vector<std::uint32_t>{5, 6}));
  const float all = -std::numeric_limits<float>::infinity();
  EXPECT_EQ(rl::candidate_components(7, pairs, odds, all).size(), 3u);
}

TEST(LinkConfig, ErrorsNameFileLineAndKey) {
  EXPECT_NE(error_of([] {
              (void)config_of(std::string(kTwoLists) + "\n[model]\nthreshold = 2\n");
            }).find("link.toml:16"),
            std::string::npos);
  const std::string unknown = error_of([] {
    (void)config_of(
        "[[list]]\nname = \"a\"\nfile = \"a.csv\"\nid = \"id\"\nfields = { sur = \"s\" }\n");
  });
  EXPECT_NE(unknown.find("link.toml:5"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("unknown key 'sur'"), std::string::npos) << unknown;
  const std::string cmp = error_of([] {
    (void)config_of(
        "[[list]]\nname = \"a\"\nfile = \"a.csv\"\nid = \"id\"\nfields = { surname = \"s\" }\n"
        "compare = { unit = \"fuzzy\" }\n");
  });
  EXPECT_NE(cmp.find("unknown comparison 'fuzzy'"), std::string::npos) << cmp;
  EXPECT_NE(error_of([] { (void)config_of("[model]\nthreshold = 0.5\n"); }).find("[[list]]"),
            std::string::npos);
  const std::string rule = error_of([] {
    (void)config_of(std::string(kTwoLists) + "\n[blocking]\nrules = [[\"surname\", \"shoe\"]]\n");
  });
  EXPECT_NE(rule.find("unknown blocking key 'shoe'"), std::string::npos) << rule;
  const std::string both = error_of([] {
    (void)config_of(
        "[[list]]\nname = \"a\"\nfile = \"a.csv\"\nid = \"id\"\n"
        "fields = { full_name = \"n\", surname = \"s\" }\n");
  });
  EXPECT_NE(both.find("either"), std::string::npos) << both;
}

TEST(LinkRecords, ReadsNamesDatesAndCountsUnreadableDates) {
  const rl::RecordSet r = rl::parse_list(
      "id,name,dob,unit\n1,Фёдоров Сергей Павлович,12.03.1985,U1\n2,FEDOROV Sergey,1985,\n"
      "3,Иванов Иван,31.02.1990,U2\n",
      spec_a());
  ASSERT_EQ(r.size(), 3u);
  const std::size_t surname = *r.field_index("surname");
  const std::size_t birth = *r.field_index("birth_date");
  EXPECT_EQ(r.values[surname].key[0], r.values[surname].key[1]);  // Фёдоров ~ FEDOROV
  EXPECT_NE(r.values[surname].key[0], r.values[surname].key[2]);
  EXPECT_EQ(r.values[birth].date[0], 19850312);
  EXPECT_EQ(r.values[birth].date[1], 19850000);
  EXPECT_EQ(r.values[birth].date[2], 0);  // 31 February: unreadable, kept as missing
  EXPECT_EQ(r.reports[0].unreadable.at("birth_date"), 1u);
  EXPECT_EQ(r.reports[0].first_unreadable_line.at("birth_date"), 4u);
  EXPECT_EQ(r.reports[0].encoding, "utf-8");
}

TEST(LinkRecords, StrataInOtherScriptsOrCasesAreOneStratum) {
  rl::ListSpec spec = spec_a();
  spec.stratum_column = "unit";
  const rl::RecordSet r = rl::parse_list(
      "id,name,dob,unit\n1,Фёдоров Сергей,1985,Свердловская\n2,Иванов Иван,1990,Sverdlovskaya\n"
      "3,Петров Пётр,1979,Свердловская\n4,Сидоров Илья,1981,ПЕРМЬ\n5,Козлов Олег,1983,Пермь\n"
      "6,Попов Юрий,1984,Perm\n7,Орлов Иван,1986,\n",
      spec);
  ASSERT_EQ(r.stratum.size(), 7u);
  EXPECT_EQ(r.stratum[1], "Свердловская");  // the most common spelling names the stratum
  EXPECT_EQ(r.stratum[0], r.stratum[2]);
  EXPECT_EQ(r.stratum[3], r.stratum[5]);
  EXPECT_EQ(r.stratum[4], r.stratum[5]);
  EXPECT_NE(r.stratum[0], r.stratum[3]);
  EXPECT_EQ(r.stratum[6], "");
}

TEST(LinkRecords, RefusesBadListsNamingFileLineAndColumn) {
  const std::string repeated =
      error_of([] { (void)rl::parse_list("id,name,dob,unit\n1,A B,,\n1,C D,,\n", spec_a()); });
  EXPECT_NE(repeated.find("a.csv:3"), std::string::npos) << repeated;
  EXPECT_NE(repeated.find("repeated"), std::string::npos) << repeated;
  const std::string missing =
      error_of([] { (void)rl::parse_list("id,fullname,dob,unit\n1,A B,,\n", spec_a()); });
  EXPECT_NE(missing.find("name"), std::string::npos) << missing;
  EXPECT_NE(error_of([] { (void)rl::parse_list("", spec_a()); }), "");
  EXPECT_NE(
      error_of([] { (void)rl::parse_list("id,name,dob,unit\n", spec_a()); }).find("no records"),
      std::string::npos);
}

TEST(LinkRecords, ReadsWindows1251) {
  // "Иванов Иван" in Windows-1251.
  const std::string cp1251 =
      "id,name,dob,unit\n1,\xc8\xe2\xe0\xed\xee\xe2 \xc8\xe2\xe0\xed,1990,\n";
  const rl::RecordSet r = rl::parse_list(cp1251, spec_a());
  EXPECT_EQ(r.reports[0].encoding, "windows-1251");
  const rl::RecordSet u = rl::parse_list("id,name,dob,unit\n1,Иванов Иван,1990,\n", spec_a());
  const std::size_t s = *r.field_index("surname");
  EXPECT_EQ(r.values[s].keys[r.values[s].key[0]], u.values[s].keys[u.values[s].key[0]]);
}

TEST(LinkComparison, DateLevels) {
  EXPECT_EQ(rl::date_level(0, 19850312), 0);
  EXPECT_EQ(rl::date_level(19850312, 19850312), 1);
  EXPECT_EQ(rl::date_level(19850312, 19851203), 2);  // swapped day and month
  EXPECT_EQ(rl::date_level(19850300, 19850312), 3);  // known to the month
  EXPECT_EQ(rl::date_level(19850000, 19850312), 4);  // known to the year
  EXPECT_EQ(rl::date_level(19850312, 19850320), 5);  // within 31 days
  EXPECT_EQ(rl::date_level(19850312, 19850912), 6);  // within a year
  EXPECT_EQ(rl::date_level(19860000, 19850312), 7);  // next year, known to the year
  EXPECT_EQ(rl::date_level(19870000, 19850312), 8);  // two years apart, known to the year
  EXPECT_EQ(rl::date_level(19830000, 19850000), 8);
  EXPECT_EQ(rl::date_level(19880000, 19850312), 9);
  EXPECT_EQ(rl::date_level(19870312, 19850312), 9);  // full dates two years apart differ
  EXPECT_EQ(rl::date_level(19850312, 19900312), 9);
  EXPECT_EQ(rl::level_names(rl::Comparator::date).size(), 10u);
}

TEST(LinkBlocking, UnionsRulesWithoutDuplicatesAndRefusesRulesOverTheLimit) {
  const rl::RecordSet r = rl::parse_list(
      "id,name,dob,unit\n1,Фёдоров Сергей,12.03.1985,\n2,FEDOROV Sergey,1985,\n"
      "3,Fedorov Sergei,12.03.1985,\n4,Иванов Иван,01.01.1990,\n",
      spec_a());
  rl::BlockingOptions options;
  options.rules = {{{"surname", "birth_year"}}, {{"given", "birth_date"}}};
  const std::vector<rl::RulePairs> rules = rl::block(r, options, "link.toml");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].pairs, 3u);  // the three Fedorovs born 1985
  EXPECT_EQ(rules[1].pairs, 1u);  // records 1 and 3
  const std::vector<std::uint64_t> all = rl::union_pairs(rules);
  EXPECT_EQ(all.size(), 3u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(all[0], rl::pack_pair(0, 1));
  options.pair_limit = 2;
  options.rules_given = true;
  const std::string refused = error_of([&] { (void)rl::block(r, options, "link.toml"); });
  EXPECT_NE(refused.find("surname+birth_year"), std::string::npos) << refused;
  EXPECT_NE(refused.find("3 pairs"), std::string::npos) << refused;
}

TEST(LinkModel, EmRecoversMFromSimulatedPatterns) {
  // Two fields with three levels each (missing, agree, disagree); 5% matches.
  std::vector<rl::FieldModel> fields(2);
  const std::vector<double> m_true{0, 0.9, 0.1}, u_true{0, 0.05, 0.95};
  for (rl::FieldModel& f : fields) {
    f.comparator = rl::Comparator::exact;
    f.levels = rl::level_names(rl::Comparator::exact);
    f.u = u_true;
  }
  std::vector<std::uint8_t> patterns;
  std::vector<double> counts;
  std::mt19937_64 rng(7);
  std::vector<double> table(9, 0.0);
  std::bernoulli_distribution match(0.05);
  for (int i = 0; i < 200000; ++i) {
    const bool mt = match(rng);
    int code = 0;
    for (int f = 0; f < 2; ++f) {
      const double p_agree = mt ? m_true[1] : u_true[1];
      code = code * 3 + (std::bernoulli_distribution(p_agree)(rng) ? 1 : 2);
    }
    table[static_cast<std::size_t>(code)] += 1;
  }
  for (int code = 0; code < 9; ++code) {
    if (table[static_cast<std::size_t>(code)] == 0) continue;
    patterns.push_back(static_cast<std::uint8_t>(code / 3));
    patterns.push_back(static_cast<std::uint8_t>(code % 3));
    counts.push_back(table[static_cast<std::size_t>(code)]);
  }
  const rl::EmResult em =
      rl::expectation_maximisation(patterns, counts, fields, {true, true}, 500, 1e-9);
  EXPECT_TRUE(em.converged);
  EXPECT_NEAR(em.match_share, 0.05, 0.01);
  EXPECT_NEAR(em.m[0][1], 0.9, 0.03);
  EXPECT_NEAR(em.m[1][1], 0.9, 0.03);
}

TEST(LinkModel, RulesOfRareValuesOnlyBlockButDoNotTrain) {
  // Three of the five records share the given name Сергей: with max_block 2 that block is left
  // out of the rule `given`, whose one pair is then of its rarest value alone (3 of 5 keyed
  // records in large blocks, over kMaxTrainingBlockLoss). The rule `surname` loses nothing.
  const rl::RecordSet r = rl::parse_list(
      "id,name,dob,unit\n1,Фёдоров Сергей,12.03.1985,\n2,Петров Сергей,1985,\n"
      "3,Иванов Сергей,01.01.1990,\n4,Сидоров Пётр,02.02.1970,\n5,Сидоров Пётр,02.02.1970,\n",
      spec_a());
  rl::BlockingOptions options;
  options.max_block = 2;
  options.rules = {{{"given"}}, {{"surname"}}};
  const std::vector<rl::RulePairs> rules = rl::block(r, options, "link.toml");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].keyed_records, 5u);
  EXPECT_EQ(rules[0].skipped_records, 3u);
  EXPECT_EQ(rules[0].pairs, 1u);
  const rl::LinkModel model = rl::train_model(r, rules, rl::ModelOptions{});
  ASSERT_EQ(model.sessions.size(), 2u);
  EXPECT_EQ(model.sessions[0].rule, "given");
  EXPECT_NE(model.sessions[0].left_out.find("3 of its 5 keyed records"), std::string::npos)
      << model.sessions[0].left_out;
  EXPECT_EQ(model.sessions[0].iterations, 0);
  EXPECT_EQ(model.sessions[1].rule, "surname");
  EXPECT_TRUE(model.sessions[1].left_out.empty());
  EXPECT_GT(model.sessions[1].iterations, 0);
  // With no other rule to train on, the rule of rare values trains all the same.
  const rl::LinkModel alone = rl::train_model(r, {rules[0]}, rl::ModelOptions{});
  ASSERT_EQ(alone.sessions.size(), 1u);
  EXPECT_TRUE(alone.sessions[0].left_out.empty());
}

namespace {

// Gamma patterns of `pairs` simulated pairs over three exact fields: a share `matches` agree on
// each field with probability 0.9; of the non-matches, a share `lookalike` agree on the first
// two fields with probability 0.5 (a subset of non-matches the fixed u does not describe, as
// rare given names with surnames of the same origin) and the others with u = 0.05.
rl::EmSession simulated_session(std::uint64_t seed, int pairs, double matches, double lookalike) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<double> table(27, 0.0);
  for (int i = 0; i < pairs; ++i) {
    const bool match = unit(rng) < matches;
    const bool odd = !match && unit(rng) < lookalike;
    int code = 0;
    for (int f = 0; f < 3; ++f) {
      const double agree = match ? 0.9 : (odd && f < 2 ? 0.5 : 0.05);
      code = code * 3 + (unit(rng) < agree ? 1 : 2);
    }
    table[static_cast<std::size_t>(code)] += 1;
  }
  rl::EmSession s;
  s.estimate = {true, true, true};
  for (int code = 0; code < 27; ++code) {
    if (table[static_cast<std::size_t>(code)] == 0) continue;
    s.patterns.push_back(static_cast<std::uint8_t>(code / 9));
    s.patterns.push_back(static_cast<std::uint8_t>(code / 3 % 3));
    s.patterns.push_back(static_cast<std::uint8_t>(code % 3));
    s.counts.push_back(table[static_cast<std::size_t>(code)]);
  }
  return s;
}

std::vector<rl::FieldModel> three_exact_fields() {
  std::vector<rl::FieldModel> fields(3);
  for (rl::FieldModel& f : fields) {
    f.comparator = rl::Comparator::exact;
    f.levels = rl::level_names(rl::Comparator::exact);
    f.u = {0, 0.05, 0.95};
  }
  return fields;
}

}  // namespace

TEST(LinkModel, JointEmHoldsMWhereOneSessionAloneDrifts) {
  // Session b: 1% matches among 200,000 pairs, and a fifth of its non-matches look alike on two
  // fields. Alone, EM's match class takes those look-alikes (its share far above 1%, and the
  // third field's agreement hardly evidence). Joined with session a (40% matches, no
  // look-alikes), m is held near 0.9. Tolerances: with some 80,000 matches in a, the binomial
  // standard error of m is about 0.001; 0.03 leaves room for the look-alikes' pull.
  const std::vector<rl::FieldModel> fields = three_exact_fields();
  const rl::EmSession a = simulated_session(11, 200000, 0.4, 0);
  const rl::EmSession b = simulated_session(12, 200000, 0.01, 0.2);
  const rl::EmResult alone =
      rl::expectation_maximisation(b.patterns, b.counts, fields, b.estimate, 2000, 1e-9);
  EXPECT_GT(alone.match_share, 0.1) << alone.m[2][1];
  EXPECT_LT(alone.m[2][1], 0.5);
  const rl::JointEmResult joint = rl::joint_expectation_maximisation({a, b}, fields, 200, 1e-6);
  EXPECT_TRUE(joint.converged) << joint.iterations;
  EXPECT_NEAR(joint.m[0][1], 0.9, 0.03);
  EXPECT_NEAR(joint.m[1][1], 0.9, 0.03);
  // The look-alikes still pull the third field's m (some of them join the match class, and
  // they disagree there), but it stays strong evidence instead of none.
  EXPECT_GT(joint.m[2][1], 0.75);
  EXPECT_NEAR(joint.match_share[0], 0.4, 0.01);
  EXPECT_LT(joint.match_share[1], 0.1);
  // Every field here has thousands of likely matches compared.
  ASSERT_EQ(joint.matches_compared.size(), 3u);
  EXPECT_GT(joint.matches_compared[2], rl::kMinMatchesCompared);
}

TEST(LinkModel, AcceleratedEmReachesPlainEmsFixedPoint) {
  // SQUAREM changes the path, not the fixed point: with a tolerance of 1e-10 and iterations to
  // spare, the estimate agrees with the one at 1e-6 to that tolerance's scale, and the 5%-match
  // session converges within the default 200 iterations.
  const std::vector<rl::FieldModel> fields = three_exact_fields();
  const rl::EmSession s = simulated_session(13, 200000, 0.05, 0);
  const rl::JointEmResult fast = rl::joint_expectation_maximisation({s}, fields, 200, 1e-6);
  const rl::JointEmResult tight = rl::joint_expectation_maximisation({s}, fields, 100000, 1e-10);
  EXPECT_TRUE(fast.converged) << fast.iterations;
  EXPECT_TRUE(tight.converged);
  for (std::size_t f = 0; f < 3; ++f)
    EXPECT_NEAR(fast.m[f][1], tight.m[f][1], 1e-4) << f;
  EXPECT_NEAR(fast.match_share[0], tight.match_share[0], 1e-4);
}

// Labelled pairs fix their responsibility, and a fixed m is held while the rest is estimated.
TEST(LinkModel, EmHoldsLabelledPairsAndFixedProbabilities) {
  std::vector<rl::FieldModel> fields(1);
  fields[0].comparator = rl::Comparator::exact;
  fields[0].levels = rl::level_names(rl::Comparator::exact);
  fields[0].u = {0, 0.5, 0.5};
  // Unlabelled patterns say nothing (agree and disagree equally often, as u does): only the
  // labelled matches, all agreeing, can move m towards agreement.
  const std::vector<std::uint8_t> patterns{1, 2, 1};
  const std::vector<double> counts{100, 100, 50};
  const std::vector<double> known{-1, -1, 1};
  const rl::EmResult em =
      rl::expectation_maximisation(patterns, counts, fields, {true}, 500, 1e-10, known);
  EXPECT_GT(em.m[0][1], 0.6);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const rl::EmResult held = rl::expectation_maximisation(patterns, counts, fields, {true}, 500,
                                                         1e-10, known, {{nan, 0.3, nan}});
  EXPECT_DOUBLE_EQ(held.m[0][1], 0.3);
  EXPECT_NEAR(held.m[0][2], 0.7, 1e-12);
}

TEST(LinkLabels, DecisionsAsReviewersWriteThem) {
  EXPECT_EQ(rl::parse_decision(" Match "), rl::Decision::match);
  EXPECT_EQ(rl::parse_decision("no"), rl::Decision::non_match);
  EXPECT_EQ(rl::parse_decision("non-match"), rl::Decision::non_match);
  EXPECT_EQ(rl::parse_decision(""), rl::Decision::undecided);
  EXPECT_EQ(rl::parse_decision("?"), rl::Decision::undecided);
  EXPECT_FALSE(rl::parse_decision("perhaps").has_value());
}

TEST(LinkClustering, SplitsWeakChainsAndKeepsStrongGroups) {
  // 0-1 and 1-2 strong, 0-2 strongly against: a chain of two different men through record 1.
  // 3-4 strong: a pair. Record 5 alone.
  const std::vector<std::uint64_t> pairs{rl::pack_pair(0, 1), rl::pack_pair(1, 2),
                                         rl::pack_pair(3, 4)};
  const std::vector<float> scores{6.0f, 5.0f, 10.0f};
  auto score = [](std::uint32_t a, std::uint32_t b) -> float {
    if (a > b) std::swap(a, b);
    if (a == 0 && b == 1) return 6;
    if (a == 1 && b == 2) return 5;
    if (a == 0 && b == 2) return -30;
    if (a == 3 && b == 4) return 10;
    return -20;
  };
  rl::ClusterStats stats;
  const std::vector<std::uint32_t> e = rl::cluster_records(6, pairs, scores, 0.0f, score, &stats);
  EXPECT_EQ(e[0], e[1]);  // the stronger link wins
  EXPECT_NE(e[1], e[2]);
  EXPECT_EQ(e[3], e[4]);
  EXPECT_EQ(stats.entities, 4u);
  EXPECT_EQ(stats.components_split, 1u);
  // Without the contradiction the three records form one entity.
  auto friendly = [](std::uint32_t, std::uint32_t) -> float { return 5; };
  const std::vector<std::uint32_t> f =
      rl::cluster_records(3, {pairs[0], pairs[1]}, {6.0f, 5.0f}, 0.0f, friendly);
  EXPECT_EQ(f[0], f[2]);
}

TEST(Clustering, UniqueListsGetOneRecordEachByMaximumWeightMatching) {
  // Lists: records 0, 1 on unique list 0; records 2, 3 on unique list 1. Greedy on the best
  // pair (0-2, 9) would leave 1-3 (1); the matching 0-3 + 1-2 (7 + 7) weighs more.
  const std::vector<std::uint16_t> list{0, 0, 1, 1};
  auto score = [](std::uint32_t a, std::uint32_t b) -> float {
    if (a > b) std::swap(a, b);
    if (a == 0 && b == 2) return 9;
    if (a == 0 && b == 3) return 7;
    if (a == 1 && b == 2) return 7;
    if (a == 1 && b == 3) return 1;
    return 8;  // 0-1 and 2-3: same list, never joined however strong
  };
  std::vector<std::uint64_t> pairs;
  std::vector<float> scores;
  for (std::uint32_t a = 0; a < 4; ++a)
    for (std::uint32_t b = a + 1; b < 4; ++b) {
      pairs.push_back(rl::pack_pair(a, b));
      scores.push_back(score(a, b));
    }
  rl::ClusterStats stats;
  const std::vector<std::uint32_t> e = rl::cluster_records(
      4, pairs, scores, 0.0f, score, &stats, rl::UniqueLists{list.data(), {true, true}});
  EXPECT_EQ(e[0], e[3]);
  EXPECT_EQ(e[1], e[2]);
  EXPECT_NE(e[0], e[1]);
  EXPECT_EQ(stats.unique_components, 1u);
  EXPECT_EQ(stats.unique_exact_matching, 1u);
  // Not unique: average linkage may put all four together.
  const std::vector<std::uint32_t> free = rl::cluster_records(4, pairs, scores, 0.0f, score);
  EXPECT_EQ(free[0], free[1]);
}

TEST(Clustering, ThreeUniqueListsKeepTheConstraint) {
  // Records 0, 1 on list 0, 2 on list 1, 3 on list 2: everything resembles everything.
  const std::vector<std::uint16_t> list{0, 0, 1, 2};
  auto score = [](std::uint32_t a, std::uint32_t b) -> float { return a + b == 1 ? 9.0f : 3.0f; };
  std::vector<std::uint64_t> pairs;
  std::vector<float> scores;
  for (std::uint32_t a = 0; a < 4; ++a)
    for (std::uint32_t b = a + 1; b < 4; ++b) {
      pairs.push_back(rl::pack_pair(a, b));
      scores.push_back(score(a, b));
    }
  rl::ClusterStats stats;
  const std::vector<std::uint32_t> e = rl::cluster_records(
      4, pairs, scores, 0.0f, score, &stats, rl::UniqueLists{list.data(), {true, true, true}});
  EXPECT_NE(e[0], e[1]);
  EXPECT_EQ(e[2], e[3]);
  EXPECT_TRUE(e[2] == e[0] || e[2] == e[1]);
  EXPECT_EQ(stats.unique_exact_partition, 1u);
}

const char* kSeparateNames = R"(
[[list]]
name = "c"
file = "c.csv"
id = "id"
fields = { surname = "s", given = "g", birth_date = "born" }
)";

TEST(ReadRecords, LatinNamesTakeTheReadingThatTheCyrillicNamesKnow) {
  const rl::RecordSet r = rl::parse_list(
      "id,s,g,born\n1,Кузнецов,Михаил,1980\n2,Kusnezow,Michail,1980\n3,Kouznetsoff,Mikhail,1980\n"
      "4,Kuznetsov,Mikhail,1980\n5,Zapkin,Michail,1980\n",
      config_of(kSeparateNames).lists[0]);
  const rl::FieldValues& surname = r.values[*r.field_index("surname")];
  const rl::FieldValues& given = r.values[*r.field_index("given")];
  EXPECT_EQ(surname.key[1], surname.key[0]);  // German
  EXPECT_EQ(surname.key[2], surname.key[0]);  // French
  EXPECT_EQ(surname.key[3], surname.key[0]);  // English
  EXPECT_EQ(given.key[1], given.key[0]);      // German ch = х
  EXPECT_NE(surname.key[4], surname.key[0]);  // an unknown name keeps its own key
}

TEST(LinkComparison, NamesWrittenInEachOthersColumnsAreOneLevelOfTheSurname) {
  const rl::RecordSet r = rl::parse_list(
      "id,s,g,born\n1,Кузнецов,Михаил,1980\n2,Mikhail,Kuznetsov,1980\n3,Petrov,Mikhail,1980\n"
      "4,Кузнецов,Мишa,1980\n5,Orlov,Oleg,1981\n6,Oleg,Orlov,1981\n",
      config_of(kSeparateNames).lists[0]);
  const rl::Comparer c(r, {});
  const std::size_t surname = *r.field_index("surname"), given = *r.field_index("given");
  const auto& levels = rl::level_names(rl::Comparator::name);
  EXPECT_EQ(levels[static_cast<std::size_t>(c.level(surname, 0, 1))], "names inverted");
  EXPECT_EQ(c.level(surname, 1, 0), c.level(surname, 0, 1));
  EXPECT_EQ(c.level(given, 0, 1), 0);  // counted once, in the surname's level
  EXPECT_EQ(levels[static_cast<std::size_t>(c.level(surname, 0, 2))], "different");
  EXPECT_EQ(levels[static_cast<std::size_t>(c.level(given, 0, 2))], "exact");
  EXPECT_EQ(levels[static_cast<std::size_t>(c.level(surname, 0, 3))], "exact");
  EXPECT_EQ(levels.back(), "different");
  // Key ids differ between the two fields' tables (Oleg is the given field's third key and the
  // surname field's fifth).
  EXPECT_EQ(levels[static_cast<std::size_t>(c.level(surname, 4, 5))], "names inverted");
  EXPECT_EQ(c.level(given, 5, 4), 0);
  EXPECT_EQ(levels[static_cast<std::size_t>(c.level(surname, 1, 4))], "different");
}

TEST(Clustering, ARecordTwoEntitiesClaimEquallyIsLeftUnlinked) {
  // Record 0 resembles 1 and 2 (log2 odds 5 each), which are two men (1-2 strongly against);
  // the clustering put 0 with 1. Record 3 resembles 4 (6) and, weakly, 5 (-4): singled out.
  std::vector<std::uint32_t> entity{0, 0, 1, 2, 2, 3};
  const std::vector<std::uint64_t> pairs{rl::pack_pair(0, 1), rl::pack_pair(0, 2),
                                         rl::pack_pair(1, 2), rl::pack_pair(3, 4),
                                         rl::pack_pair(3, 5)};
  const std::vector<float> scores{5, 5, -30, 6, -4};
  rl::ClusterStats stats;
  stats.entities = 4;
  const std::vector<bool> ambiguous =
      rl::leave_ambiguous_unlinked(entity, pairs, scores, 0.0f, 64.0f, &stats);
  EXPECT_TRUE(ambiguous[0]);
  EXPECT_NE(entity[0], entity[1]);
  EXPECT_NE(entity[0], entity[2]);
  EXPECT_FALSE(ambiguous[3]);
  EXPECT_EQ(entity[3], entity[4]);
  EXPECT_EQ(stats.entities, 5u);
  EXPECT_EQ(stats.ambiguous_taken_out, 1u);
  EXPECT_EQ(entity[0], 0u);  // renumbered in order of first record
  EXPECT_EQ(entity[1], 1u);
  // Linked outright (a deterministic rule, a label): never taken out.
  std::vector<std::uint32_t> outright{0, 0, 1};
  const std::vector<float> strong{64, 5, -30};
  EXPECT_FALSE(rl::leave_ambiguous_unlinked(outright, {pairs[0], pairs[1], pairs[2]}, strong, 0.0f,
                                            64.0f)[0]);
  EXPECT_EQ(outright[0], outright[1]);
  // Left alone by the clustering while two entities would each take it: counted, unjoined.
  std::vector<std::uint32_t> alone{0, 1, 2};
  const std::vector<bool> counted = rl::leave_ambiguous_unlinked(
      alone, {pairs[0], pairs[1], pairs[2]}, {5, 5, -30}, 0.0f, 64.0f, &stats);
  EXPECT_TRUE(counted[0]);
  EXPECT_EQ(stats.ambiguous_unjoined, 1u);
}

TEST(LinkEvaluate, PairwiseAndBCubed) {
  // Truth: {1,2,3} {4}; predicted: {1,2} {3,4}.
  const rl::LinkEvaluation e = rl::evaluate_clusters({"x", "x", "y", "y"}, {"p", "p", "p", "q"});
  EXPECT_EQ(e.true_pairs, 3u);
  EXPECT_EQ(e.predicted_pairs, 2u);
  EXPECT_EQ(e.correct_pairs, 1u);
  EXPECT_DOUBLE_EQ(e.precision, 0.5);
  EXPECT_DOUBLE_EQ(e.recall, 1.0 / 3);
  // B-cubed precision: (1 + 1 + 1/2 + 1/2) / 4; recall: (2/3 + 2/3 + 1/3 + 1) / 4.
  EXPECT_NEAR(e.bcubed_precision, 0.75, 1e-12);
  EXPECT_NEAR(e.bcubed_recall, (2.0 / 3 + 2.0 / 3 + 1.0 / 3 + 1) / 4, 1e-12);
}
