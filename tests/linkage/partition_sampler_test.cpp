// Unit tests of the sampler of linkage partitions (partition_sampler.hpp): its distribution
// against exact enumeration of every partition of a tiny component, the one-person-per-unique-
// list constraint, the seed, held components, R-hat and bad input.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/math/distributions/chi_squared.hpp>

#include "recount/core/error.hpp"
#include "recount/linkage/blocking.hpp"
#include "recount/linkage/components.hpp"
#include "recount/linkage/partition_sampler.hpp"

namespace rl = recount::linkage;

namespace {

// A problem over `n` records with every pair a candidate, scored by `s` (n x n).
rl::PartitionProblem full_problem(const std::vector<std::uint16_t>& list,
                                  const std::vector<bool>& unique,
                                  const std::vector<std::uint32_t>& best,
                                  const std::vector<float>& s) {
  const std::size_t n = list.size();
  std::vector<std::uint64_t> pairs;
  std::vector<float> odds;
  for (std::uint32_t a = 0; a < n; ++a)
    for (std::uint32_t b = a + 1; b < n; ++b) {
      pairs.push_back(rl::pack_pair(a, b));
      odds.push_back(s[a * n + b]);
    }
  rl::PartitionProblem p;
  p.list = list;
  p.unique_list = unique;
  p.best = best;
  p.components = rl::candidate_components(n, pairs, odds, -1e9f);
  p.score = [s, n](std::uint32_t a, std::uint32_t b) { return s[a * n + b]; };
  return p;
}

// Every restricted growth string of length n (each set partition once, blocks numbered in order
// of their first element).
void partitions(std::size_t n, std::vector<std::uint32_t>& current, std::uint32_t blocks,
                std::vector<std::vector<std::uint32_t>>& out) {
  if (current.size() == n) {
    out.push_back(current);
    return;
  }
  for (std::uint32_t b = 0; b <= blocks; ++b) {
    current.push_back(b);
    partitions(n, current, std::max(blocks, b + 1), out);
    current.pop_back();
  }
}

bool respects_unique(const std::vector<std::uint32_t>& entity,
                     const std::vector<std::uint16_t>& list, const std::vector<bool>& unique) {
  std::set<std::pair<std::uint32_t, std::uint16_t>> seen;
  for (std::size_t r = 0; r < entity.size(); ++r)
    if (unique[list[r]] && !seen.insert({entity[r], list[r]}).second) return false;
  return true;
}

}  // namespace

// The sampler's distribution over the partitions of five records (two unique lists of two
// records each and one list that is not unique) against the target computed exactly over all
// 52 partitions: P(Z) proportional to 2^(sum of the log2 odds of the pairs joined), zero when a
// unique list has two records in one entity. Draws are thinned by 3 sweeps: each sweep redraws
// every record from its full conditional and tries a swap per unique record, so on five records
// successive kept draws are close to independent and the counts close to multinomial; the
// chi-square statistic (cells of expected count below 5 pooled) is compared at p = 1e-4, far
// enough in the tail that the remaining autocorrelation does not make the test flaky at this seed,
// and a wrong weight in the full conditional or in the swap gives p values far below it.
TEST(PartitionSampler, MatchesExactEnumerationOnATinyComponent) {
  const std::vector<std::uint16_t> list{0, 0, 1, 1, 2};
  const std::vector<bool> unique{true, true, false};
  const std::size_t n = list.size();
  std::vector<float> s(n * n, 0.0f);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> u(-3.0f, 3.0f);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b)
      s[a * n + b] = s[b * n + a] = u(rng);
  // Records 0 and 2 strongly alike: the best linkage joins them.
  s[0 * n + 2] = s[2 * n + 0] = 2.5f;
  const rl::PartitionProblem problem = full_problem(list, unique, {0, 1, 0, 3, 4}, s);

  std::vector<std::vector<std::uint32_t>> all;
  std::vector<std::uint32_t> current;
  partitions(n, current, 0, all);
  ASSERT_EQ(all.size(), 52U);  // Bell number B5
  std::map<std::vector<std::uint32_t>, double> exact;
  double total = 0;
  for (const auto& z : all) {
    if (!respects_unique(z, list, unique)) continue;
    double log2w = 0;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a + 1; b < n; ++b)
        if (z[a] == z[b]) log2w += s[a * n + b];
    exact[z] = std::exp2(log2w);
    total += exact[z];
  }
  for (auto& [z, w] : exact)
    w /= total;

  rl::PartitionSamplerOptions options;
  options.draws = 40000;
  options.chains = 4;
  options.burnin = 20;
  options.thin = 3;
  options.seed = 11;
  options.calibrate_prior = false;  // the target exactly as enumerated
  const rl::PartitionDraws draws = rl::sample_partitions(problem, options, false);
  ASSERT_EQ(draws.entity.size(), options.draws);
  std::map<std::vector<std::uint32_t>, double> observed;
  for (const auto& z : draws.entity) {
    ASSERT_TRUE(exact.count(z)) << "a draw outside the support (a unique list violated)";
    observed[z] += 1;
  }
  const double m = static_cast<double>(options.draws);
  double chi2 = 0, pooled_expected = 0, pooled_observed = 0;
  int cells = 0;
  for (const auto& [z, p] : exact) {
    const double e = p * m, o = observed.count(z) ? observed.at(z) : 0.0;
    if (e < 5) {
      pooled_expected += e;
      pooled_observed += o;
      continue;
    }
    chi2 += (o - e) * (o - e) / e;
    ++cells;
  }
  if (pooled_expected > 0) {
    chi2 += (pooled_observed - pooled_expected) * (pooled_observed - pooled_expected) /
            std::max(pooled_expected, 1.0);
    ++cells;
  }
  ASSERT_GE(cells, 10);
  EXPECT_EQ(draws.prior_shift, 0.0f);
  const double p_value =
      boost::math::cdf(boost::math::complement(boost::math::chi_squared(cells - 1), chi2));
  EXPECT_GT(p_value, 1e-4) << "chi-square " << chi2 << " on " << cells - 1 << " df";
  EXPECT_GT(draws.acceptance_swap, 0.0);
  EXPECT_LT(draws.rhat_entities, rl::partition_max_rhat);
}

