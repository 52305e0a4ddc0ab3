#include "recount/linkage/comparison.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "recount/linkage/similarity.hpp"

namespace recount::linkage {

const std::vector<std::string>& level_names(Comparator c) {
  static const std::vector<std::string> name{"missing", "exact",   "same key",       "close",
                                             "similar", "initial", "names inverted", "different"};
  static const std::vector<std::string> exact{"missing", "exact", "different"};
  static const std::vector<std::string> jw{"missing", "exact", "jaro_winkler_high",
                                           "jaro_winkler_low", "different"};
  static const std::vector<std::string> lev{"missing", "exact", "distance_high", "distance_low",
                                            "different"};
  static const std::vector<std::string> date{"missing",
                                             "exact",
                                             "swapped day/month",
                                             "same month (known to the month)",
                                             "same year (known to the year)",
                                             "within 31 days",
                                             "within a year",
                                             "next year (known to the year)",
                                             "two years apart (known to the year)",
                                             "different"};
  static const std::vector<std::string> numeric{"missing", "equal", "within 5%", "different"};
  switch (c) {
    case Comparator::name:
      return name;
    case Comparator::exact:
      return exact;
    case Comparator::jaro_winkler:
      return jw;
    case Comparator::levenshtein:
      return lev;
    case Comparator::date:
      return date;
    case Comparator::numeric:
      return numeric;
  }
  return exact;
}

bool is_agreement(Comparator c, int level) noexcept {
  if (c == Comparator::name) return level == 1 || level == 2;
  return level == 1;
}

// A table of similarity levels for pairs of keys of one field, filled as pairs need them
// (0 = not computed yet). Relaxed atomics: two threads may compute the same entry, and both
// write the same value.
struct Comparer::LevelCache {
  explicit LevelCache(std::size_t keys) : size(keys), levels(keys * keys) {}
  std::size_t size;
  std::vector<std::atomic<std::uint8_t>> levels;
};

namespace {

// Fields with at most this many distinct keys get a level table (4,096^2 bytes = 16 MiB).
constexpr std::size_t kMaxCachedKeys = 4096;

}  // namespace

Comparer::Comparer(const RecordSet& records, LevelThresholds thresholds) : t_(thresholds) {
  const std::size_t n = records.size();
  const std::optional<std::size_t> surname = records.field_index("surname");
  const std::optional<std::size_t> given = records.field_index("given");
  const bool crossed =
      surname && given && records.fields[*surname].comparator == Comparator::name &&
      records.fields[*given].comparator == Comparator::name &&
      records.values[*surname].crossed.size() == n && records.values[*given].crossed.size() == n;
  for (std::size_t f = 0; f < records.fields.size(); ++f) {
    const FieldValues& v = records.values[f];
    Field field{.comparator = records.fields[f].comparator, .offset = stride_};
    if (crossed && f == *surname) {
      field.inverted_role = InvertedRole::surname;
      surname_offset_ = stride_;
    } else if (crossed && f == *given) {
      field.inverted_role = InvertedRole::given;
      given_offset_ = stride_;
    }
    const bool two_words =
        field.comparator != Comparator::exact && field.comparator != Comparator::date;
    stride_ += field.inverted_role != InvertedRole::none ? 3 : two_words ? 2 : 1;
    if (!v.keys.empty()) field.keys = v.keys.data();
    const bool similarity = field.comparator == Comparator::name ||
                            field.comparator == Comparator::jaro_winkler ||
                            field.comparator == Comparator::levenshtein;
    if (similarity && v.keys.size() <= kMaxCachedKeys) {
      caches_.push_back(std::make_unique<LevelCache>(v.keys.size()));
      field.cache = caches_.back().get();
    }
    fields_.push_back(field);
  }
  data_.assign(n * stride_, 0);
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    const FieldValues& v = records.values[f];
    const Field& field = fields_[f];
    for (std::size_t r = 0; r < n; ++r) {
      std::uint32_t* out = data_.data() + r * stride_ + field.offset;
      switch (field.comparator) {
        case Comparator::name:
        case Comparator::jaro_winkler:
        case Comparator::levenshtein:
          out[0] = v.exact[r];
          out[1] = v.key[r];
          if (field.inverted_role != InvertedRole::none) out[2] = v.crossed[r];
          break;
        case Comparator::exact:
          out[0] = v.exact[r];
          break;
        case Comparator::date:
          out[0] = static_cast<std::uint32_t>(v.date[r]);
          break;
        case Comparator::numeric: {
          const auto bits = std::bit_cast<std::uint64_t>(v.number[r]);
          out[0] = static_cast<std::uint32_t>(bits >> 32);
          out[1] = static_cast<std::uint32_t>(bits & 0xffffffffu);
          break;
        }
      }
    }
  }
}

