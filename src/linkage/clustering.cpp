#include "recount/linkage/clustering.hpp"

#include <algorithm>
#include <atomic>
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
// is labelled by its smallest record. Returns whether the component was divided.
bool average_linkage(const std::vector<std::uint32_t>& members, float threshold,
                     const std::function<float(std::uint32_t, std::uint32_t)>& score,
                     std::vector<std::uint32_t>& label) {
  const std::size_t k = members.size();
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
        if (!active[q]) continue;
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

}  // namespace

std::vector<std::uint32_t> cluster_records(
    std::size_t records, const std::vector<std::uint64_t>& pairs, const std::vector<float>& scores,
    float threshold, const std::function<float(std::uint32_t, std::uint32_t)>& score,
    ClusterStats* stats) {
  UnionFind uf(records);
  for (std::size_t i = 0; i < pairs.size(); ++i)
    if (scores[i] >= threshold) uf.unite(pair_first(pairs[i]), pair_second(pairs[i]));
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
  std::atomic<std::size_t> split{0};
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
    for (const auto& p : pieces)
      if (p.size() >= 2)
        divided = average_linkage(p, threshold, score, label) || divided;
      else
        label[p[0]] = p[0];
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
    stats->largest = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
  }
  return entity;
}

}  // namespace recount::linkage
