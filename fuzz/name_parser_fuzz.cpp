// Fuzzes the full-name parser and the name keys (and, on the same bytes, the date parser and the
// encoding detection): any bytes, invalid UTF-8 included, give names and ASCII keys, a date or
// nullopt, UTF-8 text or a recount::Error; never a crash, a hang or another exception.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "recount/core/error.hpp"
#include "recount/linkage/dates.hpp"
#include "recount/linkage/encoding.hpp"
#include "recount/linkage/names.hpp"

namespace {

void check_key(const std::string& key) {
  for (char c : key)
    if (c < 'a' || c > 'z') std::abort();
}

void check_date(const std::optional<recount::linkage::PartialDate>& d) {
  if (d && (d->month < 0 || d->month > 12 || d->day < 0 || d->day > 31)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const recount::linkage::PersonName name = recount::linkage::parse_full_name(text);
  check_key(recount::linkage::surname_key(name.surname));
  check_key(recount::linkage::given_key(name.given));
  check_key(recount::linkage::patronymic_key(name.patronymic));
  check_key(recount::linkage::name_key(text));
  for (char c : recount::linkage::latin(text))
    if (!((c >= 'a' && c <= 'z') || c == ' ' || c == '-')) std::abort();

  using recount::linkage::DateOrder;
  check_date(recount::linkage::parse_partial_date(text, DateOrder::day_first));
  check_date(recount::linkage::parse_partial_date(text, DateOrder::month_first));
  (void)recount::linkage::detect_date_order({text});
  try {
    std::string detected;
    (void)recount::linkage::to_utf8(std::string(text), "fuzz.csv", &detected);
  } catch (const recount::Error&) {
  }
  return 0;
}
