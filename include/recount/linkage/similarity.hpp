#pragma once
// String similarity for name keys (ASCII bytes). Both are allocation-free for strings up to
// 64 bytes: they run tens of millions of times per linkage.

#include <string_view>

namespace recount::linkage {

// Jaro-Winkler similarity in [0, 1] (Winkler 1990; prefix scale 0.1, prefix up to 4 bytes).
[[nodiscard]] double jaro_winkler(std::string_view a, std::string_view b) noexcept;

// Optimal string alignment distance (Damerau-Levenshtein restricted to adjacent transpositions
// of untouched substrings); returns max+1 as soon as the distance must exceed max.
[[nodiscard]] int damerau_levenshtein(std::string_view a, std::string_view b, int max) noexcept;

}  // namespace recount::linkage
