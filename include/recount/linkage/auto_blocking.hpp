#pragma once
// Automatic blocking: which rules to block on when the config gives none. Candidate rules are
// every blocking key the lists allow (standard fields and every compared column), alone and in
// pairs of different fields, plus the usual name-and-birth rules; each one's pairs are counted
// before anything is made. A first model (EM over the usual rules) finds likely matches among
// the usual rules' pairs; how they agree on each field and key, per pair of lists, gives the
// share of true matching pairs a set of rules catches (its pair recall), estimated by
// simulating matching pairs from those measurements (the keys of one field drawn jointly; the
// fields conditionally independent given a match and its pair of lists).
// Rules are added greedily by recall gained per pair made (the greedy set-cover heuristic;
// Michelson & Knoblock 2006, "Learning blocking schemes for record linkage", AAAI; Bilenko,
// Kamath & Mooney 2006, ICDM) until the target recall, within the per-rule and total budgets.

#include <cstdint>
#include <string>
#include <vector>

#include "recount/linkage/blocking.hpp"
#include "recount/linkage/config.hpp"
#include "recount/linkage/fellegi_sunter.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

struct CandidateRule {
  BlockingRule rule;
  BlockCount count;
  double recall = 0;  // estimated share of true matching pairs the rule catches alone
  bool chosen = false;
  std::string refused;  // why the rule could not be chosen (over a limit), or empty
};

struct BlockingChoice {
  std::vector<BlockingRule> rules;        // chosen, in the order chosen
  std::vector<CandidateRule> candidates;  // every rule considered
  double estimated_recall = 0;            // of the chosen set
  double target_recall = 0;
  std::uint64_t pairs = 0;    // sum of the chosen rules' pairs (before the union)
  std::string recall_source;  // "simulated from the first model's m"
  std::string stopped;        // why rules stopped being added below the target (empty: none)
};

// Every candidate rule the records allow (keys whose field some list has).
[[nodiscard]] std::vector<BlockingRule> candidate_blocking_rules(const RecordSet& records,
                                                                 const LinkConfig& config);

// Whether a true matching pair at the given levels agrees on a blocking key, as a probability
// (1 for levels that imply agreement; between 0 and 1 for levels that only make it likely, such
// as a typo in a surname and its first four letters). `coin` in [0, 1) decides the two
// two-year bins: a pair one year apart shares exactly one of birth_span and birth_span_shifted.
[[nodiscard]] double key_agreement(const std::string& key, Comparator comparator, int level,
                                   double coin);

// Chooses the rules (see above). `first` is the model fitted on the usual rules, `first_pairs`
// their pairs: the likely matches among them give the agreement of every field and key that
// the simulation draws from (without them, `first`'s m and the assumed shares of
// key_agreement). `external` as for Scorer. With at least 100 labelled matches (packed pairs),
// recall is measured on them instead of simulated.
[[nodiscard]] BlockingChoice choose_blocking(
    const RecordSet& records, const LinkConfig& config, const LinkModel& first,
    const std::vector<RulePairs>& first_pairs = {}, const ExternalFrequencies* external = nullptr,
    const std::vector<std::uint64_t>& labelled_matches = {});

}  // namespace recount::linkage
