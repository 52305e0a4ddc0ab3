#include "recount/linkage/auto_blocking.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "recount/core/progress.hpp"

namespace recount::linkage {

namespace {

// Matching pairs simulated to estimate recall: with 20,000 the Monte Carlo standard error of a
// recall near 0.99 is sqrt(0.99 * 0.01 / 20000) = 0.0007.
constexpr std::size_t kSimulatedMatches = 20'000;
// Labelled matches from which recall is estimated instead: with 100, a recall near 0.99 has a
// binomial standard error of 0.01, the scale of the target's distance from 1.
constexpr std::size_t kMinLabelledMatches = 100;
// Rules of three keys are tried only as extensions of pairs too large to use, at most this many.
constexpr std::size_t kMaxTriples = 400;

double uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Where two dates' years stand for a level of the date comparison: 0 the same year, 1 one year
// apart, 2 further or unknown. Levels: 1 exact, 2 swapped, 3 same month, 4 same year, 5 within
// 31 days, 6 within a year, 7 next year, 8 two years apart, 9 different. Within 31 days crosses a
// new year about 31/365/2 of the time; within a year is the same year about half the time.
int year_relation(int level, double coin) {
  if (level >= 1 && level <= 4) return 0;
  if (level == 5) return coin < 0.96 ? 0 : 1;
  if (level == 6) return coin < 0.5 ? 0 : 1;
  if (level == 7) return 1;
  return 2;
}

std::vector<std::string> keys_for_field(const std::string& field) {
  if (field == "surname")
    return {"surname",          "surname_prefix", "surname_suffix",
            "surname_phonetic", "surname_sorted", "surname_initial"};
  if (field == "given") return {"given", "given_initial"};
  if (field == "birth_date")
    return {"birth_date", "birth_year", "birth_month", "birth_span", "birth_span_shifted"};
  if (field == "death_date") return {"death_date", "death_year"};
  return {field};
}

// A rule's keys in sorted order: rules with the same keys in another order make the same
// blocks, so they are one candidate.
std::string sorted_rule_keys(const BlockingRule& rule) {
  std::vector<std::string> keys = rule.keys;
  std::sort(keys.begin(), keys.end());
  return fmt::format("{}", fmt::join(keys, "+"));
}

// Observed pairs below which a measured distribution is not used: the pooled one (or the
// assumed shares of key_agreement) stands in. With 30, a share near 0.1 has a binomial standard
// error of about 0.05.
constexpr std::size_t kMinObserved = 30;
// Pairs of each first-pass rule scored to find likely matches: a reproducible stride sample.
constexpr std::size_t kMeasuredPairsPerRule = 500'000;

// A discrete distribution over 64-bit values (a comparison level, or a mask of agreeing keys),
// drawn by inverting its cumulative weights.
struct Distribution {
  std::map<std::uint64_t, double> weight;
  double observed = 0;  // matches behind it: the sum of their match probabilities
  std::vector<std::uint64_t> values;
  std::vector<double> cumulative;
  void add(std::uint64_t value, double w, double p) {
    weight[value] += w;
    observed += p;
  }
  void finish() {
    double total = 0;
    for (const auto& [v, w] : weight) {
      total += w;
      values.push_back(v);
      cumulative.push_back(total);
    }
  }
  [[nodiscard]] std::uint64_t draw(double u) const {
    const double x = u * cumulative.back();
    const auto i = static_cast<std::size_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
    return values[std::min(i, values.size() - 1)];
  }
};

// How true matches agree, measured on the first model's likely matches (posterior match
// probability at least 1/2) among a sample of the first pass's pairs, by pair of lists (a
// stratum: lists differ in their noise and their fields, which is most of what ties one field's
// errors to another's) and pooled. Per stratum and field: the distribution of the comparison
// level (0: missing); per level, the distribution of the mask of the field's keys that agree,
// so the keys of one field are drawn jointly, not each with an assumed share. A field is
// measured only on pairs that some first-pass rule not conditioning on it caught: under the
// model's conditional independence that selection says nothing of the field (as the training
// sessions estimate m only for the fields their rule leaves free).
struct MeasuredAgreement {
  static constexpr int kLevels = -1;  // the level distribution's slot in `by`
  static constexpr int kPooled = -1;  // all strata together
  std::map<std::tuple<int, std::size_t, int>, Distribution> by;  // (stratum, field, level)
  Distribution strata;                                           // likely matches per stratum
  double likely_matches = 0;  // the sum of the sampled pairs' match probabilities
  [[nodiscard]] const Distribution* find(int stratum, std::size_t field, int level) const {
    for (const int s : {stratum, kPooled}) {
      const auto it = by.find({s, field, level});
      if (it != by.end() && it->second.observed >= kMinObserved) return &it->second;
    }
    return nullptr;
  }
};

MeasuredAgreement measure_agreement(const RecordSet& records, const LinkModel& first,
                                    const std::vector<RulePairs>& first_pairs,
                                    const std::vector<std::vector<std::uint32_t>>& key_value,
                                    const std::map<std::string, std::size_t>& key_bit,
                                    const std::vector<std::size_t>& key_field,
                                    const ExternalFrequencies* external) {
  MeasuredAgreement out;
  const std::size_t nf = first.fields.size();
  const std::size_t lists = records.list_names.size();
  // Per first-pass rule: its keys' bits (a rule whose key is no candidate's cannot be checked,
  // and is left out) and the fields it conditions on.
  std::vector<std::vector<std::size_t>> rule_keys;
  std::vector<std::vector<bool>> conditions(first_pairs.size(), std::vector<bool>(nf, false));
  std::vector<bool> usable(first_pairs.size(), true);
  for (std::size_t r = 0; r < first_pairs.size(); ++r) {
    std::vector<std::size_t> bits;
    for (const std::string& k : first_pairs[r].rule.keys) {
      const auto it = key_bit.find(k);
      if (it == key_bit.end()) {
        usable[r] = false;
        break;
      }
      bits.push_back(it->second);
      conditions[r][key_field[it->second]] = true;
    }
    usable[r] = usable[r] && !first_pairs[r].refused && !first_pairs[r].ids.empty();
    rule_keys.push_back(std::move(bits));
  }
  const auto agrees = [&](std::size_t bit, std::uint32_t a, std::uint32_t b) {
    return key_value[bit][a] != 0 && key_value[bit][a] == key_value[bit][b];
  };
  const auto caught_by = [&](std::size_t r, std::uint32_t a, std::uint32_t b) {
    return std::all_of(rule_keys[r].begin(), rule_keys[r].end(),
                       [&](std::size_t bit) { return agrees(bit, a, b); });
  };
  std::vector<std::uint64_t> field_bits(nf, 0);
  for (std::size_t k = 0; k < key_field.size(); ++k)
    field_bits[key_field[k]] |= std::uint64_t{1} << k;
  const Scorer scorer(records, first, external);
  const Comparer& comparer = scorer.comparer();
  // Pairs below this log2 odds (a match probability of 1/101) are left out: their weights in
  // all are small, and scoring fewer pairs is faster.
  const float floor = -6.66f;
  std::vector<bool> caught(first_pairs.size());
  for (std::size_t r = 0; r < first_pairs.size(); ++r) {
    if (!usable[r]) continue;
    const std::vector<std::uint64_t>& ids = first_pairs[r].ids;
    const std::size_t stride = std::max<std::size_t>(1, ids.size() / kMeasuredPairsPerRule);
    // Each pair counts once, under the first rule that catches it; a rule sampled at a stride
    // stands for `stride` pairs.
    const double stride_weight = static_cast<double>(stride);
    for (std::size_t i = stride / 2; i < ids.size(); i += stride) {
      const std::uint32_t a = pair_first(ids[i]), b = pair_second(ids[i]);
      bool earlier = false;
      for (std::size_t q = 0; q < r && !earlier; ++q)
        earlier = usable[q] && caught_by(q, a, b);
      const float odds = earlier ? floor : scorer.log2_odds(a, b);
      if (odds < floor) continue;
      // Each pair weighs its match probability (the M step of EM): a hard cut at 1/2 would keep
      // only the matches whose other fields outweigh a disagreeing one, and so make the field
      // look more agreeing than it is.
      const double p = probability_of(odds);
      const double w = stride_weight * p;
      for (std::size_t q = 0; q < first_pairs.size(); ++q)
        caught[q] = usable[q] && (q == r || caught_by(q, a, b));
      const std::uint16_t la = std::min(records.list[a], records.list[b]);
      const std::uint16_t lb = std::max(records.list[a], records.list[b]);
      const int stratum = static_cast<int>(la * lists + lb);
      out.strata.add(static_cast<std::uint64_t>(stratum), w, p);
      out.likely_matches += p;
      std::uint64_t mask = 0;
      for (std::size_t k = 0; k < key_value.size(); ++k)
        if (agrees(k, a, b)) mask |= std::uint64_t{1} << k;
      for (std::size_t f = 0; f < nf; ++f) {
        bool free = false;
        for (std::size_t q = 0; q < first_pairs.size() && !free; ++q)
          free = caught[q] && !conditions[q][f];
        if (!free) continue;
        const int level = comparer.level(f, a, b);
        for (const int s : {stratum, MeasuredAgreement::kPooled}) {
          out.by[{s, f, MeasuredAgreement::kLevels}].add(static_cast<std::uint64_t>(level), w, p);
          out.by[{s, f, level}].add(mask & field_bits[f], w, p);
        }
      }
    }
  }
  if (out.likely_matches > 0) out.strata.finish();
  for (auto& [where, d] : out.by)
    d.finish();
  return out;
}

}  // namespace

double key_agreement(const std::string& key, Comparator comparator, int level, double coin) {
  if (level == 0) return 0;
  switch (comparator) {
    case Comparator::name:
      // name levels: 1 exact, 2 same key, 3 close, 4 similar, 5 initial, 6 names inverted,
      // 7 different
      // Derived keys after a typo (close: one edit; similar: two), assumed shares: the first
      // four letters keep it unless the edit is among them; the initial almost always; the key
      // without its first two letters when the edit is there (about a quarter of the letters of
      // a surname key); sorted letters for a transposition; the phonetic code for an edit of a
      // vowel or within a consonant class.
      if (level <= 2) return 1;
      if (key.ends_with("_initial"))
        return level == 5 ? 1 : level == 3 ? 0.9 : level == 4 ? 0.8 : 0;
      if (key.ends_with("_prefix")) return level == 3 ? 0.6 : level == 4 ? 0.4 : 0;
      if (key.ends_with("_suffix")) return level == 3 ? 0.3 : level == 4 ? 0.1 : 0;
      if (key.ends_with("_sorted")) return level == 3 ? 0.25 : level == 4 ? 0.1 : 0;
      if (key.ends_with("_phonetic")) return level == 3 ? 0.5 : level == 4 ? 0.3 : 0;
      return 0;
    case Comparator::date: {
      const int years = year_relation(level, coin);
      // The half of one-year-apart pairs that share a two-year bin: decided by the coin's
      // lower digits, so that exactly one of the two binnings agrees.
      const bool first_bin = std::fmod(coin * 64.0, 1.0) < 0.5;
      if (key.ends_with("_span")) return years == 0 || (years == 1 && first_bin) ? 1 : 0;
      if (key.ends_with("_span_shifted")) return years == 0 || (years == 1 && !first_bin) ? 1 : 0;
      if (key.ends_with("_year")) return years == 0 ? 1 : 0;
      if (key.ends_with("_month")) return level == 1 || level == 3 ? 1 : level == 5 ? 0.5 : 0;
      return level == 1 ? 1 : 0;
    }
    case Comparator::exact:
    case Comparator::jaro_winkler:
    case Comparator::levenshtein:
    case Comparator::numeric:
      return level == 1 ? 1 : 0;
  }
  return 0;
}

std::vector<BlockingRule> candidate_blocking_rules(const RecordSet& records,
                                                   const LinkConfig& config) {
  // Keys grouped by field: a rule takes at most one key of a field.
  std::vector<std::vector<std::string>> by_field;
  for (const FieldSpec& f : records.fields)
    by_field.push_back(keys_for_field(f.name));
  std::vector<BlockingRule> out;
  std::set<std::string> seen;
  auto add = [&](BlockingRule r) {
    if (seen.insert(sorted_rule_keys(r)).second) out.push_back(std::move(r));
  };
  for (const BlockingRule& r : default_blocking_rules(config)) {
    bool usable = true;
    for (const std::string& k : r.keys)
      usable = usable && records.field_index(blocking_key_field(k)).has_value();
    if (usable) add(r);
  }
  // Rules of three keys for a typo in the surname and another in the given name or the date:
  // initials with the birth year or date, the surname's end or sound with the given initial.
  const bool names_and_birth = records.field_index("surname") && records.field_index("given") &&
                               records.field_index("birth_date");
  if (names_and_birth)
    for (BlockingRule r : std::vector<BlockingRule>{
             {{"surname_initial", "given_initial", "birth_year"}},
             {{"surname_initial", "given_initial", "birth_date"}},
             {{"surname_suffix", "given_initial", "birth_year"}},
             {{"surname_phonetic", "given_initial", "birth_year"}},
             {{"surname_phonetic", "given", "birth_span"}},
             {{"surname_phonetic", "given", "birth_span_shifted"}},
         })
      add(std::move(r));
  for (const auto& keys : by_field)
    for (const std::string& k : keys)
      add({{k}});
  for (std::size_t f = 0; f < by_field.size(); ++f)
    for (std::size_t g = f + 1; g < by_field.size(); ++g)
      for (const std::string& a : by_field[f])
        for (const std::string& b : by_field[g])
          add({{a, b}});
  return out;
}

BlockingChoice choose_blocking(const RecordSet& records, const LinkConfig& config,
                               const LinkModel& first, const std::vector<RulePairs>& first_pairs,
                               const ExternalFrequencies* external,
                               const std::vector<std::uint64_t>& labelled_matches) {
  const BlockingOptions& options = config.blocking;
  BlockingChoice choice;
  choice.target_recall = options.target_recall;
  choice.recall_source = "simulated from the m probabilities of a first model";

  // Each key's values, once; rules combine them.
  std::map<std::string, std::vector<std::uint64_t>> values;
  auto value_of = [&](const std::string& key) -> const std::vector<std::uint64_t>& {
    auto it = values.find(key);
    if (it == values.end()) it = values.emplace(key, key_values(records, key)).first;
    return it->second;
  };
  auto count_rule = [&](const BlockingRule& rule) {
    std::vector<std::uint64_t> keys(records.size(), kRuleSeed);
    for (std::size_t k = 0; k < rule.keys.size(); ++k) {
      const std::vector<std::uint64_t>& v = value_of(rule.keys[k]);
      for (std::size_t i = 0; i < keys.size(); ++i)
        keys[i] = combine_key(keys[i], v[i], k);
    }
    return count_blocks(std::move(keys), options.max_block);
  };

  std::vector<BlockingRule> rules = candidate_blocking_rules(records, config);
  {
    Progress progress("counting candidate blocking rules", rules.size());
    for (std::size_t r = 0; r < rules.size(); ++r) {
      CandidateRule c{rules[r], count_rule(rules[r]), 0, false, {}};
      choice.candidates.push_back(std::move(c));
      progress.update(r + 1);
    }
    // Pairs too large to use, or losing much to large blocks: try them with one more key.
    std::vector<BlockingRule> triples;
    std::set<std::string> labels;
    for (const CandidateRule& c : choice.candidates)
      labels.insert(sorted_rule_keys(c.rule));
    for (const CandidateRule& c : choice.candidates) {
      if (c.rule.keys.size() != 2) continue;
      const bool too_big = c.count.pairs > options.pair_limit;
      const bool lossy = c.count.skipped_records * 5 > c.count.keyed_records;
      if (!too_big && !lossy) continue;
      std::set<std::string> fields;
      for (const std::string& k : c.rule.keys)
        fields.insert(blocking_key_field(k));
      for (const FieldSpec& f : records.fields) {
        if (fields.contains(f.name)) continue;
        for (const std::string& k : keys_for_field(f.name)) {
          BlockingRule t = c.rule;
          t.keys.push_back(k);
          if (triples.size() < kMaxTriples && labels.insert(sorted_rule_keys(t)).second)
            triples.push_back(std::move(t));
        }
      }
    }
    for (const BlockingRule& t : triples)
      choice.candidates.push_back({t, count_rule(t), 0, false, {}});
    progress.finish();
  }
  values.clear();

  // Key agreement of simulated matching pairs: one bit per key.
  std::vector<std::string> keys;
  std::map<std::string, std::size_t> key_bit;
  for (const CandidateRule& c : choice.candidates)
    for (const std::string& k : c.rule.keys)
      if (!key_bit.contains(k)) {
        key_bit[k] = keys.size();
        keys.push_back(k);
      }
  // A full date or a month is a key only where the list gives it to that precision: the share
  // of records with the field present that have the key (for the assumed shares only).
  std::vector<double> key_share(keys.size(), 1.0);
  std::vector<std::size_t> key_field(keys.size());
  // Each key's value per record, folded to 32 bits (0 = missing) to halve the memory of a
  // million records' forty keys; a false agreement needs a 32-bit collision.
  std::vector<std::vector<std::uint32_t>> key_value(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) {
    key_field[k] = *records.field_index(blocking_key_field(keys[k]));
    const std::vector<std::uint64_t> v = key_values(records, keys[k]);
    const std::vector<std::uint64_t> whole = key_values(records, blocking_key_field(keys[k]));
    const auto with_key = std::count_if(v.begin(), v.end(), [](std::uint64_t x) { return x; });
    const auto with_field =
        std::count_if(whole.begin(), whole.end(), [](std::uint64_t x) { return x; });
    if (with_field > 0)
      key_share[k] = static_cast<double>(with_key) / static_cast<double>(with_field);
    key_value[k].resize(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto folded = static_cast<std::uint32_t>(v[i] ^ (v[i] >> 32));
      key_value[k][i] = v[i] == 0 ? 0 : folded == 0 ? 1 : folded;
    }
  }
  std::mt19937_64 rng(config.model.seed * 0x9e3779b97f4a7c15ull + 17);
  // Enough labelled matches: their real key agreement replaces the simulation (no model
  // assumption; the Monte Carlo error is then the labels' binomial error).
  const bool from_labels = labelled_matches.size() >= kMinLabelledMatches;
  const std::size_t matches = from_labels ? labelled_matches.size() : kSimulatedMatches;
  std::vector<std::uint64_t> agree(matches, 0);
  if (from_labels) {
    choice.recall_source = fmt::format("{} labelled matching pairs", matches);
    for (std::size_t k = 0; k < keys.size(); ++k)
      for (std::size_t s = 0; s < matches; ++s) {
        const std::uint32_t a = key_value[k][pair_first(labelled_matches[s])];
        if (a != 0 && a == key_value[k][pair_second(labelled_matches[s])])
          agree[s] |= std::uint64_t{1} << k;
      }
  }
  const MeasuredAgreement measured =
      from_labels
          ? MeasuredAgreement{}
          : measure_agreement(records, first, first_pairs, key_value, key_bit, key_field, external);
  if (measured.likely_matches > 0)
    choice.recall_source = fmt::format(
        "simulated from the agreement of a first model's matches (an expected {:.0f} among its "
        "pairs sampled), measured per pair of lists and field",
        measured.likely_matches);
  std::vector<std::vector<std::size_t>> field_keys(first.fields.size());
  for (std::size_t k = 0; k < keys.size(); ++k)
    field_keys[key_field[k]].push_back(k);
  const std::size_t nf = first.fields.size();
  const std::optional<std::size_t> surname_field = records.field_index("surname");
  const std::optional<std::size_t> given_field = records.field_index("given");
  std::vector<int> level(nf);
  std::vector<double> coin(nf);
  for (std::size_t s = 0; !from_labels && s < kSimulatedMatches; ++s) {
    // A simulated match is of one pair of lists, drawn in proportion to its likely matches;
    // its fields are then drawn from that pair's measurements (conditionally independent given
    // the pair of lists), or the pooled ones, or the first model's m and presence.
    const int stratum = measured.likely_matches > 0
                            ? static_cast<int>(measured.strata.draw(uniform(rng)))
                            : MeasuredAgreement::kPooled;
    for (std::size_t f = 0; f < nf; ++f) {
      const FieldModel& fm = first.fields[f];
      level[f] = 0;
      coin[f] = uniform(rng);
      const double u = uniform(rng);
      if (const Distribution* d = measured.find(stratum, f, MeasuredAgreement::kLevels)) {
        level[f] = static_cast<int>(d->draw(u));
        continue;
      }
      if (uniform(rng) >= fm.present) continue;
      double cumulative = 0;
      for (std::size_t l = 1; l < fm.m.size(); ++l) {
        cumulative += fm.m[l];
        level[f] = static_cast<int>(l);
        if (u < cumulative) break;
      }
    }
    // Names written in each other's columns: the given name is not compared (comparison.hpp),
    // so its keys do not agree either.
    if (surname_field && given_field &&
        first.fields[*surname_field].comparator == Comparator::name &&
        level[*surname_field] == kNamesInvertedLevel)
      level[*given_field] = 0;
    for (std::size_t f = 0; f < nf; ++f) {
      if (level[f] == 0) continue;
      if (const Distribution* d = measured.find(stratum, f, level[f])) {
        agree[s] |= d->draw(uniform(rng));
        continue;
      }
      for (const std::size_t k : field_keys[f]) {
        double p = key_agreement(keys[k], first.fields[f].comparator, level[f], coin[f]);
        if (p > 0 && key_share[k] < 1) p *= key_share[k];
        if (p >= 1 || (p > 0 && uniform(rng) < p)) agree[s] |= std::uint64_t{1} << k;
      }
    }
  }
  // Per rule: which simulated matches it catches. A match in a block over max_block is lost;
  // each rule loses its share of keyed records in such blocks, independently.
  const std::size_t nc = choice.candidates.size();
  std::vector<std::vector<bool>> catches(nc, std::vector<bool>(matches, false));
  for (std::size_t c = 0; c < nc; ++c) {
    CandidateRule& cr = choice.candidates[c];
    std::uint64_t mask = 0;
    for (const std::string& k : cr.rule.keys)
      mask |= std::uint64_t{1} << key_bit.at(k);
    const double lost = cr.count.keyed_records == 0
                            ? 0.0
                            : static_cast<double>(cr.count.skipped_records) /
                                  static_cast<double>(cr.count.keyed_records);
    std::size_t caught = 0;
    for (std::size_t s = 0; s < matches; ++s) {
      const bool hit = (agree[s] & mask) == mask && (lost == 0 || uniform(rng) >= lost);
      catches[c][s] = hit;
      caught += hit ? 1 : 0;
    }
    cr.recall = static_cast<double>(caught) / matches;
    if (cr.count.pairs > options.pair_limit)
      cr.refused =
          fmt::format("{} pairs, over the pair limit {}", cr.count.pairs, options.pair_limit);
  }

  // Greedy: the rule with the most recall gained per pair (a rule costs at least one pair per
  // record, so that tiny rules of no real use are not free), until the target.
  std::vector<bool> caught(matches, false);
  std::size_t caught_count = 0;
  const auto choose = [&](std::size_t rule) {
    CandidateRule& cr = choice.candidates[rule];
    cr.chosen = true;
    choice.pairs += cr.count.pairs;
    for (std::size_t s = 0; s < matches; ++s)
      if (catches[rule][s] && !caught[s]) {
        caught[s] = true;
        ++caught_count;
      }
    choice.rules.push_back(cr.rule);
  };
  const double floor = static_cast<double>(std::max<std::size_t>(records.size(), 1));
  // A rule must catch at least a thousandth of the matches that the chosen ones miss: below
  // that the gain is Monte Carlo noise, and a rule that catches almost no matches makes a
  // training session of non-matches whose EM drifts (it need not converge).
  const std::size_t min_gain = std::max<std::size_t>(1, matches / 1000);
  while (static_cast<double>(caught_count) < options.target_recall * matches) {
    double best = 0;
    std::size_t best_rule = nc;
    bool over_budget = false;  // a rule of real gain was left out for the budget alone
    for (std::size_t c = 0; c < nc; ++c) {
      const CandidateRule& cr = choice.candidates[c];
      if (cr.chosen || !cr.refused.empty()) continue;
      std::size_t gain = 0;
      for (std::size_t s = 0; s < matches; ++s)
        gain += catches[c][s] && !caught[s] ? 1 : 0;
      if (choice.pairs + cr.count.pairs > options.pair_budget) {
        over_budget = over_budget || gain >= min_gain;
        continue;
      }
      const double ratio =
          static_cast<double>(gain) / (static_cast<double>(cr.count.pairs) + floor);
      if (gain >= min_gain && ratio > best) {
        best = ratio;
        best_rule = c;
      }
    }
    if (best_rule == nc) {
      choice.stopped = over_budget ? fmt::format(
                                         "the rules that would catch more make more pairs than "
                                         "[blocking] pair_budget {} leaves: raise the budget or "
                                         "give rules",
                                         options.pair_budget)
                                   : fmt::format(
                                         "no other candidate rule within [blocking] pair_limit "
                                         "{} catches a thousandth of the matches still missed: "
                                         "give rules with other keys",
                                         options.pair_limit);
      break;
    }
    choose(best_rule);
  }
  // A field every chosen rule conditions on (a derived key such as an initial counts) keeps
  // default m, which misweighs it; so the rule of most recall that leaves it free is added
  // when the budget allows (its training session estimates the field).
  auto conditions_on = [](const BlockingRule& rule, const std::string& field) {
    return std::any_of(rule.keys.begin(), rule.keys.end(),
                       [&](const std::string& k) { return blocking_key_field(k) == field; });
  };
  for (const FieldSpec& f : records.fields) {
    if (choice.rules.empty() ||
        !std::all_of(choice.rules.begin(), choice.rules.end(),
                     [&](const BlockingRule& r) { return conditions_on(r, f.name); }))
      continue;
    std::size_t best_rule = nc;
    for (std::size_t c = 0; c < nc; ++c) {
      const CandidateRule& cr = choice.candidates[c];
      if (cr.chosen || !cr.refused.empty() || conditions_on(cr.rule, f.name) ||
          choice.pairs + cr.count.pairs > options.pair_budget)
        continue;
      if (best_rule == nc || cr.recall > choice.candidates[best_rule].recall) best_rule = c;
    }
    if (best_rule == nc) continue;
    choose(best_rule);
  }
  for (CandidateRule& cr : choice.candidates)
    if (!cr.chosen && cr.refused.empty() && choice.pairs + cr.count.pairs > options.pair_budget)
      cr.refused = fmt::format("{} pairs, over what the pair budget {} leaves", cr.count.pairs,
                               options.pair_budget);
  choice.estimated_recall = static_cast<double>(caught_count) / matches;
  return choice;
}

}  // namespace recount::linkage
