#include "recount/excess/deaths_table.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/text.hpp"

namespace recount::excess {

namespace {

std::optional<int> parse_int(std::string_view s) {
  int value = 0;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (ec != std::errc{} || ptr != end || s.empty()) return std::nullopt;
  return value;
}

constexpr std::size_t kChunk = 1 << 16;

// An age in completed years: 0 to kOldestAge (which also keeps band arithmetic from overflowing).
std::optional<int> parse_age(std::string_view s) {
  const auto age = parse_int(s);
  if (!age || *age < 0 || *age > kOldestAge) return std::nullopt;
  return age;
}

}  // namespace

bool AgeBand::inside(int lo, std::optional<int> hi) const noexcept {
  if (first < lo) return false;
  if (!hi) return true;
  return last && *last <= *hi;
}

bool AgeBand::overlaps(const AgeBand& other) const noexcept {
  const bool this_ends_before = last && *last < other.first;
  const bool other_ends_before = other.last && *other.last < first;
  return !this_ends_before && !other_ends_before;
}

std::optional<AgeBand> parse_age_band(std::string_view label) {
  const std::string_view s = trim(label);
  if (s.empty()) return std::nullopt;
  AgeBand band;
  band.label = std::string(s);
  if (s.back() == '+') {
    const auto first = parse_age(s.substr(0, s.size() - 1));
    if (!first) return std::nullopt;
    band.first = *first;
    return band;
  }
  const auto dash = s.find('-');
  if (dash == std::string_view::npos) {
    const auto age = parse_age(s);
    if (!age) return std::nullopt;
    band.first = *age;
    band.last = *age;
    return band;
  }
  const auto first = parse_age(s.substr(0, dash));
  const auto last = parse_age(s.substr(dash + 1));
  if (!first || !last || *last < *first) return std::nullopt;
  band.first = *first;
  band.last = *last;
  return band;
}

std::string_view sex_code(Sex sex) noexcept {
  return sex == Sex::male ? "m" : "f";
}

bool DeathsTable::has_region_named(std::string_view region) const {
  return std::find(regions_.begin(), regions_.end(), region) != regions_.end();
}

std::vector<AgeBand> DeathsTable::bands(std::string_view region) const {
  std::set<std::string> labels;
  for (const auto& [key, count] : rows_)
    if (key.region == region) labels.insert(key.age);
  std::vector<AgeBand> out;
  for (const auto& label : labels)
    if (auto band = parse_age_band(label)) out.push_back(*band);
  std::sort(out.begin(), out.end(), [](const AgeBand& a, const AgeBand& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.last.value_or(1 << 30) < b.last.value_or(1 << 30);
  });
  return out;
}

std::vector<int> DeathsTable::years(std::string_view region) const {
  std::set<int> years;
  for (const auto& [key, count] : rows_)
    if (key.region == region) years.insert(key.year);
  return {years.begin(), years.end()};
}

const DeathsCount* DeathsTable::find(const DeathsKey& key) const {
  const auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

DeathsTable DeathsTable::parse(std::string text, std::string name) {
  DeathsTable table;
  table.file_ = name;
  CsvReader reader(std::move(text), std::move(name));
  const auto region_col = reader.column("region");
  const std::size_t year_col = reader.require_column("year");
  const std::size_t age_col = reader.require_column("age");
  const std::size_t sex_col = reader.require_column("sex");
  const std::size_t deaths_col = reader.require_column("deaths");
  table.has_region_ = region_col.has_value();
  std::set<std::string, std::less<>> seen_regions;
  CsvRecord record;
  while (reader.next(record)) {
    DeathsKey key;
    if (region_col) {
      key.region = std::string(trim(record.fields[*region_col]));
      if (key.region.empty())
        throw bad_input(reader.at(record, *region_col), "the region is empty");
    }
    const std::string_view year_text = trim(record.fields[year_col]);
    const auto year = parse_int(year_text);
    if (!year)
      throw bad_input(reader.at(record, year_col),
                      fmt::format("year '{}' is not a whole number", year_text));
    if (*year < kFirstYear || *year > kLastYear)
      throw bad_input(
          reader.at(record, year_col),
          fmt::format("year {} is not a year from {} to {}", *year, kFirstYear, kLastYear));
    key.year = *year;
    key.age = std::string(trim(record.fields[age_col]));
    if (key.age.empty()) throw bad_input(reader.at(record, age_col), "the age is empty");
    if (!parse_age_band(key.age) && key.age != "unknown" && key.age != "total")
      throw bad_input(reader.at(record, age_col),
                      fmt::format("age '{}' is neither a band of ages from 0 to {} (such as "
                                  "15-19, 85+ or 20) nor unknown or total",
                                  key.age, kOldestAge));
    const std::string sex = to_lower_ascii(trim(record.fields[sex_col]));
    if (sex == "m")
      key.sex = Sex::male;
    else if (sex == "f")
      key.sex = Sex::female;
    else
      throw bad_input(reader.at(record, sex_col),
                      fmt::format("sex '{}' is neither m nor f", record.fields[sex_col]));
    const std::string_view deaths_text = trim(record.fields[deaths_col]);
    double deaths = 0;
    const char* end = deaths_text.data() + deaths_text.size();
    const auto [ptr, ec] = std::from_chars(deaths_text.data(), end, deaths);
    if (deaths_text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(deaths))
      throw bad_input(reader.at(record, deaths_col),
                      fmt::format("the count of deaths '{}' is not a number", deaths_text));
    if (deaths < 0)
      throw bad_input(reader.at(record, deaths_col),
                      fmt::format("the count of deaths {} is negative", deaths_text));
    const auto [it, inserted] = table.rows_.emplace(key, DeathsCount{deaths, record.line});
    if (!inserted)
      throw bad_input(
          reader.at_line(record.line),
          fmt::format("duplicate row: {}year {}, age {}, sex {} is already on line {}",
                      key.region.empty() ? std::string() : "region " + key.region + ", ", key.year,
                      key.age, sex_code(key.sex), it->second.line));
    if (seen_regions.insert(key.region).second && region_col) table.regions_.push_back(key.region);
  }
  if (table.rows_.empty())
    throw bad_input(Location{.file = table.file_}, "the table has a header but no rows");
  return table;
}

DeathsTable DeathsTable::read(const std::filesystem::path& path) {
  std::string bytes = read_file(path);
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b)
    bytes = gunzip(bytes, path.string());
  if (const auto bad = first_invalid_utf8(bytes))
    throw bad_input(Location{.file = path.string(), .offset = *bad},
                    "the table is not valid UTF-8 text");
  return parse(std::move(bytes), path.string());
}

std::string gunzip(std::string_view data, const std::string& name) {
  // zlib's inflate with gzip framing (windowBits 15 + 16); members are read one after another.
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw internal_error("zlib could not start");
  std::string out;
  std::string chunk(kChunk, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(chunk.data(), chunk.size() - stream.avail_out);
    if (rc == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      if (inflateReset(&stream) != Z_OK) break;
    } else if (stream.avail_in == 0 && stream.avail_out != 0) {
      rc = Z_BUF_ERROR;
      break;
    }
  }
  const std::size_t at = data.size() - stream.avail_in;
  inflateEnd(&stream);
  if (rc != Z_STREAM_END)
    throw bad_input(Location{.file = name, .offset = at},
                    rc == Z_BUF_ERROR ? "the gzip data ends early (truncated file)"
                                      : "the gzip data is corrupt");
  return out;
}

}  // namespace recount::excess
