// Partial dates as lists write them. Hand-written: the formats are few and fixed, and neither
// ICU's nor the standard library's parsers read partial precision or report which part is wrong
// (ICU only folds the case of month names).

#include "recount/linkage/dates.hpp"

#include <unicode/unistr.h>

#include <array>
#include <cstddef>
#include <string>

#include "recount/core/text.hpp"

namespace recount::linkage {
namespace {

// Plausible years of birth and death for people in the lists.
constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2100;

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

// The date when its parts are possible; day 0 and month 0 mean "unknown" (lists write 00).
std::optional<PartialDate> valid(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 0 || month > 12 || day < 0) return {};
  if (month == 0 && day != 0) return {};
  if (month != 0 && day > days_in_month(year, month)) return {};
  return PartialDate{year, month, day};
}

struct Parts {
  std::array<std::string_view, 3> part{};  // digit runs
  std::size_t count = 0;
  char separator = 0;
};

// Splits "12.03.1985" into digit runs with one consistent separator (. / - or space).
std::optional<Parts> split(std::string_view s) {
  Parts p;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] >= '0' && s[i] <= '9') continue;
    if (i == start || p.count == 3) return {};
    p.part[p.count++] = s.substr(start, i - start);
    if (i == s.size()) break;
    const char c = s[i];
    if (c != '.' && c != '/' && c != '-' && c != ' ') return {};
    if (p.separator != 0 && c != p.separator) return {};
    p.separator = c;
    start = i + 1;
  }
  return p;
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits)
    n = n * 10 + (c - '0');
  return n;
}

// Removes what follows a date in exported spreadsheets and Russian lists: a time of day
// ("12.03.1985 0:00:00", "1985-03-12T00:00:00") and the year abbreviation "г." / "г.р.".
std::string_view strip_suffixes(std::string_view s) {
  for (std::string_view suffix : {"г.р.", "г.р", "г.", "г"}) {
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
      s = trim(s.substr(0, s.size() - suffix.size()));
      break;
    }
  }
  const std::size_t cut = s.find_last_of("T ");
  if (cut != std::string_view::npos && cut >= 4) {
    const std::string_view rest = s.substr(cut + 1);
    if (!rest.empty() && rest.find_first_not_of("0123456789:.") == std::string_view::npos &&
        rest.find(':') != std::string_view::npos)
      s = s.substr(0, cut);
  }
  return s;
}

bool missing_marker(std::string_view s) {
  return s.empty() || s == "-" || s == "NA" || s == "N/A" || s == "n/a" || s == "na";
}

// Reads day and month from two digit runs in the column's order; a value the order makes
// impossible but the other order allows is read swapped (a day/month swap in the source).
std::optional<PartialDate> day_month_year(std::string_view first, std::string_view second, int year,
                                          DateOrder order) {
  if (first.size() > 2 || second.size() > 2) return {};
  const int a = number(first), b = number(second);
  const int day = order == DateOrder::day_first ? a : b;
  const int month = order == DateOrder::day_first ? b : a;
  if (auto d = valid(year, month, day)) return d;
  return valid(year, day, month);
}

// The month of a Russian or English month name, full, genitive or abbreviated ("марта",
// "Март", "мар.", "March", "Mar"); 0 when the word is not one.
int month_number(std::string_view word) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  u.foldCase();
  std::string w;
  u.toUTF8String(w);
  while (!w.empty() && w.back() == '.')
    w.pop_back();
  static constexpr std::array<std::array<std::string_view, 2>, 12> kPrefixes{{{"янв", "jan"},
                                                                              {"фев", "feb"},
                                                                              {"мар", "mar"},
                                                                              {"апр", "apr"},
                                                                              {"ма", "may"},
                                                                              {"июн", "jun"},
                                                                              {"июл", "jul"},
                                                                              {"авг", "aug"},
                                                                              {"сен", "sep"},
                                                                              {"окт", "oct"},
                                                                              {"ноя", "nov"},
                                                                              {"дек", "dec"}}};
  if (w == "май" || w == "мая") return 5;
  for (std::size_t m = 0; m < kPrefixes.size(); ++m) {
    for (std::string_view prefix : kPrefixes[m]) {
      if (m == 4 && prefix == "ма") continue;  // only май/мая, not март
      if (w.size() >= prefix.size() && w.compare(0, prefix.size(), prefix) == 0)
        return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// "12 марта 1985", "марта 1985", "12 March 1985": day (optional), month name, year.
std::optional<PartialDate> with_month_name(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find_first_of(" ,", start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) words.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  if (words.size() < 2 || words.size() > 3) return {};
  const int month = month_number(words[words.size() - 2]);
  const std::string_view year = words.back();
  if (month == 0 || year.size() != 4 || !all_digits(year)) return {};
  int day = 0;
  if (words.size() == 3) {
    if (words[0].size() > 2 || !all_digits(words[0])) return {};
    day = number(words[0]);
    if (day == 0) return {};
  }
  return valid(number(year), month, day);
}

}  // namespace

DateOrder detect_date_order(const std::vector<std::string_view>& values) {
  bool first_over_12 = false, second_over_12 = false;
  for (std::string_view raw : values) {
    const auto p = split(strip_suffixes(trim(raw)));
    if (!p || p->count != 3 || p->part[0].size() > 2 || p->part[1].size() > 2) continue;
    if (number(p->part[0]) > 12) first_over_12 = true;
    if (number(p->part[1]) > 12) second_over_12 = true;
  }
  return second_over_12 && !first_over_12 ? DateOrder::month_first : DateOrder::day_first;
}

std::optional<PartialDate> parse_partial_date(std::string_view s, DateOrder order) {
  s = trim(s);
  if (missing_marker(s)) return PartialDate{};
  const std::string_view text = strip_suffixes(s);
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      return with_month_name(text);
  }
  const auto p = split(text);
  if (!p) return {};
  const auto& part = p->part;
  switch (p->count) {
    case 1:
      if (part[0].size() == 4) return valid(number(part[0]), 0, 0);
      if (part[0].size() == 8)  // yyyymmdd
        return valid(number(part[0].substr(0, 4)), number(part[0].substr(4, 2)),
                     number(part[0].substr(6, 2)));
      return {};
    case 2:  // mm.yyyy or yyyy-mm
      if (part[0].size() == 4 && part[1].size() <= 2)
        return valid(number(part[0]), number(part[1]), 0);
      if (part[1].size() == 4 && part[0].size() <= 2)
        return valid(number(part[1]), number(part[0]), 0);
      return {};
    default:
      if (part[0].size() == 4) {  // yyyy-mm-dd (ISO order whatever the separator)
        if (part[1].size() > 2 || part[2].size() > 2) return {};
        return valid(number(part[0]), number(part[1]), number(part[2]));
      }
      if (part[2].size() != 4) return {};  // two-digit years are ambiguous: refused
      return day_month_year(part[0], part[1], number(part[2]), order);
  }
}

}  // namespace recount::linkage
