#pragma once
// Lists whose true linkage is known, for checking the estimate with linkage uncertainty: a
// population of `people`, each on each of three lists independently (so the log-linear
// independence model and LCMCR both fit), every list `unique = true`. People come in blocks of
// four alike; every pair of records of one block on two lists is a candidate pair, compared on
// four binary fields drawn from the Fellegi-Sunter model itself (agreement with probability m for
// the same person, u for two people), so that the pair scores are the model's posterior log2
// odds. The best linkage is the clustering of `recount link` at match probability 1/2. Shared by
// the statistical test and bench/linkage/uncertainty_coverage.cpp.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "recount/linkage/blocking.hpp"
#include "recount/linkage/clustering.hpp"
#include "recount/linkage/components.hpp"
#include "recount/linkage/partition_sampler.hpp"
#include "recount/mse/capture_table.hpp"

namespace recount::testing {

struct SimulatedLinkage {
  std::vector<std::uint32_t> person;  // per record: the true person
  linkage::PartitionProblem problem;  // best linkage, components and scores
  mse::CaptureTable truth;            // captures of the true linkage
  mse::CaptureTable best;             // captures of the best linkage
};

// The captures table of a partition (per record: its entity) of records on three lists.
inline mse::CaptureTable captures_of(const std::vector<std::uint32_t>& entity,
                                     const std::vector<std::uint16_t>& list) {
  std::vector<mse::Pattern> pattern;
  for (std::size_t r = 0; r < entity.size(); ++r) {
    if (entity[r] >= pattern.size()) pattern.resize(entity[r] + 1, 0);
    pattern[entity[r]] |= mse::Pattern{1} << list[r];
  }
  mse::CaptureTable t;
  t.lists = {"A", "B", "C"};
  t.counts.assign(8, 0.0);
  for (mse::Pattern p : pattern)
    if (p != 0) t.counts[p] += 1;
  return t;
}

inline SimulatedLinkage simulate_linkage(std::size_t people, std::uint64_t seed) {
  constexpr std::size_t kBlock = 4;
  constexpr std::array<double, 3> kCapture{0.5, 0.45, 0.4};
  constexpr std::array<double, 4> kM{0.95, 0.9, 0.85, 0.8};  // agreement, same person
  constexpr std::array<double, 4> kU{0.3, 0.2, 0.25, 0.3};   // agreement, two people alike
  // Prior odds that two records of one block on two lists are one person: one of the about
  // kBlock * 0.45 block members on the other list, about 1 in 3.
  const double prior_log2_odds = std::log2(1.0 / 3.0);
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution on[3] = {std::bernoulli_distribution(kCapture[0]),
                                       std::bernoulli_distribution(kCapture[1]),
                                       std::bernoulli_distribution(kCapture[2])};
  SimulatedLinkage s;
  std::vector<std::uint32_t> block;
  for (std::uint32_t p = 0; p < people; ++p)
    for (std::uint16_t l = 0; l < 3; ++l)
      if (on[l](rng)) {
        s.person.push_back(p);
        s.problem.list.push_back(l);
        block.push_back(static_cast<std::uint32_t>(p / kBlock));
      }
  const std::size_t n = s.person.size();
  std::vector<std::uint64_t> pairs;
  std::vector<float> scores;
  for (std::uint32_t a = 0; a < n; ++a)
    for (std::uint32_t b = a + 1; b < n && block[b] == block[a]; ++b) {
      if (s.problem.list[a] == s.problem.list[b]) continue;
      const bool same = s.person[a] == s.person[b];
      double log2_odds = prior_log2_odds;
      for (std::size_t f = 0; f < kM.size(); ++f) {
        const bool agree = std::bernoulli_distribution(same ? kM[f] : kU[f])(rng);
        log2_odds += agree ? std::log2(kM[f] / kU[f]) : std::log2((1 - kM[f]) / (1 - kU[f]));
      }
      pairs.push_back(linkage::pack_pair(a, b));
      scores.push_back(static_cast<float>(log2_odds));
    }
  // Two records of one list never join (unique lists); pairs across blocks are never compared.
  auto score = [pairs, scores](std::uint32_t a, std::uint32_t b) {
    const std::uint64_t key = linkage::pack_pair(std::min(a, b), std::max(a, b));
    const auto it = std::lower_bound(pairs.begin(), pairs.end(), key);
    return it != pairs.end() && *it == key ? scores[static_cast<std::size_t>(it - pairs.begin())]
                                           : -30.0f;
  };
  s.problem.unique_list = {true, true, true};
  s.problem.best = linkage::cluster_records(n, pairs, scores, 0.0f, score, nullptr,
                                            {s.problem.list.data(), s.problem.unique_list});
  s.problem.components = linkage::candidate_components(n, pairs, scores, -8.0f);
  s.problem.score = score;
  s.truth = captures_of(s.person, s.problem.list);
  s.best = captures_of(s.problem.best, s.problem.list);
  return s;
}

}  // namespace recount::testing
