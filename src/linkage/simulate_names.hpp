#pragma once
// The generator's own name pools (deliberately independent of the matcher's lexicon in
// names.cpp, so the simulator never tests the matcher against itself): surnames with Zipf-like
// frequencies by origin, given names with frequencies, patronymics by rule, diminutives and
// Ukrainian forms, regions.

#include <string>
#include <string_view>
#include <vector>

namespace recount::linkage::detail {

enum class Origin { russian, ukrainian, tatar, caucasian };

// A pool of names with cumulative weights for drawing by inverse CDF.
struct WeightedPool {
  std::vector<std::string_view> names;
  std::vector<double> cumulative;                   // increasing, last = 1
  [[nodiscard]] std::size_t index(double u) const;  // u in [0, 1)
};

struct NamePools {
  WeightedPool surnames[4];  // by Origin
  double origin_share[4];    // share of the population by the origin of the surname
  WeightedPool given_general;
  WeightedPool given_tatar;
  WeightedPool given_caucasian;
  WeightedPool given_female;
  WeightedPool regions;
};

[[nodiscard]] const NamePools& name_pools();

// Surname as a woman's (Фёдоров → Фёдорова, Вишневский → Вишневская); indeclinable ones kept.
[[nodiscard]] std::string feminine_surname(std::string_view surname);
// The patronymic from the father's given name (Сергей → Сергеевич / Сергеевна).
[[nodiscard]] std::string patronymic_of(std::string_view father, bool female);
// A familiar form (Александр → Саша), or empty when the pool has none.
[[nodiscard]] std::string_view diminutive_of(std::string_view given);
// The Ukrainian form in Ukrainian Cyrillic (Александр → Олександр), or empty.
[[nodiscard]] std::string_view ukrainian_form_of(std::string_view given);

}  // namespace recount::linkage::detail
