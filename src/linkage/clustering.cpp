#include "recount/linkage/clustering.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#include <tbb/parallel_for.h>

#include "recount/linkage/blocking.hpp"

namespace recount::linkage {

namespace {

// Components larger than this are cut (raising the threshold inside them) before the
// average-linkage step, which is cubic in the component's size.
constexpr std::size_t kMaxComponent = 200;

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), std::uint32_t{0});
  }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (a > b) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<std::uint32_t> parent_;
};

struct Edge {
  std::uint32_t a, b;
  float score;
};

// Groups `members` by the components of `edges` at or above `threshold`.
std::vector<std::vector<std::uint32_t>> components(const std::vector<std::uint32_t>& members,
                                                   const std::vector<Edge>& edges,
                                                   float threshold) {
  std::vector<std::uint32_t> local(members.size());
  std::iota(local.begin(), local.end(), std::uint32_t{0});
  UnionFind uf(members.size());
  auto index = [&](std::uint32_t r) {
    return static_cast<std::uint32_t>(std::lower_bound(members.begin(), members.end(), r) -
                                      members.begin());
  };
  for (const Edge& e : edges)
    if (e.score >= threshold) uf.unite(index(e.a), index(e.b));
  std::vector<std::vector<std::uint32_t>> out;
  std::vector<std::int64_t> slot(members.size(), -1);
  for (std::uint32_t i = 0; i < members.size(); ++i) {
    const std::uint32_t root = uf.find(i);
    if (slot[root] < 0) {
      slot[root] = static_cast<std::int64_t>(out.size());
      out.emplace_back();
    }
    out[static_cast<std::size_t>(slot[root])].push_back(members[i]);
  }
  return out;
}

// Average-linkage agglomeration (UPGMA over posterior log-odds) of one component: each cluster
// is labelled by its smallest record. `mask` (empty, or per member its unique list's bit) forbids
// merging two clusters that hold records of one unique list. Returns whether the component was
// divided.
bool average_linkage(const std::vector<std::uint32_t>& members, float threshold,
                     const std::function<float(std::uint32_t, std::uint32_t)>& score,
                     std::vector<std::uint32_t>& label, std::vector<std::uint16_t> mask = {}) {
  const std::size_t k = members.size();
  if (mask.empty()) mask.assign(k, 0);
  std::vector<double> sum(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j)
      sum[i * k + j] = sum[j * k + i] = score(members[i], members[j]);
  std::vector<std::size_t> size(k, 1);
  std::vector<std::size_t> owner(k);
  std::iota(owner.begin(), owner.end(), std::size_t{0});
  std::vector<bool> active(k, true);
  std::size_t clusters = k;
  while (clusters > 1) {
    double best = -std::numeric_limits<double>::infinity();
    std::size_t bp = 0, bq = 0;
    for (std::size_t p = 0; p < k; ++p) {
      if (!active[p]) continue;
      for (std::size_t q = p + 1; q < k; ++q) {
        if (!active[q] || (mask[p] & mask[q]) != 0) continue;
        const double avg = sum[p * k + q] / static_cast<double>(size[p] * size[q]);
        if (avg > best) {
          best = avg;
          bp = p;
          bq = q;
        }
      }
    }
    if (best < threshold) break;
    for (std::size_t r = 0; r < k; ++r) {
      sum[bp * k + r] += sum[bq * k + r];
      sum[r * k + bp] = sum[bp * k + r];
    }
    size[bp] += size[bq];
    mask[bp] |= mask[bq];
    active[bq] = false;
    for (std::size_t i = 0; i < k; ++i)
      if (owner[i] == bq) owner[i] = bp;
    --clusters;
  }
  // members are sorted, so the first member of each cluster is its smallest record
  std::vector<std::uint32_t> first(k, std::numeric_limits<std::uint32_t>::max());
  for (std::size_t i = 0; i < k; ++i)
    first[owner[i]] = std::min(first[owner[i]], members[i]);
  for (std::size_t i = 0; i < k; ++i)
    label[members[i]] = first[owner[i]];
  return clusters > 1;
}

