// The list generator: deterministic, consistent counts, parseable lists, duplicates at the
// requested rate, real noise, dependence when asked for, and Windows-1251 output that decodes.

#include "recount/linkage/simulate.hpp"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/unistr.h>
#include <nlohmann/json.hpp>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace {

namespace fs = std::filesystem;
using recount::linkage::ListSimulation;
using recount::linkage::simulate_lists;

fs::path temp_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("simulate_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

struct Truth {
  std::vector<std::string> list, id, person;
};

Truth read_truth(const fs::path& dir) {
  recount::CsvReader reader = recount::CsvReader::open(dir / "truth.csv");
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"list", "id", "person"}));
  Truth t;
  recount::CsvRecord r;
  while (reader.next(r)) {
    t.list.emplace_back(r.fields[0]);
    t.id.emplace_back(r.fields[1]);
    t.person.emplace_back(r.fields[2]);
  }
  return t;
}

// Rows of a list file by id: field name → value.
std::map<std::string, std::map<std::string, std::string>> read_list(const fs::path& file) {
  recount::CsvReader reader = recount::CsvReader::open(file);
  std::map<std::string, std::map<std::string, std::string>> rows;
  recount::CsvRecord r;
  while (reader.next(r)) {
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < r.fields.size(); ++c)
      row[reader.header()[c]] = std::string(r.fields[c]);
    rows[row["id"]] = row;
  }
  return rows;
}

TEST(SimulateLists, SameSeedSameBytesOtherSeedOtherLists) {
  ListSimulation o;
  o.people = 3000;
  o.lists = 8;
  o.seed = 7;
  const fs::path a = temp_dir("det_a"), b = temp_dir("det_b"), c = temp_dir("det_c");
  simulate_lists(o, a);
  simulate_lists(o, b);
  o.seed = 8;
  simulate_lists(o, c);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(a)) {
    const fs::path name = entry.path().filename();
    EXPECT_EQ(recount::read_file(a / name), recount::read_file(b / name)) << name;
    ++files;
  }
  EXPECT_EQ(files, 8U + 3U);
  EXPECT_NE(recount::read_file(a / "list_court.csv"), recount::read_file(c / "list_court.csv"));
  for (const fs::path& d : {a, b, c})
    fs::remove_all(d);
}

TEST(SimulateLists, CountsAddUpAndEveryListParsesWithItsColumns) {
  ListSimulation o;
  o.people = 4000;
  o.lists = 8;
  const fs::path dir = temp_dir("counts");
  const auto result = simulate_lists(o, dir);
  const Truth truth = read_truth(dir);
  EXPECT_EQ(truth.list.size(), result.records);

  const std::map<std::string, std::vector<std::string>> columns = {
      {"obituaries", {"id", "full_name", "born", "died", "region"}},
      {"payments", {"id", "full_name", "dob", "date_of_death", "region", "unit"}},
      {"court", {"id", "surname", "given", "patronymic", "birth_date", "region"}},
      {"ukraine", {"id", "name", "birth_year", "death_date", "unit"}},
      {"memorial", {"id", "full_name", "death", "region"}},
      {"pardons", {"id", "fio", "born", "region"}},
      {"media", {"id", "name", "year_of_birth", "date_of_death"}},
      {"social", {"id", "name", "born", "region"}}};
  ASSERT_EQ(result.list_names.size(), 8U);
  std::size_t total = 0;
  for (std::size_t j = 0; j < result.list_names.size(); ++j) {
    const std::string& name = result.list_names[j];
    recount::CsvReader reader = recount::CsvReader::open(dir / ("list_" + name + ".csv"));
    EXPECT_EQ(reader.header(), columns.at(name)) << name;
    std::set<std::string> ids;
    recount::CsvRecord r;
    while (reader.next(r))
      EXPECT_TRUE(ids.insert(std::string(r.fields[0])).second) << name;
    EXPECT_EQ(ids.size(), result.records_per_list[j]) << name;
    std::set<std::string> truth_ids;
    for (std::size_t k = 0; k < truth.list.size(); ++k)
      if (truth.list[k] == name) truth_ids.insert(truth.id[k]);
    EXPECT_EQ(truth_ids, ids) << name;
    total += ids.size();
  }
  EXPECT_EQ(total, result.records);

  const auto summary = nlohmann::json::parse(recount::read_file(dir / "summary.json"));
  const std::set<std::string> people(truth.person.begin(), truth.person.end());
  EXPECT_EQ(summary["people_listed"].get<std::size_t>(), people.size());
  EXPECT_EQ(result.people_listed, people.size());
  EXPECT_EQ(summary["people"].get<std::size_t>() - summary["people_on_no_list"].get<std::size_t>(),
            people.size());
  std::size_t by_pattern = 0;
  for (const auto& [pattern, count] : summary["patterns"].items()) {
    EXPECT_EQ(pattern.size(), 8U);
    by_pattern += count.get<std::size_t>();
  }
  EXPECT_EQ(by_pattern, people.size());
  EXPECT_EQ(summary["records"].get<std::size_t>(), result.records);
  const std::string toml = recount::read_file(dir / "link.toml");
  for (const auto& name : result.list_names)
    EXPECT_NE(toml.find("file = \"list_" + name + ".csv\""), std::string::npos) << name;
  fs::remove_all(dir);
}