Comparer::~Comparer() = default;

int Comparer::key_level(const Field& f, std::uint32_t ka, std::uint32_t kb) const noexcept {
  if (!f.cache) return similarity_level(f, ka, kb);
  std::atomic<std::uint8_t>& slot = f.cache->levels[ka * f.cache->size + kb];
  std::uint8_t l = slot.load(std::memory_order_relaxed);
  if (l == 0) {
    l = static_cast<std::uint8_t>(similarity_level(f, ka, kb));
    slot.store(l, std::memory_order_relaxed);
  }
  return l;
}

int Comparer::similarity_level(const Field& f, std::uint32_t ka, std::uint32_t kb) const noexcept {
  const std::string& sa = f.keys[ka];
  const std::string& sb = f.keys[kb];
  if (f.comparator == Comparator::name) {
    if (sa.size() == 1 || sb.size() == 1) return sa[0] == sb[0] ? 5 : 7;
    const double jw = jaro_winkler(sa, sb);
    if (jw >= t_.jaro_winkler_high) return 3;
    const int d = damerau_levenshtein(sa, sb, t_.levenshtein_low);
    if (d <= t_.levenshtein_high) return 3;
    if (jw >= t_.jaro_winkler_low || d <= t_.levenshtein_low) return 4;
    return 7;
  }
  if (f.comparator == Comparator::jaro_winkler) {
    const double jw = jaro_winkler(sa, sb);
    return jw >= t_.jaro_winkler_high ? 2 : jw >= t_.jaro_winkler_low ? 3 : 4;
  }
  const int d = damerau_levenshtein(sa, sb, t_.levenshtein_low);
  return d <= t_.levenshtein_high ? 2 : d <= t_.levenshtein_low ? 3 : 4;
}

int Comparer::numeric_level(const std::uint32_t* a, const std::uint32_t* b) noexcept {
  const double x = std::bit_cast<double>((std::uint64_t{a[0]} << 32) | a[1]);
  const double y = std::bit_cast<double>((std::uint64_t{b[0]} << 32) | b[1]);
  if (std::isnan(x) || std::isnan(y)) return 0;
  if (x == y) return 1;
  return std::abs(x - y) <= 0.05 * std::max(std::abs(x), std::abs(y)) ? 2 : 3;
}

namespace {

// Days since 1 March of year 0 (a proleptic Gregorian day count; Hinnant's days_from_civil).
int day_number(int y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe;
}

}  // namespace

int date_level(std::int32_t a, std::int32_t b) noexcept {
  if (a == 0 || b == 0) return 0;
  const int ya = date_year(a), yb = date_year(b);
  const int ma = date_month(a), mb = date_month(b);
  const int da = date_day(a), db = date_day(b);
  const bool full = da != 0 && db != 0;
  if (full && a == b) return 1;
  if (full && ya == yb && da == mb && ma == db && da <= 12) return 2;
  // Agreement to the precision of the coarser date is evidence of its own strength: a year
  // written alone agrees with a match's full date almost always, with a random one rarely.
  if (ma == 0 || mb == 0) {
    // A year derived from an age ("aged 34") is one year off when the birthday had not come,
    // and two when the age was itself reported at another date: each distance its own level.
    if (ya == yb) return 4;
    const int apart = std::abs(ya - yb);
    return apart == 1 ? 7 : apart == 2 ? 8 : 9;
  }
  if (da == 0 || db == 0) {
    if (ya == yb && ma == mb) return 3;
  } else if (std::abs(day_number(ya, ma, da) - day_number(yb, mb, db)) <= 31) {
    return 5;
  }
  const int ta = ya * 12 + ma, tb = yb * 12 + mb;
  return std::abs(ta - tb) <= 12 ? 6 : 9;
}

}  // namespace recount::linkage
