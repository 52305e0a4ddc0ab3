#include "recount/linkage/partition_sampler.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <random>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"
#include "recount/linkage/blocking.hpp"

namespace recount::linkage {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
// How far the floor is raised inside an oversized component before it is held.
constexpr float kMaxRaise = 64.0f;
// The calibrated shift of the pairs' prior log2 odds stays within this many bits.
constexpr double kMaxShift = 8.0;

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
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

// One component sampled: its records, the log2 odds of every pair of them, the seed.
struct Component {
  std::vector<std::uint32_t> members;  // sorted record indices
  std::vector<float> s;                // k x k, row-major
  std::vector<std::uint16_t> list;     // per member
  std::vector<std::uint32_t> seed;     // per member: local entity label in the best linkage
  // Per member of a unique list: the other members of its list (swap partners).
  std::vector<std::vector<std::uint32_t>> partners;
};

// Splits `members` (sorted) by the pairs of `c` at or above `threshold`, keeping each entity of
// the best linkage whole.
std::vector<std::vector<std::uint32_t>> split(const std::vector<std::uint32_t>& members,
                                              const CandidateComponent& c, float threshold,
                                              const std::vector<std::uint32_t>& best) {
  auto index = [&](std::uint32_t r) {
    return static_cast<std::uint32_t>(std::lower_bound(members.begin(), members.end(), r) -
                                      members.begin());
  };
  UnionFind uf(members.size());
  for (std::size_t i = 0; i < c.pairs.size(); ++i) {
    const std::uint32_t a = pair_first(c.pairs[i]), b = pair_second(c.pairs[i]);
    if (c.log2_odds[i] >= threshold && std::binary_search(members.begin(), members.end(), a) &&
        std::binary_search(members.begin(), members.end(), b))
      uf.unite(index(a), index(b));
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_entity;
  for (std::uint32_t i = 0; i < members.size(); ++i)
    by_entity.emplace_back(best[members[i]], i);
  std::sort(by_entity.begin(), by_entity.end());
  for (std::size_t i = 1; i < by_entity.size(); ++i)
    if (by_entity[i].first == by_entity[i - 1].first)
      uf.unite(by_entity[i].second, by_entity[i - 1].second);
  std::vector<std::vector<std::uint32_t>> out;
  std::vector<std::uint32_t> slot(members.size(), kNone);
  for (std::uint32_t i = 0; i < members.size(); ++i) {
    const std::uint32_t root = uf.find(i);
    if (slot[root] == kNone) {
      slot[root] = static_cast<std::uint32_t>(out.size());
      out.emplace_back();
    }
    out[slot[root]].push_back(members[i]);
  }
  return out;
}

// The sample variance (n - 1 in the denominator); 0 for fewer than two values.
double variance(const std::vector<double>& x, double mean) {
  double v = 0;
  for (double e : x)
    v += (e - mean) * (e - mean);
  return x.size() > 1 ? v / static_cast<double>(x.size() - 1) : 0.0;
}

// The state of one chain in one component.
class ComponentChain {
 public:
  ComponentChain(const Component& c, const std::vector<bool>& unique_list, std::size_t lists,
                 float shift)
      : c_(c),
        unique_(unique_list),
        lists_(lists),
        shift_(shift),
        k_(c.members.size()),
        label_(c.seed),
        size_(k_, 0),
        count_(k_ * lists, 0),
        acc_(k_, 0.0),
        order_(k_) {
    std::iota(order_.begin(), order_.end(), std::uint32_t{0});
    recount_state();
  }

  // Each member with probability 1/2 stands alone (an overdispersed start).
  void detach(std::mt19937_64& rng) {
    std::bernoulli_distribution half(0.5);
    for (std::uint32_t i = 0; i < k_; ++i)
      if (size_[label_[i]] > 1 && half(rng)) move(i, free_slot());
  }

  void sweep(std::mt19937_64& rng, std::uint64_t& proposed, std::uint64_t& accepted) {
    std::shuffle(order_.begin(), order_.end(), rng);
    for (std::uint32_t i : order_)
      gibbs(i, rng);
    for (std::uint32_t i : order_) {
      const auto& partners = c_.partners[i];
      if (partners.empty()) continue;
      const std::uint32_t j =
          partners[std::uniform_int_distribution<std::size_t>(0, partners.size() - 1)(rng)];
      ++proposed;
      if (swap(i, j, rng)) ++accepted;
    }
  }

  [[nodiscard]] std::size_t entities() const noexcept { return entities_; }
  // Pairs of members in one entity.
  [[nodiscard]] double coreferent_pairs() const noexcept {
    double pairs = 0;
    for (std::uint32_t e = 0; e < k_; ++e)
      pairs += 0.5 * size_[e] * (static_cast<double>(size_[e]) - 1);
    return pairs;
  }
  [[nodiscard]] const std::vector<std::uint32_t>& labels() const noexcept { return label_; }

 private:
  void recount_state() {
    std::fill(size_.begin(), size_.end(), 0);
    std::fill(count_.begin(), count_.end(), 0);
    entities_ = 0;
    for (std::uint32_t i = 0; i < k_; ++i) {
      if (size_[label_[i]]++ == 0) ++entities_;
      ++count_[label_[i] * lists_ + c_.list[i]];
    }
  }
  std::uint32_t free_slot() const {
    for (std::uint32_t e = 0; e < k_; ++e)
      if (size_[e] == 0) return e;
    return kNone;  // not reached: a member of an entity of two or more leaves a label free
  }
  void move(std::uint32_t i, std::uint32_t to) {
    const std::uint32_t from = label_[i];
    if (--size_[from] == 0) --entities_;
    --count_[from * lists_ + c_.list[i]];
    if (size_[to]++ == 0) ++entities_;
    ++count_[to * lists_ + c_.list[i]];
    label_[i] = to;
  }
  float s(std::uint32_t i, std::uint32_t j) const { return c_.s[i * k_ + j] + shift_; }

  // The full conditional of member i's entity given the others (Sadinle 2014, section 3).
  void gibbs(std::uint32_t i, std::mt19937_64& rng) {
    const std::uint32_t own = label_[i];
    std::fill(acc_.begin(), acc_.end(), 0.0);
    for (std::uint32_t j = 0; j < k_; ++j)
      if (j != i) acc_[label_[j]] += s(i, j);
    const bool unique = unique_[c_.list[i]];
    // Candidates: every entity with another member, if allowed; and one empty label (alone).
    double top = 0;  // standing alone has log weight 0
    std::uint32_t alone = size_[own] == 1 ? own : kNone;
    for (std::uint32_t e = 0; e < k_; ++e) {
      const std::uint32_t others = size_[e] - (e == own ? 1 : 0);
      if (others == 0) {
        if (alone == kNone) alone = e;
        continue;
      }
      if (unique && count_[e * lists_ + c_.list[i]] - (e == own ? 1 : 0) > 0) {
        acc_[e] = -std::numeric_limits<double>::infinity();
        continue;
      }
      top = std::max(top, acc_[e]);
    }
    double total = std::exp2(-top);  // alone
    for (std::uint32_t e = 0; e < k_; ++e)
      if (size_[e] - (e == own ? 1 : 0) > 0) total += std::exp2(acc_[e] - top);
    double u = std::uniform_real_distribution<double>(0.0, total)(rng);
    std::uint32_t to = alone;
    for (std::uint32_t e = 0; e < k_; ++e) {
      if (size_[e] - (e == own ? 1 : 0) == 0) continue;
      u -= std::exp2(acc_[e] - top);
      if (u < 0) {
        to = e;
        break;
      }
    }
    if (to != own) move(i, to);
  }

  // Metropolis swap of i and j (same list, different entities; Sadinle 2017, section 3.3).
  bool swap(std::uint32_t i, std::uint32_t j, std::mt19937_64& rng) {
    const std::uint32_t ei = label_[i], ej = label_[j];
    if (ei == ej) return false;
    double delta = 0;
    for (std::uint32_t m = 0; m < k_; ++m) {
      if (m == i || m == j) continue;
      if (label_[m] == ei) delta += s(j, m) - s(i, m);
      if (label_[m] == ej) delta += s(i, m) - s(j, m);
    }
    if (delta < 0 && std::log2(std::uniform_real_distribution<double>(0.0, 1.0)(rng)) >= delta)
      return false;
    label_[i] = ej;
    label_[j] = ei;
    return true;
  }

  const Component& c_;
  const std::vector<bool>& unique_;
  std::size_t lists_;
  float shift_;  // added to every pair's log2 odds (the calibrated prior, sample_partitions)
  std::uint32_t k_;
  std::vector<std::uint32_t> label_, size_;
  std::vector<std::uint16_t> count_;
  std::vector<double> acc_;
  std::vector<std::uint32_t> order_;
  std::size_t entities_ = 0;
};

// The pairwise scores are posterior log2 odds of one pair taken alone, their prior the share of
// candidate pairs that match. In the joint model, where a record of a unique list can join one
// person at most, that prior under-links: a record's links compete. So the prior log2 odds per
// joined pair is shifted by one constant, chosen so that the expected number of pairs joined in
// the sampled partitions equals the sum of the pairs' own match probabilities (a moment-matching,
// empirical-Bayes choice of the one hyperparameter of the partition prior, in the spirit of
// Sadinle 2017 section 2.2, whose prior on the number of links has hyperparameters set from what
// is expected of the data). Pilot runs of one chain from the best linkage (20 sweeps, then the mean
// over 30) and secant steps on the shift (within 8 bits), until the counts agree within 1% or after
// 12 rounds (a warning then).
void calibrate(const std::vector<Component>& comps, const std::vector<bool>& unique_list,
               std::size_t lists, std::uint64_t seed, PartitionDraws& out) {
  double target = 0;
  for (const Component& c : comps) {
    const std::size_t k = c.members.size();
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = i + 1; j < k; ++j)
        if (!(c.list[i] == c.list[j] && unique_list[c.list[i]]))
          target += 1 / (1 + std::exp2(-static_cast<double>(c.s[i * k + j])));
  }
  out.prior_target_pairs = target;
  if (target <= 0) return;
  constexpr int kRounds = 12, kBurnin = 20, kSweeps = 30;
  std::seed_seq seq{seed, std::uint64_t{0x7072696f72}};
  std::mt19937_64 rng(seq);
  std::uint64_t proposed = 0, accepted = 0;
  double last_shift = 0, last_gap = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<ComponentChain> state;
    state.reserve(comps.size());
    for (const Component& c : comps)
      state.emplace_back(c, unique_list, lists, out.prior_shift);
    double mean = 0;
    for (int sweep = 0; sweep < kBurnin + kSweeps; ++sweep) {
      double pairs = 0;
      for (ComponentChain& s : state) {
        s.sweep(rng, proposed, accepted);
        pairs += s.coreferent_pairs();
      }
      if (sweep >= kBurnin) mean += pairs / kSweeps;
    }
    out.prior_pilot_pairs = mean;
    const double gap = mean - target;
    if (std::abs(gap) <= 0.01 * target) break;
    // A secant step on the gap once two rounds are known (bounded to 2 bits), else twice the
    // log2 ratio (the count of joined pairs grows more slowly than the odds).
    double step = 2 * std::log2(target / std::max(mean, 0.5));
    if (round > 0 && gap != last_gap)
      step = -gap * (out.prior_shift - last_shift) / (gap - last_gap);
    last_shift = out.prior_shift;
    last_gap = gap;
    out.prior_shift = static_cast<float>(std::clamp(
        static_cast<double>(out.prior_shift) + std::clamp(step, -2.0, 2.0), -kMaxShift, kMaxShift));
  }
  if (std::abs(out.prior_pilot_pairs - target) > 0.01 * target)
    out.warnings.push_back(fmt::format(
        "the prior of the linkage draws was not calibrated: {:.0f} pairs joined on average, "
        "against {:.0f} expected from the pairs' match probabilities (shift {:.2f} bits)",
        out.prior_pilot_pairs, target, out.prior_shift));
}

}  // namespace

