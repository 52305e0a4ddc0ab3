#include "recount/linkage/components.hpp"

#include <numeric>

#include "recount/linkage/blocking.hpp"

namespace recount::linkage {

std::vector<CandidateComponent> candidate_components(std::size_t records,
                                                     const std::vector<std::uint64_t>& pairs,
                                                     const std::vector<float>& log2_odds,
                                                     float min_log2_odds) {
  // Union-find with path halving; the root of a component is its smallest record.
  std::vector<std::uint32_t> parent(records);
  std::iota(parent.begin(), parent.end(), std::uint32_t{0});
  auto find = [&parent](std::uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (log2_odds[i] < min_log2_odds) continue;
    std::uint32_t a = find(pair_first(pairs[i])), b = find(pair_second(pairs[i]));
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    parent[b] = a;
  }
  std::vector<std::uint32_t> size(records, 0);
  for (std::uint32_t r = 0; r < records; ++r)
    ++size[find(r)];
  std::vector<std::int64_t> slot(records, -1);
  std::vector<CandidateComponent> out;
  for (std::uint32_t r = 0; r < records; ++r) {
    const std::uint32_t root = find(r);
    if (size[root] < 2) continue;
    if (slot[root] < 0) {
      slot[root] = static_cast<std::int64_t>(out.size());
      out.emplace_back();
    }
    out[static_cast<std::size_t>(slot[root])].records.push_back(r);
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (log2_odds[i] < min_log2_odds) continue;
    CandidateComponent& c = out[static_cast<std::size_t>(slot[find(pair_first(pairs[i]))])];
    c.pairs.push_back(pairs[i]);
    c.log2_odds.push_back(log2_odds[i]);
  }
  return out;
}

}  // namespace recount::linkage