TEST(SimulateLists, DuplicatesComeAtTheRequestedRate) {
  ListSimulation o;
  o.people = 10000;
  o.duplicate_rate = 0.05;
  const fs::path dir = temp_dir("dups");
  const auto result = simulate_lists(o, dir);
  const Truth truth = read_truth(dir);
  std::map<std::pair<std::string, std::string>, int> copies;
  for (std::size_t k = 0; k < truth.list.size(); ++k)
    ++copies[{truth.list[k], truth.person[k]}];
  const double unique = static_cast<double>(copies.size());
  const double extra = static_cast<double>(truth.list.size()) - unique;
  EXPECT_EQ(static_cast<std::size_t>(extra), result.duplicates);
  // Binomial(unique, 0.05): four standard errors.
  const double se = std::sqrt(0.05 * 0.95 / unique);
  EXPECT_NEAR(extra / unique, 0.05, 4 * se);

  o.duplicate_rate = 0;
  o.people = 2000;
  EXPECT_EQ(simulate_lists(o, dir).duplicates, 0U);
  const Truth none = read_truth(dir);
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t k = 0; k < none.list.size(); ++k)
    EXPECT_TRUE(seen.insert({none.list[k], none.person[k]}).second);
  fs::remove_all(dir);
}

TEST(SimulateLists, RecordsOfOnePersonDifferAsRealListsDo) {
  ListSimulation o;
  o.people = 10000;
  o.duplicate_rate = 0.1;
  const fs::path dir = temp_dir("noise");
  simulate_lists(o, dir);
  const Truth truth = read_truth(dir);
  const auto court = read_list(dir / "list_court.csv");
  // In-list duplicates of one man in the court list: mostly the same, some not.
  std::map<std::string, std::vector<std::string>> by_person;
  for (std::size_t k = 0; k < truth.list.size(); ++k)
    if (truth.list[k] == "court") by_person[truth.person[k]].push_back(truth.id[k]);
  int pairs = 0, differ = 0;
  for (const auto& [person, ids] : by_person) {
    if (ids.size() < 2) continue;
    const auto& a = court.at(ids[0]);
    const auto& b = court.at(ids[1]);
    ++pairs;
    if (a.at("surname") != b.at("surname") || a.at("given") != b.at("given") ||
        a.at("patronymic") != b.at("patronymic") || a.at("birth_date") != b.at("birth_date"))
      ++differ;
  }
  ASSERT_GT(pairs, 100);
  EXPECT_GT(differ, 0);
  EXPECT_LT(differ, pairs);

  // Payments are in Latin, upper-case surname first; the Ukrainian side writes Ukrainian forms.
  const auto payments = read_list(dir / "list_payments.csv");
  for (const auto& [id, row] : payments) {
    const std::string& name = row.at("full_name");
    ASSERT_FALSE(name.empty());
    EXPECT_FALSE(recount::first_invalid_utf8(name).has_value());
    for (const char ch : name)
      EXPECT_GE(static_cast<unsigned char>(ch), 0x20) << name;
    for (const char ch : name)
      ASSERT_LT(static_cast<unsigned char>(ch), 0x80) << name;
  }
  const std::string ukraine = recount::read_file(dir / "list_ukraine.csv");
  EXPECT_NE(ukraine.find("Oleksandr"), std::string::npos);
  EXPECT_NE(ukraine.find("Serhiy"), std::string::npos);
  const std::string court_text = recount::read_file(dir / "list_court.csv");
  EXPECT_NE(court_text.find("Иванов"), std::string::npos);
  fs::remove_all(dir);
}

