// Fuzzes the deaths-table reader (plain or gzip) and the sex-ratio estimator behind it: any bytes
// give an estimate or a recount::Error, never a crash or a hang. A table that reads is estimated
// over its widest age range, fitted on all its years but the last, under both trends, and once
// with itself subtracted (which leaves no deaths: an error, never a crash).

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/error.hpp"
#include "recount/excess/deaths_table.hpp"
#include "recount/excess/sex_ratio.hpp"

namespace {

constexpr std::size_t kMaxText = 1 << 20;  // a decompressed input larger than this is skipped
constexpr int kMaxSpan = 60;               // years from the first to the last, to keep runs fast

void estimate(const recount::excess::DeathsTable& table) {
  using namespace recount::excess;
  ExcessOptions o;
  if (table.has_region()) {
    if (table.regions().empty()) return;
    o.region = table.regions().front();
  }
  const auto years = table.years(o.region);
  const auto bands = table.bands(o.region);
  if (years.size() < 2 || bands.empty() || years.back() - years.front() > kMaxSpan) return;
  o.ages = {bands.front().first, bands.back().last};
  o.baseline = {years.front(), years[years.size() - 2]};
  o.years = {years.back(), years.back()};
  for (const Trend trend : {Trend::linear, Trend::exponential}) {
    o.trend = trend;
    try {
      (void)to_json(estimate_excess(table, o));
    } catch (const recount::Error&) {
    }
  }
  o.trend = Trend::linear;
  try {
    (void)estimate_excess(table, o, &table);
  } catch (const recount::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
      text = recount::excess::gunzip(text, "fuzz.csv.gz");
    if (text.size() > kMaxText) return 0;
    estimate(recount::excess::DeathsTable::parse(std::move(text), "fuzz.csv"));
  } catch (const recount::Error&) {
  }
  return 0;
}
