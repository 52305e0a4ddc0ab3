#pragma once
// Dates of partial precision as lists write them: "12.03.1985", "03/12/1985", "1985-03-12",
// "19850312", "03.1985", "1985".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recount::linkage {

struct PartialDate {  // 0 = unknown part; year 0 = missing
  int year = 0, month = 0, day = 0;
  friend bool operator==(const PartialDate&, const PartialDate&) = default;
};

enum class DateOrder { day_first, month_first };

// The order of a column's slash/dot dates: month_first only when some value has a 2nd part > 12
// and none a first part > 12.
[[nodiscard]] DateOrder detect_date_order(const std::vector<std::string_view>& values);

// dd.mm.yyyy, dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd, yyyymmdd, mm.yyyy, yyyy-mm, yyyy, and month
// names in Russian or English ("12 марта 1985", "март 1985", "12 March 1985") (a trailing
// time of day or "г." is ignored; 00 for the day or month means unknown). An empty value, "-"
// or "NA" is missing: a PartialDate with year 0. nullopt when unreadable, including impossible
// days (31.02) and two-digit years (ambiguous between 19xx and 20xx for birth dates). A value
// impossible in `order` but possible in the other is read swapped (a swap in the source).
[[nodiscard]] std::optional<PartialDate> parse_partial_date(std::string_view s, DateOrder order);

}  // namespace recount::linkage
