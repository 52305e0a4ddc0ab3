#pragma once
// The Fellegi-Sunter model (Fellegi & Sunter 1969, JASA 64:1183): per field and level, m = P(level
// | same man) and u = P(level | different men); a pair's evidence is the sum of log2(m/u) over
// fields, plus the prior log-odds that two random records are the same man.
//
// u comes from random pairs (almost all different men). m is estimated by EM (Winkler 1988;
// Jaro 1989) in several training sessions, one per blocking rule, each leaving out of its
// estimates the fields its blocking conditioned on (as Splink does): naive EM over all blocked
// pairs lets the match prior drift towards 1 and precision collapse. The prior itself comes from
// a deterministic rule (surname, given name and full birth date agreeing) divided by that rule's
// recall under the fitted m, and is bounded. Term frequencies (Winkler's frequency-based
// matching; Splink's TF adjustment) make a common surname's agreement weaker evidence.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/linkage/blocking.hpp"
#include "recount/linkage/comparison.hpp"
#include "recount/linkage/config.hpp"
#include "recount/linkage/frequency_table.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

struct FieldModel {
  std::string name;
  Comparator comparator = Comparator::exact;
  std::vector<std::string> levels;
  std::vector<double> m, u, weight;  // per level; weight = log2(m/u), 0 at level 0 (missing)
  bool term_frequency = false;
  std::string m_source;  // "em", "labelled pairs" or "default (no training session could …)"
  std::string u_source;  // "random pairs", or "fixed" when the config fixes a level's u
  double present = 0;    // share of random pairs where both records have the field
};

struct TrainingSession {
  std::string rule;
  std::uint64_t pairs = 0;  // pairs used (a random sample of the rule's pairs beyond the cap)
  std::vector<std::string> estimated;  // fields whose m this session estimated
  double match_share = 0;              // EM's share of matches among the session's pairs
  int iterations = 0;
  bool converged = false;
  // Why the rule's pairs trained nothing (empty: they did; see kMaxTrainingBlockLoss).
  std::string left_out;
};

// A blocking rule whose blocks over max_block hold more than this share of its keyed records
// makes no training session: its pairs are those of its rarest values only (a rare given name),
// whose non-matches are no random sample of the other fields (rare given names go with
// surnames of the same origin and one list's spelling), so the two-class model with u from
// random pairs is misspecified there, and EM's match class drifts towards a subset of the
// non-matches instead of converging (seen on a million records: the match share rose from
// 0.02 to 0.3 over 3,000 iterations while the likelihood crept up). Such a rule still blocks.
inline constexpr double kMaxTrainingBlockLoss = 0.5;

struct LinkModel {
  std::vector<FieldModel> fields;
  double prior = 0;                           // P(two random records are the same man)
  double prior_within = 0, prior_across = 0;  // the same, for two records of one list / two lists
  std::string prior_method;
  std::uint64_t deterministic_pairs = 0;
  double deterministic_recall = 0;
  std::vector<TrainingSession> sessions;
  std::uint64_t u_pairs = 0;
  std::vector<std::string> warnings;  // reasons the model is not to be trusted
  LevelThresholds thresholds;

  [[nodiscard]] double prior_log2_odds(bool same_list) const;
  [[nodiscard]] nlohmann::json to_json() const;
  static LinkModel from_json(const nlohmann::json& j);
};

// Fits the model: u from random pairs, m by EM per training session, the prior as above.
// Labelled pairs (packed, sorted) enter every session with their match responsibility fixed
// (semi-supervised EM); [[model.fix]] probabilities are held at their values throughout.
[[nodiscard]] LinkModel train_model(const RecordSet& records, const std::vector<RulePairs>& rules,
                                    const ModelOptions& options,
                                    const std::vector<std::uint64_t>& labelled_matches = {},
                                    const std::vector<std::uint64_t>& labelled_non_matches = {});