// Labels each cluster of `groups` (indices into members) by its smallest record.
void label_groups(const std::vector<std::uint32_t>& members,
                  const std::vector<std::vector<std::size_t>>& groups,
                  std::vector<std::uint32_t>& label) {
  for (const auto& g : groups) {
    std::uint32_t first = std::numeric_limits<std::uint32_t>::max();
    for (std::size_t i : g)
      first = std::min(first, members[i]);
    for (std::size_t i : g)
      label[members[i]] = first;
  }
}

// The gain of putting two records together: posterior log-odds above the threshold.
std::vector<double> gains(const std::vector<std::uint32_t>& members, float threshold,
                          const std::function<float(std::uint32_t, std::uint32_t)>& score) {
  const std::size_t k = members.size();
  std::vector<double> g(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j)
      g[i * k + j] = g[j * k + i] = static_cast<double>(score(members[i], members[j])) - threshold;
  return g;
}

// Two unique lists: the maximum-weight bipartite matching of their records (weights: log-odds
// above the threshold; a pair below it is never matched), by the Hungarian algorithm (Kuhn
// 1955; Munkres 1957) in its O(n^2 m) shortest-augmenting-path form. This is the Bayes estimate
// of a bipartite matching under the one-to-one constraint when pair posteriors are taken as
// given (Sadinle 2017, JASA 112:600-612, Section 4, with equal costs of false links and
// missed links at the threshold).
void bipartite_matching(const std::vector<std::uint32_t>& members, const std::vector<bool>& left,
                        float threshold,
                        const std::function<float(std::uint32_t, std::uint32_t)>& score,
                        std::vector<std::uint32_t>& label) {
  std::vector<std::size_t> a, b;  // a: the smaller side (rows), b: columns
  for (std::size_t i = 0; i < members.size(); ++i)
    (left[i] ? a : b).push_back(i);
  if (a.size() > b.size()) std::swap(a, b);
  const std::vector<double> g = gains(members, threshold, score);
  const std::size_t n = a.size(), m = b.size(), k = members.size();
  // cost[i][j] = -max(0, gain): not matching a pair costs nothing, so pairs below the
  // threshold are assigned only as placeholders and dropped below.
  auto cost = [&](std::size_t i, std::size_t j) { return -std::max(0.0, g[a[i] * k + b[j]]); };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(m + 1, 0);
  std::vector<std::size_t> p(m + 1, 0), way(m + 1, 0);
  for (std::size_t i = 1; i <= n; ++i) {
    p[0] = i;
    std::size_t j0 = 0;
    std::vector<double> minv(m + 1, inf);
    std::vector<bool> used(m + 1, false);
    do {
      used[j0] = true;
      const std::size_t i0 = p[j0];
      double delta = inf;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (std::size_t j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<std::vector<std::size_t>> groups;
  std::vector<bool> placed(k, false);
  for (std::size_t j = 1; j <= m; ++j) {
    if (p[j] == 0) continue;
    const std::size_t i = a[p[j] - 1], c = b[j - 1];
    if (g[i * k + c] <= 0) continue;
    groups.push_back({i, c});
    placed[i] = placed[c] = true;
  }
  for (std::size_t i = 0; i < k; ++i)
    if (!placed[i]) groups.push_back({i});
  label_groups(members, groups, label);
}

// Three or more unique lists, few records: the partition into entities of at most one record
// per list with the largest total gain (sum over pairs put together of log-odds above the
// threshold), by depth-first search with the bound "current + every remaining positive gain".
void exact_partition(const std::vector<std::uint32_t>& members,
                     const std::vector<std::uint16_t>& mask, float threshold,
                     const std::function<float(std::uint32_t, std::uint32_t)>& score,
                     std::vector<std::uint32_t>& label) {
  const std::size_t k = members.size();
  const std::vector<double> g = gains(members, threshold, score);
  // remaining[i]: the positive gains of pairs whose later record is i or after.
  std::vector<double> remaining(k + 1, 0.0);
  for (std::size_t i = k; i-- > 0;) {
    remaining[i] = remaining[i + 1];
    for (std::size_t j = 0; j < i; ++j)
      remaining[i] += std::max(0.0, g[j * k + i]);
  }
  std::vector<std::size_t> assign(k, 0), best_assign(k, 0);
  std::vector<std::uint16_t> cluster_mask;
  double best = -std::numeric_limits<double>::infinity();
  const std::function<void(std::size_t, double)> search = [&](std::size_t i, double value) {
    if (value + remaining[i] <= best) return;
    if (i == k) {
      best = value;
      best_assign = assign;
      return;
    }
    const std::size_t clusters = cluster_mask.size();
    for (std::size_t c = 0; c < clusters; ++c) {
      if (cluster_mask[c] & mask[i]) continue;
      double add = 0;
      for (std::size_t j = 0; j < i; ++j)
        if (assign[j] == c) add += g[j * k + i];
      assign[i] = c;
      cluster_mask[c] |= mask[i];
      search(i + 1, value + add);
      cluster_mask[c] &= static_cast<std::uint16_t>(~mask[i]);
    }
    assign[i] = clusters;
    cluster_mask.push_back(mask[i]);
    search(i + 1, value);
    cluster_mask.pop_back();
  };
  search(0, 0.0);
  std::size_t clusters = 0;
  for (std::size_t c : best_assign)
    clusters = std::max(clusters, c + 1);
  std::vector<std::vector<std::size_t>> groups(clusters);
  for (std::size_t i = 0; i < k; ++i)
    groups[best_assign[i]].push_back(i);
  label_groups(members, groups, label);
}

}  // namespace

std::vector<bool> leave_ambiguous_unlinked(std::vector<std::uint32_t>& entity,
                                           const std::vector<std::uint64_t>& pairs,
                                           const std::vector<float>& scores, float threshold,
                                           float outright, ClusterStats* stats) {
  const std::size_t n = entity.size();
  // Pairs far below the threshold add nothing to the sum (2^-20 of an entity at the threshold).
  const float floor = threshold - 20;
  std::vector<std::uint32_t> start(n + 1, 0);
  for (std::size_t i = 0; i < pairs.size(); ++i)
    if (scores[i] >= floor) {
      ++start[pair_first(pairs[i]) + 1];
      ++start[pair_second(pairs[i]) + 1];
    }
  for (std::size_t r = 0; r < n; ++r)
    start[r + 1] += start[r];
  std::vector<std::pair<std::uint32_t, float>> adjacent(start[n]);
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (scores[i] >= floor) {
        const std::uint32_t a = pair_first(pairs[i]), b = pair_second(pairs[i]);
        adjacent[fill[a]++] = {b, scores[i]};
        adjacent[fill[b]++] = {a, scores[i]};
      }
  }
  std::vector<std::uint32_t> size(n, 0);
  for (std::uint32_t e : entity)
    ++size[e];
  std::vector<std::uint8_t> verdict(n, 0);  // 1 taken out, 2 never joined
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const auto& range) {
    std::vector<std::pair<std::uint32_t, float>> best;  // entity, largest log2 odds
    for (std::size_t r = range.begin(); r < range.end(); ++r) {
      if (start[r] == start[r + 1]) continue;
      best.clear();
      bool linked_outright = false;
      for (std::uint32_t k = start[r]; k < start[r + 1]; ++k) {
        const auto [other, s] = adjacent[k];
        linked_outright = linked_outright || s >= outright;
        const std::uint32_t e = entity[other];
        const auto it =
            std::find_if(best.begin(), best.end(), [e](const auto& b) { return b.first == e; });
        if (it == best.end())
          best.emplace_back(e, s);
        else
          it->second = std::max(it->second, s);
      }
      if (linked_outright) continue;
      const std::uint32_t own = entity[r];
      if (size[own] >= 2) {
        // P(r in own) below the threshold's probability <=> its odds against all else below.
        const auto mine =
            std::find_if(best.begin(), best.end(), [own](const auto& b) { return b.first == own; });
        if (mine == best.end()) continue;
        double others = 1;
        bool rival = false;
        for (const auto& [e, s] : best)
          if (e != own) {
            others += std::exp2(static_cast<double>(s));
            rival = rival || s >= threshold;
          }
        if (rival &&
            static_cast<double>(mine->second) - std::log2(others) < static_cast<double>(threshold))
          verdict[r] = 1;
      } else {
        std::size_t linkable = 0;
        for (const auto& b : best)
          linkable += b.second >= threshold ? 1 : 0;
        if (linkable >= 2) verdict[r] = 2;
      }
    }
  });
  std::vector<bool> ambiguous(n, false);
  std::size_t taken_out = 0, unjoined = 0;
  // Number entities in order of their first record, each record taken out on its own.
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> number(n, none);
  std::vector<std::size_t> sizes;
  for (std::size_t r = 0; r < n; ++r) {
    ambiguous[r] = verdict[r] != 0;
    taken_out += verdict[r] == 1 ? 1 : 0;
    unjoined += verdict[r] == 2 ? 1 : 0;
    if (verdict[r] == 1) {
      entity[r] = static_cast<std::uint32_t>(sizes.size());
      sizes.push_back(1);
      continue;
    }
    std::uint32_t& id = number[entity[r]];
    if (id == none) {
      id = static_cast<std::uint32_t>(sizes.size());
      sizes.push_back(0);
    }
    entity[r] = id;
    ++sizes[id];
  }
  if (stats) {
    stats->entities = sizes.size();
    stats->largest = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
    stats->ambiguous_taken_out = taken_out;
    stats->ambiguous_unjoined = unjoined;
  }
  return ambiguous;
}

