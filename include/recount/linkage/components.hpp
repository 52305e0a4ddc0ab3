#pragma once
// Connected components of the candidate pairs: the unit within which links are decided. A pair
// of records in two components can never be linked (the pair was never compared), so the
// one-person-per-list assignment (`unique = true` lists) and samplers of linkage structures
// work one component at a time.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace recount::linkage {

struct CandidateComponent {
  std::vector<std::uint32_t> records;  // record indices, sorted
  std::vector<std::uint64_t> pairs;    // packed candidate pairs inside (blocking.hpp), sorted
  std::vector<float> log2_odds;        // posterior log2 odds of each pair (parallel to pairs)
};

// The components of the candidate pairs whose posterior log2 odds are at least `min_log2_odds`
// (pass -infinity for all candidates). `pairs` are sorted packed pairs, `log2_odds` parallel.
// Components of one record are left out. Components are ordered by their smallest record.
[[nodiscard]] std::vector<CandidateComponent> candidate_components(
    std::size_t records, const std::vector<std::uint64_t>& pairs,
    const std::vector<float>& log2_odds, float min_log2_odds);

}  // namespace recount::linkage
