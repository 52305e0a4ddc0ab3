#pragma once
// Blocking: only records that agree on all keys of at least one rule are compared. Each rule's
// pairs are counted before any is made (a rule over the limit is refused by name), then the
// rules' pairs are unioned without duplicates (sort + unique on packed 64-bit pair ids).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "recount/linkage/config.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

// A pair of records (a < b) packed into one integer: sortable, deduplicable.
[[nodiscard]] constexpr std::uint64_t pack_pair(std::uint32_t a, std::uint32_t b) noexcept {
  return a < b ? (std::uint64_t{a} << 32) | b : (std::uint64_t{b} << 32) | a;
}
[[nodiscard]] constexpr std::uint32_t pair_first(std::uint64_t p) noexcept {
  return static_cast<std::uint32_t>(p >> 32);
}
[[nodiscard]] constexpr std::uint32_t pair_second(std::uint64_t p) noexcept {
  return static_cast<std::uint32_t>(p & 0xffffffffu);
}

struct RulePairs {
  BlockingRule rule;
  std::uint64_t pairs = 0;                                // pairs the rule makes
  std::uint64_t skipped_blocks = 0, skipped_records = 0;  // blocks over max_block, left out
  std::uint64_t keyed_records = 0;                        // records with every key present
  bool refused = false;            // over the pair limit (automatic rules only: skipped)
  std::vector<std::uint64_t> ids;  // sorted
};

// Derived keys of the surname and the given name, computed on the field's comparison key:
// <field>_prefix (first four letters), <field>_initial, <field>_suffix (the key without its first
// two letters, when at least three are left: a typo in the first letters keeps it),
// <field>_sorted (the key's letters sorted: a transposition keeps it), <field>_phonetic
// (phonetic_key). Whether `key` is one of them.
[[nodiscard]] bool is_derived_name_key(const std::string& key);
// A phonetic code of a comparison key (ASCII lowercase Latin): consonant classes, vowels
// dropped. "fedorov" (Фёдоров) and "fiodorof" give one code. Exposed for tests.
[[nodiscard]] std::string phonetic_key(std::string_view key);

// The fields a blocking key conditions on (excluded from that training session's m).
[[nodiscard]] std::string blocking_key_field(const std::string& key);

// The value of one blocking key for every record (0 = missing).
[[nodiscard]] std::vector<std::uint64_t> key_values(const RecordSet& records,
                                                    const std::string& key);
// A rule's key is built from kRuleSeed by combine_key over its keys' values in order (0 once
// any value is missing): rule_keys(records, rule) is exactly that.
inline constexpr std::uint64_t kRuleSeed = 0x51ed270b27a3f1cdull;
[[nodiscard]] std::uint64_t combine_key(std::uint64_t so_far, std::uint64_t value,
                                        std::size_t position);

// What a rule would make, counted from its keys before any pair is made.
struct BlockCount {
  std::uint64_t pairs = 0;
  std::uint64_t skipped_blocks = 0, skipped_records = 0;  // blocks over max_block
  std::uint64_t keyed_records = 0;                        // records with every key present
};
[[nodiscard]] BlockCount count_blocks(std::vector<std::uint64_t> keys, std::uint64_t max_block);

// The blocking key of each record under a rule; 0 when a key is missing. Exposed for tests.
[[nodiscard]] std::vector<std::uint64_t> rule_keys(const RecordSet& records,
                                                   const BlockingRule& rule);

// Pairs of every rule. A rule given in the config that makes more than `pair_limit` pairs is
// bad input naming the rule and `config_file`; an automatic one is skipped and marked refused.
[[nodiscard]] std::vector<RulePairs> block(const RecordSet& records, const BlockingOptions& options,
                                           const std::string& config_file);

// The union of the rules' pairs, sorted, without duplicates.
[[nodiscard]] std::vector<std::uint64_t> union_pairs(const std::vector<RulePairs>& rules);

}  // namespace recount::linkage
