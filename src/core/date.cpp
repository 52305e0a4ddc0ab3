#include "recount/core/date.hpp"

#include <charconv>

#include <fmt/format.h>

namespace recount {

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  if (!ymd.ok())
    throw bad_input({}, fmt::format("{:04}-{:02}-{:02} is not a date", year, month, day));
  return Date(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

std::optional<Date> Date::parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  const auto num = [&](std::size_t at, std::size_t len, auto& out) {
    const char* first = text.data() + at;
    const auto [p, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc{} && p == first + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return Date(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

Date Date::parse_iso(std::string_view text, const Location& where) {
  if (auto d = parse_iso(text)) return *d;
  throw bad_input(where, fmt::format("'{}' is not a date of the form YYYY-MM-DD", text));
}

std::chrono::year_month_day Date::ymd() const {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days_}}};
}

int Date::year() const {
  return static_cast<int>(ymd().year());
}
unsigned Date::month() const {
  return static_cast<unsigned>(ymd().month());
}
unsigned Date::day() const {
  return static_cast<unsigned>(ymd().day());
}

std::string Date::iso() const {
  return fmt::format("{:04}-{:02}-{:02}", year(), month(), day());
}

}  // namespace recount