// EM over gamma patterns with u fixed: exposed for tests. `patterns` holds one level per field
// per pattern (row-major), `counts` the pairs with each pattern; `estimate[f]` says which fields
// enter the likelihood. `known` (empty, or one per pattern) fixes a pattern's match
// responsibility at 0 or 1 (labelled pairs; negative: estimated); known patterns do not enter
// the match share. `fixed_m[f][l]` (empty, or per field and level; NaN: estimated) holds m.
// Returns m per field and level, with the match share and convergence.
struct EmResult {
  std::vector<std::vector<double>> m;
  double match_share = 0;
  int iterations = 0;
  bool converged = false;
};
[[nodiscard]] EmResult expectation_maximisation(
    const std::vector<std::uint8_t>& patterns, const std::vector<double>& counts,
    const std::vector<FieldModel>& fields, const std::vector<bool>& estimate, int max_iterations,
    double tolerance, const std::vector<double>& known = {},
    const std::vector<std::vector<double>>& fixed_m = {});

// A field's m comes from EM only when the training pairs hold at least this many likely
// matches (match probability at least 1/2) with the field on both records: from fewer, a
// level's m has a binomial standard error above 0.15 (sqrt(0.25 / 10)), and from none it is
// whatever the many unlikely pairs make of it (a field of one list without duplicates).
inline constexpr double kMinMatchesCompared = 10;

// One training session's data for joint EM: its gamma patterns, counts, the fields it estimates
// and the known responsibilities of labelled pairs (as above).
struct EmSession {
  std::vector<std::uint8_t> patterns;
  std::vector<double> counts;
  std::vector<bool> estimate;
  std::vector<double> known;
};
// A level that only some sessions can observe (the surname's "names inverted" cannot occur
// where the rule makes the given names agree): its m is its share among those sessions' matches.
struct PartlyObservedLevel {
  std::size_t field = 0, level = 0;
  std::vector<bool> observed;  // per session
};
struct JointEmResult {
  std::vector<std::vector<double>> m;
  std::vector<double> match_share;  // per session
  // Per field: the training pairs with the field on both records whose match probability is
  // at least 1/2 (likely matches), over the sessions that estimate it.
  std::vector<double> matches_compared;
  int iterations = 0;
  bool converged = false;
};
// EM over several sessions at once: one likelihood, the product over sessions of
// prod_patterns (lambda_s m(gamma) + (1 - lambda_s) u(gamma))^count, with m shared by every
// session that estimates the field and a match share lambda_s of each session's own.
[[nodiscard]] JointEmResult joint_expectation_maximisation(
    const std::vector<EmSession>& sessions, const std::vector<FieldModel>& fields,
    int max_iterations, double tolerance, const std::vector<std::vector<double>>& fixed_m = {},
    const std::optional<PartlyObservedLevel>& partly_observed = std::nullopt);

// Scores pairs: precomputed weight tables by level, term-frequency adjustments by key id.
// Thread-safe; no allocation per pair.
class Scorer {
 public:
  // `external` (optional) gives term frequencies from external tables (frequency_table.hpp).
  Scorer(const RecordSet& records, const LinkModel& model,
         const ExternalFrequencies* external = nullptr);
  // The log2 Bayes factor of the pair (the sum of field weights and TF adjustments).
  [[nodiscard]] float evidence(std::uint32_t a, std::uint32_t b) const noexcept;
  // Posterior log2 odds that the pair is the same man.
  [[nodiscard]] float log2_odds(std::uint32_t a, std::uint32_t b) const noexcept {
    return (list_[a] == list_[b] ? prior_within_ : prior_across_) + evidence(a, b);
  }
  [[nodiscard]] const Comparer& comparer() const noexcept { return comparer_; }
  // The TF adjustment (log2) a field adds at an agreeing level for record a's value.
  [[nodiscard]] float tf_adjustment(std::size_t field, std::uint32_t a) const noexcept;

 private:
  Comparer comparer_;
  std::vector<std::array<float, max_levels>> weights_;
  std::vector<std::vector<float>> tf_;  // per field: adjustment by key id (empty: no TF)
  std::vector<const std::uint32_t*> tf_keys_;
  std::vector<Comparator> comparators_;
  const std::uint16_t* list_ = nullptr;
  float prior_within_ = 0, prior_across_ = 0;
};

// Probability <-> log2 odds.
[[nodiscard]] double log2_odds_of(double probability);
[[nodiscard]] double probability_of(double log2_odds);

}  // namespace recount::linkage