// With overwhelming evidence every draw is the best linkage, and every draw on a random problem
// keeps at most one record of each unique list per entity.
TEST(PartitionSampler, KeepsTheSeedUnderStrongEvidenceAndTheUniqueConstraintAlways) {
  const std::vector<std::uint16_t> list{0, 1, 0, 1, 2, 2};
  const std::vector<bool> unique{true, true, false};
  const std::vector<std::uint32_t> best{0, 0, 2, 2, 0, 5};
  const std::size_t n = list.size();
  std::vector<float> s(n * n, -40.0f);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      if (a != b && best[a] == best[b]) s[a * n + b] = 40.0f;
  rl::PartitionSamplerOptions options;
  options.draws = 8;
  const rl::PartitionDraws strong =
      rl::sample_partitions(full_problem(list, unique, best, s), options, false);
  for (const auto& z : strong.entity)
    EXPECT_EQ(z, (std::vector<std::uint32_t>{0, 0, 1, 1, 0, 2}));
  EXPECT_EQ(strong.entities, std::vector<std::size_t>(8, 3));

  std::mt19937_64 rng(3);
  std::uniform_real_distribution<float> u(-2.0f, 4.0f);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b)
      s[a * n + b] = s[b * n + a] = u(rng);
  options.draws = 400;
  options.thin = 1;
  options.calibrate_prior = false;
  const rl::PartitionDraws loose =
      rl::sample_partitions(full_problem(list, unique, {0, 1, 2, 3, 4, 5}, s), options, false);
  std::set<std::size_t> sizes;
  for (const auto& z : loose.entity) {
    EXPECT_TRUE(respects_unique(z, list, unique));
    sizes.insert(*std::max_element(z.begin(), z.end()) + 1);
  }
  EXPECT_GT(sizes.size(), 1U);  // the linkage varies across draws
}

// Records outside every component, and components above the cap that no raised floor cuts,
// stay as in the best linkage.
TEST(PartitionSampler, HoldsOversizedComponentsAndLoneRecords) {
  const std::vector<std::uint16_t> list{0, 1, 2, 0, 1, 2, 0};
  const std::vector<bool> unique{false, false, false};
  const std::size_t n = list.size();
  std::vector<float> s(n * n, 0.0f);
  rl::PartitionProblem p = full_problem(list, unique, {0, 0, 0, 3, 3, 3, 6}, s);
  // Only records 0-5 are candidates of each other: record 6 is alone.
  std::vector<std::uint64_t> pairs;
  std::vector<float> odds;
  for (std::uint32_t a = 0; a < 6; ++a)
    for (std::uint32_t b = a + 1; b < 6; ++b) {
      pairs.push_back(rl::pack_pair(a, b));
      odds.push_back(100.0f);  // never cut by raising the floor
    }
  p.components = rl::candidate_components(n, pairs, odds, -8.0f);
  rl::PartitionSamplerOptions options;
  options.max_component = 4;
  options.draws = 4;
  const rl::PartitionDraws d = rl::sample_partitions(p, options, false);
  EXPECT_EQ(d.components, 1U);
  EXPECT_EQ(d.components_cut, 1U);
  EXPECT_EQ(d.components_held, 1U);
  EXPECT_EQ(d.records_sampled, 0U);
  ASSERT_EQ(d.warnings.size(), 1U);
  for (const auto& z : d.entity)
    EXPECT_EQ(z, (std::vector<std::uint32_t>{0, 0, 0, 1, 1, 1, 2}));
}

TEST(PartitionSampler, SplitRhatSeesChainsThatDisagree) {
  std::vector<std::vector<double>> same(4), apart(4);
  std::mt19937_64 rng(5);
  std::normal_distribution<double> z;
  for (int c = 0; c < 4; ++c)
    for (int i = 0; i < 200; ++i) {
      same[c].push_back(z(rng));
      apart[c].push_back(z(rng) + 3.0 * c);
    }
  // Four chains of 200 independent normals: R-hat within about 0.01 of 1 (its Monte Carlo
  // spread at 8 half-chains of 100 is below 0.01).
  EXPECT_NEAR(rl::split_rhat_of(same), 1.0, 0.02);
  EXPECT_GT(rl::split_rhat_of(apart), 2.0);
  EXPECT_EQ(rl::split_rhat_of({{1, 1, 1, 1}, {1, 1, 1, 1}}), 1.0);
}

TEST(PartitionSampler, RejectsBadOptionsAndASeedAcrossComponents) {
  const std::vector<std::uint16_t> list{0, 1, 0};
  const std::vector<bool> unique{false, false};
  const std::vector<float> s(9, 0.0f);
  const rl::PartitionProblem p = full_problem(list, unique, {0, 1, 2}, s);
  rl::PartitionSamplerOptions options;
  options.draws = 0;
  EXPECT_THROW((void)rl::sample_partitions(p, options, false), recount::Error);
  options.draws = 2;
  options.chains = 0;
  EXPECT_THROW((void)rl::sample_partitions(p, options, false), recount::Error);
  options.chains = 1;
  rl::PartitionProblem apart = p;
  apart.components.clear();
  apart.best = {0, 0, 2};  // joins two records that no component holds together
  EXPECT_THROW((void)rl::sample_partitions(apart, options, false), recount::Error);
}
