#pragma once
// Records into entities. Single linkage over pairs above the threshold chains weak links into
// giant clusters of different men, so: connected components over the strong pairs only, then
// inside each component of three or more records, average-linkage agglomeration over all its
// pairs (scored directly, candidates or not), merging while the average posterior log-odds
// between two clusters stays above the threshold. Records of one list may merge (in-list
// duplicates). Components too large for the quadratic step are first cut by raising the
// threshold inside them.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace recount::linkage {

struct ClusterStats {
  std::size_t entities = 0;
  std::size_t components_split = 0;  // components the average-linkage step divided
  std::size_t largest = 0;           // records in the largest entity
  // Components holding two records of one unique list, and how each was resolved: an exact
  // maximum-weight bipartite matching (two unique lists; components over 200 records are first
  // cut by raising the threshold, as all components are), an exact search over partitions (three
  // or more unique lists, up to kExactPartitionCap records), or the constrained average linkage
  // (larger components, or with lists that are not unique; keeps the constraint).
  std::size_t unique_components = 0;
  std::size_t unique_exact_matching = 0, unique_exact_partition = 0, unique_approximate = 0;
  // Records left unlinked because the evidence does not single out one person
  // (leave_ambiguous_unlinked): taken out of an entity, or never joined to one.
  std::size_t ambiguous_taken_out = 0, ambiguous_unjoined = 0;
};

// Records per component up to which three or more unique lists are assigned exactly.
inline constexpr std::size_t kExactPartitionCap = 12;

// `unique = true` lists (config.hpp): an entity holds at most one record of each. `list` is
// the list of each record; empty `unique` means no list is unique.
struct UniqueLists {
  const std::uint16_t* list = nullptr;
  std::vector<bool> unique;
  [[nodiscard]] bool any() const noexcept;
};

// Records linked only because the clustering had to put them somewhere, when the evidence does
// not single out one person: a record r in an entity E, not linked outright, is taken out of E
// (left on its own) when another entity F would also be linked to r alone (s(F) at or above
// the threshold) and E's posterior share
//   P(r in E) = 2^s(E) / (1 + sum over entities F of 2^s(F)),
// s(F) the largest posterior log2 odds of r with a record of F, falls below the threshold's
// probability: the pairwise odds of each entity against "no match", made one choice of at most
// one person (the one-record case of the one-to-one model of Sadinle 2017, JASA 112:600). A
// man with a common name and a birth year who resembles two entities equally is so left
// unlinked; weak rivals alone do not unlink him. Returns, per record, whether it is ambiguous:
// taken out so, or left unlinked by the clustering while two or more entities would each be linked
// to it alone. Entities are renumbered in order of their first record (stats->entities, largest
// updated).
std::vector<bool> leave_ambiguous_unlinked(std::vector<std::uint32_t>& entity,
                                           const std::vector<std::uint64_t>& pairs,
                                           const std::vector<float>& scores, float threshold,
                                           float outright, ClusterStats* stats = nullptr);

// Entity of each record (0-based, numbered in order of each entity's first record).
// `pairs` are packed pairs (blocking.hpp) with their posterior log2 odds in `scores`;
// `score(a, b)` scores any two records (for the pairs of a component that were not candidates).
[[nodiscard]] std::vector<std::uint32_t> cluster_records(
    std::size_t records, const std::vector<std::uint64_t>& pairs, const std::vector<float>& scores,
    float threshold, const std::function<float(std::uint32_t, std::uint32_t)>& score,
    ClusterStats* stats = nullptr, const UniqueLists& unique = {});

}  // namespace recount::linkage