double split_rhat_of(const std::vector<std::vector<double>>& chains) {
  std::vector<std::vector<double>> halves;
  for (const auto& c : chains) {
    const std::size_t h = c.size() / 2;
    if (h < 2) continue;
    halves.emplace_back(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(h));
    halves.emplace_back(c.end() - static_cast<std::ptrdiff_t>(h), c.end());
  }
  if (halves.size() < 2) return 1.0;
  const double n = static_cast<double>(halves.front().size());
  std::vector<double> means;
  double w = 0;
  for (const auto& h : halves) {
    const double m = std::accumulate(h.begin(), h.end(), 0.0) / n;
    means.push_back(m);
    w += variance(h, m);
  }
  w /= static_cast<double>(halves.size());
  const double grand = std::accumulate(means.begin(), means.end(), 0.0) / means.size();
  const double b = n * variance(means, grand);
  if (w <= 0) return b <= 0 ? 1.0 : std::numeric_limits<double>::infinity();
  return std::sqrt(((n - 1) / n * w + b / n) / w);
}

PartitionDraws sample_partitions(const PartitionProblem& problem,
                                 const PartitionSamplerOptions& options, bool progress) {
  const auto start = std::chrono::steady_clock::now();
  if (options.draws == 0) throw usage_error("the number of linkage draws must be at least 1");
  if (options.chains < 1) throw usage_error("the linkage sampler needs at least one chain");
  if (options.burnin < 0 || options.thin < 1)
    throw usage_error("linkage sampler: burn-in must be >= 0 and thinning >= 1");
  const std::size_t n = problem.list.size();
  if (problem.best.size() != n) throw internal_error("partition problem: seed of the wrong size");
  const std::size_t lists = problem.unique_list.size();
  for (std::uint32_t r = 0; r < n; ++r)
    if (problem.best[r] >= n || problem.list[r] >= lists)
      throw internal_error("partition problem: a record's entity or list is out of range");

  // Every entity of the best linkage must lie inside one component.
  std::vector<std::uint32_t> component_of(n, kNone);
  for (std::size_t c = 0; c < problem.components.size(); ++c)
    for (std::uint32_t r : problem.components[c].records) {
      if (r >= n) throw internal_error("partition problem: a component's record is out of range");
      component_of[r] = static_cast<std::uint32_t>(c);
    }
  std::vector<std::uint32_t> first(n, kNone);  // first record of each best entity
  for (std::uint32_t r = 0; r < n; ++r) {
    std::uint32_t& f = first[problem.best[r]];
    if (f == kNone)
      f = r;
    else if (component_of[f] != component_of[r] || component_of[r] == kNone)
      throw internal_error(
          "partition problem: the best linkage joins records that no component holds together");
  }

  PartitionDraws out;
  std::vector<std::vector<std::uint32_t>> pieces;
  for (const CandidateComponent& c : problem.components) {
    ++out.components;
    if (c.records.size() <= options.max_component) {
      pieces.push_back(c.records);
      continue;
    }
    ++out.components_cut;
    std::vector<std::vector<std::uint32_t>> parts{c.records};
    for (float t = options.floor + 1; t <= options.floor + kMaxRaise; t += 1) {
      std::vector<std::vector<std::uint32_t>> next;
      bool large = false;
      for (auto& p : parts) {
        if (p.size() <= options.max_component) {
          next.push_back(std::move(p));
          continue;
        }
        for (auto& q : split(p, c, t, problem.best)) {
          large = large || q.size() > options.max_component;
          next.push_back(std::move(q));
        }
      }
      parts = std::move(next);
      if (!large) break;
    }
    for (auto& p : parts) {
      if (p.size() > options.max_component)
        ++out.components_held;
      else if (p.size() >= 2)
        pieces.push_back(std::move(p));
    }
  }

  std::vector<Component> comps(pieces.size());
  tbb::parallel_for(std::size_t{0}, pieces.size(), [&](std::size_t c) {
    Component& comp = comps[c];
    comp.members = std::move(pieces[c]);
    const std::size_t k = comp.members.size();
    comp.s.assign(k * k, 0.0f);
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = i + 1; j < k; ++j)
        comp.s[i * k + j] = comp.s[j * k + i] = problem.score(comp.members[i], comp.members[j]);
    comp.list.resize(k);
    comp.seed.resize(k);
    comp.partners.resize(k);
    for (std::uint32_t i = 0; i < k; ++i) {
      comp.list[i] = problem.list[comp.members[i]];
      std::uint32_t label = i;
      for (std::uint32_t j = 0; j < i; ++j)
        if (problem.best[comp.members[j]] == problem.best[comp.members[i]]) {
          label = comp.seed[j];
          break;
        }
      comp.seed[i] = label;
    }
    for (std::uint32_t i = 0; i < k; ++i)
      if (problem.unique_list[comp.list[i]])
        for (std::uint32_t j = 0; j < k; ++j)
          if (j != i && comp.list[j] == comp.list[i]) comp.partners[i].push_back(j);
  });
  for (const Component& c : comps) {
    out.records_sampled += c.members.size();
    out.largest_component = std::max(out.largest_component, c.members.size());
  }

  // Entities outside the sampled components stay as in the best linkage.
  std::size_t best_entities = 0, best_in_sampled = 0;
  for (std::uint32_t r = 0; r < n; ++r)
    best_entities += first[problem.best[r]] == r ? 1 : 0;
  for (const Component& c : comps)
    for (std::uint32_t i = 0; i < c.members.size(); ++i)
      best_in_sampled += c.seed[i] == i ? 1 : 0;
  const std::size_t fixed_entities = best_entities - best_in_sampled;

  if (options.calibrate_prior) calibrate(comps, problem.unique_list, lists, options.seed, out);

  const std::size_t chains = static_cast<std::size_t>(options.chains);
  const std::size_t per_chain = (options.draws + chains - 1) / chains;
  const std::size_t sweeps =
      static_cast<std::size_t>(options.burnin) + per_chain * static_cast<std::size_t>(options.thin);
  // Kept labels per chain and draw: every sampled component's labels, concatenated.
  std::vector<std::vector<std::vector<std::uint32_t>>> kept(chains);
  out.entities_trace.assign(chains, {});
  std::atomic<std::uint64_t> proposed{0}, accepted{0};
  std::unique_ptr<Progress> bar;
  if (progress) bar = std::make_unique<Progress>("linkage draws", sweeps);
  tbb::parallel_for(std::size_t{0}, chains, [&](std::size_t chain) {
    std::seed_seq seq{options.seed, static_cast<std::uint64_t>(chain), std::uint64_t{0x6c696e6b}};
    std::mt19937_64 rng(seq);
    std::vector<ComponentChain> state;
    state.reserve(comps.size());
    for (const Component& c : comps) {
      state.emplace_back(c, problem.unique_list, lists, out.prior_shift);
      if (chain > 0) state.back().detach(rng);
    }
    std::uint64_t prop = 0, acc = 0;
    for (std::size_t sweep = 1; sweep <= sweeps; ++sweep) {
      std::size_t entities = fixed_entities;
      for (ComponentChain& s : state) {
        s.sweep(rng, prop, acc);
        entities += s.entities();
      }
      if (sweep <= static_cast<std::size_t>(options.burnin)) continue;
      out.entities_trace[chain].push_back(static_cast<double>(entities));
      if ((sweep - static_cast<std::size_t>(options.burnin)) %
              static_cast<std::size_t>(options.thin) ==
          0) {
        std::vector<std::uint32_t> labels;
        labels.reserve(out.records_sampled);
        for (const ComponentChain& s : state)
          labels.insert(labels.end(), s.labels().begin(), s.labels().end());
        kept[chain].push_back(std::move(labels));
      }
      if (chain == 0 && bar) bar->update(sweep);
    }
    proposed += prop;
    accepted += acc;
  });
  if (bar) bar->finish();
  out.acceptance_swap = proposed.load() > 0 ? static_cast<double>(accepted.load()) /
                                                  static_cast<double>(proposed.load())
                                            : 0.0;
  out.rhat_entities = split_rhat_of(out.entities_trace);

  // Draws interleaved across chains, each numbered in order of its entities' first records.
  std::vector<std::uint32_t> representative(n);
  for (std::uint32_t r = 0; r < n; ++r)
    representative[r] = first[problem.best[r]];
  std::vector<std::uint32_t> number(n, kNone);
  for (std::size_t d = 0; d < options.draws; ++d) {
    const auto& labels = kept[d % chains][d / chains];
    std::vector<std::uint32_t> rep = representative;
    std::size_t offset = 0;
    for (const Component& c : comps) {
      const std::size_t k = c.members.size();
      std::vector<std::uint32_t> smallest(k, kNone);
      for (std::size_t i = 0; i < k; ++i)
        smallest[labels[offset + i]] = std::min(smallest[labels[offset + i]], c.members[i]);
      for (std::size_t i = 0; i < k; ++i)
        rep[c.members[i]] = smallest[labels[offset + i]];
      offset += k;
    }
    std::fill(number.begin(), number.end(), kNone);
    std::vector<std::uint32_t> entity(n);
    std::uint32_t next = 0;
    for (std::uint32_t r = 0; r < n; ++r) {
      std::uint32_t& e = number[rep[r]];
      if (e == kNone) e = next++;
      entity[r] = e;
    }
    out.entity.push_back(std::move(entity));
    out.entities.push_back(next);
  }
  if (out.rhat_entities > partition_max_rhat)
    out.warnings.push_back(
        fmt::format("the linkage chains did not meet: R-hat of the number of entities {:.3f} "
                    "(above {}); more burn-in or thinning is needed",
                    out.rhat_entities, partition_max_rhat));
  if (out.components_held > 0)
    out.warnings.push_back(fmt::format(
        "{} components of candidate pairs stayed above {} records after raising the floor by {} "
        "bits and were held at the best linkage (their uncertainty is not carried)",
        out.components_held, options.max_component, kMaxRaise));
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace recount::linkage