TEST(SimulateLists, PatronymicsFollowTheRulesWithoutNoise) {
  ListSimulation o;
  o.people = 3000;
  o.noise = 0;
  o.women_share = 0.2;
  const fs::path dir = temp_dir("rules");
  simulate_lists(o, dir);
  const auto court = read_list(dir / "list_court.csv");
  auto ends = [](const std::string& s, const std::string& e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
  };
  int women = 0;
  for (const auto& [id, row] : court) {
    const std::string& p = row.at("patronymic");
    if (p.empty()) continue;
    const bool man = ends(p, "ич");
    const bool woman = ends(p, "овна") || ends(p, "евна") || ends(p, "ична");
    EXPECT_TRUE(man || woman) << p;
    EXPECT_EQ(p.find("Дмитрьев"), std::string::npos) << "Дмитрий makes Дмитриевич";
    if (woman) {
      ++women;
      const std::string& s = row.at("surname");
      EXPECT_FALSE(ends(s, "ов") || ends(s, "ин") || ends(s, "ский")) << s;
    }
  }
  EXPECT_GT(women, 0);
  fs::remove_all(dir);
}

// Overlap of two lists relative to independence: P(both) / (P(a) P(b)).
double overlap_ratio(const fs::path& dir, std::size_t people, std::size_t a, std::size_t b) {
  const auto summary = nlohmann::json::parse(recount::read_file(dir / "summary.json"));
  double na = 0, nb = 0, both = 0;
  for (const auto& [pattern, count] : summary["patterns"].items()) {
    const double n = count.get<double>();
    if (pattern[a] == '1') na += n;
    if (pattern[b] == '1') nb += n;
    if (pattern[a] == '1' && pattern[b] == '1') both += n;
  }
  const double total = static_cast<double>(people);
  return (both / total) / ((na / total) * (nb / total));
}

TEST(SimulateLists, DependenceAndHeterogeneityShowInTheOverlaps) {
  ListSimulation o;
  o.people = 20000;
  o.visibility_sd = 0;
  o.dependence = 0;
  const fs::path dir = temp_dir("dependence");
  simulate_lists(o, dir);
  // Independent lists (only the small regional differences in coverage): ratio near 1. The
  // ratio's Monte Carlo standard error here is about 0.01.
  EXPECT_NEAR(overlap_ratio(dir, o.people, 2, 3), 1.0, 0.05);
  EXPECT_NEAR(overlap_ratio(dir, o.people, 0, 1), 1.0, 0.05);
  o.dependence = 1.5;
  simulate_lists(o, dir);
  EXPECT_GT(overlap_ratio(dir, o.people, 0, 1), 1.1);  // the dependent pair
  EXPECT_NEAR(overlap_ratio(dir, o.people, 2, 3), 1.0, 0.05);
  o.dependence = 0;
  o.visibility_sd = 1.5;
  simulate_lists(o, dir);
  EXPECT_GT(overlap_ratio(dir, o.people, 2, 3), 1.1);  // heterogeneity: positive everywhere
  fs::remove_all(dir);
}

TEST(SimulateLists, Windows1251ListDecodesToTheSameText) {
  ListSimulation o;
  o.people = 1500;
  const fs::path utf8 = temp_dir("utf8"), cp = temp_dir("cp1251");
  simulate_lists(o, utf8);
  o.cp1251_list = "court";
  simulate_lists(o, cp);
  const std::string bytes = recount::read_file(cp / "list_court.csv");
  EXPECT_TRUE(recount::first_invalid_utf8(bytes).has_value());
  std::string decoded;
  icu::UnicodeString(bytes.data(), static_cast<int32_t>(bytes.size()), "windows-1251")
      .toUTF8String(decoded);
  EXPECT_EQ(decoded, recount::read_file(utf8 / "list_court.csv"));
  EXPECT_EQ(recount::read_file(cp / "list_obituaries.csv"),
            recount::read_file(utf8 / "list_obituaries.csv"));
  const auto summary = nlohmann::json::parse(recount::read_file(cp / "summary.json"));
  EXPECT_EQ(summary["lists"][2]["encoding"], "windows-1251");
  for (const fs::path& d : {utf8, cp})
    fs::remove_all(d);
}

TEST(SimulateLists, OptionsOutOfRangeAreUsageErrors) {
  const fs::path dir = temp_dir("bad");
  auto kind = [&](const ListSimulation& o) {
    try {
      simulate_lists(o, dir);
    } catch (const recount::Error& e) {
      return e.kind();
    }
    return recount::ErrorKind::internal;
  };
  ListSimulation o;
  o.people = 10;
  o.lists = 9;
  EXPECT_EQ(kind(o), recount::ErrorKind::usage);
  o.lists = 4;
  o.duplicate_rate = 0.9;
  EXPECT_EQ(kind(o), recount::ErrorKind::usage);
  o.duplicate_rate = 0.03;
  o.cp1251_list = "memorial";  // not among the first four lists
  EXPECT_EQ(kind(o), recount::ErrorKind::usage);
  o.cp1251_list.clear();
  o.people = 0;
  EXPECT_EQ(kind(o), recount::ErrorKind::usage);
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
