// Jaro-Winkler and optimal string alignment distance over bytes. Hand-written: no installed
// library has them, and the inner loop of linkage needs them allocation-free.

#include "recount/linkage/similarity.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace recount::linkage {
namespace {

// Strings up to this many bytes use stack buffers; longer ones (rare for names) allocate.
constexpr std::size_t kShort = 64;

// Jaro similarity (Jaro 1989) with match flags in caller-provided buffers.
double jaro(std::string_view a, std::string_view b, bool* a_matched, bool* b_matched) noexcept {
  const std::size_t la = a.size(), lb = b.size();
  const std::size_t window = std::max(la, lb) / 2 == 0 ? 0 : std::max(la, lb) / 2 - 1;
  std::size_t matches = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(lb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t half_transpositions = 0;
  for (std::size_t i = 0, j = 0; i < la; ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j])
      ++j;
    if (a[i] != b[j]) ++half_transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  // Whole transpositions, rounded down as in Winkler's strcmp95.
  const double t = static_cast<double>(half_transpositions / 2);
  return (m / static_cast<double>(la) + m / static_cast<double>(lb) + (m - t) / m) / 3.0;
}

// One row-by-row OSA computation with three rolling rows of length lb + 1.
int osa(std::string_view a, std::string_view b, int max, int* prev2, int* prev, int* row) noexcept {
  const std::size_t la = a.size(), lb = b.size();
  for (std::size_t j = 0; j <= lb; ++j)
    prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= la; ++i) {
    row[0] = static_cast<int>(i);
    int row_min = row[0];
    for (std::size_t j = 1; j <= lb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d = std::min(d, prev2[j - 2] + 1);
      row[j] = d;
      row_min = std::min(row_min, d);
    }
    // The row minimum never decreases down the table, so the distance already exceeds max.
    if (row_min > max) return max + 1;
    int* recycled = prev2;
    prev2 = prev;
    prev = row;
    row = recycled;
  }
  return std::min(prev[lb], max + 1);
}

}  // namespace

double jaro_winkler(std::string_view a, std::string_view b) noexcept {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  double j = 0.0;
  if (a.size() <= kShort && b.size() <= kShort) {
    std::array<bool, kShort> am, bm;  // only the first a.size() and b.size() are used
    std::fill_n(am.begin(), a.size(), false);
    std::fill_n(bm.begin(), b.size(), false);
    j = jaro(a, b, am.data(), bm.data());
  } else {
    try {
      std::unique_ptr<bool[]> af(new bool[a.size()]()), bf(new bool[b.size()]());
      j = jaro(a, b, af.get(), bf.get());
    } catch (...) {
      return 0.0;
    }
  }
  // Winkler (1990): boost by the common prefix (up to 4) only above the 0.7 threshold.
  if (j <= 0.7) return j;
  std::size_t prefix = 0;
  const std::size_t limit = std::min<std::size_t>({4, a.size(), b.size()});
  while (prefix < limit && a[prefix] == b[prefix])
    ++prefix;
  return j + static_cast<double>(prefix) * 0.1 * (1.0 - j);
}

int damerau_levenshtein(std::string_view a, std::string_view b, int max) noexcept {
  if (max < 0) max = 0;
  if (a == b) return 0;
  const std::size_t la = a.size(), lb = b.size();
  const std::size_t gap = la > lb ? la - lb : lb - la;
  if (gap > static_cast<std::size_t>(max)) return max + 1;
  if (la == 0 || lb == 0) return static_cast<int>(std::max(la, lb));
  // The distance never exceeds the longer length: a larger bound (INT_MAX) changes nothing and
  // must not overflow in max + 1.
  max = static_cast<int>(std::min(static_cast<std::size_t>(max), std::max(la, lb)));
  if (lb <= kShort) {
    std::array<int, kShort + 1> r0, r1, r2;  // osa writes every cell before reading it
    return osa(a, b, max, r0.data(), r1.data(), r2.data());
  }
  try {
    std::vector<int> rows(3 * (lb + 1));
    return osa(a, b, max, rows.data(), rows.data() + lb + 1, rows.data() + 2 * (lb + 1));
  } catch (...) {
    return max + 1;
  }
}

}  // namespace recount::linkage