bool UniqueLists::any() const noexcept {
  return list != nullptr && std::find(unique.begin(), unique.end(), true) != unique.end();
}

std::vector<std::uint32_t> cluster_records(
    std::size_t records, const std::vector<std::uint64_t>& pairs, const std::vector<float>& scores,
    float threshold, const std::function<float(std::uint32_t, std::uint32_t)>& score,
    ClusterStats* stats, const UniqueLists& unique) {
  const bool constrained = unique.any();
  // A unique list's bit for each record (0 for lists that are not unique).
  auto bit = [&](std::uint32_t r) -> std::uint16_t {
    if (!constrained) return 0;
    const std::uint16_t l = unique.list[r];
    return l < unique.unique.size() && unique.unique[l] ? static_cast<std::uint16_t>(1U << l) : 0;
  };
  // Two records of one unique list are never one person.
  const std::function<float(std::uint32_t, std::uint32_t)> constrained_score =
      [&](std::uint32_t a, std::uint32_t b) {
        return (bit(a) & bit(b)) != 0 ? -std::numeric_limits<float>::infinity() : score(a, b);
      };
  UnionFind uf(records);
  for (std::size_t i = 0; i < pairs.size(); ++i)
    if (scores[i] >= threshold && (bit(pair_first(pairs[i])) & bit(pair_second(pairs[i]))) == 0)
      uf.unite(pair_first(pairs[i]), pair_second(pairs[i]));
  std::vector<std::uint32_t> root(records);
  for (std::uint32_t r = 0; r < records; ++r)
    root[r] = uf.find(r);
  // Components of two or more records, each a sorted member list.
  std::vector<std::uint32_t> count(records, 0);
  for (std::uint32_t r : root)
    ++count[r];
  std::vector<std::int64_t> slot(records, -1);
  std::vector<std::vector<std::uint32_t>> comps;
  for (std::uint32_t r = 0; r < records; ++r) {
    if (count[root[r]] < 3) continue;
    if (slot[root[r]] < 0) {
      slot[root[r]] = static_cast<std::int64_t>(comps.size());
      comps.emplace_back();
    }
    comps[static_cast<std::size_t>(slot[root[r]])].push_back(r);
  }
  std::vector<std::uint32_t> label = root;  // the root is the component's smallest record
  // The strong edges of oversized components, to cut them.
  std::vector<std::vector<Edge>> big_edges(comps.size());
  bool any_big = false;
  for (const auto& c : comps)
    any_big = any_big || c.size() > kMaxComponent;
  if (any_big)
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      if (scores[i] < threshold) continue;
      const std::uint32_t a = pair_first(pairs[i]);
      const std::int64_t s = slot[root[a]];
      if (s >= 0 && comps[static_cast<std::size_t>(s)].size() > kMaxComponent)
        big_edges[static_cast<std::size_t>(s)].push_back({a, pair_second(pairs[i]), scores[i]});
    }
  std::atomic<std::size_t> split{0}, unique_components{0}, exact_matching{0},
      exact_partition_count{0}, approximate{0};
  tbb::parallel_for(std::size_t{0}, comps.size(), [&](std::size_t c) {
    std::vector<std::vector<std::uint32_t>> pieces{comps[c]};
    float t = threshold;
    while (std::any_of(pieces.begin(), pieces.end(),
                       [](const auto& p) { return p.size() > kMaxComponent; })) {
      t += 1.0f;
      std::vector<std::vector<std::uint32_t>> next;
      for (auto& p : pieces) {
        if (p.size() <= kMaxComponent) {
          next.push_back(std::move(p));
          continue;
        }
        std::vector<Edge> inside;
        for (const Edge& e : big_edges[c])
          if (std::binary_search(p.begin(), p.end(), e.a) &&
              std::binary_search(p.begin(), p.end(), e.b))
            inside.push_back(e);
        for (auto& q : components(p, inside, t))
          next.push_back(std::move(q));
      }
      pieces = std::move(next);
    }
    bool divided = pieces.size() > 1;
    bool conflict = false;
    for (const auto& p : pieces) {
      if (p.size() < 2) {
        label[p[0]] = p[0];
        continue;
      }
      std::vector<std::uint16_t> mask(p.size());
      std::uint16_t seen = 0, lists = 0;
      bool clash = false, all_unique = true;
      for (std::size_t i = 0; i < p.size(); ++i) {
        mask[i] = bit(p[i]);
        clash = clash || (mask[i] & seen) != 0;
        seen |= mask[i];
        all_unique = all_unique && mask[i] != 0;
        if (constrained) lists |= static_cast<std::uint16_t>(1U << unique.list[p[i]]);
      }
      if (!clash) {
        divided = average_linkage(p, threshold, score, label) || divided;
        continue;
      }
      conflict = true;
      divided = true;
      if (all_unique && std::popcount(lists) == 2) {
        std::vector<bool> left(p.size());
        for (std::size_t i = 0; i < p.size(); ++i)
          left[i] = mask[i] == mask[0];
        bipartite_matching(p, left, threshold, constrained_score, label);
        ++exact_matching;
      } else if (all_unique && p.size() <= kExactPartitionCap) {
        exact_partition(p, mask, threshold, constrained_score, label);
        ++exact_partition_count;
      } else {
        average_linkage(p, threshold, constrained_score, label, mask);
        ++approximate;
      }
    }
    if (conflict) ++unique_components;
    if (divided) ++split;
  });
  // Number entities in order of their first record.
  std::vector<std::uint32_t> entity(records);
  std::vector<std::uint32_t> number(records, std::numeric_limits<std::uint32_t>::max());
  std::uint32_t next = 0;
  std::vector<std::size_t> sizes;
  for (std::uint32_t r = 0; r < records; ++r) {
    std::uint32_t& n = number[label[r]];
    if (n == std::numeric_limits<std::uint32_t>::max()) {
      n = next++;
      sizes.push_back(0);
    }
    entity[r] = n;
    ++sizes[n];
  }
  if (stats) {
    stats->entities = next;
    stats->components_split = split.load();
    stats->unique_components = unique_components.load();
    stats->unique_exact_matching = exact_matching.load();
    stats->unique_exact_partition = exact_partition_count.load();
    stats->unique_approximate = approximate.load();
    stats->largest = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
  }
  return entity;
}

}  // namespace recount::linkage
