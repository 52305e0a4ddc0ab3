#pragma once
// Calendar dates as whole days (proleptic Gregorian), on std::chrono's civil calendar.

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "recount/core/error.hpp"

namespace recount {

class Date {
 public:
  constexpr Date() = default;
  static Date from_days(int days_since_epoch) { return Date(days_since_epoch); }
  // Throws bad input for an impossible date (2023-02-30).
  static Date from_ymd(int year, unsigned month, unsigned day);
  // Strict ISO 8601 calendar date, YYYY-MM-DD; nullopt when it is not one.
  static std::optional<Date> parse_iso(std::string_view text);
  // As parse_iso, but a bad-input error naming `where` when the text is not a date.
  static Date parse_iso(std::string_view text, const Location& where);

  [[nodiscard]] int days() const noexcept { return days_; }
  [[nodiscard]] int year() const;
  [[nodiscard]] unsigned month() const;
  [[nodiscard]] unsigned day() const;
  [[nodiscard]] std::string iso() const;

  [[nodiscard]] Date plus_days(int n) const noexcept { return Date(days_ + n); }
  friend int operator-(Date a, Date b) noexcept { return a.days_ - b.days_; }
  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  explicit constexpr Date(int days) : days_(days) {}
  [[nodiscard]] std::chrono::year_month_day ymd() const;
  int days_ = 0;
};

}  // namespace recount
