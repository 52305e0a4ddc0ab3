#pragma once
// Draws of the linkage from its posterior over partitions of the records, not from pairwise
// match probabilities (which do not make a joint distribution). The target is the partition
// model of Sadinle (2014, AoAS 8:2404; 2017, JASA 112:600) with the pairwise comparisons
// conditionally independent given the partition:
//
//   P(Z | comparisons) ∝ Π over pairs (i, j) in one entity of 2^s(i, j),
//
// s(i, j) the posterior log2 odds that i and j are the same person (its Fellegi-Sunter evidence
// plus the prior log odds of the pair), restricted to partitions in which an entity holds at most
// one record of each unique list (`unique = true`). For two unique lists this is Sadinle's
// (2017) bipartite model with a geometric prior on the number of links. The pair scores' prior
// (the share of candidate pairs that match) under-links once a record's links compete, so by
// default one shift of every pair's log2 odds is calibrated first (calibrate_prior below).
//
// Partitions are sampled within the connected components of candidate pairs (components.hpp:
// pairs whose log odds are at or above a floor; the best linkage's entities lie inside them): a
// record never joins one outside its component. Components larger than a cap are first cut by
// raising the floor inside them one bit at a time (keeping each best-linkage entity whole, as
// clustering.hpp cuts); one still too large is held at the best linkage and counted. Each sweep
// visits the records of every component in random order and redraws each one's entity from its
// full conditional (Gibbs, as Sadinle 2014 section 3): join any entity that holds no record of
// its list when that list is unique, or stand alone; then, for each record of a unique list, a
// Metropolis swap with a record of the same list in another entity (Sadinle 2017 section 3.3),
// which the Gibbs step cannot make because the constraint blocks each half of it.
//
// Several chains: the first starts at the best linkage, the others at the best linkage with each
// linked record detached with probability 1/2, so that the split R-hat of the number of entities
// (Gelman et al. 2013, BDA3 eq. 11.4, on halves of each chain) says whether they met.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "recount/linkage/components.hpp"

namespace recount::linkage {

// The sampler's input as plain data.
struct PartitionProblem {
  std::vector<std::uint16_t> list;  // per record: its list
  std::vector<bool> unique_list;    // per list: an entity holds at most one record of it
  std::vector<std::uint32_t> best;  // per record: its entity in the best linkage (the seed)
  // candidate_components(records, pairs, posterior log2 odds, floor): every entity of two or
  // more records in `best` lies inside one of them (checked).
  std::vector<CandidateComponent> components;
  // Posterior log2 odds of any two records: for the pairs of a component that are not
  // candidates. Called from several threads at once.
  std::function<float(std::uint32_t, std::uint32_t)> score;
};

struct PartitionSamplerOptions {
  std::size_t draws = 20;  // partitions kept, over all chains
  int chains = 4;
  int burnin = 200;  // sweeps per chain before the first draw
  int thin = 20;     // sweeps between two kept draws
  std::uint64_t seed = 1;
  // Candidate pairs below this posterior log2 odds (a match probability of 1/257) do not join
  // components; their share of the posterior is negligible. The components given were formed
  // at this floor; oversized ones are cut by raising it.
  float floor = -8.0f;
  std::size_t max_component = 200;  // records; larger components are cut, then held
  // Shift the prior log2 odds of every joined pair so that the partitions join, on average, as
  // many pairs as the pairs' own match probabilities sum to (partition_sampler.cpp, calibrate).
  // Off: the target is exactly the product of 2^s over joined pairs.
  bool calibrate_prior = true;
};

// Split R-hat above this: the chains did not meet (reported, not fatal).
inline constexpr double partition_max_rhat = 1.05;

struct PartitionDraws {
  // Per draw, per record: its entity, numbered from 0 in the order of each entity's first record.
  std::vector<std::vector<std::uint32_t>> entity;
  std::vector<std::size_t> entities;  // per draw: the number of entities
  // Per chain: the number of entities after every sweep past the burn-in (for R-hat).
  std::vector<std::vector<double>> entities_trace;
  double rhat_entities = 1;
  std::size_t components = 0;       // components of two or more records
  std::size_t components_cut = 0;   // cut by raising the floor
  std::size_t components_held = 0;  // still above the cap: held at the best linkage
  std::size_t records_sampled = 0;  // records in the components sampled
  std::size_t largest_component = 0;
  double acceptance_swap = 0;  // share of swap proposals accepted
  // The calibrated prior: the shift of every pair's log2 odds, the sum of the pairs' match
  // probabilities it aims at, and the pairs joined on average in the last pilot run.
  float prior_shift = 0;
  double prior_target_pairs = 0, prior_pilot_pairs = 0;
  double seconds = 0;
  std::vector<std::string> warnings;  // R-hat above partition_max_rhat, components held
};

// Draws partitions (progress on stderr when `progress`). Bad options throw usage errors.
[[nodiscard]] PartitionDraws sample_partitions(const PartitionProblem& problem,
                                               const PartitionSamplerOptions& options,
                                               bool progress = true);

// Split R-hat (BDA3 eq. 11.4) of equal-length chains; 1 when nothing varies.
[[nodiscard]] double split_rhat_of(const std::vector<std::vector<double>>& chains);

}  // namespace recount::linkage
