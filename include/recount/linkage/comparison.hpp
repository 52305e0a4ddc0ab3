#pragma once
// Field comparisons in levels (the gamma vectors of Fellegi & Sunter 1969). Level 0 is always
// "missing" (either record lacks the field; weight 0) and the last level always "different".

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "recount/linkage/config.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

inline constexpr int max_levels = 10;

// The name comparator's "names inverted" level (used by the surname field only).
inline constexpr int kNamesInvertedLevel = 6;

// The levels of a comparator, level 0 ("missing") first.
//   name:         missing, exact, same key (transliteration, diminutive, gendered ending),
//                 close (Jaro-Winkler >= high or distance <= 1), similar (>= low or <= 2),
//                 initial, names inverted, different. "Names inverted" (surname only): the
//                 surname's key is the other record's given name keyed as a surname and the
//                 given name's the other's surname keyed as a given name (the two written in
//                 each other's columns); the given-name field of such a pair is then "missing",
//                 so that the one piece of evidence is counted once.
//   exact:        missing, exact, different
//   jaro_winkler: missing, exact, jw_high, jw_low, different
//   levenshtein:  missing, exact, distance_high, distance_low, different
//   date:         missing, exact, swapped day/month, same month (one known to the month only),
//                 same year (one known to the year only), within 31 days, within a year,
//                 next year (one known to the year only), two years apart (one known to the
//                 year only), different
//   numeric:      missing, equal, within 5%, different
[[nodiscard]] const std::vector<std::string>& level_names(Comparator c);
// The levels that count as agreement for a deterministic rule and term frequencies.
[[nodiscard]] bool is_agreement(Comparator c, int level) noexcept;

// The level of two packed dates (yyyymmdd, 00 for unknown parts, 0 for missing).
[[nodiscard]] int date_level(std::int32_t a, std::int32_t b) noexcept;

struct LevelThresholds {
  double jaro_winkler_high = 0.92, jaro_winkler_low = 0.85;
  int levenshtein_high = 1, levenshtein_low = 2;
};

// Computes levels for pairs of records of one RecordSet. Each record's comparison values are
// packed side by side (one or two 32-bit words per field) so that a pair costs few cache misses;
// for name fields with few distinct keys (given names, patronymics) the similarity level of
// two keys is computed once and kept in a table. Thread-safe.
class Comparer {
 public:
  Comparer(const RecordSet& records, LevelThresholds thresholds);
  Comparer(const Comparer&) = delete;
  Comparer& operator=(const Comparer&) = delete;
  ~Comparer();
  [[nodiscard]] std::size_t fields() const noexcept { return fields_.size(); }
  [[nodiscard]] int level(std::size_t field, std::size_t a, std::size_t b) const noexcept {
    const Field& f = fields_[field];
    const std::uint32_t* ra = data_.data() + a * stride_ + f.offset;
    const std::uint32_t* rb = data_.data() + b * stride_ + f.offset;
    switch (f.comparator) {
      case Comparator::name: {
        if (ra[1] == 0 || rb[1] == 0) return 0;
        if (f.inverted_role != InvertedRole::none && names_inverted(a, b))
          return f.inverted_role == InvertedRole::surname ? kNamesInvertedLevel : 0;
        if (ra[0] == rb[0]) return 1;
        if (ra[1] == rb[1]) return 2;
        return key_level(f, ra[1], rb[1]);
      }
      case Comparator::exact:
        if (ra[0] == 0 || rb[0] == 0) return 0;
        return ra[0] == rb[0] ? 1 : 2;
      case Comparator::jaro_winkler:
      case Comparator::levenshtein:
        if (ra[1] == 0 || rb[1] == 0) return 0;
        if (ra[1] == rb[1]) return 1;
        return key_level(f, ra[1], rb[1]);
      case Comparator::date:
        return date_level(static_cast<std::int32_t>(ra[0]), static_cast<std::int32_t>(rb[0]));
      case Comparator::numeric:
        return numeric_level(ra, rb);
    }
    return 0;
  }

 private:
  struct LevelCache;
  // The surname and the given name take part in the names-inverted level; each has a third
  // word, the key id of the record's other name part keyed as this field
  // (FieldValues::crossed).
  enum class InvertedRole : std::uint8_t { none, surname, given };
  struct Field {
    Comparator comparator;
    std::size_t offset = 0;
    const std::string* keys = nullptr;
    LevelCache* cache = nullptr;
    InvertedRole inverted_role = InvertedRole::none;
  };
  // Surname and given name written in each other's columns in one of the two records (their
  // own surname keys differ).
  [[nodiscard]] bool names_inverted(std::size_t a, std::size_t b) const noexcept {
    const std::uint32_t* sa = data_.data() + a * stride_ + surname_offset_;
    const std::uint32_t* sb = data_.data() + b * stride_ + surname_offset_;
    const std::uint32_t* ga = data_.data() + a * stride_ + given_offset_;
    const std::uint32_t* gb = data_.data() + b * stride_ + given_offset_;
    if (sa[1] == 0 || sb[1] == 0 || ga[1] == 0 || gb[1] == 0 || sa[1] == sb[1]) return false;
    return (sa[1] == sb[2] && ga[1] == gb[2]) || (sb[1] == sa[2] && gb[1] == ga[2]);
  }
  // The level of two different keys (similarity levels), through the cache when there is one.
  [[nodiscard]] int key_level(const Field& f, std::uint32_t ka, std::uint32_t kb) const noexcept;
  [[nodiscard]] int similarity_level(const Field& f, std::uint32_t ka,
                                     std::uint32_t kb) const noexcept;
  [[nodiscard]] static int numeric_level(const std::uint32_t* a, const std::uint32_t* b) noexcept;
  std::vector<Field> fields_;
  std::vector<std::uint32_t> data_;
  std::size_t stride_ = 0;
  std::size_t surname_offset_ = 0, given_offset_ = 0;
  std::vector<std::unique_ptr<LevelCache>> caches_;
  LevelThresholds t_;
};

}  // namespace recount::linkage
